"""The wizard's dry run: how many rows would be imported or would update a response,
duplicates, and every row problem.

Each problem names its row, the question (by its words), what the file holds there and what is
wrong. An import is all or nothing by default; the chair may instead import the rows that passed
and set the problem rows aside in a spreadsheet to correct and import later (written as an
export is: in memory, with a password if wanted, audit-logged). When every row is already in
the forum file there is nothing to import, and the page says so instead of offering Import.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from forumkit.importers import (
    ImportPlan,
    already_held,
    changed_sentence,
    kept_sentence,
    set_aside_rows,
    skipped_sentences,
)
from forumkit.responses import SortedIncoming
from forumkit.wording import noun, plural
from ui.protected_file import ProtectedFile, ProtectedFileChooser, documents_folder
from ui.widgets import Heading, Paragraph, StatusLabel

if TYPE_CHECKING:
    from ui.import_wizard.wizard import ImportWizard

PROBLEM_COLUMNS = ("Row", "Question", "In the file", "What is wrong")


class CheckPage(QWizardPage):
    """The dry run: how many rows would be imported, duplicates, and every row problem."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Check before importing")
        self.setAccessibleName("Check before importing")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        layout = QVBoxLayout(self)
        self.verdict = Heading("", 3)
        layout.addWidget(self.verdict)
        self.counts = Paragraph()
        layout.addWidget(self.counts)
        self.problems = self._build_problems_table()
        self.problems_label = QLabel("&Rows that cannot be imported yet:")
        self.problems_label.setBuddy(self.problems)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self._build_choice())
        self.warnings = Paragraph()
        self.warnings.setObjectName("hint")
        self.warnings.setAccessibleName("Things to check")
        layout.addWidget(self.warnings)
        buttons = QHBoxLayout()
        self.reread_button = QPushButton("Check the file &again")
        self.reread_button.setToolTip("After correcting the rows in the spreadsheet and saving it")
        self.reread_button.setAutoDefault(False)
        self.reread_button.clicked.connect(self.owner.reread)
        buttons.addWidget(self.reread_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = StatusLabel("Check status")
        layout.addWidget(self.status)
        self.held: SortedIncoming | None = None
        self.duplicates = 0
        self.new = 0
        self.changed = 0

    @staticmethod
    def _build_problems_table() -> QTableWidget:
        problems = QTableWidget(0, len(PROBLEM_COLUMNS))
        problems.setObjectName("importProblems")
        problems.setAccessibleName("Row problems")
        problems.setHorizontalHeaderLabels(PROBLEM_COLUMNS)
        problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        problems.setTabKeyNavigation(False)
        problems.setWordWrap(True)
        problems.verticalHeader().hide()
        header = problems.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, 220)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        return problems

    def _build_choice(self) -> QGroupBox:
        """All or nothing (the default), or the good rows now and the others set aside."""
        self.choice = QGroupBox("What to import")
        layout = QVBoxLayout(self.choice)
        self.all_or_nothing = QRadioButton("&Nothing yet: I will correct the file first")
        self.set_aside = QRadioButton()
        self.all_or_nothing.setChecked(True)
        layout.addWidget(self.all_or_nothing)
        layout.addWidget(self.set_aside)
        self.set_aside_file = ProtectedFileChooser(Path(), "Save the rows to correct")
        layout.addWidget(self.set_aside_file)
        self.set_aside.toggled.connect(self._chosen)
        self.set_aside_file.setVisible(False)
        return self.choice

    def _chosen(self) -> None:
        self.set_aside_file.setVisible(self.set_aside.isChecked())
        self.completeChanged.emit()

    def initializePage(self) -> None:
        if self.owner.plan is not None:
            self.show_plan(self.owner.plan)

    def show_plan(self, plan: ImportPlan) -> None:
        context = self.owner.context
        self.held = already_held(context.workspace.db, plan) if context.has_workspace else None
        if self.held is not None:
            self.duplicates, self.new = self.held.duplicates, len(self.held.new)
            self.changed = len(self.held.changed)
        else:
            self.duplicates, self.new, self.changed = 0, len(plan.rows), 0
        self.status.setText("")
        self._show_verdict(plan)
        self._show_problems(plan)
        self._show_choice(plan)
        self.warnings.setText(
            "Please note:\n" + "\n".join(f"• {w}" for w in plan.warnings) if plan.warnings else ""
        )
        self.completeChanged.emit()

    def _show_verdict(self, plan: ImportPlan) -> None:
        skipped = (
            f" {plural(self.duplicates, 'row')} {noun(self.duplicates, 'is', 'are')} already in "
            "the forum file and will be skipped."
            if self.duplicates
            else ""
        )
        if plan.problems:
            rows = len(set_aside_rows(plan))
            self.verdict.setText(
                f"{plural(len(plan.problems), 'problem')} in {plural(rows, 'row')}: nothing can "
                "be imported yet"
            )
            self.counts.setText(
                f"{plural(len(plan.rows), 'row')} of “{plan.file_name}” passed the survey's "
                f"checks.{skipped} An import is all or nothing: go Back to change which column "
                "answers which question, or correct these rows in the spreadsheet, save it, and "
                "choose “Check the file again”. Or import the rows that passed now and put the "
                "others in a spreadsheet to correct."
            )
            return
        held = self.held
        if not self.new and not self.changed:
            self.verdict.setText("Nothing new to import")
            lines = [
                f"{_all_rows(plan.row_count)} of “{plan.file_name}” "
                f"{noun(plan.row_count, 'is', 'are')} already in the forum file (imported before), "
                "so there is nothing to add. Choose Cancel to close."
            ]
            if held is not None:
                lines.extend(
                    skipped_sentences(outdated=held.outdated, removed_earlier=held.removed_earlier)
                )
                if held.kept_rows:
                    lines.append(kept_sentence(held.kept_rows))
            self.counts.setText("\n".join(lines))
            return
        verdict = f"{plural(self.new, 'response')} ready to import"
        self.verdict.setText(f"{verdict}, {self.changed:,} to update" if self.changed else verdict)
        action = f"add {noun(self.new, 'it', 'them')}"
        if self.changed:
            action = "add and update them" if self.new else "update them"
        lines = [
            f"{_all_rows(plan.row_count)} of “{plan.file_name}” passed the survey's checks."
            f"{skipped} Choose Import to {action}."
        ]
        if held is not None:
            if self.changed:
                lines.append(changed_sentence(self.changed, held.changed_rows, done=False))
            lines.extend(
                skipped_sentences(outdated=held.outdated, removed_earlier=held.removed_earlier)
            )
            if held.kept_rows:
                lines.append(kept_sentence(held.kept_rows))
        self.counts.setText("\n".join(lines))

    def _show_problems(self, plan: ImportPlan) -> None:
        self.problems.setRowCount(len(plan.problems))
        for row, problem in enumerate(plan.problems):
            reason = problem.reason[:1].upper() + problem.reason[1:]
            question = problem.question or problem.column or "(whole row)"
            values = (str(problem.row), question, problem.value, reason)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if col == 0:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if col == 1 and problem.column and problem.column != question:
                    item.setToolTip(f"Column “{problem.column}” of the file")
                self.problems.setItem(row, col, item)
        self.problems.resizeRowsToContents()
        self.problems.setVisible(bool(plan.problems))
        self.problems_label.setVisible(bool(plan.problems))

    def _show_choice(self, plan: ImportPlan) -> None:
        bad = len(set_aside_rows(plan))
        self.choice.setVisible(bool(plan.problems))
        self.set_aside.setText(
            f"Import the {plural(self.new, 'new row')} that passed, and &put the "
            f"{plural(bad, 'problem row')} in a spreadsheet to correct and import later"
        )
        self.set_aside.setEnabled(self.new + self.changed > 0)
        if not self.new and not self.changed:
            self.all_or_nothing.setChecked(True)
        stem = Path(plan.file_name).stem
        self.set_aside_file.path.setText(str(documents_folder() / f"{stem} - to correct.xlsx"))

    def setting_aside(self) -> bool:
        plan = self.owner.plan
        return plan is not None and bool(plan.problems) and self.set_aside.isChecked()

    def isComplete(self) -> bool:
        plan = self.owner.plan
        if plan is None or self.owner.task is not None or not (self.new or self.changed):
            return False
        return plan.ok or self.setting_aside()

    def validatePage(self) -> bool:
        if not self.isComplete():
            return False
        aside: ProtectedFile | None = None
        if self.setting_aside():
            aside = self.set_aside_file.chosen()
            if aside is None:
                return False
        return self.owner.import_plan(aside)


def _all_rows(count: int) -> str:
    """“All 12 rows”, or “The one row” of a file with a single data row."""
    return "The one row" if count == 1 else f"All {plural(count, 'row')}"
