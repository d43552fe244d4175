"""What a form on screen needs from the survey's rules while a response is being captured.

``check_response`` says what is wrong with a set of answers; a form also needs to know which
questions and sections to show right now (skip logic), including ones not answered yet, and
how a range question's scale runs. Both follow ``forumkit.surveys.validate`` exactly, so the
screen and the saved response never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from forumkit.surveys import RuleNotCheckable, Survey, check_response
from forumkit.surveys.evaluation import Context, Value, evaluate, to_boolean, to_string
from forumkit.surveys.expressions import parse
from forumkit.surveys.model import Question
from forumkit.surveys.validate import xpath_value


@dataclass(frozen=True)
class Shown:
    """Which rows of the survey to show for the answers given so far."""

    questions: frozenset[str]
    """Names of questions and groups that are relevant (a hidden group hides its contents)."""
    cleared: tuple[str, ...]
    """Answers given to questions that are now hidden, which the form should clear."""


def shown(survey: Survey, answers: Mapping[str, object]) -> Shown:
    """The questions and groups skip logic shows, given ``answers`` (raw, as typed).

    A rule that cannot be evaluated (an unknown function) shows its question, as
    ``check_response`` does.
    """
    checked = check_response(survey, answers)
    values: dict[str, Value] = {
        name: xpath_value(answer) for name, answer in checked.answers.items()
    }
    visible: set[str] = set()
    stack: list[bool] = [True]
    for element in survey.elements:
        if element.type == "end_group":
            stack.pop()
            continue
        relevant = stack[-1]
        if relevant and element.relevant:
            try:
                relevant = to_boolean(evaluate(parse(element.relevant), Context(values, "")))
            except RuleNotCheckable:
                relevant = True
        if element.type == "begin_group":
            stack.append(relevant)
        if relevant:
            visible.add(element.name)
    return Shown(frozenset(visible), checked.cleared)


@dataclass(frozen=True)
class Scale:
    """A range question's scale: from ``start`` to ``end`` in steps of ``step``."""

    start: float
    end: float
    step: float

    def points(self) -> list[float]:
        """Every value on the scale, from start to end."""
        if self.step == 0:
            return [self.start]
        count = round(abs(self.end - self.start) / abs(self.step))
        direction = 1 if self.end >= self.start else -1
        return [self.start + direction * abs(self.step) * i for i in range(count + 1)]


def range_scale(question: Question) -> Scale:
    """The scale of a ``range`` question from its parameters (XLSForm defaults 1 to 10)."""
    settings = {"start": 1.0, "end": 10.0, "step": 1.0}
    for part in question.parameters.replace(";", " ").split():
        key, _, value = part.partition("=")
        try:
            settings[key.strip().lower()] = float(value)
        except ValueError:
            continue
    return Scale(settings["start"], settings["end"], settings["step"])


def scale_text(number: float) -> str:
    """A scale point as people write it (``3``, not ``3.0``)."""
    return to_string(number)
