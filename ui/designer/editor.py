"""The editor for the selected question or section: its kind, words in each language, hint,
name, whether it is required, its scale, its limits, its choices, when it is shown, and whether
it records consent.

Every field hands its change to the core as soon as it is finished (Enter, Tab or a click):
``changed`` carries the new ``Survey`` made by one of ``forumkit.surveys``' design functions.
The simple controls write the same XLSForm expressions the core evaluates; the expressions
themselves stay visible and editable below them for chairs who know XLSForm.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from forumkit.surveys import (
    QUESTION_KINDS,
    Choice,
    Limits,
    Question,
    SkipRule,
    Survey,
    change_kind,
    choices_changed,
    consent_changed,
    is_yes_no,
    kind_of,
    limits_expression,
    name_from_label,
    question_changed,
    questions_sharing,
    read_limits,
    read_skip_rule,
    scale_of,
    scale_parameters,
    skip_candidates,
    skip_expression,
    with_text,
)
from ui.designer.choices import ChoicesEditor
from ui.widgets import Heading, Paragraph, labelled

SCALES = ((0, 10), (1, 5))
NUMBER_TYPES = ("integer", "decimal")


def _number(text: str) -> float | None:
    try:
        return float(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _shown(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


class QuestionEditor(QWidget):
    """Edits one element of the survey; ``changed(Survey)`` after each finished edit."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("questionEditor")
        self.survey: Survey | None = None
        self.name = ""
        self.fixed_names: set[str] = set()
        self.fixed_choices: set[tuple[str, str]] = set()
        self.languages: list[str] = []
        self.extra_languages: list[str] = []
        """Languages added in the designer that no text is written in yet."""
        self.label_edits: dict[str, QLineEdit] = {}
        self.hint_edits: dict[str, QLineEdit] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = Heading("Question", 2)
        layout.addWidget(self.heading)
        self.empty = Paragraph("Choose a question in the list, or add one.")
        layout.addWidget(self.empty)
        self.body = QWidget()
        self.form = QVBoxLayout(self.body)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[QWidget, QWidget] = {}
        layout.addWidget(self.body)
        self._build_basics()
        self._build_scale_and_limits()
        self._build_choices()
        self._build_skip()
        self._build_consent()
        layout.addStretch(1)
        self.body.hide()

    # -- building ---------------------------------------------------------------------------

    def _row(
        self, text: str, field: QWidget, name: str | None = None, layout: QVBoxLayout | None = None
    ) -> None:
        """A field with its label above it (the label is its buddy), in ``layout``."""
        field.setAccessibleName(name or text.replace("&", ""))
        box = labelled(text, field)
        self.boxes[field] = box
        (layout or self.form).addWidget(box)

    def _show(self, field: QWidget, visible: bool) -> None:
        self.boxes[field].setVisible(visible)

    def _build_basics(self) -> None:
        self.kind_box = QComboBox()
        for kind in QUESTION_KINDS:
            self.kind_box.addItem(kind.words, kind.key)
        self.kind_box.activated.connect(self._kind_picked)
        self._row("&Kind of question", self.kind_box)
        self.texts = QWidget()
        self.texts_layout = QVBoxLayout(self.texts)
        self.texts_layout.setContentsMargins(0, 0, 0, 0)
        self.form.addWidget(self.texts)
        self.name_edit = QLineEdit()
        self.name_edit.editingFinished.connect(self._name_edited)
        self._row(
            "&Name (a column heading in exports; letters, digits and _)", self.name_edit, "Name"
        )
        self.required_box = QCheckBox("&Required: the response cannot be completed without it")
        self.required_box.toggled.connect(
            lambda on: self._change(
                lambda s: question_changed(s, self.name, required="yes" if on else "")
            )
        )
        self.form.addWidget(self.required_box)

    def _build_scale_and_limits(self) -> None:
        self.scale_box = QComboBox()
        for start, end in SCALES:
            self.scale_box.addItem(f"{start} to {end}", (start, end))
        self.scale_box.activated.connect(self._scale_picked)
        self._row("&Scale", self.scale_box)
        self.limits = QGroupBox("Limits")
        limits = QVBoxLayout(self.limits)
        self.minimum_edit = QLineEdit()
        self.maximum_edit = QLineEdit()
        for edit, words in (
            (self.minimum_edit, "Smallest number"),
            (self.maximum_edit, "Largest number"),
        ):
            edit.setValidator(QDoubleValidator())
            edit.setAccessibleName(words)
            edit.editingFinished.connect(self._limits_edited)
            self._row(words, edit, layout=limits)
        self.length_box = QSpinBox()
        self.length_box.setRange(0, 100_000)
        self.length_box.setSpecialValueText("no limit")
        self.length_box.setAccessibleName("Longest answer, in characters")
        self.length_box.editingFinished.connect(self._limits_edited)
        self._row("Longest answer (characters)", self.length_box, layout=limits)
        self.message_edit = QLineEdit()
        self.message_edit.setAccessibleName("Message when the answer is outside the limits")
        self.message_edit.editingFinished.connect(self._message_edited)
        self._row("Message when the answer is outside the limits", self.message_edit, layout=limits)
        self.constraint_edit = QLineEdit()
        self.constraint_edit.setAccessibleName("Limit as an XLSForm expression")
        self.constraint_edit.editingFinished.connect(
            lambda: self._change(
                lambda s: question_changed(
                    s, self.name, constraint=self.constraint_edit.text().strip()
                )
            )
        )
        self._row(
            "Limit as an XLSForm expression (for those who know XLSForm)",
            self.constraint_edit,
            "Limit as an XLSForm expression",
            limits,
        )
        self.form.addWidget(self.limits)

    def _build_choices(self) -> None:
        self.choices_group = QGroupBox("Answers to choose from")
        box = QVBoxLayout(self.choices_group)
        self.choices = ChoicesEditor()
        self.choices.edited.connect(self._choices_edited)
        box.addWidget(self.choices)
        self.form.addWidget(self.choices_group)

    def _build_skip(self) -> None:
        self.skip_group = QGroupBox("When it is shown")
        skip = QVBoxLayout(self.skip_group)
        self.skip_box = QComboBox()
        # Its items quote whole questions: the box keeps the column's width, the list shows all.
        self.skip_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.skip_box.setMinimumContentsLength(24)
        self.skip_box.setAccessibleName("Show this question")
        self.skip_box.activated.connect(self._skip_picked)
        self._row("Show &this question", self.skip_box, layout=skip)
        self.relevant_edit = QLineEdit()
        self.relevant_edit.setAccessibleName("Skip rule as an XLSForm expression")
        self.relevant_edit.editingFinished.connect(
            lambda: self._change(
                lambda s: question_changed(s, self.name, relevant=self.relevant_edit.text().strip())
            )
        )
        self._row(
            "Skip rule as an XLSForm expression (for those who know XLSForm)",
            self.relevant_edit,
            "Skip rule as an XLSForm expression",
            skip,
        )
        self.form.addWidget(self.skip_group)

    def _build_consent(self) -> None:
        self.consent_group = QGroupBox("Consent")
        box = QVBoxLayout(self.consent_group)
        self.quote_box = QCheckBox("A yes here is consent to &quote the parent's words anonymously")
        self.share_box = QCheckBox(
            "A yes here is consent to s&hare their anonymised answers with inspectors"
        )
        for check, kind in ((self.quote_box, "quote"), (self.share_box, "share")):
            check.toggled.connect(
                lambda on, k=kind: self._change(
                    lambda s: consent_changed(s, self.name, k, records=on)
                )
            )
            box.addWidget(check)
        self.form.addWidget(self.consent_group)

    # -- showing ----------------------------------------------------------------------------

    def load(
        self,
        survey: Survey,
        name: str | None,
        fixed_names: set[str] | None = None,
        fixed_choices: set[tuple[str, str]] | None = None,
    ) -> None:
        """Show ``name`` of ``survey`` (None: nothing chosen). ``fixed_names`` are the names the
        stored survey already has: they no longer follow the words as they change."""
        self.survey = survey
        self.fixed_names = fixed_names if fixed_names is not None else self.fixed_names
        self.fixed_choices = fixed_choices if fixed_choices is not None else self.fixed_choices
        try:
            question = survey.question(name) if name else None
        except KeyError:
            question = None
        self.name = question.name if question is not None else ""
        self.body.setVisible(question is not None)
        self.empty.setVisible(question is None)
        if question is None:
            self.heading.setText("Question")
            return
        for widget in self.findChildren(QWidget):
            widget.blockSignals(True)
        try:
            self._load(survey, question)
        finally:
            for widget in self.findChildren(QWidget):
                widget.blockSignals(False)

    def _load(self, survey: Survey, question: Question) -> None:
        section = question.type == "begin_group"
        kind = kind_of(survey, question)
        self.heading.setText("Section" if section else "Question")
        self._texts(survey, question)
        self.name_edit.setText(question.name)
        self._show(self.kind_box, not section)
        self.required_box.setVisible(not section and question.type != "note")
        while self.kind_box.count() > len(QUESTION_KINDS):
            self.kind_box.removeItem(self.kind_box.count() - 1)
        index = self.kind_box.findData(kind)
        if index < 0:
            self.kind_box.addItem(question.type, "")
            index = self.kind_box.count() - 1
        self.kind_box.setCurrentIndex(index)
        self.required_box.setChecked(bool(question.required))
        is_scale = question.type == "range"
        self._show(self.scale_box, is_scale)
        if is_scale:
            self._load_scale(question)
        self._load_limits(question)
        choosing = question.type in ("select_one", "select_multiple", "rank")
        self.choices_group.setVisible(choosing and kind != "yes_no")
        if choosing and question.list_name in survey.choice_lists:
            others = len(questions_sharing(survey, question.list_name)) - 1
            kept = {c for listed, c in self.fixed_choices if listed == question.list_name}
            self.choices.show_choices(
                list(survey.choice_lists[question.list_name].choices), self.languages, others, kept
            )
        self._load_skip(survey, question)
        yes_no = is_yes_no(survey, question)
        self.consent_group.setVisible(yes_no)
        self.quote_box.setChecked(survey.consent_quote == question.name)
        self.share_box.setChecked(survey.consent_share == question.name)

    def _texts(self, survey: Survey, question: Question) -> None:
        languages = [
            *survey.languages,
            *(lang for lang in self.extra_languages if lang not in survey.languages),
        ]
        if languages != self.languages:
            for edit in [*self.label_edits.values(), *self.hint_edits.values()]:
                box = self.boxes.pop(edit)
                box.hide()
                box.deleteLater()
            self.label_edits, self.hint_edits = {}, {}
            for language in languages:
                where = f" ({language})" if language else ""
                label = QLineEdit()
                label.editingFinished.connect(lambda lang=language: self._label_edited(lang))
                label.setAccessibleName(f"Words{where}")
                self._row(f"&Words{where}", label, f"Words{where}", self.texts_layout)
                hint = QLineEdit()
                hint.editingFinished.connect(lambda lang=language: self._hint_edited(lang))
                hint.setAccessibleName(f"Hint{where}")
                self._row(f"&Hint under the words{where}", hint, f"Hint{where}", self.texts_layout)
                self.label_edits[language] = label
                self.hint_edits[language] = hint
            self.languages = languages
            # Fields made now sit last in the Tab order: put them back where they are read.
            chain: list[QWidget] = [self.kind_box]
            for language in languages:
                chain += [self.label_edits[language], self.hint_edits[language]]
            chain.append(self.name_edit)
            for first, second in itertools.pairwise(chain):
                QWidget.setTabOrder(first, second)
        for language in languages:
            self.label_edits[language].setText(question.labels.get(language, ""))
            self.hint_edits[language].setText(question.hints.get(language, ""))
            self._show(self.hint_edits[language], question.type != "begin_group")

    def _load_scale(self, question: Question) -> None:
        scale = scale_of(question)
        while self.scale_box.count() > len(SCALES):
            self.scale_box.removeItem(self.scale_box.count() - 1)
        index = self.scale_box.findData(scale)
        if index < 0:
            self.scale_box.addItem(f"{scale[0]} to {scale[1]}", scale)
            index = self.scale_box.count() - 1
        self.scale_box.setCurrentIndex(index)

    def _load_limits(self, question: Question) -> None:
        number = question.type in NUMBER_TYPES
        text = question.type == "text"
        self.limits.setVisible(number or text or bool(question.constraint))
        limits = read_limits(question.constraint)
        simple = limits is not None
        for edit in (self.minimum_edit, self.maximum_edit):
            edit.setEnabled(number and simple)
            self._show(edit, number)
        self.length_box.setEnabled(text and simple)
        self._show(self.length_box, text)
        shown = limits or Limits()
        self.minimum_edit.setText(_shown(shown.minimum))
        self.maximum_edit.setText(_shown(shown.maximum))
        self.length_box.setValue(shown.max_length or 0)
        first = self.languages[0] if self.languages else ""
        self.message_edit.setText(question.constraint_messages.get(first, ""))
        self.constraint_edit.setText(question.constraint)

    def _load_skip(self, survey: Survey, question: Question) -> None:
        self.skip_box.clear()
        self.skip_box.addItem("Always", None)
        for candidate in skip_candidates(survey, question.name):
            label = survey.label(candidate)
            for choice_name, choice_label in survey.choice_labels(candidate).items():
                self.skip_box.addItem(
                    f"Only if “{label}” is “{choice_label}”", SkipRule(candidate.name, choice_name)
                )
        rule = read_skip_rule(survey, question.relevant)
        if not question.relevant:
            self.skip_box.setCurrentIndex(0)
        else:
            index = next(
                (i for i in range(self.skip_box.count()) if self.skip_box.itemData(i) == rule),
                -1,
            )
            if index < 0 or rule is None:
                self.skip_box.addItem("By the rule written below", "custom")
                index = self.skip_box.count() - 1
            self.skip_box.setCurrentIndex(index)
        self.relevant_edit.setText(question.relevant)

    # -- changing ---------------------------------------------------------------------------

    def _change(self, edit: Callable[[Survey], Survey]) -> None:
        if self.survey is None or not self.name:
            return
        changed = edit(self.survey)
        if changed != self.survey:
            self.changed.emit(changed)

    def _question(self) -> Question | None:
        if self.survey is None or not self.name:
            return None
        return self.survey.question(self.name)

    def _kind_picked(self, index: int) -> None:
        key = self.kind_box.itemData(index)
        if key:
            self._change(lambda s: change_kind(s, self.name, str(key)))

    def _label_edited(self, language: str) -> None:
        question = self._question()
        if question is None:
            return
        text = self.label_edits[language].text()
        labels = with_text(question.labels, language, text)
        if labels == question.labels:
            return
        changes: dict[str, object] = {"labels": labels}
        first = self.languages[0] if self.languages else ""
        if language == first and question.name not in self.fixed_names and self.survey is not None:
            taken = {e.name for e in self.survey.elements if e.name != question.name}
            if question.name == name_from_label(question.labels.get(first, ""), taken):
                # A name nobody chose follows the words, until the survey is saved.
                changes["name"] = name_from_label(text, taken)
        # The new name first: the designer keeps the question selected by it.
        self.name = str(changes.get("name", question.name))
        self._change(lambda s: question_changed(s, question.name, **changes))

    def _hint_edited(self, language: str) -> None:
        question = self._question()
        if question is not None:
            hints = with_text(question.hints, language, self.hint_edits[language].text())
            self._change(lambda s: question_changed(s, question.name, hints=hints))

    def _name_edited(self) -> None:
        name = self.name_edit.text().strip()
        if name and name != self.name:
            old = self.name
            self.name = name
            if self.survey is not None:
                changed = question_changed(self.survey, old, name=name)
                if changed != self.survey:
                    self.changed.emit(changed)

    def _scale_picked(self, index: int) -> None:
        start, end = self.scale_box.itemData(index)
        self._change(
            lambda s: question_changed(s, self.name, parameters=scale_parameters(start, end))
        )

    def _limits_edited(self) -> None:
        question = self._question()
        if question is None:
            return
        if question.type in NUMBER_TYPES:
            limits = Limits(_number(self.minimum_edit.text()), _number(self.maximum_edit.text()))
        else:
            limits = Limits(max_length=self.length_box.value() or None)
        expression = limits_expression(limits)
        self._change(lambda s: question_changed(s, self.name, constraint=expression))

    def _message_edited(self) -> None:
        question = self._question()
        if question is not None:
            first = self.languages[0] if self.languages else ""
            messages = with_text(question.constraint_messages, first, self.message_edit.text())
            self._change(lambda s: question_changed(s, self.name, constraint_messages=messages))

    def _choices_edited(self, choices: list[Choice]) -> None:
        question = self._question()
        if question is not None and question.list_name:
            self._change(lambda s: choices_changed(s, question.list_name, choices))

    def _skip_picked(self, index: int) -> None:
        rule = self.skip_box.itemData(index)
        if rule == "custom":
            return
        if rule is None:
            self._change(lambda s: question_changed(s, self.name, relevant=""))
            return
        assert isinstance(rule, SkipRule)
        self._change(lambda s: question_changed(s, self.name, relevant=skip_expression(s, rule)))
