"""The workbench's filter bar: which survey and question, words to find, and which answers to
work through (not yet tagged, waiting for review, one code, consent, the parents' other
answers). It turns the choices into the core's ``AnswerQuery``; the core does the finding.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from forumkit.codebooks import Codebook
from forumkit.quotes import AnswerProgress, AnswerQuery, free_text_questions
from forumkit.surveys import Survey, SurveySummary
from ui.models.answers_table import attribute_questions, short

SEARCH_DELAY_MS = 300
FILTERS_A_ROW = 3
SHOW: tuple[tuple[str, AnswerProgress | None], ...] = (
    ("All answers", None),
    ("Not yet tagged", "untagged"),
    ("Tagged", "tagged"),
    ("Waiting for review", "unreviewed"),
    ("Reviewed", "reviewed"),
)
CONSENT: tuple[tuple[str, bool | None], ...] = (
    ("Any", None),
    ("Given: may be quoted and shared", True),
    ("Not given", False),
)


class QuoteFilters(QWidget):
    """Survey, question, words, and what to show; ``changed`` whenever the answers to show do."""

    survey_chosen = Signal(str)
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.survey: Survey | None = None
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)

        self.survey_box = self._combo("Survey")
        self.question_box = self._combo("Question")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Words in the answer")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find answers")
        for clear_button in self.search.findChildren(QToolButton):
            clear_button.setAccessibleName("Clear the search")
        self.show_box = self._combo("Show")
        for text, progress in SHOW:
            self.show_box.addItem(text, progress)
        self.consent_box = self._combo("Consent")
        for text, consent in CONSENT:
            self.consent_box.addItem(text, consent)
        self.code_box = self._combo("Code")
        self.attribute_box = self._combo("Parents")
        self.clear_button = QPushButton("C&lear filters")
        self.clear_button.setAutoDefault(False)

        # Three choices a row, in reading (and Tab) order, so the bar fits a 1366-pixel
        # screen beside the navigation at 150 % text (issue 13); the words box takes the rest.
        fields = (
            ("Surve&y", self.survey_box),
            ("Ques&tion", self.question_box),
            ("Fin&d", self.search),
            ("S&how", self.show_box),
            ("&Consent", self.consent_box),
            ("C&ode", self.code_box),
            ("&Parents", self.attribute_box),
        )
        for index, (text, field) in enumerate(fields):
            self._place(grid, index // FILTERS_A_ROW, index % FILTERS_A_ROW, text, field)
        last = len(fields) - 1
        grid.addWidget(
            self.clear_button, last // FILTERS_A_ROW, 2 * (last % FILTERS_A_ROW + 1), 1, 2
        )
        grid.setColumnStretch(2 * FILTERS_A_ROW - 1, 2)

        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _text: self.search_timer.start())
        self.survey_box.activated.connect(self._survey_activated)
        for box in (
            self.question_box,
            self.show_box,
            self.consent_box,
            self.code_box,
            self.attribute_box,
        ):
            box.activated.connect(lambda _index: self.changed.emit())
        self.clear_button.clicked.connect(self.clear_filters)

    @staticmethod
    def _combo(name: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(12)
        return box

    @staticmethod
    def _place(grid: QGridLayout, row: int, column: int, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        grid.addWidget(label, row, 2 * column)
        grid.addWidget(field, row, 2 * column + 1)

    # -- what there is to choose --------------------------------------------------------------

    def set_surveys(self, surveys: Sequence[SurveySummary], current: str | None) -> None:
        self.survey_box.blockSignals(True)
        self.survey_box.clear()
        for summary in surveys:
            self.survey_box.addItem(summary.title, summary.id)
        index = self.survey_box.findData(current) if current else 0
        self.survey_box.setCurrentIndex(max(index, 0) if surveys else -1)
        self.survey_box.blockSignals(False)

    @property
    def survey_id(self) -> str | None:
        value = self.survey_box.currentData()
        return None if value is None else str(value)

    def _survey_activated(self, _index: int) -> None:
        if self.survey_id is not None:
            self.survey_chosen.emit(self.survey_id)

    def set_survey(self, survey: Survey | None, books: Sequence[Codebook]) -> None:
        """Fill the question, code and parents choices for ``survey`` (kept where they still
        apply)."""
        same = survey is not None and self.survey is not None and survey.id == self.survey.id
        self.survey = survey
        questions: list[tuple[str, object]] = [("All free-text questions", None)]
        if survey is not None:
            questions += [
                (short(survey.label(question), 60), question.name)
                for question in free_text_questions(survey)
            ]
        self._refill(self.question_box, questions, keep=same)
        self.set_codebooks(books, keep=same)
        attributes: list[tuple[str, object]] = [("All parents", None)]
        if survey is not None:
            for name, label in attribute_questions(survey):
                question = survey.question(name)
                for choice, choice_label in survey.choice_labels(question).items():
                    attributes.append((f"{short(label, 30)}: {choice_label}", (name, choice)))
        self._refill(self.attribute_box, attributes, keep=same)

    def set_codebooks(self, books: Sequence[Codebook], *, keep: bool = True) -> None:
        codes: list[tuple[str, object]] = [("Any code", None)]
        for book in books:
            prefix = "" if book.is_default else f"{book.name}: "
            for depth, code in book.walk():
                shortcut = f"{code.shortcut} " if book.is_default and code.shortcut else ""
                label = short(code.label, 48)
                codes.append((f"{prefix}{'  ' * depth}{shortcut}{label}", code.id))
        self._refill(self.code_box, codes, keep=keep)

    @staticmethod
    def _refill(box: QComboBox, items: Sequence[tuple[str, object]], *, keep: bool) -> None:
        current = box.currentData() if keep else None
        box.blockSignals(True)
        box.clear()
        for text, data in items:
            box.addItem(text, data)
        box.setCurrentIndex(max(0, box.findData(current)) if current is not None else 0)
        box.blockSignals(False)

    # -- the query ----------------------------------------------------------------------------

    def query(self) -> AnswerQuery | None:
        """The answers to show, as the core's query (None without a survey)."""
        if self.survey is None:
            return None
        question = self.question_box.currentData()
        code = self.code_box.currentData()
        attribute = self.attribute_box.currentData()
        return AnswerQuery(
            self.survey.id,
            questions=(str(question),) if question else (),
            text=self.search.text(),
            attributes={attribute[0]: (attribute[1],)} if attribute else {},
            codes=(str(code),) if code else (),
            progress=self.show_box.currentData(),
            consent=self.consent_box.currentData(),
        )

    def show_only(self, progress: AnswerProgress | None) -> None:
        """Show only the answers at this stage (``None``: all)."""
        self.show_box.setCurrentIndex(max(0, self.show_box.findData(progress)))
        self.changed.emit()

    def clear_filters(self) -> None:
        """Every answer to the survey's questions again (survey and question kept)."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.search_timer.stop()
        for box in (self.show_box, self.consent_box, self.code_box, self.attribute_box):
            box.setCurrentIndex(0)
        self.changed.emit()

    def forget_words(self) -> None:
        """Empty the search box (what was typed could quote a parent): the file is locking."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.search_timer.stop()
