"""The rules a designed question carries, in a chair's terms and as XLSForm expressions: a
scale's ends, simple limits (smallest and largest number, longest answer), skip logic built
from a choice ("show only if *What support…* is *An EHCP*"), and consent on a yes/no question.

Each simple rule is written as the expression the core evaluates and read back from it, so a
rule typed in Excel that says the same thing shows in the designer's simple controls, and
anything else stays an expression the chair can see and edit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from forumkit.surveys.model import Question, Survey

# -- scales and limits ---------------------------------------------------------------------


def scale_parameters(start: int, end: int) -> str:
    """XLSForm ``range`` parameters for a scale of whole numbers."""
    return f"start={start} end={end} step=1"


def scale_of(question: Question) -> tuple[int, int]:
    """(start, end) of a range question's scale (XLSForm's defaults 1 and 10 when unset)."""
    values = {"start": 1.0, "end": 10.0}
    for part in question.parameters.replace(";", " ").split():
        key, _, value = part.partition("=")
        try:
            values[key.strip().lower()] = float(value)
        except ValueError:
            continue
    return int(values["start"]), int(values["end"])


@dataclass(frozen=True)
class Limits:
    """A simple constraint: the smallest and largest number, or the longest text."""

    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None


_NUMBER = r"(-?\d+(?:\.\d+)?)"
_MIN = re.compile(r"^\.\s*>=\s*" + _NUMBER + "$")
_MAX = re.compile(r"^\.\s*<=\s*" + _NUMBER + "$")
_LENGTH = re.compile(r"^string-length\(\s*\.\s*\)\s*<=\s*(\d+)$")


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def limits_expression(limits: Limits) -> str:
    """The XLSForm constraint for ``limits`` ("" when there are none)."""
    parts = []
    if limits.minimum is not None:
        parts.append(f". >= {_number_text(limits.minimum)}")
    if limits.maximum is not None:
        parts.append(f". <= {_number_text(limits.maximum)}")
    if limits.max_length is not None:
        parts.append(f"string-length(.) <= {limits.max_length}")
    return " and ".join(parts)


def read_limits(constraint: str) -> Limits | None:
    """The simple limits a constraint states, or None when it says something else (an
    advanced rule, shown as its expression)."""
    if not constraint.strip():
        return Limits()
    found: dict[str, float | int] = {}
    for part in re.split(r"\s+and\s+", constraint.strip()):
        part = part.strip()
        for key, pattern in (("minimum", _MIN), ("maximum", _MAX), ("max_length", _LENGTH)):
            match = pattern.match(part)
            if match is not None and key not in found:
                text = match.group(1)
                found[key] = int(text) if key == "max_length" else float(text)
                break
        else:
            return None
    return Limits(
        minimum=float(found["minimum"]) if "minimum" in found else None,
        maximum=float(found["maximum"]) if "maximum" in found else None,
        max_length=int(found["max_length"]) if "max_length" in found else None,
    )


# -- skip logic ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SkipRule:
    """ "Show only if *question* is *choice*": skip logic built from a choice."""

    question: str
    choice: str


_EQUALS = re.compile(r"^\$\{\s*([\w.\-]+)\s*\}\s*=\s*'([^']*)'$")
_SELECTED = re.compile(r"^selected\(\s*\$\{\s*([\w.\-]+)\s*\}\s*,\s*'([^']*)'\s*\)$")


def skip_expression(survey: Survey, rule: SkipRule) -> str:
    """The ``relevant`` expression for ``rule``: ``${q} = 'choice'`` after a choose-one
    question, ``selected(${q}, 'choice')`` after a tick-all one."""
    question = survey.question(rule.question)
    if question.type == "select_multiple":
        return f"selected(${{{rule.question}}}, '{rule.choice}')"
    return f"${{{rule.question}}} = '{rule.choice}'"


def read_skip_rule(survey: Survey, relevant: str) -> SkipRule | None:
    """The rule a ``relevant`` expression states if it is one the designer builds, else None."""
    text = relevant.strip()
    match = _EQUALS.match(text) or _SELECTED.match(text)
    if match is None:
        return None
    try:
        survey.question(match.group(1))
    except KeyError:
        return None
    return SkipRule(match.group(1), match.group(2))


def skip_candidates(survey: Survey, name: str) -> list[Question]:
    """The choice questions before ``name`` that a skip rule of ``name`` may read."""
    found = []
    for element in survey.elements:
        if element.name == name and element.type != "end_group":
            break
        if element.type in ("select_one", "select_multiple"):
            found.append(element)
    return found


# -- consent -------------------------------------------------------------------------------


def is_yes_no(survey: Survey, question: Question) -> bool:
    """Whether a question can record consent: a tick to say OK, or a choose-one with a yes."""
    if question.type == "acknowledge":
        return True
    if question.type != "select_one" or question.list_name not in survey.choice_lists:
        return False
    return "yes" in {n.lower() for n in survey.choice_lists[question.list_name].names()}


def consent_changed(survey: Survey, name: str, kind: str, *, records: bool) -> Survey:
    """Make ``name`` the question recording consent to ``kind`` (``"quote"``: quote the
    parent's words anonymously; ``"share"``: share answers with inspectors), or stop it."""
    current = survey.consent_quote if kind == "quote" else survey.consent_share
    chosen = name if records else ("" if current == name else current)
    if kind == "quote":
        return replace(survey, consent_quote=chosen)
    return replace(survey, consent_share=chosen)
