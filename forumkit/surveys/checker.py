"""Applying a survey's rules to responses, with what repeats between them worked out once.

``SurveyChecker(survey).check(answers)`` reads each answer by its question's type
(``forumkit.surveys.answers``), then walks the form in order, as ODK Collect does on a tablet:
skip logic hides questions and groups (and clears their answers), calculations are filled in,
and ``required``, ``constraint`` and choice membership (after choice filters) are applied. The
walk records what it hides, so the form on screen (``forumkit.capture.shown``) shows exactly
the questions whose answers are kept. A checker builds its look-ups once per survey and, for
the many rows of an import, remembers the answers read and the rule outcomes it works out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from forumkit.surveys.answers import (
    Answer,
    InvalidAnswer,
    is_empty,
    read_answer,
    same_when_equal,
    xpath_value,
)
from forumkit.surveys.errors import RuleNotCheckable
from forumkit.surveys.evaluation import Context, Value, evaluate, to_boolean, to_string
from forumkit.surveys.expressions import Call, ColumnName, Expression, parse, references, walk
from forumkit.surveys.model import Question, Survey, UnenforcedRule, pick_text

_REMEMBERED_OUTCOMES = 50_000
"""At most this many rule outcomes (and as many answers read) are kept per checker."""


@dataclass(frozen=True)
class Problem:
    """Why one answer (or a missing one) is not acceptable, in words a volunteer understands."""

    question: str
    kind: str
    """``type``, ``required``, ``constraint``, ``choice`` or ``unknown``."""
    message: str

    def __str__(self) -> str:
        return f"{self.question}: {self.message}"


@dataclass(frozen=True)
class CheckedResponse:
    """Answers after checking: parsed, hidden ones cleared, calculations filled in."""

    answers: dict[str, Answer]
    problems: tuple[Problem, ...]
    cleared: tuple[str, ...]
    """Questions whose answers were dropped because skip logic hides them."""
    unchecked: tuple[UnenforcedRule, ...]
    """Rules that could not be checked for this response (the UI says so)."""
    hidden: tuple[str, ...]
    """Questions and groups skip logic hides for these answers, in form order (inside a
    hidden group, everything)."""

    def shows(self, name: str) -> bool:
        """Whether skip logic shows the question or group ``name`` for these answers."""
        return name not in self.hidden


class SurveyChecker:
    """``check_response`` for one survey, its look-ups built once and reused for every response.

    An import checks thousands of rows against the same survey; building the question index,
    the choice-name sets and the parsed rules once per survey rather than once per row keeps
    that cheap. ``checker.check(answers)`` gives exactly what ``check_response`` gives.
    With ``remember`` (for many responses) it also keeps the answers read and the rule
    outcomes it works out, as those repeat from one response to the next.
    """

    def __init__(self, survey: Survey, *, remember: bool = True) -> None:
        self.survey = survey
        self.remembers = remember
        self.known: dict[str, Question] = {q.name: q for q in survey.questions}
        # (row, type, whether check_question has anything to do for it): a question with no
        # requirement, choice list or constraint is fully checked once its answer is parsed.
        self.elements: tuple[tuple[Question, str, bool], ...] = tuple(
            (
                q,
                q.type,
                q.type == "calculate" or bool(q.required or q.list_name or q.constraint),
            )
            for q in survey.elements
        )
        # Filled on first use, so a rule or choice list that is never reached is never parsed
        # or looked up (and raises, if it is broken, exactly where it did before).
        self.choice_names: dict[int, tuple[frozenset[str], str]] = {}
        self.expressions: dict[str, Expression] = {}
        self.inputs: dict[str, tuple[str, ...] | None] = {}
        self.outcomes: dict[tuple[object, ...], Value] = {}
        self.readings: dict[tuple[str, type, object], tuple[Answer, Value] | None] = {}

    def read(self, question: Question, raw: object) -> tuple[Answer, Value] | None:
        """(the parsed answer, its XPath value), or None for an empty one; ``InvalidAnswer`` if bad.

        Answers other than free text repeat a few values over the rows of an import, so each
        distinct one (text, whole number, date or choice names) is read once per question.
        """
        if type(raw) is str and question.type == "text":
            return (raw, raw) if raw.strip() else None
        kind = type(raw)
        key = (question.name, kind, raw)
        remember = self.remembers and (
            kind is str or kind is int or kind is dt.date or same_when_equal(raw)
        )
        if remember:
            try:
                return self.readings[key]
            except KeyError:
                remember = len(self.readings) < _REMEMBERED_OUTCOMES
        reading: tuple[Answer, Value] | None = None
        if not is_empty(raw):
            answer = read_answer(question, raw)
            reading = (answer, xpath_value(answer))
        if remember:
            self.readings[key] = reading
        return reading

    def check(
        self,
        answers: Mapping[str, object],
        *,
        language: str | None = None,
        now: dt.datetime | None = None,
    ) -> CheckedResponse:
        """Parse, clear, compute and check one response's answers (see ``check_response``)."""
        return _ResponseCheck(self, language, now).run(answers)

    def expression(self, text: str) -> Expression:
        """The parsed rule ``text`` (``ExpressionError`` if it does not parse)."""
        try:
            return self.expressions[text]
        except KeyError:
            parsed = self.expressions[text] = parse(text)
            return parsed

    def outcome(self, text: str, values: Mapping[str, Value], current: Value) -> Value | None:
        """A rule's value already worked out for the same inputs, or None.

        A rule without function calls (``. >= 0 and . <= 25``, ``${ehcp} = 'yes'``) depends
        only on the current answer and the answers it names, and those repeat across the rows
        of an import; such outcomes are remembered when those values are text or dates.
        """
        key = self._outcome_key(text, values, current)
        return None if key is None else self.outcomes.get(key)

    def remember(
        self, text: str, values: Mapping[str, Value], current: Value, value: Value
    ) -> None:
        """Keep a rule's value for ``outcome`` (rules with function calls are not kept)."""
        key = self._outcome_key(text, values, current)
        if key is not None and len(self.outcomes) < _REMEMBERED_OUTCOMES:
            self.outcomes[key] = value

    def _outcome_key(
        self, text: str, values: Mapping[str, Value], current: Value
    ) -> tuple[object, ...] | None:
        try:
            names = self.inputs[text]
        except KeyError:
            expression = self.expression(text)
            pure = not any(isinstance(node, Call | ColumnName) for node in walk(expression))
            names = self.inputs[text] = tuple(sorted(references(expression))) if pure else None
        if names is None or not same_when_equal(current):
            return None
        key: list[object] = [text, type(current), current]
        for name in names:
            value = values.get(name, "")
            if not same_when_equal(value):
                return None
            key += (type(value), value)
        return tuple(key)

    def names_for(self, question: Question) -> tuple[frozenset[str], str]:
        """(the choice names a select question accepts, its choice list's name)."""
        try:
            return self.choice_names[id(question)]  # the survey's own rows, kept alive by it
        except KeyError:
            choice_list = self.survey.choices_for(question)
            names = choice_list.names_with_other() if question.or_other else choice_list.names()
            found = self.choice_names[id(question)] = (frozenset(names), choice_list.name)
            return found


class _ResponseCheck:
    """One response being checked: its answers so far, problems and unchecked rules."""

    def __init__(
        self, compiled: SurveyChecker, language: str | None, now: dt.datetime | None
    ) -> None:
        self.compiled = compiled
        self.survey = compiled.survey
        self.language = language
        self.now = now
        self.problems: list[Problem] = []
        self.unchecked: list[UnenforcedRule] = []
        self.parsed: dict[str, Answer] = {}
        self.values: dict[str, Value] = {}
        self.unreadable: set[str] = set()

    def text(self, texts: Mapping[str, str]) -> str:
        return pick_text(texts, self.language, self.survey.default_language)

    def problem(self, question: Question, kind: str, message: str) -> None:
        self.problems.append(Problem(question.name, kind, message))

    def rule(self, question: Question, column: str, current: Value) -> Value | None:
        """A rule's value, or None (recorded as unchecked) when it cannot be evaluated."""
        text = str(getattr(question, column))
        compiled = self.compiled
        if compiled.remembers:
            known = compiled.outcome(text, self.values, current)
            if known is not None:
                return known
        context = Context(self.values, current, now=self.now)
        try:
            value = evaluate(compiled.expression(text), context)
        except RuleNotCheckable as error:
            self.unchecked.append(UnenforcedRule(question.name, column, str(error)))
            return None
        if compiled.remembers:
            compiled.remember(text, self.values, current, value)
        return value

    def run(self, answers: Mapping[str, object]) -> CheckedResponse:
        compiled = self.compiled
        known = compiled.known
        parsed = self.parsed
        values = self.values
        for name, raw in answers.items():
            question = known.get(name)
            if question is None:
                self.problems.append(
                    Problem(name, "unknown", "this is not a question in the survey.")
                )
                continue
            kind = question.type
            if kind in ("note", "calculate"):
                continue
            if kind == "text" and type(raw) is str:  # the common case, as compiled.read does it
                if raw.strip():
                    parsed[name] = values[name] = raw
                continue
            try:
                reading = compiled.read(question, raw)
            except InvalidAnswer as invalid:
                self.problem(question, "type", invalid.message)
                self.unreadable.add(name)
                continue
            if reading is not None:
                parsed[name], values[name] = reading
        cleared: list[str] = []
        hidden: list[str] = []
        shown: list[bool] = [True]
        for question, kind, checked in self.compiled.elements:
            if kind == "end_group":
                shown.pop()
                continue
            relevant = shown[-1]
            if relevant and question.relevant:
                outcome = self.rule(question, "relevant", "")
                relevant = outcome is None or to_boolean(outcome)
            if kind == "begin_group":
                shown.append(relevant)
                if not relevant:
                    hidden.append(question.name)
                continue
            if not relevant:
                hidden.append(question.name)
                if question.name in parsed:
                    del parsed[question.name]
                    cleared.append(question.name)
                self.values[question.name] = ""
                continue
            if checked:
                self.check_question(question)
        return CheckedResponse(
            dict(parsed),
            tuple(self.problems),
            tuple(cleared),
            tuple(self.unchecked),
            tuple(hidden),
        )

    def check_question(self, question: Question) -> None:
        kind = question.type
        if kind == "calculate":
            if question.calculation:
                result = self.rule(question, "calculation", "")
                if result is not None:
                    self.values[question.name] = to_string(result)
                    self.parsed[question.name] = to_string(result)
            return
        if kind == "note":
            return
        answer = self.parsed.get(question.name)
        if answer is None:
            if question.name in self.unreadable:
                return
            required = question.required == "yes"
            if question.required and not required:
                current = self.values.get(question.name, "")
                outcome = self.rule(question, "required", current)
                required = outcome is not None and to_boolean(outcome)
            if required:
                message = self.text(question.required_messages) or "an answer is required."
                self.problem(question, "required", message)
            return
        if question.list_name and not self.check_choices(question, answer):
            return
        if question.constraint:
            current = self.values.get(question.name, "")
            outcome = self.rule(question, "constraint", current)
            if outcome is not None and not to_boolean(outcome):
                message = self.text(question.constraint_messages) or (
                    f"the answer does not meet the rule “{question.constraint}”."
                )
                self.problem(question, "constraint", message)

    def check_choices(self, question: Question, answer: Answer) -> bool:
        names, _list_name = self.compiled.names_for(question)
        picked = answer if isinstance(answer, tuple) else (str(answer),)
        if not names.issuperset(picked):
            # Said without the choice list's name (“school_type”): a chair knows the question
            # by its words, which every place showing this problem shows beside it.
            self.problem(question, "choice", "the answer is not one of the question's options.")
            return False
        if question.choice_filter:
            offered = self.offered(question)
            if offered is not None and any(name not in offered for name in picked):
                self.problem(
                    question,
                    "choice",
                    "the answer is not one of the choices offered given the earlier answers.",
                )
                return False
        return True

    def offered(self, question: Question) -> set[str] | None:
        """Choice names the choice filter lets through, or None if it cannot be evaluated."""
        expression = self.compiled.expression(question.choice_filter)
        offered: set[str] = {"other"} if question.or_other else set()
        for choice in self.survey.choices_for(question).choices:
            columns = {"name": choice.name, **choice.filters}
            context = Context(self.values, "", columns, now=self.now)
            try:
                keep = to_boolean(evaluate(expression, context))
            except RuleNotCheckable as error:
                self.unchecked.append(UnenforcedRule(question.name, "choice_filter", str(error)))
                return None
            if keep:
                offered.add(choice.name)
        return offered
