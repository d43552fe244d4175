"""The wizard window: its four pages, reading and checking in a worker, and the import itself
(through ``ui.operations.importers``); the "Import responses…" action that opens it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QWidget, QWizard

from forumkit.errors import ForumkitError
from forumkit.exports import discard_export, record_export, write_export
from forumkit.importers import ImportPlan, MappingTarget, SetAside, plan_import, prepare_set_aside
from forumkit.responses import AddedResponses
from forumkit.surveys import Survey
from ui import icons
from ui.context import VOLUNTEER_NAME, AppContext
from ui.import_wizard.check_page import CheckPage
from ui.import_wizard.file_page import FilePage
from ui.import_wizard.mapping_page import MappingPage
from ui.import_wizard.summary_page import SummaryPage
from ui.operations import ForumOp
from ui.operations.importers import import_responses
from ui.protected_file import ProtectedFile
from ui.tasks import Progress, Task


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
        self.added: AddedResponses | None = None
        """What the import stored, once it has run."""
        self.set_aside: SetAside | None = None
        """The spreadsheet of problem rows written, if the chair chose to set them aside."""
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

    def import_plan(self, set_aside: ProtectedFile | None = None) -> bool:
        """Store the checked rows (one transaction); False if the core refused. With
        ``set_aside`` the problem rows are first written to that file (as an export is: in
        memory, encrypted with its password, then audit-logged) and the others are stored; if
        the import fails the file is removed again."""
        plan, survey = self.plan, self.survey
        if plan is None or survey is None:
            return False
        job = None
        if set_aside is not None:
            try:
                job = prepare_set_aside(plan, set_aside.path, password=set_aside.password)
                QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
                try:
                    write_export(job)
                finally:
                    QApplication.restoreOverrideCursor()
            except (ForumkitError, OSError) as error:
                self.context.errors.report(error, self)
                return False
        volunteer = self.context.str_setting(VOLUNTEER_NAME) or None
        store = import_responses(
            self.context, self, survey.id, plan, volunteer, skip_bad_rows=job is not None
        )
        if not store.run():
            if job is not None:
                discard_export(job)
            return False
        self.added = store.result
        if job is not None:
            record = ForumOp(self.context, self, lambda workspace: record_export(workspace, job))
            if record.run():
                self.set_aside = record.result
        return True

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
        super().reject()


def import_action(
    parent: QWidget, context: AppContext, current_survey: Callable[[], str | None]
) -> QAction:
    """The "Import responses…" action for a page's menu and toolbar; opens the wizard."""
    action = QAction(
        icons.icon("import"),
        "Im&port responses…",
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
