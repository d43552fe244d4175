"""What an answer is, and how each question type's answer is read.

A parent's answer arrives as typed on screen or as a spreadsheet cell; ``read_answer`` turns it
into the survey's own terms (a whole number, a date, choice names…) or raises ``InvalidAnswer``
with a sentence naming what is wrong, never repeating what was written. ``range_scale`` is the
one reading of a range question's parameters, for the check here and for the form on screen.
``forumkit.surveys.checker`` applies the survey's rules to answers read this way.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from forumkit.surveys.evaluation import Value, to_string
from forumkit.surveys.model import METADATA_TYPES, Question

Answer = str | int | float | bool | dt.date | dt.time | tuple[str, ...]
"""A parsed answer: text, number, date/time, a tick, or choice names (multiple/rank)."""

_INTEGER = re.compile(r"[+-]?\d+(?:\.0*)?")
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?")


class InvalidAnswer(Exception):
    """An answer its question's type cannot take; ``message`` says why, in a volunteer's words."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


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


_PARAMETER_DELIMITERS = re.compile(r"[\s,;]+")


def parameter_parts(parameters: str) -> list[tuple[str, str]]:
    """``start=1, Step=2;end=9`` → ``[("start", "1"), ("step", "2"), ("end", "9")]``: the
    pieces of a ``parameters`` cell as pyxform splits them (spaces, commas and semicolons
    between pairs; a name in any case), each value as written."""
    parts = []
    for part in _PARAMETER_DELIMITERS.split(parameters.strip()):
        if part:
            key, _, value = part.partition("=")
            parts.append((key.strip().lower(), value.strip()))
    return parts


def range_scale(question: Question) -> Scale:
    """The scale of a ``range`` question from its parameters (XLSForm defaults 1 to 10).

    Reading a survey refuses parameters that are not numbers, so one that slips through (a
    survey stored by an older forumkit) keeps its default rather than stopping every check.
    """
    settings = {"start": 1.0, "end": 10.0, "step": 1.0}
    for key, value in parameter_parts(question.parameters):
        try:
            settings[key] = float(value)
        except ValueError:
            continue
    return Scale(settings["start"], settings["end"], settings["step"])


def same_when_equal(raw: object) -> bool:
    """Whether every value equal to ``raw`` reads the same (not so for 0.0 and -0.0, say)."""
    kind = type(raw)
    if kind is str or kind is int or kind is dt.date:
        return True
    return type(raw) is tuple and all(type(item) is str for item in raw)


def is_empty(raw: object) -> bool:
    """Whether ``raw`` is no answer at all (nothing, blank text, no choices)."""
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


def read_answer(question: Question, raw: object) -> Answer:
    """``raw`` (not empty) read as ``question``'s type says; ``InvalidAnswer`` if it cannot be."""
    kind = question.type
    parser = _PARSERS.get(kind)
    if parser is not None:
        return parser(raw)
    if kind == "range":
        return _in_range(question, _decimal(raw))
    raise InvalidAnswer(f"questions of type {kind} take no answer.")


def _plain(raw: object) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _integer(raw: object) -> int:
    if isinstance(raw, bool):
        raise InvalidAnswer("the answer is not a whole number.")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _INTEGER.fullmatch(raw.strip()):
        return int(float(raw.strip())) if "." in raw else int(raw.strip())
    raise InvalidAnswer("the answer is not a whole number.")


def _decimal(raw: object) -> float:
    if isinstance(raw, bool):
        raise InvalidAnswer("the answer is not a number.")
    try:
        number = float(raw) if isinstance(raw, int | float | str) else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise InvalidAnswer("the answer is not a number.")
    return number


def _in_range(question: Question, number: float) -> float:
    settings = {"start": 1.0, "end": 10.0, "step": 1.0}
    for key, value in parameter_parts(question.parameters):
        settings[key] = float(value)
    low, high = sorted((settings["start"], settings["end"]))
    steps = (number - settings["start"]) / settings["step"] if settings["step"] else 0.0
    if not low <= number <= high or abs(steps - round(steps)) > 1e-9:
        raise InvalidAnswer(
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
        raise InvalidAnswer("a ranking cannot list the same choice twice.")
    return tuple(dict.fromkeys(name for name in names if name))


def _date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise InvalidAnswer("the answer is not a date (write it as YYYY-MM-DD).") from None


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
    raise InvalidAnswer("the answer is not a time of day (write it as HH:MM).")


def _datetime(raw: object) -> dt.datetime:
    if isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, dt.date):
        return dt.datetime(raw.year, raw.month, raw.day)
    try:
        return dt.datetime.fromisoformat(str(raw).strip())
    except ValueError:
        raise InvalidAnswer("the answer is not a date and time (YYYY-MM-DD HH:MM).") from None


def _acknowledge(raw: object) -> bool:
    if raw is True or (isinstance(raw, str) and raw.strip().lower() in ("ok", "yes", "true", "1")):
        return True
    if isinstance(raw, int) and not isinstance(raw, bool) and raw == 1:
        return True
    raise InvalidAnswer("the answer to an acknowledgement can only be OK.")


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
