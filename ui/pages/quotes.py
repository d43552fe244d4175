"""The Quotes page: the tagging workbench, where a chair turns parents' words into evidence.

Three panes (``../shared/design/ui.md``): the free-text answers with the parents' other answers
(left, ``ui.models.answers_table``, lazy at 100,000), the chosen answer with its quotes
highlighted and the redaction review (centre, ``ui.pages.answer_panel``), the key messages 1–7
with their counts and the suggested codes (right, ``ui.pages.tag_panel``). Filters and search
above (``ui.pages.quote_filters``), and "112 of 340 answers tagged".

By keyboard: F8 goes to the next answer not yet tagged (focus in its text), Shift and the arrow
keys or Ctrl+A select words, a key message's number quotes and tags them (again: takes the code
off; another number: a second code), Enter accepts the first suggestion, Ctrl+R marks the quote
reviewed, Delete deletes it, Ctrl+Z and Ctrl+Shift+Z undo and redo through the core's change
records (``ui.pages.quote_commands``). Every change is a quote op (``ui.operations.quotes``).

The suggester learns from the forum's tagging in a worker (``context.tasks``; the inputs are
read here, on the database thread). Locking drops every decrypted value the page holds:
answers, quotes, the suggester, the undo history, the words typed in the search box.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from forumkit.codebooks import Code, Codebook, list_codebooks
from forumkit.quotes import (
    AnswerRow,
    QuotableAnswer,
    QuoteChange,
    TaggingProgress,
    answer_row_of,
    code_counts,
    deny_list,
    suggester_inputs,
    tagging_progress,
)
from forumkit.responses import AnswerText
from forumkit.suggest import Suggester
from forumkit.surveys import Survey, get_survey, list_surveys
from forumkit.wording import plural
from forumkit.workspace import Change
from ui.codebook_editor import CodebookEditor
from ui.context import VOLUNTEER_NAME, AppContext
from ui.models.answers_table import AnswersTableModel, attribute_questions
from ui.operations import ForumOp
from ui.operations import quotes as operations
from ui.pages.answer_panel import AnswerPanel
from ui.pages.quote_commands import QuoteEdit
from ui.pages.quote_filters import QuoteFilters
from ui.pages.tag_panel import TagPanel
from ui.tasks import Progress
from ui.widgets import Heading, StatusLabel, redo_keys

RETRAIN_MS = 4_000
ATTRIBUTES_SHOWN = 3
ANSWER_COLUMN_WIDTH = 240
RIGHT_PANE_WIDTH = 350
SUGGEST_DELAY_MS = 120
NO_SURVEYS = "There are no surveys in this forum file yet: import one on the Surveys page."


class UpDownScroll(QScrollArea):
    """A pane that scrolls up and down only, never narrower than what it holds (at 150 % text
    the key messages outgrew a fixed width and were cut off, and the answer's pane made the
    window taller than a 768-pixel screen: issue 13). Not a Tab stop: what it holds is."""

    def __init__(self, inner: QWidget, name: str, at_least: int = 0) -> None:
        super().__init__()
        self.at_least = at_least
        self.setWidgetResizable(True)
        self.setWidget(inner)
        self.setAccessibleName(name)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        needed = (
            inner.minimumSizeHint().width()
            + self.verticalScrollBar().sizeHint().width()
            + 2 * self.frameWidth()
        )
        return QSize(max(hint.width(), needed, self.at_least), hint.height())


class QuotesPage(QWidget):
    """The tagging workbench for one survey at a time."""

    title = "Quotes"
    nav_icon = "quotes"

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.survey: Survey | None = None
        self.books: list[Codebook] = []
        self.codes: dict[str, Code] = {}
        self.codebook_id = ""
        self.suggester: Suggester | None = None
        self._training = False
        self._train_again = False
        self._generation = 0
        """Bumped on lock and on a new file: a suggester trained before is thrown away."""
        self._current_row = -1
        self.counts: dict[str, int] = {}
        """How many of the survey's quotes carry each code (by id), kept up to date."""
        self.done: TaggingProgress | None = None
        """How many of the answers shown (all filters but the questions aside) are tagged."""
        self._expected_rows: set[AnswerRow] | None = None
        """The answers a change this page is making touches (None: not known)."""
        self.undo_stack = QUndoStack(self)
        self.model = AnswersTableModel(lambda: self.context.workspace.db, lambda: self.codes)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(8)
        top = QHBoxLayout()
        top.addWidget(Heading("Quotes", 1))
        top.addStretch(1)
        # Status lines: a screen reader says what they hold, not only what they are for.
        self.progress = StatusLabel("Tagging progress")
        top.addWidget(self.progress)
        layout.addLayout(top)
        self.filters = QuoteFilters()
        layout.addWidget(self.filters)
        self.message = StatusLabel("Workbench messages")
        layout.addWidget(self.message)
        layout.addWidget(self._build_panes(), 1)
        self.model.modelReset.connect(lambda: self.table.setColumnWidth(0, ANSWER_COLUMN_WIDTH))
        self._build_actions()
        self._connect()
        self._set_enabled(False)

    # -- building -----------------------------------------------------------------------------

    def _build_panes(self) -> QSplitter:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        grid_label = QLabel("A&nswers")
        self.table = self._build_table()
        grid_label.setBuddy(self.table)
        left_layout.addWidget(grid_label)
        left_layout.addWidget(self.table, 1)
        self.panel = AnswerPanel()
        self.tags = TagPanel()
        right = UpDownScroll(self.tags, "Key messages and suggestions", RIGHT_PANE_WIDTH)
        centre = UpDownScroll(self.panel, "The answer and its quotes")
        panes = QSplitter(Qt.Orientation.Horizontal)
        panes.setChildrenCollapsible(False)
        for pane, stretch in ((left, 3), (centre, 4), (right, 2)):
            panes.addWidget(pane)
            panes.setStretchFactor(panes.indexOf(pane), stretch)
        return panes

    def _build_table(self) -> QTableView:
        """The answers, one row each; rows of fixed height so the view never measures 100,000
        of them."""
        table = QTableView()
        table.setModel(self.model)
        table.setAccessibleName("Answers")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultSectionSize(120)
        header.setMinimumSectionSize(60)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        return table

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: str | QKeySequence.StandardKey | None = None,
        *,
        on: QWidget | None = None,
    ) -> QAction:
        """An action of the page; with ``on``, its shortcut works only while that widget has
        focus (the answer's text), else anywhere on the page."""
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        if on is not None:
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            on.addAction(action)
        else:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        return action

    def _build_actions(self) -> None:
        view = self.panel.view
        self.next_untagged_action = self._action(
            "&Next answer not yet tagged", lambda: self.move_to_untagged(1), "F8"
        )
        self.previous_untagged_action = self._action(
            "&Previous answer not yet tagged", lambda: self.move_to_untagged(-1), "Shift+F8"
        )
        self.next_action = self._action("Ne&xt answer", lambda: self.step(1), "Ctrl+PgDown")
        self.previous_action = self._action("Previous &answer", lambda: self.step(-1), "Ctrl+PgUp")
        self.whole_action = self._action(
            "Select the &whole answer", self.panel.select_whole, "Ctrl+A", on=view
        )
        self.accept_action = self._action(
            "Accept the first &suggestion", self.accept_first_suggestion, "Return", on=view
        )
        self.review_action = self._action(
            "&Mark the quote reviewed", self.panel.review.toggle_reviewed, "Ctrl+R"
        )
        self.delete_action = self._action(
            "&Delete the quote", self.delete_quote, QKeySequence.StandardKey.Delete, on=view
        )
        self.panel.quotes.addAction(self.delete_action)
        self.find_action = self._action(
            "&Find answers", self.focus_search, QKeySequence.StandardKey.Find
        )
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts(redo_keys())
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.codebooks_action = QAction("&Codebooks…", self)
        self.codebooks_action.triggered.connect(self.open_codebooks)
        self.tag_menu = QMenu("&Tag with", self)
        self.code_actions: list[QAction] = []

    def _connect(self) -> None:
        self.filters.survey_chosen.connect(self._survey_chosen)
        self.filters.changed.connect(self.apply_filters)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.activated.connect(lambda _index: self.panel.view.setFocus())
        self.model.modelReset.connect(self._after_reset)
        self.panel.current_quote_changed.connect(self._current_quote_changed)
        self.panel.delete_button.clicked.connect(self.delete_quote)
        self.panel.review.accept_requested.connect(
            lambda text: self.review(redacted_text=text, reviewed=None)
        )
        self.panel.review.review_requested.connect(
            lambda text, reviewed: self.review(redacted_text=text, reviewed=reviewed)
        )
        self.tags.code_pressed.connect(self.press_code)
        self.tags.suggestion_accepted.connect(self.accept_suggestion)
        self.tags.codebook_chosen.connect(self._codebook_chosen)
        self.tags.accept_button.clicked.connect(self.accept_first_suggestion)
        self.suggest_timer = QTimer(self, singleShot=True, interval=SUGGEST_DELAY_MS)
        self.suggest_timer.timeout.connect(self._suggest)
        self.retrain_timer = QTimer(self, singleShot=True, interval=RETRAIN_MS)
        self.retrain_timer.timeout.connect(self.train_suggester)

    # -- the page protocol --------------------------------------------------------------------

    def page_actions(self) -> list[QAction]:
        return [
            self.next_untagged_action,
            self.previous_untagged_action,
            self.next_action,
            self.previous_action,
            self.whole_action,
            self.tag_menu.menuAction(),
            self.accept_action,
            self.review_action,
            self.delete_action,
            self.undo_action,
            self.redo_action,
            self.find_action,
            self.codebooks_action,
        ]

    def refresh(self, change: Change | None) -> None:
        if not self.context.has_workspace:
            return
        if change is None:
            self.undo_stack.clear()
            self._generation += 1
            self.suggester = None
            self._load_codebooks()
            self._load_surveys()
            self.train_suggester()
            return
        if change.touches("codebooks"):
            self._load_codebooks()
            self.filters.set_codebooks(self.books)
            self.reload()
        if change.touches("surveys"):
            self._load_surveys()
        elif change.touches("responses"):
            self.reload()
        elif change.touches("quotes"):
            self._quotes_changed()

    def before_lock(self) -> None:
        """Drop every decrypted value the page holds: the file is about to close."""
        self._generation += 1
        self.suggester = None
        self.retrain_timer.stop()
        self.suggest_timer.stop()
        self.undo_stack.clear()
        self.model.clear()
        self.panel.clear()
        self.tags.set_suggestions([])
        self.filters.forget_words()
        self.survey = None
        self._current_row = -1
        self.message.setText("")

    # -- codebooks and surveys ----------------------------------------------------------------

    def _load_codebooks(self) -> None:
        db = self.context.workspace.db
        self.books = list_codebooks(db)
        self.codes = {code.id: code for book in self.books for code in book.codes}
        ids = {book.id for book in self.books}
        if self.codebook_id not in ids:
            default = next((book for book in self.books if book.is_default), None)
            self.codebook_id = default.id if default else (self.books[0].id if self.books else "")
        self.panel.set_codes(self.codes)
        self.tags.set_codebooks(self.books, self.codebook_id)
        self._show_codes()

    def _codebook(self) -> Codebook | None:
        return next((book for book in self.books if book.id == self.codebook_id), None)

    def _codebook_chosen(self, book_id: str) -> None:
        self.codebook_id = book_id
        self._show_codes()
        self.train_suggester()

    def _show_codes(self) -> None:
        """The codebook's buttons and its "Tag with" actions (numbers work in the answer)."""
        book = self._codebook()
        self.counts = code_counts(self.context.workspace.db, self.survey.id) if self.survey else {}
        self.tags.set_codes(book, self.counts)
        view = self.panel.view
        for action in self.code_actions:
            view.removeAction(action)
            action.deleteLater()
        self.tag_menu.clear()
        self.code_actions = []
        for _depth, code in book.walk() if book is not None else ():
            if not code.codable:
                continue
            label = f"{code.label.rstrip('.')}".replace("&", "&&")
            action = QAction(label, self)
            if code.shortcut:
                action.setShortcut(QKeySequence(code.shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
                view.addAction(action)
            action.triggered.connect(lambda _checked=False, c=code.id: self.press_code(c))
            self.tag_menu.addAction(action)
            self.code_actions.append(action)
        self._current_quote_changed()

    def _load_surveys(self) -> None:
        db = self.context.workspace.db
        surveys = list_surveys(db)
        current = self.survey.id if self.survey is not None else None
        self.filters.set_surveys(surveys, current)
        if not surveys:
            self.message.setText(NO_SURVEYS)
        self._survey_chosen(self.filters.survey_id)

    def _survey_chosen(self, survey_id: str | None) -> None:
        db = self.context.workspace.db
        survey = get_survey(db, survey_id) if survey_id else None
        same = survey is not None and self.survey is not None and survey.id == self.survey.id
        self.survey = survey
        self.filters.set_survey(survey, self.books)
        self._set_enabled(survey is not None)
        if not same:
            self.undo_stack.clear()
        self.apply_filters()
        self._show_codes()

    def _set_enabled(self, enabled: bool) -> None:
        for action in (
            self.next_untagged_action,
            self.previous_untagged_action,
            self.next_action,
            self.previous_action,
        ):
            action.setEnabled(enabled)

    # -- the answers shown --------------------------------------------------------------------

    def apply_filters(self) -> None:
        """Read the answers the filters ask for, keeping the answer shown if it still is."""
        if not self.context.has_workspace:
            return  # a search typed just before the file closed: nothing left to read
        keep = self.model.row_at(self._current_row)
        try:
            self.model.load(self.survey, self.filters.query())
        except ValueError as problem:
            self.message.setText(str(problem))
            self.model.load(None, None)
            return
        row = self.model.row_of(keep) if keep is not None else None
        self.select_row(row if row is not None else 0 if self.model.rowCount() else -1)
        self._show_progress()

    def show_quote(self, quote_id: str) -> bool:
        """Show the answer a quote was made from, every filter cleared (the pack wizard's
        "Show in the Quotes page"); False when the quote is gone."""
        survey_id, row = answer_row_of(self.context.workspace.db, quote_id)
        box = self.filters.survey_box
        box.setCurrentIndex(max(0, box.findData(survey_id)))
        if self.survey is None or self.survey.id != survey_id:
            self._survey_chosen(survey_id)
        self.filters.question_box.setCurrentIndex(0)  # all free-text questions
        self.filters.clear_filters()  # and the answers read again
        found = self.model.row_of(row)
        if found is None:
            return False
        self.select_row(found)
        self.table.setFocus()
        return True

    def reload(self) -> None:
        """Read the answers again with the same filters, keeping the answer shown."""
        if self.survey is not None:
            self.apply_filters()

    def _after_reset(self) -> None:
        count = self.model.rowCount()
        if self.survey is not None and not count:
            self.message.setText("No answers match: change or clear the filters.")
        elif self.survey is not None:
            self.message.setText("")

    def select_row(self, row: int) -> None:
        if row < 0:
            self.table.clearSelection()
            self._show_row(-1)
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        if row == self._current_row:
            self._show_row(row)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_row(current.row() if current.isValid() else -1)

    def _show_row(self, row: int, keep_span: tuple[int, int] | None = None) -> None:
        self._current_row = row
        answer = self.model.answer_at(row) if row >= 0 else None
        heading, attributes, every = "", "", ""
        if answer is not None and self.survey is not None:
            question = self.survey.question(answer.question) if self._has(answer) else None
            asked = " ".join(self.survey.label(question).split()) if question else ""
            heading = f"{row + 1:,} of {self.model.rowCount():,}" + (f" — {asked}" if asked else "")
            attributes, every = self._attributes(answer)
        self.panel.show_answer(answer, heading, attributes, keep_span=keep_span)
        self.panel.attributes.setToolTip(every)
        self.panel.attributes.setAccessibleDescription(every)

    def _has(self, answer: QuotableAnswer) -> bool:
        return self.survey is not None and any(
            question.name == answer.question for question in self.survey.questions
        )

    def _attributes(self, answer: QuotableAnswer) -> tuple[str, str]:
        """The parent's other answers: the first few with their questions (shown), all of them
        (the tooltip and what a screen reader reads)."""
        survey = self.survey
        if survey is None:
            return "", ""
        words = AnswerText(survey)
        given = [
            (label, text)
            for name, label in attribute_questions(survey)
            if (text := words(name, answer.response.answers.get(name)))
        ]
        consent = "consent given" if answer.consent else "no consent to quote and share"
        shown = [text for _label, text in given[:ATTRIBUTES_SHOWN]]
        every = [f"{label}: {text}" for label, text in given]
        return " · ".join([*shown, consent]), " · ".join([*every, consent])

    def _show_progress(self) -> None:
        """Count the tagged answers afresh (the survey, the questions or the file changed)."""
        query = self.filters.query()
        if self.survey is None or query is None:
            self.done = None
        else:
            self.done = tagging_progress(self.context.workspace.db, self.survey.id, query.questions)
        self._say_progress()

    def _say_progress(self) -> None:
        done = self.done
        words = f"{done.tagged:,} of {plural(done.answers, 'answer')} tagged" if done else ""
        self.progress.setText(words)

    def step(self, step: int) -> None:
        """To the next (1) or previous (-1) answer, focus in its text."""
        row = self._current_row + step
        if 0 <= row < self.model.rowCount():
            self.select_row(row)
            self.panel.view.setFocus()

    def move_to_untagged(self, step: int) -> None:
        """To the next (1) or previous (-1) answer not yet tagged, focus in its text."""
        row = self.model.next_untagged(self._current_row, step)
        if row is None:
            where = "below" if step > 0 else "above"
            self.message.setText(f"No answer {where} this one is waiting to be tagged.")
            return
        self.message.setText("")
        self.select_row(row)
        self.panel.view.setFocus()

    def focus_search(self) -> None:
        self.filters.search.setFocus()
        self.filters.search.selectAll()

    # -- tagging ------------------------------------------------------------------------------

    def _by(self) -> str | None:
        return self.context.str_setting(VOLUNTEER_NAME) or None

    def press_code(self, code_id: str) -> None:
        """A key message's number (or button): quote the selected words with it, or put it on
        (take it off) the current quote."""
        answer = self.panel.answer
        code = self.codes.get(code_id)
        if answer is None or code is None:
            return
        span = self.panel.view.selected_span()
        quote = answer.quote_at(*span) if span is not None else self.panel.current
        label = code.label.rstrip(".")
        if quote is not None and code_id in quote.code_ids:
            op = operations.untag_quote(self.context, self, quote.id, [code_id])
            self._run(op, f"Take “{label}” off a quote", (quote.start, quote.end))
        elif quote is not None:
            op = operations.tag_quote(self.context, self, quote.id, [code_id], by=self._by())
            self._run(op, f"Tag a quote “{label}”", (quote.start, quote.end))
        elif span is not None:
            op = operations.create_quote(
                self.context,
                self,
                answer.response.id,
                answer.question,
                span,
                [code_id],
                by=self._by(),
            )
            self._run(op, f"Quote words as “{label}”", span)
        else:
            self.message.setText(
                "Select the words to quote first: Shift and the arrow keys, or Ctrl+A for the "
                "whole answer."
            )

    def accept_suggestion(self, code_id: str) -> None:
        """Tag with a suggested code: the selected words, the current quote, or else the whole
        answer (what the suggestion was made for)."""
        if self.panel.answer is None:
            return
        if self.panel.view.selected_span() is None and self.panel.current is None:
            self.panel.view.select_whole()
        self.press_code(code_id)

    def accept_first_suggestion(self) -> None:
        """Tag with the best suggestion for the words shown (worked out now if the words changed
        a moment ago and the suggestions have not followed yet)."""
        if self.suggest_timer.isActive():
            self.suggest_timer.stop()
            self._suggest()
        self.tags.accept_first()

    def delete_quote(self) -> None:
        quote = self.panel.current
        if quote is None:
            return
        op = operations.delete_quote(self.context, self, quote.id)
        self._run(op, "Delete a quote", None)

    def review(self, *, redacted_text: str, reviewed: bool | None) -> None:
        """Save the quote's redacted words as edited, marking it reviewed or not."""
        quote = self.panel.current
        if quote is None:
            return
        edited = redacted_text if redacted_text != quote.redacted_text else None
        op = operations.review_quote(
            self.context, self, quote.id, redacted_text=edited, reviewed=reviewed, by=self._by()
        )
        text = "Mark a quote reviewed" if reviewed else "Edit a quote's redaction"
        if reviewed is False:
            text = "Mark a quote not reviewed"
        done = _Result()
        op.success(lambda review: done.keep(review.change))
        self._run_and_record(op, done, text, (quote.start, quote.end))

    def _run(self, op: ForumOp[QuoteChange], text: str, span: tuple[int, int] | None) -> None:
        done = _Result()
        op.success(done.keep)
        self._run_and_record(op, done, text, span)

    def _run_and_record(
        self, op: ForumOp[Any], done: _Result, text: str, span: tuple[int, int] | None
    ) -> None:
        """Run a quote op on the answer shown; once saved, put its change on the undo stack and
        show the answer again with ``span`` selected (the quote just changed)."""
        row = self.model.row_at(self._current_row)
        change = done.change if self._run_for(row, op) else None
        if change is None or not change.changed:
            return
        self._count(change)
        self.undo_stack.push(
            QuoteEdit(
                self.context,
                self,
                text,
                change,
                lambda undo_op: self._run_for(row, undo_op),
                lambda applied: self._undone(row, applied),
            )
        )
        self.message.setText("")

    def _run_for(self, row: AnswerRow | None, op: ForumOp[Any]) -> bool:
        """Run ``op``, a change to the quotes of the answer at ``row``."""
        self._expected_rows = {row} if row is not None else None
        try:
            return op.run()
        finally:
            self._expected_rows = None

    def _undone(self, row: AnswerRow | None, change: QuoteChange) -> None:
        """After an undo or redo: show the answer it touched, the quote (if any) selected."""
        self._count(change)
        number = self.model.row_of(row) if row is not None else None
        if number is None:
            return
        quote = change.after
        self.select_row(number)
        self._show_row(number, keep_span=(quote.start, quote.end) if quote else None)

    def _quotes_changed(self) -> None:
        """A change touched quotes: read again what is shown. When this page made the change,
        only its answer is read again, and the progress follows that answer (its codes are
        counted once the change is known, in :meth:`_count`)."""
        if self.survey is None:
            return
        rows = self._expected_rows
        if rows is None:
            self.reload()
            self.counts = code_counts(self.context.workspace.db, self.survey.id)
            self.tags.set_counts(self.counts)
        else:
            flipped = self.model.refresh_rows(rows)
            if self.done is not None and flipped:
                tagged = self.done.tagged + sum(1 if now else -1 for now in flipped.values())
                self.done = TaggingProgress(tagged, self.done.answers)
                self._say_progress()
            if self.model.row_at(self._current_row) in rows:
                self._show_row(self._current_row, keep_span=self.panel.view.selected_span())
        self.retrain_timer.start()

    def _count(self, change: QuoteChange) -> None:
        """Follow a change this page made in the codes' counts."""
        before = change.before.code_ids if change.before is not None else frozenset()
        after = change.after.code_ids if change.after is not None else frozenset()
        for code_id in before - after:
            self.counts[code_id] = self.counts.get(code_id, 0) - 1
        for code_id in after - before:
            self.counts[code_id] = self.counts.get(code_id, 0) + 1
        self.tags.set_counts(self.counts)

    def _current_quote_changed(self) -> None:
        quote = self.panel.current
        self.tags.show_codes_of(quote.code_ids if quote is not None else frozenset())
        self.review_action.setEnabled(quote is not None)
        self.delete_action.setEnabled(quote is not None)
        if self.context.has_workspace:
            self.panel.review.set_deny_list(deny_list(self.context.workspace.db))
        self.suggest_timer.start()

    # -- suggestions --------------------------------------------------------------------------

    def train_suggester(self) -> None:
        """Learn the codebook's codes and the forum's tagging in a worker (inputs read here)."""
        if not self.context.has_workspace or not self.codebook_id:
            return
        if self._training:
            self._train_again = True
            return
        try:
            inputs = suggester_inputs(self.context.workspace.db, self.codebook_id)
        except Exception as exc:
            self.context.errors.report(exc, self)
            return
        generation = self._generation
        self._training = True

        def work(_progress: Progress) -> Suggester:
            return Suggester.train(*inputs)

        def trained(suggester: Suggester) -> None:
            self._trained(generation, suggester)

        def failed(_error: BaseException) -> None:
            self._trained(generation, None)

        self.context.tasks.run(work, on_done=trained, on_error=failed)

    def _trained(self, generation: int, suggester: Suggester | None) -> None:
        self._training = False
        if generation == self._generation and self.context.has_workspace:
            self.suggester = suggester
            self._suggest()
        # else: locked or another file since, and what it learned is dropped
        if self._train_again:
            self._train_again = False
            self.train_suggester()

    def _suggest(self) -> None:
        words = self.panel.words_for_suggestions()
        book = self._codebook()
        if not words or book is None:
            self.tags.set_suggestions([])
            return
        if self.suggester is None:
            self.tags.set_suggestions([], "Learning from the forum's tagging…")
            return
        by_key = {code.key: code for code in book.codes if code.codable}
        found = [
            (by_key[suggestion.key], suggestion)
            for suggestion in self.suggester.suggest(words, limit=3)
            if suggestion.key in by_key
        ]
        self.tags.set_suggestions(found)

    # -- codebooks ----------------------------------------------------------------------------

    def open_codebooks(self) -> None:
        if self.context.has_workspace:
            CodebookEditor(self.context, self).exec()


class _Result:
    """Holds the quote change an op saved (an op's result reaches a callback)."""

    def __init__(self) -> None:
        self.change: QuoteChange | None = None

    def keep(self, change: QuoteChange) -> None:
        self.change = change
