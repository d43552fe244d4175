"""forumkit's expressions against the test suites of ODK's two reference evaluators.

``conformance/cases.json`` holds every context-free case of Enketo's openrosa-xpath-evaluator
and of JavaRosa (ODK Collect's engine), extracted from their own tests (see the README there).
Each case is evaluated here as a form's rule would be, and compared the way that reference's
own test compares. Any Python exception other than forumkit's own expression errors fails, and
so does any disagreement that is not in ``INTENDED`` below, with the reason it is intended.

``python -m tests.core.surveys.test_conformance`` prints the agreement figures and every
disagreement.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from forumkit.surveys.errors import ExpressionError, RuleNotCheckable
from forumkit.surveys.evaluation import Context, Value, evaluate, to_boolean, to_number, to_string
from forumkit.surveys.expressions import parse

FIXTURE = Path(__file__).resolve().parent / "conformance" / "cases.json"

# Disagreements forumkit keeps on purpose: (reference, expression) -> why. The README's
# "Where forumkit's expressions differ on purpose" says the same in words. All are with Enketo;
# where the two references disagree forumkit follows JavaRosa, which ODK Collect runs.
_ARITY = "a call with the wrong number of arguments is refused at import, even if never reached"
_NOT_A_DATE = "date()/date-time() of text or true/false that is no date stops a rule (JavaRosa)"
_DAY_NUMBER = "a number given to date() is a calendar day, as in JavaRosa"
_TEST_ZONE = "date-time() of a day number is 00:00 UTC, the evening before in UTC-7 (as in ODK)"
_TEXT = "two texts are compared as text, as in JavaRosa, even if both look like dates"
_JS_DATE = "the text is JavaScript's own way of writing a date, not ISO 8601"
_EXPONENT = "ODK Collect reads no exponents in numbers (7.9e-12)"
_HALVES = "halves round towards positive infinity, as in JavaRosa (round(-1.5) is -1)"
_CASE = "boolean-from-string() takes 'True' as true, as ODK Collect does"
_SPACE = "normalize-space() also removes form feeds and vertical tabs, as ODK Collect does"
_WEIGHTS = "weighted-checklist()'s -1 is a limit, not 'no limit', as in JavaRosa"
INTENDED: dict[tuple[str, str], str] = {
    ("enketo", "false() and substring()"): _ARITY,
    ("enketo", "false() and substring() and true()"): _ARITY,
    ("enketo", "true() and false() and substring()"): _ARITY,
    ("enketo", "true() or substring()"): _ARITY,
    ("enketo", "true() or substring() and true()"): _ARITY,
    ("enketo", "false() or true() or substring()"): _ARITY,
    ("enketo", 'date("not a date")'): _NOT_A_DATE,
    ("enketo", 'date-time("not a date")'): _NOT_A_DATE,
    ("enketo", 'date("opv_3")'): _NOT_A_DATE,
    ("enketo", 'date-time("opv_3")'): _NOT_A_DATE,
    ("enketo", "date(true())"): _NOT_A_DATE,
    ("enketo", "date-time(true())"): _NOT_A_DATE,
    ("enketo", "date('nonsense')"): _NOT_A_DATE,
    ("enketo", "date-time('nonsense')"): _NOT_A_DATE,
    ("enketo", "date(number('invalid'))"): _NOT_A_DATE,
    ("enketo", "date(0)"): _DAY_NUMBER,
    ("enketo", "date(1)"): _DAY_NUMBER,
    ("enketo", "date(1.5)"): _DAY_NUMBER,
    ("enketo", "date(-1)"): _DAY_NUMBER,
    ("enketo", 'date(decimal-date-time("2003-10-20T08:00:00.000-07:00"))'): _DAY_NUMBER,
    ("enketo", "date-time(decimal-date-time(today()- 60 ))"): _TEST_ZONE,
    ("enketo", "date-time(0) = date('1970-01-01T00:00:00.000+00:00')"): _TEST_ZONE,
    ("enketo", "date-time(1) = date('1970-01-02T00:00:00.000+00:00')"): _TEST_ZONE,
    ("enketo", "date-time(-1) = date('1969-12-31T00:00:00.000+00:00')"): _TEST_ZONE,
    ("enketo", "date-time(14127) = date('2008-09-05T00:00:00.000+00:00')"): _TEST_ZONE,
    ("enketo", "date-time(-10252) = date('1941-12-07T00:00:00.000+00:00')"): _TEST_ZONE,
    ("enketo", '"2018-06-25" = "2018-06-25T00:00:00.000-07:00"'): _TEXT,
    (
        "enketo",
        "format-date('Wed Nov 15 2023 10:30:00 GMT-0700 (Mountain Standard Time)', '%e | %a' )",
    ): _JS_DATE,
    (
        "enketo",
        "format-date-time('Wed Nov 15 2023 10:30:00 GMT-0700 (Mountain Standard Time)', "
        "'%e | %a' )",
    ): _JS_DATE,
    ("enketo", "int(7.922021953507237e-12)"): _EXPONENT,
    ("enketo", 'int("7.922021953507237e-12")'): _EXPONENT,
    ("enketo", "round(-1.5)"): _HALVES,
    ("enketo", "round(-1.5, 0)"): _HALVES,
    ("enketo", 'round("-1.475", "2")'): _HALVES,
    ("enketo", "boolean-from-string('True')"): _CASE,
    ("enketo", "normalize-space(' \f\v ')"): _SPACE,
    ("enketo", "normalize-space('\na  \f \r\v  b\r\n  ')"): _SPACE,
    ("enketo", "weighted-checklist(2, -1, true(), 999, false(), 5, false(), 6)"): _WEIGHTS,
}

THRESHOLDS = {"javarosa": 0.99, "enketo": 0.97}


# Enketo counts a date's day number from 1970-01-01T00:00Z to the date's local midnight, so in
# its tests' time zone (America/Phoenix, UTC-7) every day number carries an extra 7/24; forumkit,
# like JavaRosa, counts whole calendar days. A whole number n from forumkit agrees with Enketo's
# n + 7/24: the same day, counted from another midnight (README: "compare as it does").
ENKETO_DAY_SHIFT = 7 / 24


@dataclass(frozen=True)
class Outcome:
    """One case's result: what forumkit gave, and whether the reference's test would pass."""

    case: dict[str, Any]
    got: str
    agrees: bool
    crashed: bool = False
    shifted: bool = False
    """Agrees only as a day number counted from Enketo's local midnight (see above)."""


def load() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data["references"], data["cases"]


def context_for(reference: dict[str, Any]) -> Context:
    """The context a reference's tests run in: its time zone and (Enketo) its fixed clock."""
    hours, minutes = reference["utc_offset"].split(":")
    offset = dt.timedelta(hours=int(hours), minutes=int(minutes) * (-1 if "-" in hours else 1))
    zone = dt.timezone(offset, reference["time_zone"])
    now = reference.get("now")
    return Context(now=dt.datetime.fromisoformat(now) if now else None, zone=zone)


def run(case: dict[str, Any], context: Context) -> Outcome:
    try:
        expression = parse(case["expression"])
        if case["expect"] == "parses":
            return Outcome(case, "parses", True)
        value = evaluate(expression, context)
    except (ExpressionError, RuleNotCheckable) as error:
        return Outcome(case, f"error: {error}", case["expect"] == "error")
    except Exception as error:  # any other exception is the defect this test looks for
        return Outcome(case, f"Python exception {type(error).__name__}: {error}", False, True)
    if case["expect"] == "error":
        return Outcome(case, describe(value), False)
    if agrees(case, value, context):
        return Outcome(case, describe(value), True)
    shifted = case["ref"] == "enketo" and agrees_shifted(case, value, context)
    return Outcome(case, describe(value), shifted, shifted=shifted)


def describe(value: Value) -> str:
    if isinstance(value, dt.date):
        return f"{type(value).__name__} {value.isoformat()}"
    return f"{type(value).__name__} {value!r}"


def expected_number(raw: Any) -> float:
    return float(raw)  # JSON numbers, or "NaN", "Infinity", "-Infinity", "-0"


def same_number(got: float, expected: float, tolerance: float = 0.0) -> bool:
    if math.isnan(expected):
        return math.isnan(got)
    if math.isinf(expected):
        return got == expected
    return abs(got - expected) <= tolerance or got == expected


def agrees(case: dict[str, Any], value: Value, context: Context) -> bool:
    """Whether the reference's own assertion would accept ``value``."""
    expect, expected = case["expect"], case.get("value")
    if case["ref"] == "javarosa":
        return javarosa_agrees(expect, expected, value)
    zone = context.zone
    if expect == "number":
        return same_number(to_number(value, zone), expected_number(expected), 1e-12)
    if expect == "number-any":  # evaluated as ANY_TYPE: numberValue exists for numbers only
        number = value if isinstance(value, float) and not isinstance(value, bool) else math.nan
        return same_number(number, expected_number(expected), 1e-12)
    if expect == "number-rounded":  # Math.round(value * factor) / factor
        factor = float(case["factor"])
        number = to_number(value, zone) * factor
        return same_number(math.floor(number + 0.5) / factor, expected_number(expected))
    if expect == "string":
        return to_string(value, zone) == expected
    if expect == "string-length":
        return len(to_string(value, zone)) == expected
    if expect == "boolean":
        return to_boolean(value) is expected
    if expect == "match":
        return re.search(str(expected), to_string(value, zone)) is not None
    raise AssertionError(f"unknown expectation {expect}")


def agrees_shifted(case: dict[str, Any], value: Value, context: Context) -> bool:
    """Whether a whole day number agrees with Enketo's once counted from its local midnight."""
    if case["expect"] not in ("number", "number-any", "number-rounded", "string"):
        return False
    number = to_number(value, context.zone)
    if not (isinstance(value, float) and math.isfinite(number) and number.is_integer()):
        return False
    shifted = float(number + ENKETO_DAY_SHIFT)
    if case["expect"] == "string":
        try:
            expected = float(case["value"])
        except ValueError:
            return False
        return abs(shifted - expected) < 1e-9
    return agrees(case, shifted, context)


def javarosa_agrees(expect: str, expected: Any, value: Value) -> bool:
    """JavaRosa's testEval: the result's Java type must match, doubles within 1e-12."""
    if expect == "number":
        if not isinstance(value, float) or isinstance(value, bool):
            return False
        return same_number(value, expected_number(expected), 1e-12)
    if expect == "boolean":
        return isinstance(value, bool) and value is expected
    if expect == "string":
        return isinstance(value, str) and value == expected
    if expect == "date":
        return isinstance(value, dt.date) and value.isoformat()[:10] == expected
    if expect == "datetime":
        wanted = dt.datetime.fromisoformat(expected).replace(tzinfo=dt.UTC)
        if not isinstance(value, dt.datetime):
            return False
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return moment == wanted
    raise AssertionError(f"unknown expectation {expect}")


def outcomes() -> Iterator[Outcome]:
    references, cases = load()
    contexts = {name: context_for(reference) for name, reference in references.items()}
    for case in cases:
        yield run(case, contexts[case["ref"]])


def _key(case: dict[str, Any]) -> tuple[str, str]:
    return (case["ref"], case["expression"])


def _where(case: dict[str, Any]) -> str:
    return f"{case['ref']} {case['source']}:{case['line']} {case['expression']!r}"


ALL = list(outcomes())


def test_no_python_exception_escapes_the_evaluator() -> None:
    crashed = [f"{_where(o.case)}: {o.got}" for o in ALL if o.crashed]
    assert not crashed, "\n".join(crashed)


def test_every_disagreement_is_an_intended_one() -> None:
    unexpected = [
        f"{_where(o.case)}: expected {o.case['expect']} {o.case.get('value')!r}, got {o.got}"
        for o in ALL
        if not o.agrees and _key(o.case) not in INTENDED
    ]
    assert not unexpected, "\n".join(unexpected)


def test_the_intended_differences_are_still_differences() -> None:
    differing = {_key(o.case) for o in ALL if not o.agrees}
    stale = sorted(set(INTENDED) - differing)
    assert not stale, f"these now agree; remove them from INTENDED: {stale}"


@pytest.mark.parametrize("reference", sorted(THRESHOLDS))
def test_agreement_with_each_reference_meets_its_bar(reference: str) -> None:
    mine = [o for o in ALL if o.case["ref"] == reference]
    share = sum(o.agrees for o in mine) / len(mine)
    assert share >= THRESHOLDS[reference], f"{reference}: {share:.1%} of {len(mine)} agree"


def report() -> str:
    lines = []
    for reference in sorted(THRESHOLDS):
        mine = [o for o in ALL if o.case["ref"] == reference]
        agreeing = sum(o.agrees for o in mine)
        crashed = sum(o.crashed for o in mine)
        shifted = sum(o.shifted for o in mine)
        lines.append(
            f"{reference}: {agreeing} of {len(mine)} agree ({agreeing / len(mine):.1%}; "
            f"{shifted} of them as day numbers from Enketo's midnight), "
            f"{crashed} Python exceptions"
        )
    for outcome in ALL:
        if not outcome.agrees:
            case = outcome.case
            mark = " (intended)" if _key(case) in INTENDED else ""
            lines.append(
                f"  {_where(case)}: expected {case['expect']} {case.get('value')!r}, "
                f"got {outcome.got}{mark}"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    print(report())
