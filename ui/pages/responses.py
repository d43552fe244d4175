"""The Responses page: a volunteer types in paper forms, one after another, by keyboard.

"Save and next" (Ctrl+Enter) completes the response through the core and gives a clean form
with focus on the first question. What is half-typed is kept in the forum file as a draft
(when leaving the page, before the app locks or closes, and every half minute), so nothing is
lost to a closed lid or a crash; drafts (and kiosk responses a parent left unfinished) are
listed to finish or discard. Saving and discarding can be undone (Ctrl+Z) and redone
(Ctrl+Shift+Z); both go through the core's one change path.

A second tab, "Browse responses", is the chair's table of every response to the survey
(``ui.pages.responses_browse``): search, filter, sort, open to correct, delete, export.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QHideEvent, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from forumkit.errors import ForumkitError
from forumkit.responses import KeptDraft, Response, get_response, list_responses
from forumkit.surveys import Problem, Survey, get_survey, list_surveys
from forumkit.workspace import Change
from ui import icons
from ui.context import VOLUNTEER_NAME, AppContext
from ui.form import SurveyForm
from ui.import_wizard import import_action
from ui.operations import responses as operations
from ui.pages.entry_commands import DiscardDraft, SaveResponse, draft_title
from ui.pages.responses_browse import BrowseView
from ui.requests_dialog import requests_action
from ui.widgets import Heading, Paragraph, StatusLabel, action_button, redo_keys

AUTOSAVE_MS = 30_000
PLACE_SEPARATOR = "|"
"""Between the parts of a place (ids never hold one)."""
SAVE_KEYS = (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter"))
"""Save and next: Ctrl+Enter on the main keyboard (Return) and on the number pad (Enter)."""
NO_SURVEYS = (
    "There are no surveys in this forum file yet. Import one on the Surveys page, then come "
    "back here to type in responses."
)


class ResponsesPage(QWidget):
    """Data entry for one survey at a time, with drafts, undo and the way into kiosk mode."""

    title = "Responses"
    nav_icon = "responses"

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.survey: Survey | None = None
        self.form: SurveyForm | None = None
        self.draft_id: str | None = None
        self.dirty = False
        self._place = ""
        """Where the page was when the file locked (see ``place``)."""
        self.dropped: tuple[Problem, ...] = ()
        """Why answers were left out of the last draft kept (none: all were kept)."""
        self.entered_this_sitting = 0
        self.showing_problems = False
        """Whether the message line lists what needs attention (kept current as it is fixed)."""
        self.undo_stack = QUndoStack(self)
        self.kiosk: QWidget | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        layout.addWidget(Heading("Responses", 1))
        layout.addLayout(self._build_survey_bar())
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Enter or browse responses")
        self.entry_tab = self._build_entry_tab()
        self.browse = BrowseView(context)
        self.tabs.addTab(self.entry_tab, "&Enter responses")
        self.tabs.addTab(self.browse, "&Browse responses")
        layout.addWidget(self.tabs, 1)
        self._build_actions()
        self._connect()
        self._update_count()
        self._set_enabled(False)

    # -- building -------------------------------------------------------------------------

    def _build_survey_bar(self) -> QHBoxLayout:
        """The survey to enter responses for, kiosk mode, import, and the sitting's count."""
        top = QHBoxLayout()
        survey_label = QLabel("S&urvey")
        self.survey_box = QComboBox()
        self.survey_box.setAccessibleName("Survey")
        self.survey_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.survey_box.setMinimumContentsLength(16)
        survey_label.setBuddy(self.survey_box)
        self.kiosk_button = QPushButton(icons.icon("kiosk"), "Hand to a parent (&kiosk)…")
        self.kiosk_button.setAutoDefault(False)
        top.addWidget(survey_label)
        top.addWidget(self.survey_box, 1)
        top.addWidget(self.kiosk_button)
        self.import_action = import_action(
            self, self.context, lambda: self.survey_box.currentData()
        )
        self.requests_action = requests_action(self, self.context)
        top.addWidget(action_button(self.import_action))
        top.addStretch(1)
        return top

    def _build_entry_tab(self) -> QWidget:
        """The form (left), the unfinished responses (right), messages and buttons (below)."""
        tab = QWidget()
        entry_layout = QVBoxLayout(tab)
        entry_layout.setContentsMargins(0, 8, 0, 0)
        body = QHBoxLayout()
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the questions
        self.form_area.setAccessibleName("Form")
        self.empty = Paragraph(NO_SURVEYS)
        self.form_area.setWidget(self.empty)
        body.addWidget(self.form_area, 3)
        body.addWidget(self._build_drafts_list(), 1)
        entry_layout.addLayout(body, 1)
        entry_layout.addLayout(self._build_entry_buttons())
        return tab

    def _build_drafts_list(self) -> QWidget:
        side = QVBoxLayout()
        side.addWidget(Heading("Unfinished responses", 3))
        self.drafts = QListWidget()
        self.drafts.setAccessibleName("Unfinished responses")
        self.drafts.setWordWrap(True)
        drafts_label = QLabel("Drafts, and kiosk responses a parent did not finish:")
        drafts_label.setWordWrap(True)
        drafts_label.setBuddy(self.drafts)
        side.addWidget(drafts_label)
        side.addWidget(self.drafts, 1)
        self.resume_button = QPushButton("&Open to finish")
        self.discard_button = QPushButton("&Discard…")
        for button in (self.resume_button, self.discard_button):
            button.setAutoDefault(False)
            side.addWidget(button)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setMaximumWidth(320)
        return side_box

    def _build_entry_buttons(self) -> QHBoxLayout:
        bottom = QHBoxLayout()
        self.message = StatusLabel("Data entry messages")
        self.count_label = StatusLabel("Responses entered this sitting")
        self.count_label.setWordWrap(False)
        self.save_button = QPushButton(icons.icon("next"), "Save and &next")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Ctrl+Enter")
        self.draft_button = QPushButton(icons.icon("draft"), "Keep as dr&aft")
        self.draft_button.setAutoDefault(False)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.draft_button)
        bottom.addWidget(self.save_button)
        return bottom

    def _build_actions(self) -> None:
        """Undo and redo (page-wide shortcuts), save, and switching between the two tabs."""
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(redo_keys())
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.new_action = QAction(icons.icon("next"), "Save and &next response", self)
        self.new_action.setShortcuts(list(SAVE_KEYS))  # anywhere on the page, shown in the menu
        self.new_action.triggered.connect(self.save_and_next)
        self.browse_action = QAction("&Browse responses", self)
        self.browse_action.setShortcut(QKeySequence("Ctrl+B"))
        self.browse_action.triggered.connect(lambda: self.tabs.setCurrentWidget(self.browse))
        self.enter_action = QAction("&Enter responses", self)
        self.enter_action.setShortcut(QKeySequence("Ctrl+E"))
        self.enter_action.triggered.connect(lambda: self.tabs.setCurrentWidget(self.entry_tab))
        self.browse.find_action.triggered.connect(
            lambda: self.tabs.setCurrentWidget(self.browse), Qt.ConnectionType.DirectConnection
        )

    def _connect(self) -> None:
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.keep_draft)
        self.survey_box.currentIndexChanged.connect(self._survey_chosen)
        self.save_button.clicked.connect(self.save_and_next)
        self.draft_button.clicked.connect(self._keep_draft_clicked)
        self.resume_button.clicked.connect(self.resume_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        self.drafts.itemActivated.connect(lambda _: self.resume_selected())
        self.kiosk_button.clicked.connect(self.start_kiosk)
        self.tabs.currentChanged.connect(self._tab_changed)

    # -- the page protocol ----------------------------------------------------------------

    def page_actions(self) -> list[QAction]:
        return [
            self.new_action,
            self.undo_action,
            self.redo_action,
            self.enter_action,
            self.browse_action,
            self.browse.find_action,
            self.browse.export_action,
            self.import_action,
            self.requests_action,
        ]

    def refresh(self, change: Change | None) -> None:
        if not self.context.has_workspace:
            return
        if change is None:
            self.undo_stack.clear()
            self.browse.clear()
            self._load_surveys()
        elif change.touches("surveys"):
            self._load_surveys()
        elif change.touches("responses"):
            self._load_drafts()
            self.browse.refresh(change)

    def before_lock(self) -> None:
        """Keep what is typed as a draft, then forget it on screen (the file is about to close)."""
        self.keep_draft()
        self._place = self._where()
        self._show_form(None)
        # Forgotten too, so that unlocking builds the form again (it used to stay empty).
        self.survey = None
        self.browse.clear()
        self.undo_stack.clear()

    def _where(self) -> str:
        tab = "browse" if self.tabs.currentWidget() is self.browse else "entry"
        survey = self.survey_box.currentData()
        return PLACE_SEPARATOR.join((tab, str(survey or ""), self.draft_id or ""))

    def place(self) -> str:
        """The tab, the survey and the draft open in the form when the file locked (kept by
        ``before_lock``): ids only, never answers."""
        return self._place or self._where()

    def return_to(self, place: str) -> None:
        """Back to the tab and survey of ``place``, with its draft open in the form again."""
        self._place = ""
        tab, survey_id, draft_id = ([*place.split(PLACE_SEPARATOR), "", ""])[:3]
        index = self.survey_box.findData(survey_id) if survey_id else -1
        if index >= 0 and index != self.survey_box.currentIndex():
            self.survey_box.setCurrentIndex(index)  # builds its form and lists its drafts
        self.tabs.setCurrentWidget(self.browse if tab == "browse" else self.entry_tab)
        for row in range(self.drafts.count()):
            item = self.drafts.item(row)
            if draft_id and item.data(Qt.ItemDataRole.UserRole) == draft_id:
                self.drafts.setCurrentItem(item)
                self.resume_selected()
                break

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.form is not None and self.tabs.currentWidget() is self.entry_tab:
            QTimer.singleShot(0, self._focus_form)

    def _focus_form(self) -> None:
        if self.form is not None and self.isVisible():
            self.form.focus_first()

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.browse:
            if self.context.has_workspace:
                self.keep_draft()
                self._load_drafts()
            self.browse.table.setFocus()
        else:
            self._focus_form()

    def hideEvent(self, event: QHideEvent) -> None:
        if self.context.has_workspace:
            self.keep_draft()
        super().hideEvent(event)

    # -- surveys --------------------------------------------------------------------------

    def _load_surveys(self) -> None:
        db = self.context.workspace.db
        current = self.survey_box.currentData()
        self.survey_box.blockSignals(True)
        self.survey_box.clear()
        for summary in list_surveys(db):
            if not summary.archived:  # archived: kept, out of the way of this year's entry
                self.survey_box.addItem(summary.title, summary.id)
        index = self.survey_box.findData(current) if current else 0
        self.survey_box.setCurrentIndex(max(index, 0))
        self.survey_box.blockSignals(False)
        self._survey_chosen()

    def _survey_chosen(self, _index: int = -1) -> None:
        if self.form is not None:
            self.keep_draft()
        survey_id = self.survey_box.currentData()
        if survey_id is None:
            self.survey = None
            self._show_form(None)
            self._load_drafts()
            self.browse.set_survey(None)
            return
        survey = get_survey(self.context.workspace.db, str(survey_id))
        if self.survey is None or survey.version_id != self.survey.version_id:
            self.survey = survey
            self._new_form()
        self._load_drafts()
        self.browse.set_survey(self.survey)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.save_button, self.draft_button, self.kiosk_button):
            widget.setEnabled(enabled)
        self.new_action.setEnabled(enabled)

    def _show_form(self, form: SurveyForm | None) -> None:
        old = self.form
        self.form = form
        self.draft_id = None
        self.dirty = False
        self.autosave.stop()
        taken = self.form_area.takeWidget()
        if taken is not None and taken is not self.empty:
            taken.deleteLater()
        if old is not None:
            old.dispose()
        if form is None:
            self.empty = Paragraph(NO_SURVEYS)
            self.form_area.setWidget(self.empty)
            self._set_enabled(False)
            return
        holder = QWidget()
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(8, 8, 8, 8)
        holder_layout.addWidget(form)
        self.form_area.setWidget(holder)
        form.edited.connect(self._on_edited)
        form.problems_changed.connect(self._problems_changed)
        self._set_enabled(True)

    def _new_form(self, answers: Mapping[str, object] | None = None) -> SurveyForm | None:
        """A fresh form (every widget rebuilt), optionally filled; focus to the first question."""
        if self.survey is None:
            self._show_form(None)
            return None
        form = SurveyForm(self.survey, contact="volunteer")
        self._show_form(form)
        if answers:
            form.set_answers(answers)
        form.focus_first()
        return form

    # -- typing and drafts ----------------------------------------------------------------

    def _on_edited(self) -> None:
        self.dirty = True
        if not self.autosave.isActive():
            self.autosave.start()

    def _volunteer(self) -> str | None:
        return self.context.str_setting(VOLUNTEER_NAME) or None

    def keep_draft(self) -> bool:
        """Save what is typed as a draft (nothing to do when nothing changed); True if saved.

        Answers a draft cannot hold are left out by the core (the field still shows what needs
        fixing); kiosk mode keeps its drafts by the same op.
        """
        form, survey = self.form, self.survey
        if form is None or survey is None or not self.dirty or not self.context.has_workspace:
            return False
        answers = form.typed_answers()
        if not answers and form.contact() is None and self.draft_id is None:
            self.dirty = False
            return False
        return (
            operations.keep_draft(
                self.context,
                self,
                survey,
                answers,
                draft_id=self.draft_id,
                captured_by=self._volunteer(),
                started=form.started,
                respondent=form.contact(),
            )
            .success(self._draft_kept)
            .run()
        )

    def _draft_kept(self, kept: KeptDraft) -> None:
        if kept.response is not None:
            self.draft_id = kept.response.id
        self.dropped = kept.dropped
        self.dirty = False
        self.autosave.stop()
        # The change was listed before its id was known here: list again without it.
        self._load_drafts()

    def _keep_draft_clicked(self) -> None:
        form, survey = self.form, self.survey
        if form is None or survey is None:
            return
        self.dirty = True
        self.dropped = ()
        if not self.keep_draft():
            return
        if self.dropped:
            labels = ", ".join(
                f"“{form.blocks[p.question].label_text()}”"
                for p in self.dropped
                if p.question in form.blocks
            )
            self._say(
                f"Kept as a draft, without the answers that could not be read ({labels}); "
                "you can finish it later from the list on the right."
            )
        else:
            self._say("Kept as a draft; you can finish it later from the list on the right.")
        self._new_form()
        self._load_drafts()

    def _load_drafts(self) -> None:
        self.drafts.clear()
        if self.survey is None or not self.context.has_workspace:
            return
        for response in list_responses(
            self.context.workspace.db, self.survey.id, status="draft", limit=None
        ):
            if response.id == self.draft_id:
                continue
            item = QListWidgetItem(draft_title(response))
            item.setData(Qt.ItemDataRole.UserRole, response.id)
            self.drafts.addItem(item)
        has = self.drafts.count() > 0
        if has:
            self.drafts.setCurrentRow(0)
        self.resume_button.setEnabled(has)
        self.discard_button.setEnabled(has)

    def _selected_draft(self) -> Response | None:
        item = self.drafts.currentItem()
        if item is None or not self.context.has_workspace:
            return None
        return get_response(self.context.workspace.db, str(item.data(Qt.ItemDataRole.UserRole)))

    def resume_selected(self) -> None:
        """Open the chosen draft in the form (what is typed now is kept as a draft first)."""
        response = self._selected_draft()
        if response is None:
            return
        self.keep_draft()
        form = self._new_form(dict(response.answers))
        if form is not None:
            form.set_contact(response.respondent)
        self.draft_id = response.id
        self._load_drafts()
        if form is not None:
            self._say("Draft opened: finish it and choose Save and next.")

    def discard_selected(self) -> None:
        response = self._selected_draft()
        if response is None:
            return
        if not self.confirm_discard(response):
            return
        self.undo_stack.push(DiscardDraft(self, response))

    def confirm_discard(self, response: Response) -> bool:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Discard this unfinished response?")
        box.setText(
            f"The unfinished response ({draft_title(response)}) will be removed from the "
            "forum file. You can bring it back with Undo (Ctrl+Z)."
        )
        discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is discard

    # -- save and next --------------------------------------------------------------------

    def save_and_next(self) -> None:
        """Complete the response if the core accepts it; else show what needs attention."""
        form, survey = self.form, self.survey
        if form is None or survey is None or not self.context.has_workspace:
            return
        checked = form.check(final=True)
        if checked.problems and form.problem_blocks():
            self._say(form.problems_text(), problems=True)
            form.focus_problem()
            return
        if form.is_empty():
            self._say("The form is empty: there is nothing to save.")
            form.focus_first()
            return
        command = SaveResponse(
            self, survey, form.typed_answers(), form.started, self.draft_id, form.contact()
        )
        self.undo_stack.push(command)
        if not command.done:
            return
        self.entered_this_sitting += 1
        self._update_count()
        self._say("Response saved. The form is ready for the next one.")
        self.draft_id = None
        self._new_form()
        self._load_drafts()

    def _update_count(self) -> None:
        n = self.entered_this_sitting
        self.count_label.setText(f"Entered this sitting: {n}")

    def _say(self, text: str, *, problems: bool = False) -> None:
        self.showing_problems = problems
        self.message.setText(text)
        if self.form is not None:
            self.form.announce(text)

    def _problems_changed(self, count: int) -> None:
        """Keep a "needs attention" message true as answers are fixed (gone once all are)."""
        if not self.showing_problems or self.form is None:
            return
        if count:
            self.message.setText(self.form.problems_text())
        else:
            self.showing_problems = False
            self.message.clear()
            self.form.status.clear()

    # -- kiosk ----------------------------------------------------------------------------

    def start_kiosk(self) -> None:
        """Hand the laptop to parents: a full-screen form for this survey (leaving it needs
        the passphrase).

        Kiosk mode runs in a fresh process of the app (``ui.restart``), so nothing a volunteer
        looked at before is in memory while parents use the laptop; when the process cannot be
        replaced (the app's own tests, or the disk will not take the latest changes) it starts
        here."""
        survey = self.survey
        if survey is None or not self.context.has_workspace:
            return
        self.keep_draft()
        self._new_form()
        self.undo_stack.clear()
        if self.context.restarter.replaces_process:
            path = self.context.workspace.path
            try:
                key = self.context.hand_over()
            except ForumkitError as problem:
                self.context.errors.report(problem, self)
                return
            fresh = self.context.fresh_start("kiosk", path=path, survey_id=survey.id)
            self.context.restarter.restart(fresh, key)  # does not return
        self._run_kiosk(survey)

    def open_kiosk(self, survey_id: str) -> bool:
        """Start kiosk mode for ``survey_id`` at once (a fresh process resuming kiosk mode);
        False when the survey is not in the file."""
        if not self.context.has_workspace:
            return False
        index = self.survey_box.findData(survey_id)
        if index < 0:
            return False
        self.survey_box.setCurrentIndex(index)
        if self.survey is None or self.survey.id != survey_id:
            return False
        self._run_kiosk(self.survey)
        return True

    def _run_kiosk(self, survey: Survey) -> None:
        from ui.kiosk import KioskWindow

        kiosk = KioskWindow(self.context, survey)
        self.kiosk = kiosk
        main = self.window()
        idle = getattr(main, "idle", None)
        if idle is not None:
            idle.stop()
        main.hide()

        def ended() -> None:
            self.kiosk = None
            main.show()
            if idle is not None and self.context.has_workspace:
                idle.start()
            if self.context.has_workspace:
                self._load_drafts()

        kiosk.finished.connect(ended)
        kiosk.start()
