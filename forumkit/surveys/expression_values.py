"""The values XLSForm expressions work with, and how they convert, as ODK's evaluators do.

Answers reach expressions as text (``${age}`` is ``"12"``, a multiple choice answer is its choice
names separated by spaces, a missing answer is ``""``), so most conversions start from text:

* a number is read as JavaRosa (ODK Collect) reads one: digits, a minus sign and one decimal
  point, a comma counting as the point (``'4,6'`` is 4.6); no exponents, so ``'1e3'`` is NaN;
* a date (``2024-03-01``, also ``2024-3-1``) is a calendar day, and its number is the count of
  days since 1970-01-01, as in JavaRosa;
* a date and time is an instant. Written without an offset it is local time; it is shown in the
  local time zone with its offset (``2024-03-01T09:30:00.000+00:00``), and its number is the
  local date's day number plus the local time as a fraction of a day, so dates and times of
  day compare as a volunteer reads them (``decimal-date-time()`` counts from 00:00 UTC instead);
* numbers are written as XPath 1.0 writes them: never with an exponent, whole numbers without a
  decimal point, so ``number(string(x))`` is ``x`` again.

"Local" is the ``Context``'s time zone, which is the computer's own unless a caller fixes one.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

Value = str | float | bool | dt.date
"""An expression's value; a ``dt.datetime`` (a ``dt.date`` too) is a date and time."""

_EPOCH = dt.date(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_LAST_ORDINAL = dt.date.max.toordinal()
_UTC_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_DAY_SECONDS = 86400.0
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]*)?")
_NUMBER = re.compile(r"\s*(-?(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+))\s*")
_DATE = re.compile(r"\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_TIME = re.compile(
    r"([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?"
    r"(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?\s*"
)


@dataclass(frozen=True)
class Context:
    """What an expression can see: the answers so far, the current answer, the choice row.

    ``now`` fixes the clock (naive means local wall-clock time) and ``zone`` the local time
    zone; both default to the computer's own.
    """

    answers: Mapping[str, Value] = field(default_factory=dict)
    current: Value = ""
    columns: Mapping[str, str] = field(default_factory=dict)
    now: dt.datetime | None = None
    zone: dt.tzinfo | None = None

    def today(self) -> dt.date:
        """The local date ``today()`` reports."""
        if self.now is None and self.zone is None:
            return dt.date.today()
        if self.now is not None and self.now.tzinfo is None:
            return self.now.date()
        return self.moment().date()

    def moment(self) -> dt.datetime:
        """The time ``now()`` and ``today()`` report, in the local time zone."""
        if self.now is None:
            return local(dt.datetime.now(dt.UTC), self.zone)
        if self.now.tzinfo is None:
            return localise(self.now, self.zone)
        return local(self.now, self.zone)


def local(moment: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """An instant as local time (``zone`` None: the computer's own zone, right for any date)."""
    if moment.tzinfo is None:
        return localise(moment, zone)
    try:
        return moment.astimezone(zone) if zone is not None else moment.astimezone()
    except (OverflowError, ValueError):  # at the ends of the years 1 to 9999
        return moment


def localise(wall_clock: dt.datetime, zone: dt.tzinfo | None) -> dt.datetime:
    """A local wall-clock time (naive) as an instant."""
    if zone is not None:
        return wall_clock.replace(tzinfo=zone)
    try:
        return wall_clock.astimezone()  # a naive datetime is taken as the computer's local time
    except (OverflowError, ValueError):  # beyond what the computer's clock functions handle
        return wall_clock.replace(tzinfo=dt.UTC)


# ---------------------------------------------------------------- reading text


def read_number(text: str) -> float:
    """Text as a number the way JavaRosa reads it; NaN when it is not one."""
    if _PLAIN_NUMBER.fullmatch(text):  # the common case: answers to number questions
        return float(text)
    match = _NUMBER.fullmatch(text)
    if match is None:
        return math.nan
    return float(match.group(1).replace(",", "."))


def read_moment(text: str, zone: dt.tzinfo | None) -> dt.date | None:
    """A date (``dt.date``) or date and time (an aware ``dt.datetime``) written as ISO 8601.

    None when the text is not one, or names a day that does not exist (2023-02-30).
    """
    match = _DATE.match(text)
    if match is None:
        return None
    try:
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    rest = text[match.end() :]
    if not rest.strip():
        return day
    if rest[0] not in "T ":
        return None
    time = read_time_of_day(rest[1:], day, zone)
    return time


def read_day(text: str) -> dt.date | None:
    """The calendar day a date, or a date and time, is written with (its offset ignored)."""
    moment = read_moment(text, dt.UTC)
    match = _DATE.match(text)
    if moment is None or match is None:
        return None
    return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def read_time_of_day(text: str, day: dt.date, zone: dt.tzinfo | None) -> dt.datetime | None:
    """``HH:MM[:SS[.fff]][offset]`` on ``day`` as an instant in local time, or None."""
    match = _TIME.fullmatch(text)
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    fraction = match.group(4) or ""
    micro = int((fraction + "000000")[:6]) if fraction else 0
    try:
        wall = dt.datetime(day.year, day.month, day.day, hour, minute, second, micro)
    except ValueError:
        return None
    offset = match.group(5)
    try:
        if offset is None:
            return localise(wall, zone)
        if offset == "Z":
            return local(wall.replace(tzinfo=dt.UTC), zone)
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 23 or minutes > 59:
            return None
        shift = dt.timedelta(hours=hours, minutes=minutes) * sign
        return local(wall.replace(tzinfo=dt.timezone(shift)), zone)
    except (OverflowError, ValueError):  # beyond the years 1 to 9999 once moved to local time
        return None


# ---------------------------------------------------------------- conversions


def to_number(value: Value, zone: dt.tzinfo | None = None) -> float:
    """XPath ``number()`` as ODK reads values (see the module docstring)."""
    if isinstance(value, str):  # answers are text, so this comes first
        number = read_number(value)
        if number == number or not value:  # not NaN (or nothing to read as a date either)
            return number
        moment = read_moment(value, zone)
        return math.nan if moment is None else to_number(moment, zone)
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float | int):
        return float(value)
    if isinstance(value, dt.datetime):
        wall = local(value, zone)
        seconds = wall.hour * 3600 + wall.minute * 60 + wall.second + wall.microsecond / 1e6
        return wall.toordinal() - _EPOCH_ORDINAL + seconds / _DAY_SECONDS
    return float(value.toordinal() - _EPOCH_ORDINAL)


def instant_days(moment: dt.datetime, zone: dt.tzinfo | None = None) -> float:
    """Days (with fractions) since 1970-01-01T00:00Z; naive means local time."""
    if moment.tzinfo is None:
        moment = localise(moment, zone)
    return (moment - _UTC_EPOCH).total_seconds() / _DAY_SECONDS


def day_number_as_date(number: float) -> dt.date | None:
    """The calendar day ``number`` days after 1970-01-01 (fractions dropped toward zero), or
    None outside the years 1 to 9999."""
    if not math.isfinite(number):
        return None
    ordinal = _EPOCH_ORDINAL + int(number)
    if not 1 <= ordinal <= _LAST_ORDINAL:
        return None
    return dt.date.fromordinal(ordinal)


def to_string(value: Value, zone: dt.tzinfo | None = None) -> str:
    """XPath ``string()``: numbers without exponents, booleans as true/false, ISO dates."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        return number_text(float(value))
    if isinstance(value, dt.datetime):
        # Aware date-times are already local (the evaluator makes them so) or keep the offset
        # a caller gave them; a naive one is local time.
        return moment_text(value if value.tzinfo is not None else localise(value, zone))
    return value.isoformat()


def number_text(number: float) -> str:
    """A number as XPath 1.0 writes it: ``0.0000001``, never ``1e-07``."""
    if number != number:
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer():
        return str(int(number))
    text = repr(number)
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


def moment_text(moment: dt.datetime) -> str:
    """A local date and time as ODK writes one; just the date when it is exactly midnight."""
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        return moment.date().isoformat()
    offset = moment.utcoffset() or dt.timedelta(0)
    if offset:
        minutes = int(abs(offset).total_seconds()) // 60
        sign = "-" if offset < dt.timedelta(0) else "+"
        zone = f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    else:
        zone = "Z"
    millis = moment.microsecond // 1000
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{millis:03d}{zone}"


def to_boolean(value: Value) -> bool:
    """XPath ``boolean()``: non-empty text and non-zero numbers are true."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float | int):
        return not (value == 0 or value != value)
    if isinstance(value, dt.date):
        return True
    return value != ""
