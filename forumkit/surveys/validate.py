"""Checking one parent's answers against a survey's rules, as data entry and imports need.

``check_response`` parses each answer by its question type, clears answers to questions that
skip logic hides, computes calculations, and applies ``required``, ``constraint`` and choice
membership (after choice filters), in form order, as ODK Collect does on a tablet. Problems name
the question and carry the form's own message; they never repeat what the parent wrote, so they
can be shown or reported without spreading personal data.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from forumkit.surveys.errors import RuleNotCheckable
from forumkit.surveys.evaluation import Context, Value, evaluate, to_boolean, to_string
from forumkit.surveys.expressions import Call, ColumnName, Expression, parse, references, walk
from forumkit.surveys.model import (
    METADATA_TYPES,
    Question,
    Survey,
    UnenforcedRule,
    pick_text,
)

Answer = str | int | float | bool | dt.date | dt.time | tuple[str, ...]
"""A parsed answer: text, number, date/time, a tick, or choice names (multiple/rank)."""

_REMEMBERED_OUTCOMES = 50_000
"""At most this many rule outcomes (and as many answers read) are kept per checker."""

_INTEGER = re.compile(r"[+-]?\d+(?:\.0*)?")
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?")


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


class _Invalid(Exception):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def validate(
    survey: Survey,
    answers: Mapping[str, object],
    *,
    language: str | None = None,
    now: dt.datetime | None = None,
) -> list[Problem]:
    """Every problem with one response's answers; an empty list means it can be saved."""
    return list(check_response(survey, answers, language=language, now=now).problems)


def check_response(
    survey: Survey,
    answers: Mapping[str, object],
    *,
    language: str | None = None,
    now: dt.datetime | None = None,
) -> CheckedResponse:
    """Parse, clear, compute and check one response's answers against ``survey``'s rules."""
    return SurveyChecker(survey, remember=False).check(answers, language=language, now=now)


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
        """(the parsed answer, its XPath value), or None for an empty one; ``_Invalid`` if bad.

        Answers other than free text repeat a few values over the rows of an import, so each
        distinct one (text, whole number, date or choice names) is read once per question.
        """
        if type(raw) is str and question.type == "text":
            return (raw, raw) if raw.strip() else None
        kind = type(raw)
        key = (question.name, kind, raw)
        remember = self.remembers and (
            kind is str or kind is int or kind is dt.date or _same_when_equal(raw)
        )
        if remember:
            try:
                return self.readings[key]
            except KeyError:
                remember = len(self.readings) < _REMEMBERED_OUTCOMES
        reading: tuple[Answer, Value] | None = None
        if not _is_empty(raw):
            answer = _parse_answer(question, raw)
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
        return _Checker(self, language, now).run(answers)

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
        if names is None or not _same_when_equal(current):
            return None
        key: list[object] = [text, type(current), current]
        for name in names:
            value = values.get(name, "")
            if not _same_when_equal(value):
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


class _Checker:
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
            except _Invalid as invalid:
                self.problem(question, "type", invalid.message)
                self.unreadable.add(name)
                continue
            if reading is not None:
                parsed[name], values[name] = reading
        cleared: list[str] = []
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
                continue
            if not relevant:
                if question.name in parsed:
                    del parsed[question.name]
                    cleared.append(question.name)
                self.values[question.name] = ""
                continue
            if checked:
                self.check_question(question)
        return CheckedResponse(
            dict(parsed), tuple(self.problems), tuple(cleared), tuple(self.unchecked)
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
        names, list_name = self.compiled.names_for(question)
        picked = answer if isinstance(answer, tuple) else (str(answer),)
        if not names.issuperset(picked):
            self.problem(
                question, "choice", f"the answer is not one of the choices in “{list_name}”."
            )
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


def _same_when_equal(raw: object) -> bool:
    """Whether every value equal to ``raw`` reads the same (not so for 0.0 and -0.0, say)."""
    kind = type(raw)
    if kind is str or kind is int or kind is dt.date:
        return True
    return type(raw) is tuple and all(type(item) is str for item in raw)


def _is_empty(raw: object) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple | set | frozenset):
        return len(raw) == 0
    return False


def xpath_value(answer: Answer) -> Value:
    """An answer as XPath expressions see it (multi-select as space-separated names)."""
    if isinstance(answer, str):
        return answer
    if isinstance(answer, tuple):
        return " ".join(answer)
    if isinstance(answer, bool):
        return "OK" if answer else ""
    if isinstance(answer, int | float):
        return to_string(float(answer))
    if isinstance(answer, dt.time):
        return answer.isoformat()
    return answer


def _parse_answer(question: Question, raw: object) -> Answer:
    kind = question.type
    parser = _PARSERS.get(kind)
    if parser is not None:
        return parser(raw)
    if kind == "range":
        return _in_range(question, _decimal(raw))
    raise _Invalid(f"questions of type {kind} take no answer.")


def _plain(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _integer(raw: object) -> int:
    if isinstance(raw, bool):
        raise _Invalid("the answer is not a whole number.")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _INTEGER.fullmatch(raw.strip()):
        return int(float(raw.strip())) if "." in raw else int(raw.strip())
    raise _Invalid("the answer is not a whole number.")


def _decimal(raw: object) -> float:
    if isinstance(raw, bool):
        raise _Invalid("the answer is not a number.")
    try:
        number = float(raw) if isinstance(raw, int | float | str) else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise _Invalid("the answer is not a number.")
    return number


def _in_range(question: Question, number: float) -> float:
    settings = {"start": 1.0, "end": 10.0, "step": 1.0}
    for part in question.parameters.replace(";", " ").split():
        key, _, value = part.partition("=")
        settings[key.strip().lower()] = float(value)
    low, high = sorted((settings["start"], settings["end"]))
    steps = (number - settings["start"]) / settings["step"] if settings["step"] else 0.0
    if not low <= number <= high or abs(steps - round(steps)) > 1e-9:
        raise _Invalid(
            f"the answer must be between {to_string(low)} and {to_string(high)} "
            f"in steps of {to_string(settings['step'])}."
        )
    return int(number) if number.is_integer() else number


def _names(raw: object, *, ranked: bool) -> tuple[str, ...]:
    if isinstance(raw, str):
        names = raw.split()
    elif isinstance(raw, Sequence | set | frozenset):
        names = [_plain(item).strip() for item in raw]
    else:
        names = _plain(raw).split()
    if ranked and len(set(names)) != len(names):
        raise _Invalid("a ranking cannot list the same choice twice.")
    return tuple(dict.fromkeys(name for name in names if name))


def _date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise _Invalid("the answer is not a date (write it as YYYY-MM-DD).") from None


def _time(raw: object) -> dt.time:
    if isinstance(raw, dt.datetime):
        return raw.time()
    if isinstance(raw, dt.time):
        return raw
    text = str(raw).strip()
    if _TIME.fullmatch(text):
        try:
            return dt.time.fromisoformat(text.zfill(len(text) + (text.index(":") == 1)))
        except ValueError:
            pass
    raise _Invalid("the answer is not a time of day (write it as HH:MM).")


def _datetime(raw: object) -> dt.datetime:
    if isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, dt.date):
        return dt.datetime(raw.year, raw.month, raw.day)
    try:
        return dt.datetime.fromisoformat(str(raw).strip())
    except ValueError:
        raise _Invalid("the answer is not a date and time (YYYY-MM-DD HH:MM).") from None


def _acknowledge(raw: object) -> bool:
    if raw is True or (isinstance(raw, str) and raw.strip().lower() in ("ok", "yes", "true", "1")):
        return True
    if isinstance(raw, int) and not isinstance(raw, bool) and raw == 1:
        return True
    raise _Invalid("the answer to an acknowledgement can only be OK.")


def _text(raw: object) -> str:
    return raw if isinstance(raw, str) else _plain(raw)


def _choice_name(raw: object) -> str:
    return _plain(raw).strip()


def _choice_names(raw: object) -> tuple[str, ...]:
    return _names(raw, ranked=False)


def _ranking(raw: object) -> tuple[str, ...]:
    return _names(raw, ranked=True)


_PARSERS: dict[str, Callable[[object], Answer]] = {
    "text": _text,
    "integer": _integer,
    "decimal": _decimal,
    "select_one": _choice_name,
    "select_multiple": _choice_names,
    "rank": _ranking,
    "date": _date,
    "today": _date,
    "time": _time,
    "datetime": _datetime,
    **dict.fromkeys(METADATA_TYPES - {"today"}, _datetime),
    "acknowledge": _acknowledge,
}
"""How each question type's answer is read (``range`` needs its question's parameters)."""
