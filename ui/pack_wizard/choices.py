"""The wizard's first step: which survey, which key messages, the inspection areas view, and
the cover's title and contact (the forum's defaults, changeable for this pack)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from forumkit.codebooks import (
    KEY_MESSAGES_ID,
    Code,
    CodebookNotFound,
    default_codebook,
    get_codebook,
)
from forumkit.packs import default_title, pack_settings
from forumkit.surveys import list_surveys
from ui.widgets import Paragraph, labelled

if TYPE_CHECKING:
    from ui.pack_wizard.wizard import PackWizard


class ChoicesPage(QWizardPage):
    """Survey, key messages, inspection areas, title and contact."""

    def __init__(self, wizard: PackWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("What the pack covers")
        self.setSubTitle(
            "Choose the survey and the key messages whose quotes go in. Every count in the pack "
            "is of parents who agreed to share their answers, and small numbers are hidden."
        )
        layout = QVBoxLayout(self)
        self.survey_box = QComboBox()
        layout.addWidget(labelled("&Survey", self.survey_box))
        layout.addWidget(self._build_messages())
        self.by_area = QCheckBox("Also set the quotes out by the five &inspection areas")
        self.by_area.setAccessibleDescription(
            "A second section with the same quotes, along the areas inspectors evaluate."
        )
        layout.addWidget(self.by_area)
        row = QHBoxLayout()
        self.title_edit = QLineEdit()
        row.addWidget(labelled("&Title on the cover", self.title_edit), 1)
        layout.addLayout(row)
        self.contact_edit = QPlainTextEdit()
        self.contact_edit.setTabChangesFocus(True)
        self.contact_edit.setMaximumHeight(72)
        layout.addWidget(
            labelled(
                "Whom inspectors &contact",
                self.contact_edit,
                "A name, an email address or a phone number, a line each.",
            )
        )
        self.keep_defaults = QCheckBox(
            "&Remember this title and contact for the forum's next packs"
        )
        layout.addWidget(self.keep_defaults)
        layout.addStretch(1)
        self.survey_box.currentIndexChanged.connect(lambda _index: self.completeChanged.emit())

    def _build_messages(self) -> QWidget:
        self.messages_box = QGroupBox("&Key messages whose quotes go in")
        self.messages_layout = QGridLayout(self.messages_box)  # two columns: fits 768 px
        self.messages: dict[str, QCheckBox] = {}
        return self.messages_box

    def initializePage(self) -> None:
        db = self._wizard.context.workspace.db
        self.survey_box.clear()
        for survey in list_surveys(db):
            if not survey.archived:
                self.survey_box.addItem(survey.title, survey.id)
        for box in self.messages.values():
            self.messages_layout.removeWidget(box)
            box.deleteLater()
        self.messages.clear()
        codes = key_messages(self._wizard)
        half = max(1, (len(codes) + 1) // 2)
        for number, code in enumerate(codes):
            box = QCheckBox(f"{code.shortcut}  {code.label}" if code.shortcut else code.label)
            box.setAccessibleName(code.label)
            box.setChecked(True)
            box.toggled.connect(lambda _on: self.completeChanged.emit())
            self.messages_layout.addWidget(box, number % half, number // half)
            self.messages[code.key] = box
        if not self.messages:
            self.messages_layout.addWidget(Paragraph("This forum file has no key messages."), 0, 0)
        settings = pack_settings(db)
        forum = self._wizard.context.workspace.forum.name
        self.title_edit.setText(settings.title or default_title(forum))
        self.contact_edit.setPlainText(settings.contact)

    def chosen_keys(self) -> tuple[str, ...]:
        """The key messages ticked; empty when all are (the core's "all of them")."""
        ticked = tuple(key for key, box in self.messages.items() if box.isChecked())
        return () if len(ticked) == len(self.messages) else ticked

    def isComplete(self) -> bool:
        any_message = any(box.isChecked() for box in self.messages.values())
        return self.survey_box.currentIndex() >= 0 and any_message


def key_messages(wizard: PackWizard) -> tuple[Code, ...]:
    """The key messages a pack may cover: the key-messages codebook's top-level codes."""
    db = wizard.context.workspace.db
    try:
        book = get_codebook(db, KEY_MESSAGES_ID)
    except CodebookNotFound:
        book = default_codebook(db)
    return book.children(None)
