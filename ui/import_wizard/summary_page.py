"""The wizard's last page: what the import did."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWizardPage

from forumkit.importers import changed_sentence, kept_sentence, skipped_sentences
from forumkit.wording import noun, plural
from ui import icons
from ui.widgets import Heading, Paragraph

if TYPE_CHECKING:
    from ui.import_wizard.wizard import ImportWizard


class SummaryPage(QWizardPage):
    """What the import did."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Import finished")
        self.setAccessibleName("Import finished")
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        self.summary = Heading("", 3)
        layout.addWidget(self.summary)
        self.details = Paragraph()
        layout.addWidget(self.details)
        self.set_aside = Paragraph()
        layout.addWidget(self.set_aside)
        row = QHBoxLayout()
        self.folder_button = QPushButton(icons.icon("open"), "Open the &folder")
        self.folder_button.setAutoDefault(False)
        self.folder_button.clicked.connect(self._open_folder)
        row.addWidget(self.folder_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def initializePage(self) -> None:
        added, plan = self.owner.added, self.owner.plan
        if added is None or plan is None:
            return
        updated = f"{added.updated:,} updated; " if added.updated else ""
        self.summary.setText(
            f"Imported {plural(added.added, 'response')}; {updated}"
            f"{plural(added.duplicates, 'duplicate')} skipped"
        )
        held = []
        if added.updated:
            rows = self.owner.check_page.held
            numbers = rows.changed_rows if rows is not None else ()
            held.append(changed_sentence(added.updated, numbers, done=True))
        held.extend(
            skipped_sentences(outdated=added.outdated, removed_earlier=added.removed_earlier)
        )
        if added.kept_corrected and self.owner.check_page.held is not None:
            held.append(kept_sentence(self.owner.check_page.held.kept_rows))
        duplicates = (
            f" {plural(added.duplicates, 'row')} {noun(added.duplicates, 'was', 'were')} "
            "already in the forum file (imported before), so "
            f"{noun(added.duplicates, 'it was', 'they were')} not added again."
            if added.duplicates
            else ""
        )
        self.details.setText(
            f"From “{plan.file_name}” ({plan.format_title}).{duplicates} "
            + "".join(f"{line} " for line in held)
            + "The responses are on the Responses page. Delete the downloaded spreadsheet once "
            "you no longer need it: it is not encrypted."
        )
        aside = self.owner.set_aside
        self.folder_button.setVisible(aside is not None)
        if aside is None:
            self.set_aside.setText("")
            return
        kept = (
            "protected with your password"
            if aside.encrypted
            else "not encrypted: delete it once the rows are imported"
        )
        self.set_aside.setText(
            f"{plural(aside.rows, 'row')} with problems {noun(aside.rows, 'was', 'were')} set "
            f"aside in “{aside.path.name}” ({kept}), in {aside.path.parent}. Correct "
            f"{noun(aside.rows, 'it', 'them')} there, then import that file: rows already in "
            "are skipped."
        )

    def _open_folder(self) -> None:
        aside = self.owner.set_aside
        if aside is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(aside.path.parent)))
