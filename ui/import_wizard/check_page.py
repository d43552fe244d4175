"""The wizard's dry run: how many rows would be imported or would update a response, duplicates,
and every row problem."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
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
    skipped_sentences,
)
from forumkit.responses import SortedIncoming
from forumkit.wording import noun, plural
from ui.widgets import Heading, Paragraph

if TYPE_CHECKING:
    from ui.import_wizard.wizard import ImportWizard


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
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Check status")
        layout.addWidget(self.status)
        self.held: SortedIncoming | None = None

    @staticmethod
    def _build_problems_table() -> QTableWidget:
        problems = QTableWidget(0, 3)
        problems.setObjectName("importProblems")
        problems.setAccessibleName("Row problems")
        problems.setHorizontalHeaderLabels(("Row", "Column", "What is wrong"))
        problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        problems.setTabKeyNavigation(False)
        problems.setWordWrap(True)
        problems.verticalHeader().hide()
        header = problems.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 240)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        return problems

    def initializePage(self) -> None:
        if self.owner.plan is not None:
            self.show_plan(self.owner.plan)

    def show_plan(self, plan: ImportPlan) -> None:
        context = self.owner.context
        self.held = already_held(context.workspace.db, plan) if context.has_workspace else None
        self.status.setText("")
        self._show_verdict(plan)
        self._show_problems(plan)
        self.warnings.setText(
            "Please note:\n" + "\n".join(f"• {w}" for w in plan.warnings) if plan.warnings else ""
        )
        self.completeChanged.emit()

    def _show_verdict(self, plan: ImportPlan) -> None:
        if plan.problems:
            rows = len({problem.row for problem in plan.problems})
            self.verdict.setText(
                f"{plural(len(plan.problems), 'problem')} in {plural(rows, 'row')}: nothing can "
                "be imported yet"
            )
            self.counts.setText(
                "An import is all or nothing. Go Back to change which column answers which "
                "question, or correct these rows in the spreadsheet, save it, and choose "
                "“Check the file again”."
            )
            return
        held = self.held
        new = len(held.new) if held is not None else len(plan.rows)
        duplicates = held.duplicates if held is not None else 0
        changed = len(held.changed) if held is not None else 0
        verdict = f"{plural(new, 'response')} ready to import"
        self.verdict.setText(f"{verdict}, {changed:,} to update" if changed else verdict)
        skipped = (
            f" {plural(duplicates, 'row')} {noun(duplicates, 'is', 'are')} already in "
            "the forum file and will be skipped."
            if duplicates
            else ""
        )
        action = "add them"
        if changed:
            action = "add and update them" if new else "update them"
        lines = [
            f"{_all_rows(plan.row_count)} of “{plan.file_name}” passed the survey's checks."
            f"{skipped} Choose Import to {action}."
        ]
        if held is not None:
            if changed:
                lines.append(changed_sentence(changed, held.changed_rows, done=False))
            lines.extend(
                skipped_sentences(outdated=held.outdated, removed_earlier=held.removed_earlier)
            )
            if held.kept_rows:
                lines.append(kept_sentence(held.kept_rows))
        self.counts.setText("\n".join(lines))

    def _show_problems(self, plan: ImportPlan) -> None:
        self.problems.setRowCount(len(plan.problems))
        for row, problem in enumerate(plan.problems):
            values: list[Any] = [problem.row, problem.column or "(whole row)", problem.reason]
            for col, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if col == 0:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.problems.setItem(row, col, item)
        self.problems.resizeRowsToContents()
        self.problems.setVisible(bool(plan.problems))
        self.problems_label.setVisible(bool(plan.problems))

    def isComplete(self) -> bool:
        plan = self.owner.plan
        return plan is not None and plan.ok and bool(plan.rows) and self.owner.task is None

    def validatePage(self) -> bool:
        return self.isComplete() and self.owner.import_plan()


def _all_rows(count: int) -> str:
    """“All 12 rows”, or “The one row” of a file with a single data row."""
    return "The one row" if count == 1 else f"All {plural(count, 'row')}"
