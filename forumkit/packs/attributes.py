"""What a pack may say about the family behind a quote without singling it out.

Next to each quote a pack shows some of the respondent's answers to the survey's attribute
questions (the child's phase, type of need, support…), as their labels. A value, and any
combination of values shown together, must be held by at least ``threshold`` of the respondents
the pack draws on (those who agreed to share); otherwise it is left out. For each quote the
attributes are tried in order and one is kept only if the combination kept so far, with it,
still matches ``threshold`` respondents or more: a rare need is dropped while the common phase
stays, and two common values that are rare together are not shown together.

Which questions are attributes: those the chair names, else the single- and multiple-choice
questions of the form's first section that has any (forms put "About your child" first; the top
level of a form without sections counts as its section). Consent questions never are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from forumkit.packs.errors import PackError
from forumkit.surveys import Question, Survey

CHOICE_TYPES = ("select_one", "select_multiple")
MAX_ATTRIBUTES = 6
"""More would hardly ever pass the threshold together, and each costs a count per quote."""

Value = str | tuple[str, ...] | None
"""One respondent's answer to one attribute: a choice, the chosen set, or no answer."""


@dataclass(frozen=True)
class Attribute:
    """An attribute question and how its choices read."""

    name: str
    label: str
    multiple: bool
    choice_labels: Mapping[str, str]

    def value_of(self, answers: Mapping[str, object]) -> Value:
        """This attribute's value in one response's answers (None when not answered)."""
        answer = answers.get(self.name)
        if answer is None or answer == "" or answer == ():
            return None
        if isinstance(answer, tuple | list):
            return tuple(sorted(str(item) for item in answer))
        return str(answer)

    def shown(self, value: Value) -> str:
        """A value in words: its choice labels, several joined by "; "."""
        if value is None:
            return ""
        names = (value,) if isinstance(value, str) else value
        return "; ".join(self.choice_labels.get(name, name) for name in names)


def attribute_questions(survey: Survey, names: Sequence[str] | None = None) -> list[Attribute]:
    """The survey's attribute questions: ``names`` (choice questions, in that order), else the
    choice questions of its first section holding any (module docstring)."""
    consent = {survey.consent_quote, survey.consent_share} - {""}
    choices = [
        question
        for question in survey.questions
        if question.type in CHOICE_TYPES and question.name not in consent
    ]
    if names is None:
        chosen = [q for q in choices if choices and q.group == choices[0].group]
    else:
        chosen = [_named(survey, choices, name) for name in names]
        if len(set(names)) != len(names):
            raise PackError("An attribute question is named twice; name each once.")
    if len(chosen) > MAX_ATTRIBUTES:
        raise PackError(
            f"{len(chosen)} attribute questions were chosen; a pack shows at most "
            f"{MAX_ATTRIBUTES} next to its quotes. Name fewer."
        )
    return [
        Attribute(
            question.name,
            survey.label(question) or question.name,
            question.type == "select_multiple",
            survey.choice_labels(question),
        )
        for question in chosen
    ]


def _named(survey: Survey, choices: Sequence[Question], name: str) -> Question:
    found = next((question for question in choices if question.name == name), None)
    if found is not None:
        return found
    known = {question.name for question in survey.questions}
    if name in known:
        raise PackError(
            f"The question “{name}” of “{survey.title}” is not a single- or multiple-choice "
            "question (or records consent), so it cannot describe a family in a pack."
        )
    raise PackError(f"The survey “{survey.title}” has no question named “{name}”.")


class AttributeGate:
    """Decides, for one respondent's values, which of them a pack may show (module docstring)."""

    def __init__(self, population: Sequence[tuple[Value, ...]], threshold: int) -> None:
        self.population = population
        self.threshold = threshold
        self._counts: dict[tuple[int, ...], Counter[tuple[Value, ...]]] = {}

    def _count(self, indices: tuple[int, ...], values: tuple[Value, ...]) -> int:
        counts = self._counts.get(indices)
        if counts is None:
            counts = Counter(tuple(row[i] for i in indices) for row in self.population)
            self._counts[indices] = counts
        return counts[tuple(values[i] for i in indices)]

    def shown(self, values: tuple[Value, ...]) -> tuple[bool, ...]:
        """For each value, whether it may be shown beside the others kept."""
        kept: tuple[int, ...] = ()
        for index, value in enumerate(values):
            if value is None:
                continue
            trial = (*kept, index)
            if self._count(trial, values) >= self.threshold:
                kept = trial
        return tuple(index in kept for index in range(len(values)))
