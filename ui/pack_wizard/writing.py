"""The wizard's statement and password steps.

The password: five common words made up by ``forumkit.packs.generate_password`` (shown once
here, with Copy and the reminder to give it by phone), or the chair's own, checked by the core's
rule with a strength meter beside it. It is never stored in the forum file, and the wizard
forgets it when it closes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from forumkit.errors import ForumkitError
from forumkit.packs import check_pack_password, generate_password
from ui.new_forum import passphrase_strength
from ui.widgets import Paragraph, labelled, passphrase_field

if TYPE_CHECKING:
    from ui.pack_wizard.wizard import PackWizard

PHONE_REMINDER = (
    "Give the password to the inspection team by phone, never in the same email as the pack "
    "(and not in any email): anyone who gets both can read it."
)


class StatementPage(QWizardPage):
    """The forum's own words for the inspectors (optional)."""

    def __init__(self, wizard: PackWizard) -> None:
        super().__init__(wizard)
        self.setTitle("The forum's statement")
        self.setSubTitle(
            "Optional: what the forum wants inspectors to know, in its own words. It goes in "
            "as you write it, so leave out anything that could identify a family."
        )
        layout = QVBoxLayout(self)
        self.statement = QPlainTextEdit()
        self.statement.setTabChangesFocus(True)
        layout.addWidget(
            labelled("The forum's &statement", self.statement, "A blank line starts a paragraph."),
            1,
        )


class PasswordPage(QWizardPage):
    """Five generated words (default), or the chair's own password."""

    def __init__(self, wizard: PackWizard) -> None:
        super().__init__(wizard)
        self.setTitle("The pack's password")
        self.setSubTitle(
            "The pack is encrypted: inspectors open it with this password. forumkit does not "
            "keep it anywhere."
        )
        layout = QVBoxLayout(self)
        self.generated_choice = QRadioButton("&Make a password of five words for me")
        self.own_choice = QRadioButton("Use my &own password")
        group = QButtonGroup(self)
        for button in (self.generated_choice, self.own_choice):
            group.addButton(button)
            layout.addWidget(button)
        self.generated_choice.setChecked(True)
        layout.addWidget(self._build_generated())
        layout.addWidget(self._build_own())
        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        reminder = Paragraph(PHONE_REMINDER)
        reminder.setAccessibleName(PHONE_REMINDER)
        layout.addWidget(reminder)
        layout.addStretch(1)
        self.generated_choice.toggled.connect(self._switch)
        self._switch()

    def _build_generated(self) -> QWidget:
        self.generated_part = QWidget()
        column = QVBoxLayout(self.generated_part)
        column.setContentsMargins(24, 0, 0, 0)
        self.words = QLabel()
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 12) * 1.3)
        font.setWeight(QFont.Weight.DemiBold)
        self.words.setFont(font)
        self.words.setAccessibleDescription("The generated password")
        row = QHBoxLayout()
        row.addWidget(self.words, 1)
        self.copy_button = QPushButton("&Copy")
        self.copy_button.setAccessibleName("Copy the password")
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self._copy)
        row.addWidget(self.copy_button)
        column.addLayout(row)
        self.shown_once = Paragraph(
            "It is shown only now: write it down or copy it somewhere safe before you go on."
        )
        column.addWidget(self.shown_once)
        self.noted = QCheckBox("I have &written the password down or copied it")
        self.noted.toggled.connect(lambda _on: self.completeChanged.emit())
        column.addWidget(self.noted)
        return self.generated_part

    def _build_own(self) -> QWidget:
        self.own_part = QWidget()
        column = QVBoxLayout(self.own_part)
        column.setContentsMargins(24, 0, 0, 0)
        self.own = passphrase_field("Your password for the pack")
        self.repeat = passphrase_field("Your password again")
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(10)
        self.meter.setAccessibleName("Password strength")
        self.strength = QLabel(" ")
        self.strength.setObjectName("hint")
        column.addWidget(labelled("&Password", self.own))
        column.addWidget(self.meter)
        column.addWidget(self.strength)
        column.addWidget(labelled("Password &again", self.repeat))
        self.own.textChanged.connect(self._update_strength)
        self.repeat.textChanged.connect(lambda _text: self.completeChanged.emit())
        return self.own_part

    def initializePage(self) -> None:
        if not self.words.text():
            self.words.setText(generate_password())

    def _switch(self) -> None:
        generated = self.generated_choice.isChecked()
        self.generated_part.setEnabled(generated)
        self.own_part.setEnabled(not generated)
        self.problem.clear()
        self.completeChanged.emit()

    def _update_strength(self) -> None:
        score, word = passphrase_strength(self.own.text())
        self.meter.setValue(score)
        self.meter.setAccessibleDescription(word)
        self.strength.setText(f"Strength: {word}")
        self.completeChanged.emit()

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.words.text())
        self.noted.setChecked(True)

    @property
    def password(self) -> str:
        """The password the pack gets (checked by validatePage)."""
        return self.words.text() if self.generated_choice.isChecked() else self.own.text()

    def isComplete(self) -> bool:
        if self.generated_choice.isChecked():
            return bool(self.words.text()) and self.noted.isChecked()
        return bool(self.own.text()) and bool(self.repeat.text())

    def validatePage(self) -> bool:
        if self.generated_choice.isChecked():
            return True
        if self.own.text() != self.repeat.text():
            self._refuse("The two passwords are not the same. Type them again.")
            return False
        try:
            check_pack_password(self.own.text())
        except ForumkitError as refused:
            self._refuse(str(refused))
            return False
        return True

    def _refuse(self, text: str) -> None:
        self.repeat.clear()
        self.problem.setText(text)
        self.problem.setAccessibleName(text)
        self.own.setFocus()

    def forget(self) -> None:
        """Drop the password (generated or typed)."""
        for field in (self.own, self.repeat):
            field.clear()
        self.words.clear()
        self.noted.setChecked(False)
