"""Data-protection requests: a respondent's right of access and right to erasure.

The chair types the respondent reference recorded with their responses (e.g. the email they
gave) and sees everything the forum file holds about them; can save a copy for them (.txt or
.json); and can erase it for good. Erasing shows exactly what will go, and the earlier exports
or packs that carried it, and asks once: the chair types ERASE. Afterwards the dialog says what
was erased, whom to tell, and the audit-log entry (which holds no personal data).

Everything is done by ``forumkit.responses.requests``; this dialog only shows it. What it
gathers besides the responses (the quotes of their words, versions a merge kept aside) comes
from the packages that made it, which register when imported: imported here, so the dialog
never shows less than the file holds.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

import forumkit.merge
import forumkit.quotes
from forumkit.responses import (
    AccessExport,
    Erasure,
    RespondentData,
    access_text,
    disclosures_of,
    erasure_entry,
    erasure_text,
    find_respondent,
)
from forumkit.wording import plural
from ui import icons
from ui.context import AppContext
from ui.operations import responses as operations
from ui.widgets import Heading, Paragraph, StatusLabel, labelled

GATHERS_ALSO = (forumkit.quotes.quotes_held, forumkit.merge.kept_versions_held)
"""What an access request shows besides the responses (see the module's docstring)."""

CONFIRM_WORD = "ERASE"
COPY_FILTER = "Text file (*.txt);;JSON file (*.json)"


class RequestsDialog(QDialog):
    """Find, copy and erase what the forum file holds about one respondent reference."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.held: RespondentData | None = None
        self.reference = ""
        self.erasure: Erasure | None = None
        self.setWindowTitle("Data-protection request")
        self.setAccessibleName("Data-protection request")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading("Data-protection request", 1))
        layout.addWidget(
            Paragraph(
                "A parent may ask what the forum holds about them (right of access) or ask for "
                "it to be deleted (right to erasure). Find their responses by the reference "
                "recorded with them, such as the email address they gave."
            )
        )

        layout.addLayout(self._build_find_row())
        self.found = Heading("", 3)
        layout.addWidget(self.found)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Everything held about this respondent")
        self.details.setTabChangesFocus(True)
        details_label = QLabel("&What the forum file holds:")
        details_label.setBuddy(self.details)
        layout.addWidget(details_label)
        layout.addWidget(self.details, 1)
        layout.addLayout(self._build_actions())
        self.confirm_box = self._build_confirm_box()
        layout.addWidget(self.confirm_box)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Request status")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.find_button.clicked.connect(self.look_up)
        self.reference_edit.textEdited.connect(self._reference_edited)
        self.copy_button.clicked.connect(self.choose_copy)
        self.erase_button.clicked.connect(self.ask_to_erase)
        self.confirm_edit.textChanged.connect(self._update_confirm)
        self.confirm_button.clicked.connect(self.erase)
        self.keep_button.clicked.connect(self._hide_confirm)
        self._show(None)
        self.resize(760, 640)

    # -- building ----------------------------------------------------------------------------

    def _build_find_row(self) -> QHBoxLayout:
        find_row = QHBoxLayout()
        self.reference_edit = QLineEdit()
        self.reference_edit.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
        find_row.addWidget(
            labelled("Respondent &reference", self.reference_edit), 1, Qt.AlignmentFlag.AlignBottom
        )
        self.find_button = QPushButton("&Find")
        self.find_button.setDefault(True)
        find_row.addWidget(self.find_button, 0, Qt.AlignmentFlag.AlignBottom)
        return find_row

    def _build_actions(self) -> QHBoxLayout:
        """Save a copy for the respondent (access), Erase (erasure)."""
        actions = QHBoxLayout()
        self.copy_button = QPushButton(
            icons.icon("save"),
            "&Save a copy for the respondent…",
        )
        self.copy_button.setAccessibleName("Save a copy for the respondent")
        self.erase_button = QPushButton(icons.icon("remove"), "&Erase…")
        self.erase_button.setAccessibleName("Erase this respondent's responses")
        for button in (self.copy_button, self.erase_button):
            button.setAutoDefault(False)
            actions.addWidget(button)
        actions.addStretch(1)
        return actions

    def _build_confirm_box(self) -> QGroupBox:
        """What will be erased, and the typed confirmation (hidden until Erase is chosen)."""
        box = QGroupBox("Erase for good")
        confirm = QVBoxLayout(box)
        self.what_goes = StatusLabel("What will be erased")  # says what it holds
        confirm.addWidget(self.what_goes)
        self.confirm_edit = QLineEdit()
        confirm.addWidget(labelled(f"&Type {CONFIRM_WORD} to confirm", self.confirm_edit))
        confirm_row = QHBoxLayout()
        self.confirm_button = QPushButton("Erase for &good")
        self.confirm_button.setAutoDefault(False)
        self.keep_button = QPushButton("&Keep them")
        self.keep_button.setAutoDefault(False)
        confirm_row.addWidget(self.confirm_button)
        confirm_row.addWidget(self.keep_button)
        confirm_row.addStretch(1)
        confirm.addLayout(confirm_row)
        return box

    # -- finding -----------------------------------------------------------------------------

    def look_up(self) -> None:
        """Show every response held under the typed reference."""
        reference = self.reference_edit.text().strip()
        if not reference or not self.context.has_workspace:
            self.message.setText("Type the respondent reference first.")
            return
        self.reference = reference
        self.erasure = None
        self._show(find_respondent(self.context.workspace.db, reference))
        self.message.setText("")

    def _show(self, held: RespondentData | None) -> None:
        self.held = held
        has = held is not None and bool(held.responses)
        if held is None:
            self.found.setText("")
            self.details.setPlainText("")
        else:
            count = len(held.responses)
            self.found.setText(
                f"{plural(count, 'response')} held for this reference"
                if count
                else "Nothing is held for this reference"
            )
            self.details.setPlainText(access_text(held))
        self.copy_button.setEnabled(held is not None)
        self.erase_button.setEnabled(has)
        self._hide_confirm()

    def _reference_edited(self) -> None:
        # What is shown (and what Erase would erase) always belongs to the reference shown.
        if self.held is not None:
            self._show(None)

    # -- access: a copy ----------------------------------------------------------------------

    def copy_to(self, path: Path) -> AccessExport | None:
        """Write the respondent's copy (.txt or .json); the audit log records it."""
        if self.held is None or not self.context.has_workspace:
            return None
        copy = operations.export_respondent(self.context, self, self.reference, path)
        if not copy.run():
            return None
        written = copy.result
        self.message.setText(
            f"Saved {plural(written.responses, 'response')} to "
            f"“{path.name}”. The file is not encrypted: give it to the respondent securely, then "
            "delete your copy."
        )
        return written

    def choose_copy(self) -> None:
        name, chosen = QFileDialog.getSaveFileName(
            self,
            "Save a copy for the respondent",
            str(Path.home() / "data-held-about-you.txt"),
            COPY_FILTER,
        )
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() not in (".txt", ".json"):
            path = path.with_name(path.name + (".json" if "json" in chosen.lower() else ".txt"))
        self.copy_to(path)

    # -- erasure -----------------------------------------------------------------------------

    def ask_to_erase(self) -> None:
        """Show exactly what will go, and the box for the typed confirmation."""
        held = self.held
        if held is None or not held.responses or not self.context.has_workspace:
            return
        ids = [r.id for r in held.responses]
        earlier = disclosures_of(self.context.workspace.db, ids)
        lines = [
            f"These {plural(len(ids), 'response')} will be deleted for good:"
            if len(ids) != 1
            else "This response will be deleted for good:"
        ]
        for response in held.responses:
            survey = held.surveys.get(response.survey_id, "")
            started = (response.started or "time unknown")[:16].replace("T", " ")
            lines.append(
                f"• {survey}: {response.status}, {response.source}, started {started}, "
                f"{plural(len(response.answers), 'answer')} (response {response.id[:8]})"
            )
        by_survey = Counter(held.surveys.get(r.survey_id, "") for r in held.responses)
        if len(by_survey) > 1:
            lines.append(
                "In all: " + ", ".join(f"{n} in {title}" for title, n in by_survey.items()) + "."
            )
        lines.append(
            "The forum file and its backup will be rewritten without them. This cannot be undone."
        )
        for disclosure in earlier:
            lines.append(
                f"{disclosure.responses} of them already left the file in {disclosure.what} made "
                f"{disclosure.at}; you will need to tell its recipients."
            )
        self.what_goes.setText("\n".join(lines))
        self.confirm_edit.clear()
        self.confirm_box.setVisible(True)
        self._update_confirm()
        self.confirm_edit.setFocus()

    def _update_confirm(self) -> None:
        self.confirm_button.setEnabled(self.confirm_edit.text().strip() == CONFIRM_WORD)

    def _hide_confirm(self) -> None:
        self.confirm_box.setVisible(False)
        self.confirm_edit.clear()

    def erase(self) -> Erasure | None:
        """Erase, once the chair typed the word; then show the summary and the audit entry."""
        if (
            self.held is None
            or not self.context.has_workspace
            or self.confirm_edit.text().strip() != CONFIRM_WORD
        ):
            return None
        erase = operations.erase_respondent(self.context, self, self.reference)
        if not erase.run():
            return None
        erasure = self.erasure = erase.result
        entry = erasure_entry(self.context.workspace.db, erasure)
        self._show(None)
        self.found.setText("Erased")
        lines = [erasure_text(erasure)]
        if entry is not None:
            counts = ", ".join(f"{key.replace('_', ' ')} {n}" for key, n in entry.counts.items())
            lines += [
                "",
                "The audit log records it (with counts and response ids, no personal data):",
                f"{entry.at} — respondent erased — {counts}; "
                f"{plural(len(entry.object_ids), 'response id')}.",
            ]
        self.details.setPlainText("\n".join(lines))
        self.message.setText("Erased. Search again to check: nothing is held for the reference.")
        self.copy_button.setEnabled(False)
        return erasure


def requests_action(parent: QWidget, context: AppContext) -> QAction:
    """The "Data-protection request…" menu action; opens the dialog over ``parent``."""
    action = QAction(icons.icon("request"), "&Data-protection request…", parent)

    def open_dialog() -> None:
        if not context.has_workspace:
            return
        dialog = RequestsDialog(context, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    action.triggered.connect(open_dialog)
    return action
