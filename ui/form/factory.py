"""Which field a question gets: one input widget per question type (``ui.form.fields`` for
typed answers, ``ui.form.choices`` for picked ones)."""

from __future__ import annotations

from collections.abc import Callable

from forumkit.capture import range_scale
from forumkit.surveys import Question, Survey
from ui.form.choices import CheckField, ComboField, RadioField, RangeField, RankField
from ui.form.fields import (
    RADIO_LIMIT,
    AcknowledgeField,
    DateField,
    Field,
    NumberField,
    TextEntryField,
    TextField,
)

FieldFactory = Callable[[Question, Survey], Field]


def field_for(question: Question, survey: Survey) -> Field | None:
    """The input widget for ``question``; None for rows with nothing to type (notes, metadata)."""
    kind = question.type
    if kind == "text":
        return TextField(question, survey)
    if kind in ("integer", "decimal"):
        return NumberField(question, survey)
    if kind == "date":
        return DateField(question, survey)
    if kind in ("time", "datetime"):
        return TextEntryField(question, survey)
    if kind == "select_one":
        choices = (
            survey.choices_for(question).names_with_other()
            if question.or_other
            else (survey.choices_for(question).names())
        )
        if len(choices) <= RADIO_LIMIT:
            return RadioField(question, survey)
        return ComboField(question, survey)
    if kind == "select_multiple":
        return CheckField(question, survey)
    if kind == "rank":
        return RankField(question, survey)
    if kind == "range":
        if len(range_scale(question).points()) <= 21:
            return RangeField(question, survey)
        return NumberField(question, survey)
    if kind == "acknowledge":
        return AcknowledgeField(question, survey)
    return None
