"""A survey as a form on screen: sections, questions, live skip logic and checks as you go.

The form asks the core what to show (``forumkit.capture.shown``) and what is wrong
(``forumkit.surveys.check_response``) after each change; it decides nothing itself. Problems
appear under their question in words, with an icon, when the volunteer leaves the field (all of
them when the response is completed), and are announced to screen readers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from forumkit.capture import required_words, shown
from forumkit.responses import stamp_metadata
from forumkit.surveys import CheckedResponse, Problem, Question, Survey, check_response
from forumkit.wording import listed, noun, plural
from ui import icons
from ui.form.contact import CONTACT_SECTION, Audience, build_contact
from ui.form.factory import field_for
from ui.form.fields import Field
from ui.widgets import Heading, Paragraph, reading_width

FORM_WIDTH = 720
"""The form's width at the normal text size; it grows with the text (``FORM_CHARS``)."""
FORM_CHARS = 100


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


class QuestionBlock(QWidget):
    """One question: its label (with "(required)"), hint, input and any problem message."""

    def __init__(self, question: Question, survey: Survey, field_widget: Field | None) -> None:
        super().__init__()
        self.question = question
        self.survey = survey
        self.field = field_widget
        self.problem: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 8)
        layout.setSpacing(4)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setObjectName("questionLabel" if field_widget else "note")
        layout.addWidget(self.label)
        # The hint and the problem line are made when first needed: most questions have neither,
        # and every widget a form holds is time a volunteer waits when a response opens.
        self.hint: Paragraph | None = None
        self._hint_text = ""
        self.message_box: QWidget | None = None
        self.message: QLabel | None = None
        if field_widget is not None:
            layout.addWidget(field_widget)
            self.label.setBuddy(field_widget.inputs()[0])
        self.set_language(None)

    def _show_hint(self, text: str) -> None:
        self._hint_text = text
        if self.hint is None and text:
            self.hint = Paragraph()
            self.hint.setObjectName("hint")
            self._layout().insertWidget(1, self.hint)
        if self.hint is not None:
            self.hint.setText(text)
            self.hint.setVisible(bool(text))

    def _problem_line(self) -> QLabel:
        if self.message is None:
            row = QHBoxLayout()
            row.setSpacing(8)
            row.setContentsMargins(0, 0, 0, 0)
            icon = icons.IconLabel("problem")
            icon.setAccessibleName("Problem")
            self.message = QLabel()
            self.message.setObjectName("problem")
            self.message.setWordWrap(True)
            self.message.setTextFormat(Qt.TextFormat.PlainText)
            row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(self.message, 1)
            self.message_box = QWidget()
            self.message_box.setLayout(row)
            self._layout().addWidget(self.message_box)
        return self.message

    def _layout(self) -> QVBoxLayout:
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        return layout

    def label_text(self) -> str:
        return self._label

    def set_language(self, language: str | None) -> None:
        question = self.question
        label = self.survey.label(question, language)
        self._label = label
        required, sometimes = required_words(language)
        if self.field is not None and question.required == "yes":
            label = f"{label} {required}"
        elif self.field is not None and question.required:
            label = f"{label} {sometimes}"
        self.label.setText(label)
        self.label.setAccessibleName(label)
        self._show_hint(self.survey.hint(question, language))
        if self.field is not None:
            self.field.set_language(language)
        self._describe()

    def _describe(self) -> None:
        if self.field is None:
            return
        parts = [p for p in (self.problem, self._hint_text) if p]
        self.field.describe(self.label.text(), " ".join(parts))

    def set_problem(self, message: str | None) -> bool:
        """Show ``message`` under the field (None hides it); True if it changed."""
        message = _sentence(message) if message else None
        if message == self.problem:
            return False
        self.problem = message
        if message is not None or self.message is not None:
            self._problem_line().setText(message or "")
            assert self.message_box is not None
            self.message_box.setVisible(message is not None)
        self._describe()
        return True

    def owns(self, widget: QWidget | None) -> bool:
        return widget is not None and (widget is self or self.isAncestorOf(widget))


@dataclass
class Section:
    """A top-level group of the survey (or a run of questions outside any group): one page in
    kiosk mode."""

    name: str
    widget: QWidget
    heading: Heading | None
    blocks: list[QuestionBlock] = field(default_factory=list)
    groups: dict[str, QWidget] = field(default_factory=dict)
    inputs: list[QWidget] = field(default_factory=list)
    """Inputs of the section that answer no question (the contact field)."""


class SurveyForm(QWidget):
    """A survey as a form. ``answers()`` gives the raw answers of the questions showing.

    ``edited`` is emitted after every change a person makes (not after :meth:`set_answers`);
    ``problems_changed(count)`` after every check, with how many questions show a problem.
    With ``contact`` the form ends with the optional contact field, worded for a volunteer or a
    parent (:data:`CONTACT_WORDS`); it answers no question (:meth:`contact`).
    """

    edited = Signal()
    problems_shown = Signal(str)
    problems_changed = Signal(int)

    def __init__(
        self,
        survey: Survey,
        *,
        read_only: bool = False,
        language: str | None = None,
        contact: Audience | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("surveyForm")
        self.survey = survey
        self.read_only = read_only
        self.language = language or survey.default_language
        self._fit_width()
        self.started = dt.datetime.now().astimezone()
        self._visible: frozenset[str] = frozenset(q.name for q in survey.elements)
        self._loading = False
        self._page: Section | None = None
        self.blocks: dict[str, QuestionBlock] = {}
        self.sections: list[Section] = []

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        self.language_box: QComboBox | None = None
        languages = [lang for lang in survey.languages if lang]
        if len(languages) > 1:
            row = QHBoxLayout()
            self.language_box = QComboBox()
            for lang in languages:
                self.language_box.addItem(lang, lang)
            self.language_box.setCurrentIndex(
                max(0, languages.index(self.language)) if self.language in languages else 0
            )
            label = QLabel("&Language of the questions")
            label.setBuddy(self.language_box)
            self.language_box.setAccessibleName("Language of the questions")
            row.addWidget(label)
            row.addWidget(self.language_box)
            row.addStretch(1)
            layout.addLayout(row)
            self.language_box.currentIndexChanged.connect(self._on_language_picked)

        self.unchecked_note = Paragraph()
        self.unchecked_note.setObjectName("uncheckedNote")
        layout.addWidget(self.unchecked_note)
        self._static_unchecked = [
            self._unchecked_line(rule.question, rule.reason) for rule in survey.unenforced_rules()
        ]
        self._show_unchecked([])

        self._build(layout)
        self.contact_edit: QLineEdit | None = None
        if contact is not None:
            self._build_contact(layout, contact)

        self.status = QLabel()
        self.status.setObjectName("formStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Form messages")
        layout.addWidget(self.status)
        layout.addStretch(1)

        for block in self.blocks.values():
            if block.field is not None:
                block.field.set_read_only(read_only)
                block.field.edited.connect(lambda b=block: self._on_edited(b))
        self.set_language(self.language)
        self._refresh_visibility()
        app = QApplication.instance()
        if isinstance(app, QApplication) and not read_only:
            app.focusChanged.connect(self._on_focus_changed)

    # -- building ---------------------------------------------------------------------------

    def _build(self, layout: QVBoxLayout) -> None:
        current: Section | None = None
        containers: list[QVBoxLayout] = []
        group_names: list[str] = []
        for element in self.survey.elements:
            if element.type == "begin_group":
                if not containers:
                    current = self._new_section(layout, element.name, element)
                    containers.append(self._layout_of(current.widget))
                    group_names.append(element.name)
                    continue
                inner = QWidget()
                inner_layout = QVBoxLayout(inner)
                inner_layout.setContentsMargins(0, 8, 0, 0)
                if any(element.labels.values()):
                    inner_layout.addWidget(Heading(self.survey.label(element), 3))
                containers[-1].addWidget(inner)
                containers.append(inner_layout)
                group_names.append(element.name)
                assert current is not None
                current.groups[element.name] = inner
                continue
            if element.type == "end_group":
                if containers:
                    containers.pop()
                    group_names.pop()
                continue
            if element.type == "calculate" or element.is_metadata:
                continue
            if not containers:
                if current is None or current.heading is not None:
                    current = self._new_section(layout, f"#{len(self.sections)}", None)
                target = self._layout_of(current.widget)
            else:
                target = containers[-1]
            assert current is not None
            block = QuestionBlock(element, self.survey, field_for(element, self.survey))
            target.addWidget(block)
            current.blocks.append(block)
            self.blocks[element.name] = block

    def _build_contact(self, layout: QVBoxLayout, audience: Audience) -> None:
        """The optional contact field, as a section (a page of its own in kiosk mode)."""
        section = self._new_section(layout, CONTACT_SECTION, None)
        section.heading, edit = build_contact(self._layout_of(section.widget), audience)
        edit.setReadOnly(self.read_only)
        edit.textEdited.connect(lambda _: self._contact_edited())
        section.inputs.append(edit)
        self.contact_edit = edit

    def _contact_edited(self) -> None:
        if not self._loading:
            self.edited.emit()

    def contact(self) -> str | None:
        """The contact typed in the contact field (None when empty or the form has none)."""
        if self.contact_edit is None:
            return None
        return " ".join(self.contact_edit.text().split()) or None

    def set_contact(self, text: str | None) -> None:
        if self.contact_edit is not None:
            self.contact_edit.setText(text or "")

    def _fit_width(self) -> None:
        self.setMaximumWidth(reading_width(self, FORM_CHARS, FORM_WIDTH))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_width()
        super().changeEvent(event)

    def _new_section(self, layout: QVBoxLayout, name: str, group: Question | None) -> Section:
        widget = QWidget()
        widget.setObjectName("formSection")
        section_layout = QVBoxLayout(widget)
        section_layout.setContentsMargins(0, 8, 0, 8)
        section_layout.setSpacing(4)
        heading = None
        if group is not None:
            heading = Heading(self.survey.label(group), 2)
            section_layout.addWidget(heading)
        layout.addWidget(widget)
        section = Section(name, widget, heading)
        self.sections.append(section)
        return section

    @staticmethod
    def _layout_of(widget: QWidget) -> QVBoxLayout:
        layout = widget.layout()
        assert isinstance(layout, QVBoxLayout)
        return layout

    # -- language ---------------------------------------------------------------------------

    def _on_language_picked(self, index: int) -> None:
        if self.language_box is not None:
            self.set_language(str(self.language_box.itemData(index)))

    def set_language(self, language: str | None) -> None:
        """Show every text in ``language`` (falling back to the survey's default language)."""
        self.language = language or self.survey.default_language
        for block in self.blocks.values():
            block.set_language(self.language)
        for section in self.sections:
            if section.heading is not None and section.name != CONTACT_SECTION:
                group = self.survey.question(section.name)
                section.heading.setText(self.survey.label(group, self.language))

    # -- answers ----------------------------------------------------------------------------

    def typed_answers(self) -> dict[str, object]:
        """What a person typed or picked (raw) in the questions showing: what is saved. The
        core stamps the metadata questions itself when it saves a response."""
        answers: dict[str, object] = {}
        for name, block in self.blocks.items():
            if block.field is None or name not in self._visible:
                continue
            value = block.field.value()
            if value is not None:
                answers[name] = value
        return answers

    def answers(self) -> dict[str, object]:
        """The typed answers with the metadata questions (start, end, today) stamped as the core
        will stamp them on saving, so the checks on screen see what will be saved."""
        return stamp_metadata(self.survey, self.typed_answers(), started=self.started)

    def is_empty(self) -> bool:
        return not self.typed_answers() and self.contact() is None

    def set_answers(self, answers: Mapping[str, object]) -> None:
        """Fill the form (a draft being resumed); clears every other field and message."""
        self._loading = True
        try:
            for name, block in self.blocks.items():
                if block.field is not None:
                    block.field.set_value(answers.get(name))
                block.set_problem(None)
        finally:
            self._loading = False
        self.status.clear()
        self._refresh_visibility()
        self.problems_changed.emit(0)

    def clear(self) -> None:
        """Empty every field and message: the form as a new respondent sees it."""
        self.set_answers({})
        self.set_contact(None)
        self.started = dt.datetime.now().astimezone()

    # -- skip logic and checks --------------------------------------------------------------

    def is_shown(self, name: str) -> bool:
        return name in self._visible

    def _refresh_visibility(self) -> None:
        result = shown(self.survey, self.answers_ignoring_visibility())
        self._visible = result.questions
        self._loading = True
        try:
            for name, block in self.blocks.items():
                visible = name in self._visible
                if not visible and block.field is not None and block.field.value() is not None:
                    block.field.clear()
                if not visible:
                    block.set_problem(None)
                block.setVisible(visible)
            for section in self.sections:
                for name, widget in section.groups.items():
                    widget.setVisible(name in self._visible)
            self._apply_sections()
        finally:
            self._loading = False

    def _apply_sections(self) -> None:
        for section in self.sections:
            relevant = (
                section.heading is None
                or section.name in self._visible
                or section.name == CONTACT_SECTION
            )
            on_page = self._page is None or section is self._page
            section.widget.setVisible(relevant and on_page)

    def answers_ignoring_visibility(self) -> dict[str, object]:
        answers: dict[str, object] = {}
        for name, block in self.blocks.items():
            if block.field is not None:
                value = block.field.value()
                if value is not None:
                    answers[name] = value
        return answers

    def _on_edited(self, block: QuestionBlock) -> None:
        if self._loading:
            return
        self._refresh_visibility()
        if block.problem is not None:
            self.check([block.question.name])
        self.edited.emit()

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if old is None or self.read_only:
            return
        for block in self.blocks.values():
            if block.owns(old) and not block.owns(new) and block.field is not None:
                if block.field.value() is not None or block.problem is not None:
                    self.check([block.question.name])
                return

    def check(self, names: Iterable[str] | None = None, *, final: bool = False) -> CheckedResponse:
        """Check the answers with the core and show problems under their questions.

        ``names`` limits which questions' messages change (leaving a field); ``final`` shows
        every problem, "an answer is required" included (completing the response).
        """
        checked = check_response(self.survey, self.answers(), language=self.language)
        by_question: dict[str, Problem] = {}
        for found in checked.problems:
            by_question.setdefault(found.question, found)
        targets = set(self.blocks) if names is None else set(names)
        announced: list[str] = []
        for name, block in self.blocks.items():
            if name not in targets or block.field is None:
                continue
            problem = by_question.get(name)
            if problem is not None and problem.kind == "required" and not final:
                problem = None
            if block.set_problem(problem.message if problem else None) and problem is not None:
                announced.append(f"{block.label_text()}: {_sentence(problem.message)}")
        self._show_unchecked(
            [self._unchecked_line(rule.question, rule.reason) for rule in checked.unchecked]
        )
        if announced:
            self.announce(" ".join(announced))
        elif names is not None and not any(
            self.blocks[n].problem for n in targets if n in self.blocks
        ):
            self.status.clear()
        self.problems_changed.emit(len(self.problem_blocks()))
        return checked

    def problems_text(self) -> str:
        """What needs attention before the response can be saved, naming the questions:
        "2 answers need attention before this response can be saved: “Age” and “EHCP”."."""
        blocks = self.problem_blocks()
        count = len(blocks)
        names = listed(f"“{block.label_text()}”" for block in blocks)
        return (
            f"{plural(count, 'answer')} {noun(count, 'needs', 'need')} attention before this "
            f"response can be saved: {names}."
        )

    def problem_blocks(self) -> list[QuestionBlock]:
        """Questions showing a problem, in form order."""
        return [b for b in self.blocks.values() if b.problem is not None and b.isVisibleTo(self)]

    def announce(self, text: str) -> None:
        """Say ``text`` in the form's message line and to screen readers."""
        self.status.setText(text)
        self.problems_shown.emit(text)
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.status, text))

    def _unchecked_line(self, question: str, reason: str) -> str:
        block = self.blocks.get(question)
        label = block.label_text() if block is not None else question
        return f"“{label}”: {reason}"

    def _show_unchecked(self, extra: list[str]) -> None:
        lines = list(dict.fromkeys([*self._static_unchecked, *extra]))
        if not lines:
            self.unchecked_note.hide()
            return
        self.unchecked_note.setText(
            "Some of this survey's rules cannot be checked by forumkit, so please check these "
            "answers yourself. " + "; ".join(lines) + "."
        )
        self.unchecked_note.show()

    # -- focus and pages --------------------------------------------------------------------

    def first_input(self, section: Section | None = None) -> QWidget | None:
        """The first input showing (in ``section`` if given), where a new response starts."""
        blocks = section.blocks if section is not None else list(self.blocks.values())
        for block in blocks:
            if block.field is not None and block.question.name in self._visible:
                inputs = block.field.inputs()
                checked = [w for w in inputs if getattr(w, "isChecked", lambda: False)()]
                return (checked or inputs)[0]
        extra = section.inputs if section is not None else []
        return extra[0] if extra else None

    def focus_first(self, section: Section | None = None) -> None:
        widget = self.first_input(section)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_problem(self) -> QuestionBlock | None:
        """Move focus to the first question showing a problem, scrolled into view; returns it."""
        for block in self.problem_blocks():
            if block.field is not None:
                block.field.inputs()[0].setFocus(Qt.FocusReason.OtherFocusReason)
                self.scroll_to(block)
                return block
        return None

    def scroll_to(self, widget: QWidget) -> None:
        """Scroll the area the form sits in so that ``widget`` (a question) shows whole."""
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None:
            area.ensureWidgetVisible(widget, 0, 48)

    def visible_sections(self) -> list[Section]:
        """The sections skip logic shows (kiosk pages), in order."""
        return [
            s
            for s in self.sections
            if s.name == CONTACT_SECTION
            or (
                (s.heading is None or s.name in self._visible)
                and any(b.question.name in self._visible for b in s.blocks)
            )
        ]

    def show_only(self, section: Section | None) -> None:
        """Show one section (a kiosk page), or every section with None."""
        self._page = section
        self._apply_sections()

    def check_section(self, section: Section) -> CheckedResponse:
        """Complete-style check of one section's questions (kiosk Next)."""
        return self.check([b.question.name for b in section.blocks], final=True)

    def closeEvent(self, event: object) -> None:
        self._disconnect()
        super().closeEvent(event)  # type: ignore[arg-type]

    def _disconnect(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication) and not self.read_only:
            with contextlib.suppress(RuntimeError, TypeError):
                app.focusChanged.disconnect(self._on_focus_changed)

    def dispose(self) -> None:
        """Stop listening to the application and schedule the widget's deletion."""
        self._disconnect()
        self.deleteLater()
