"""The import wizard: responses from an online form's spreadsheet (Google Forms, Microsoft Forms,
SurveyMonkey, KoboToolbox, a forumkit export or a plain sheet), step by step.

Pick a file → the detected format and a column-to-question mapping (matched automatically, each
column editable, saveable to a mapping file for next time) → a dry run listing every row problem
(row, column, reason), with Back to fix the mapping or "Check the file again" after correcting the
rows → Import → a summary (imported, duplicates skipped).

``forumkit.importers`` does all the work. Reading and checking the file (``plan_import``,
``ImportPlan.remap``) is pure and runs in a worker with a progress bar and Cancel; cancelling
leaves the forum file as it was. Only ``run_import`` (one transaction) and the duplicate count
touch the forum file, on the GUI thread.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from forumkit.importers import (
    FORMATS,
    ColumnPlan,
    ImportPlan,
    MappingTarget,
    count_duplicates,
    load_mapping,
    mapping_to_json,
    plan_import,
    run_import,
)
from forumkit.responses import AddedResponses
from forumkit.surveys import Survey, get_survey, list_surveys
from forumkit.surveys.model import pick_text
from ui.context import VOLUNTEER_NAME, AppContext
from ui.tasks import Progress, Task
from ui.widgets import Heading, Paragraph, labelled

SPREADSHEET_FILTER = "Spreadsheets (*.xlsx *.csv);;All files (*)"
MAPPING_FILTER = "Mapping files (*.json)"
AUTO = "auto"

# A column's choice in the mapping table, as combo data: "" (not imported), "@role",
# "q:<question>", "c:<question>\x1f<choice>" or KEEP (left as the format reads it).
KEEP = "keep"
NOT_IMPORTED = ""
_SEP = "\x1f"

ROLE_TARGETS = (
    ("@respondent", "Respondent reference"),
    ("@started", "Start time"),
    ("@finished", "Finish time"),
    ("@id", "Response number in the online form"),
)
FORMAT_ROLE_TEXT = {
    "id": "Response number",
    "started": "Start time",
    "finished": "Finish time",
    "submitted": "Time sent",
    "email": "Respondent reference (email)",
    "name": "Respondent reference (name)",
    "first_name": "Respondent reference (first name)",
    "last_name": "Respondent reference (last name)",
    "username": "Respondent reference (user name)",
    "respondent": "Respondent reference",
    "status": "Draft or complete",
    "covered": "Read from the option columns",
}


def encode_target(target: MappingTarget) -> str:
    """A mapping target as combo data."""
    if target is None:
        return NOT_IMPORTED
    if isinstance(target, tuple):
        return f"c:{target[0]}{_SEP}{target[1]}"
    if target.startswith("@"):
        return target
    return f"q:{target}"


def decode_target(data: str) -> MappingTarget:
    """Combo data back to a mapping target (KEEP is handled by the caller)."""
    if data == NOT_IMPORTED:
        return None
    if data.startswith("c:"):
        question, choice = data[2:].split(_SEP, 1)
        return (question, choice)
    if data.startswith("q:"):
        return data[2:]
    return data


def column_choice(column: ColumnPlan) -> str:
    """What the mapping table shows as chosen for a planned column."""
    if column.role == "answer" and column.question:
        return encode_target(column.question)
    if column.role == "choice" and column.question and column.choice:
        return encode_target((column.question, column.choice))
    if column.role in ("respondent", "started", "finished", "id") and column.found_by == "mapping":
        return f"@{column.role}"
    if column.role in ("ignore", "unmapped"):
        return NOT_IMPORTED
    return KEEP


def question_targets(survey: Survey) -> list[tuple[str, str]]:
    """(combo data, text) for every question a column can answer, and every option column."""
    items: list[tuple[str, str]] = []
    language = survey.default_language
    for question in survey.questions:
        if not question.takes_answer or question.type in ("start", "end", "today"):
            continue
        label = pick_text(question.labels, None, language) or question.name
        items.append((encode_target(question.name), f"{label} ({question.name})"))
        if question.type == "select_multiple" and question.list_name in survey.choice_lists:
            for choice in survey.choices_for(question).choices:
                text = pick_text(choice.labels, None, language) or choice.name
                items.append(
                    (encode_target((question.name, choice.name)), f"{label}: ticked “{text}”")
                )
    return items


class ImportWizard(QWizard):
    """Import one spreadsheet of responses into a survey of the open forum file."""

    def __init__(
        self, context: AppContext, survey_id: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Import responses")
        self.setAccessibleName("Import responses")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.plan: ImportPlan | None = None
        self.plan_key: tuple[str, str, str] | None = None
        self.survey: Survey | None = None
        self.result: AddedResponses | None = None
        self.task: Task[ImportPlan] | None = None
        self.file_page = FilePage(self, survey_id)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.summary_page = SummaryPage(self)
        for page in (self.file_page, self.mapping_page, self.check_page, self.summary_page):
            self.addPage(page)
        self.resize(860, 640)

    # -- background reading ------------------------------------------------------------------

    def plan_in_background(
        self,
        work: Callable[[Progress], ImportPlan],
        what: str,
        then: Callable[[ImportPlan], None],
    ) -> Task[ImportPlan]:
        """Read/check in a worker with a progress bar and Cancel; ``then(plan)`` on success."""
        self.file_page.say("")

        def done(plan: ImportPlan) -> None:
            self.task = None
            then(plan)

        def failed(exc: BaseException) -> None:
            self.task = None
            self.context.errors.report(exc, self)

        task = self.context.tasks.run(
            work,
            on_done=done,
            on_error=failed,
            busy_parent=self,
            busy_text=what,
            cancellable=True,
        )

        def finished() -> None:
            if task.cancelled:
                self.task = None
                self.current_status().setText(
                    "Cancelled: the file was not read to the end and nothing was imported."
                )

        task.finished.connect(finished)
        self.task = task
        return task

    def current_status(self) -> QLabel:
        page = self.currentPage()
        status = getattr(page, "status", None)
        return status if isinstance(status, QLabel) else self.file_page.status

    def read_file(self, survey: Survey, path: Path, source_format: str) -> Task[ImportPlan]:
        key = (survey.version_id, str(path), source_format)

        def work(progress: Progress) -> ImportPlan:
            return plan_import(survey, path, format=source_format, progress=progress.report)

        def then(plan: ImportPlan) -> None:
            self.survey, self.plan, self.plan_key = survey, plan, key
            self.mapping_page.show_plan(plan)
            self.next()

        return self.plan_in_background(work, f"Reading and checking “{path.name}”…", then)

    def remap(
        self, mapping: dict[str, MappingTarget], then: Callable[[ImportPlan], None]
    ) -> Task[ImportPlan] | None:
        """Check every row again with a changed mapping (the file is not read again)."""
        plan, survey = self.plan, self.survey
        if plan is None or survey is None:
            return None

        def work(progress: Progress) -> ImportPlan:
            return plan.remap(survey, mapping, progress.report)

        def done(new: ImportPlan) -> None:
            self.plan = new
            self.mapping_page.show_plan(new)
            then(new)

        return self.plan_in_background(work, f"Checking “{plan.file_name}” again…", done)

    def reread(self) -> Task[ImportPlan] | None:
        """Read the file again from disk (after rows were corrected), keeping the mapping."""
        plan, survey, key = self.plan, self.survey, self.plan_key
        if plan is None or survey is None or key is None:
            return None
        path, mapping, source_format = Path(key[1]), plan.mapping, plan.format

        def work(progress: Progress) -> ImportPlan:
            return plan_import(
                survey, path, format=source_format, mapping=mapping, progress=progress.report
            )

        def done(new: ImportPlan) -> None:
            self.plan = new
            self.mapping_page.show_plan(new)
            self.check_page.show_plan(new)

        return self.plan_in_background(work, f"Reading “{path.name}” again…", done)

    # -- importing ---------------------------------------------------------------------------

    def import_plan(self) -> bool:
        """Store the checked rows (one transaction); False if the core refused."""
        plan, survey = self.plan, self.survey
        if plan is None or survey is None or not self.context.has_workspace:
            return False
        workspace = self.context.workspace
        volunteer = self.context.str_setting(VOLUNTEER_NAME) or None

        def store() -> AddedResponses:
            # The survey as it is now: a plan checked against an older version is refused.
            current = get_survey(workspace.db, survey.id)
            return run_import(workspace, current, plan, captured_by=volunteer)

        ok, result = self.context.change(store, self)
        if not ok or result is None:
            return False
        self.result = result
        return True

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
        super().reject()


class FilePage(QWizardPage):
    """Which survey, which file, and (rarely needed) which format."""

    def __init__(self, wizard: ImportWizard, survey_id: str | None) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Choose the file to import")
        self.setAccessibleName("Choose the file to import")
        layout = QVBoxLayout(self)
        layout.addWidget(
            Paragraph(
                "Download the responses from the online form as a spreadsheet (.xlsx or .csv), "
                "then choose it here. Nothing is imported until you have seen the check."
            )
        )
        self.survey_box = QComboBox()
        context = wizard.context
        if context.has_workspace:
            for summary in list_surveys(context.workspace.db):
                self.survey_box.addItem(summary.title, summary.id)
        if survey_id is not None:
            self.survey_box.setCurrentIndex(max(0, self.survey_box.findData(survey_id)))
        layout.addWidget(labelled("&Survey the responses answer", self.survey_box))

        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Spreadsheet file")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Browse for the spreadsheet file")
        browse.setAutoDefault(False)
        browse.clicked.connect(self.browse)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.path_edit, 1)
        row_layout.addWidget(browse)
        file_label = QLabel("Spreadsheet &file")
        file_label.setBuddy(self.path_edit)
        layout.addWidget(file_label)
        layout.addWidget(row)

        self.format_box = QComboBox()
        self.format_box.addItem("Find out from the file", AUTO)
        for name, fmt in FORMATS.items():
            self.format_box.addItem(fmt.title, name)
        layout.addWidget(
            labelled(
                "Online &form it came from",
                self.format_box,
                "forumkit recognises Google Forms, Microsoft Forms, SurveyMonkey, KoboToolbox "
                "and its own exports by their headings; choose one only if it guesses wrong.",
            )
        )
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Import status")
        layout.addWidget(self.status)
        if self.survey_box.count() == 0:
            self.say(
                "This forum file has no survey yet: import the survey's XLSForm on the Surveys "
                "page first, then import its responses here."
            )
        layout.addStretch(1)
        self.path_edit.textChanged.connect(self.completeChanged)

    def say(self, text: str) -> None:
        self.status.setText(text)

    def browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose the spreadsheet of responses", str(Path.home()), SPREADSHEET_FILTER
        )
        if name:
            self.path_edit.setText(name)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip()) and self.survey_box.count() > 0

    def validatePage(self) -> bool:
        wizard = self.owner
        context = wizard.context
        if not context.has_workspace or wizard.task is not None:
            return False
        path = Path(self.path_edit.text().strip())
        if not path.is_file():
            self.say(f"There is no file at “{path}”. Check the name, or choose it with Browse.")
            return False
        survey = get_survey(context.workspace.db, str(self.survey_box.currentData()))
        source_format = str(self.format_box.currentData())
        if wizard.plan is not None and wizard.plan_key == (
            survey.version_id,
            str(path),
            source_format,
        ):
            return True
        wizard.read_file(survey, path, source_format)
        return False


class MappingPage(QWizardPage):
    """The detected format and each column's question, editable; save or load a mapping."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Check which column answers which question")
        self.setAccessibleName("Check which column answers which question")
        self.combos: list[tuple[ColumnPlan, QComboBox]] = []
        self.settled = True
        layout = QVBoxLayout(self)
        self.detected = Heading("", 3)
        layout.addWidget(self.detected)
        self.about = Paragraph()
        layout.addWidget(self.about)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setAccessibleName("Columns of the file and the questions they answer")
        layout.addWidget(self.scroll, 1)

        self.unmapped = Paragraph()
        self.unmapped.setObjectName("hint")
        self.unmapped.setAccessibleName("Columns not imported")
        layout.addWidget(self.unmapped)

        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save this mapping…")
        self.save_button.setToolTip("Keep these choices in a file, to use with next week's export")
        self.load_button = QPushButton("&Use a saved mapping…")
        for button in (self.save_button, self.load_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Mapping status")
        layout.addWidget(self.status)
        self.save_button.clicked.connect(self.choose_save)
        self.load_button.clicked.connect(self.choose_load)

    def show_plan(self, plan: ImportPlan) -> None:
        survey = self.owner.survey
        if survey is None:
            return
        how = "Detected" if self.owner.file_page.format_box.currentData() == AUTO else "Chosen"
        self.detected.setText(f"{how} format: {plan.format_title}")
        encoding = f", {plan.encoding} text" if plan.encoding else ""
        self.about.setText(
            f"“{plan.file_name}”: {plan.row_count} rows, {len(plan.columns)} columns{encoding}. "
            "forumkit matched the columns to the survey's questions by their headings. Change "
            "any that are wrong; choose “(not imported)” for a column to leave out."
        )
        targets = question_targets(survey)
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setHorizontalSpacing(16)
        for col, text in enumerate(("Column", "Heading in the file", "Imported as")):
            header = QLabel(f"<b>{text}</b>")
            grid.addWidget(header, 0, col)
        self.combos = []
        for row, column in enumerate(plan.columns, start=1):
            letter = QLabel(column.letter)
            heading = QLabel(column.header)
            heading.setWordWrap(True)
            heading.setTextFormat(Qt.TextFormat.PlainText)
            combo = QComboBox()
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(30)
            combo.setAccessibleName(f"Column {column.letter}, “{column.header}”, is imported as")
            heading.setBuddy(combo)
            chosen = column_choice(column)
            combo.addItem("(not imported)", NOT_IMPORTED)
            if chosen == KEEP:
                text = FORMAT_ROLE_TEXT.get(column.role, column.role)
                combo.addItem(f"{text}, as {plan.format_title} gives it", KEEP)
            for data, text in ROLE_TARGETS:
                combo.addItem(text, data)
            for data, text in targets:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.currentIndexChanged.connect(self._edited)
            grid.addWidget(letter, row, 0)
            grid.addWidget(heading, row, 1)
            grid.addWidget(combo, row, 2)
            self.combos.append((column, combo))
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(plan.columns) + 1, 1)
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll.setWidget(grid_box)
        self.settled = True
        self.status.setText("")
        self._show_unmapped()

    def _edited(self) -> None:
        self.settled = False
        self._show_unmapped()

    def _show_unmapped(self) -> None:
        left = [
            f"{column.letter} “{column.header}”"
            for column, combo in self.combos
            if combo.currentData() == NOT_IMPORTED
        ]
        self.unmapped.setText(
            "Not imported: " + ", ".join(left) + "." if left else "Every column is imported."
        )

    def mapping(self) -> dict[str, MappingTarget]:
        """The mapping the table shows, in the mapping file's terms."""
        mapping: dict[str, MappingTarget] = {}
        for column, combo in self.combos:
            data = str(combo.currentData())
            if data != KEEP:
                mapping[column.header] = decode_target(data)
        return mapping

    def choose(self, header: str, target: MappingTarget) -> None:
        """Set one column's question (as a chair would in its list)."""
        for column, combo in self.combos:
            if column.header == header:
                index = combo.findData(encode_target(target))
                if index < 0:
                    raise KeyError(target)
                combo.setCurrentIndex(index)
                return
        raise KeyError(header)

    def save_mapping_to(self, path: Path) -> None:
        """Write the mapping file (the shape ``forumkit.importers.mapping`` documents)."""
        try:
            text = json.dumps(mapping_to_json(self.mapping()), indent=2, ensure_ascii=False)
            path.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            self.status.setText(f"The mapping could not be saved to “{path}”: {exc.strerror}.")
            return
        self.status.setText(
            f"Mapping saved to “{path.name}”. Use it next time with “Use a saved mapping…”."
        )

    def choose_save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the mapping", str(Path.home() / "import-mapping.json"), MAPPING_FILTER
        )
        if name:
            self.save_mapping_to(Path(name if name.endswith(".json") else name + ".json"))

    def load_mapping_from(self, path: Path) -> Task[ImportPlan] | None:
        """Check the rows again with a mapping file settling the columns it names."""
        try:
            mapping = load_mapping(path)
        except Exception as exc:
            self.owner.context.errors.report(exc, self)
            return None

        def then(_plan: ImportPlan) -> None:
            self.status.setText(f"Columns matched with the mapping “{path.name}”.")

        return self.owner.remap(mapping, then)

    def choose_load(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Use a saved mapping", str(Path.home()), MAPPING_FILTER
        )
        if name:
            self.load_mapping_from(Path(name))

    def validatePage(self) -> bool:
        if self.owner.task is not None:
            return False
        if self.settled:
            return True
        self.owner.remap(self.mapping(), lambda _plan: self.owner.next())
        return False


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
        self.problems = QTableWidget(0, 3)
        self.problems.setObjectName("importProblems")
        self.problems.setAccessibleName("Row problems")
        self.problems.setHorizontalHeaderLabels(("Row", "Column", "What is wrong"))
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.setTabKeyNavigation(False)
        self.problems.setWordWrap(True)
        self.problems.verticalHeader().hide()
        header = self.problems.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 240)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        problems_label = QLabel("&Rows that cannot be imported yet:")
        problems_label.setBuddy(self.problems)
        self.problems_label = problems_label
        layout.addWidget(problems_label)
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
        self.duplicates = 0

    def initializePage(self) -> None:
        if self.owner.plan is not None:
            self.show_plan(self.owner.plan)

    def show_plan(self, plan: ImportPlan) -> None:
        context = self.owner.context
        self.duplicates = (
            count_duplicates(context.workspace.db, plan) if context.has_workspace else 0
        )
        new = len(plan.rows) - self.duplicates
        self.status.setText("")
        if plan.problems:
            rows = len({problem.row for problem in plan.problems})
            self.verdict.setText(
                f"{len(plan.problems)} problem{'s' if len(plan.problems) != 1 else ''} in "
                f"{rows} row{'s' if rows != 1 else ''}: nothing can be imported yet"
            )
            self.counts.setText(
                "An import is all or nothing. Go Back to change which column answers which "
                "question, or correct these rows in the spreadsheet, save it, and choose "
                "“Check the file again”."
            )
        else:
            self.verdict.setText(f"{new} response{'s' if new != 1 else ''} ready to import")
            skipped = (
                f" {self.duplicates} row{'s are' if self.duplicates != 1 else ' is'} already in "
                "the forum file and will be skipped."
                if self.duplicates
                else ""
            )
            self.counts.setText(
                f"All {plan.row_count} rows of “{plan.file_name}” passed the survey's checks."
                f"{skipped} Choose Import to add them."
            )
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
        self.warnings.setText(
            "Please note:\n" + "\n".join(f"• {w}" for w in plan.warnings) if plan.warnings else ""
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        plan = self.owner.plan
        return plan is not None and plan.ok and bool(plan.rows) and self.owner.task is None

    def validatePage(self) -> bool:
        return self.isComplete() and self.owner.import_plan()


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
        layout.addStretch(1)

    def initializePage(self) -> None:
        result, plan = self.owner.result, self.owner.plan
        if result is None or plan is None:
            return
        self.summary.setText(
            f"Imported {result.added} response{'s' if result.added != 1 else ''}; "
            f"{result.duplicates} duplicate{'s' if result.duplicates != 1 else ''} skipped"
        )
        duplicates = (
            f" {result.duplicates} row{'s were' if result.duplicates != 1 else ' was'} "
            "already in the forum file (imported before), so "
            f"{'they were' if result.duplicates != 1 else 'it was'} not added again."
            if result.duplicates
            else ""
        )
        self.details.setText(
            f"From “{plan.file_name}” ({plan.format_title}).{duplicates} The responses are on the "
            "Responses page. Delete the downloaded spreadsheet once you no longer need it: it "
            "is not encrypted."
        )


def import_action(
    parent: QWidget, context: AppContext, current_survey: Callable[[], str | None]
) -> QAction:
    """The "Import responses…" action for a page's menu and toolbar; opens the wizard."""
    action = QAction(
        parent.style().standardIcon(QStyle.StandardPixmap.SP_DialogOpenButton),
        "&Import responses…",
        parent,
    )
    action.setShortcut(QKeySequence("Ctrl+Shift+I"))

    def open_wizard() -> None:
        if not context.has_workspace:
            return
        wizard = ImportWizard(context, current_survey(), parent)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.open()

    action.triggered.connect(open_wizard)
    return action


def action_button(action: QAction) -> QPushButton:
    """A push button that triggers ``action`` and follows its enabled state."""
    button = QPushButton(action.icon(), action.text())
    button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
    button.setAutoDefault(False)
    button.clicked.connect(action.trigger)
    action.enabledChanged.connect(button.setEnabled)
    button.setEnabled(action.isEnabled())
    return button
