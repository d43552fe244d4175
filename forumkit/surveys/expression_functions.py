"""The functions XLSForm expressions can call: XPath 1.0's and ODK's, as ODK Collect runs them.

Each function takes its evaluated arguments and the ``Context`` and returns a value. Where ODK's
two reference evaluators differ, the behaviour follows JavaRosa (ODK Collect's engine) unless
only Enketo's tests pin it down; README.md lists where forumkit differs on purpose. A value a
function cannot use (``date('not a date')``) raises ``ExpressionValueError``, which callers treat
like any rule they cannot check; its message never repeats the value, since that may be a
parent's answer.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import math
import random
import re
import string
import uuid
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

from forumkit.surveys.errors import ExpressionValueError
from forumkit.surveys.expression_values import (
    Context,
    Value,
    day_number_as_date,
    instant_days,
    local,
    read_day,
    read_moment,
    read_time_of_day,
    to_boolean,
    to_number,
    to_string,
)

Function = Callable[[Sequence[Value], Context], Value]

_UTC_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_LARGEST_DAY = 2**31 - 1  # JavaRosa refuses day numbers outside Java's int range
_LONGEST_UUID = 1000
_EARTH_RADIUS_METRES = 6378100.0
_JAVA_SPACE = re.compile(r"[ \t\n\x0b\f\r]+")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DIGESTS = {
    "MD5": "md5",
    "SHA-1": "sha1",
    "SHA-256": "sha256",
    "SHA-384": "sha384",
    "SHA-512": "sha512",
}
_TOKEN_CHARACTERS = string.digits + string.ascii_uppercase


# ---------------------------------------------------------------- text


def _selected(arguments: Sequence[Value], context: Context) -> bool:
    wanted = to_string(arguments[1], context.zone).strip()
    return wanted in to_string(arguments[0], context.zone).split()


def _selected_at(arguments: Sequence[Value], context: Context) -> str:
    names = to_string(arguments[0], context.zone).split()
    position = java_int(to_number(arguments[1], context.zone))
    return names[position] if 0 <= position < len(names) else ""


def _translate(texts: Sequence[str]) -> str:
    """XPath ``translate()``: the first occurrence of a character in ``from`` decides."""
    text, source, target = texts
    table: dict[int, str | None] = {}
    for index, char in enumerate(source):
        table.setdefault(ord(char), target[index] if index < len(target) else None)
    return text.translate(table)


def _substr(arguments: Sequence[Value], context: Context) -> str:
    """ODK ``substr(text, start[, end])``: 0-based; negative positions count from the end."""
    text = to_string(arguments[0], context.zone)
    start = java_int(to_number(arguments[1], context.zone))
    if len(arguments) == 3:
        return text[start : java_int(to_number(arguments[2], context.zone))]
    return text[start:]


def _substring(arguments: Sequence[Value], context: Context) -> str:
    """XPath 1.0 ``substring()``: 1-based, rounded positions."""
    text = to_string(arguments[0], context.zone)
    start = _xpath_round(to_number(arguments[1], context.zone))
    end = math.inf
    if len(arguments) == 3:
        end = start + _xpath_round(to_number(arguments[2], context.zone))
    if math.isnan(start) or math.isnan(end):
        return ""
    first = max(start, 1.0)
    if first >= end or first > len(text):
        return ""
    last = len(text) + 1 if end > len(text) else end
    return text[int(first) - 1 : int(last) - 1]


def _before(texts: Sequence[str]) -> str:
    text, separator = texts
    position = text.find(separator)
    return text[:position] if position >= 0 else ""


def _after(texts: Sequence[str]) -> str:
    text, separator = texts
    position = text.find(separator)
    return text[position + len(separator) :] if position >= 0 else ""


def _normalize_space(text: str) -> str:
    """As JavaRosa: trim (every control character and space), then collapse Java's ``\\s``."""
    return _JAVA_SPACE.sub(" ", text.strip("".join(map(chr, range(33)))))


def _regex(arguments: Sequence[Value], context: Context) -> bool:
    """ODK Collect's ``regex()``: the whole text must match the pattern."""
    pattern = to_string(arguments[1], context.zone)
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        # The pattern is not repeated: it may have come from an answer.
        raise ExpressionValueError(
            f"regex() was given a pattern that is not a usable regular expression ({error})."
        ) from None
    return compiled.fullmatch(to_string(arguments[0], context.zone)) is not None


def _boolean_from_string(value: Value, context: Context) -> bool:
    """``'true'`` (in any case, as in ODK Collect) or ``'1'``."""
    text = to_string(value, context.zone)
    return text == "1" or text.lower() == "true"


def _uuid(arguments: Sequence[Value], context: Context) -> str:
    """A random UUID, or (``uuid(n)``) n random letters and digits, as ODK Collect makes."""
    if not arguments:
        return str(uuid.uuid4())
    length = java_int(to_number(arguments[0], context.zone))
    if length > _LONGEST_UUID:
        raise ExpressionValueError(f"uuid() makes at most {_LONGEST_UUID} characters.")
    return "".join(random.choice(_TOKEN_CHARACTERS) for _ in range(max(length, 0)))


def _digest(arguments: Sequence[Value], context: Context) -> str:
    """``digest(text, algorithm[, 'base64' or 'hex'])`` of the text's UTF-8 bytes."""
    texts = [to_string(a, context.zone) for a in arguments]
    algorithm = _DIGESTS.get(texts[1].upper())
    encoding = texts[2].lower() if len(texts) == 3 else "base64"
    if algorithm is None:
        raise ExpressionValueError(
            "digest() takes MD5, SHA-1, SHA-256, SHA-384 or SHA-512 as its algorithm."
        )
    if encoding not in ("base64", "hex"):
        raise ExpressionValueError("digest() writes its result as base64 or hex.")
    digest = hashlib.new(algorithm, texts[0].encode("utf-8"), usedforsecurity=False).digest()
    return digest.hex() if encoding == "hex" else base64.b64encode(digest).decode("ascii")


# ---------------------------------------------------------------- numbers


def java_int(number: float) -> int:
    """A number as Java's ``(int)`` cast makes it: truncated, NaN 0, clamped to 32 bits."""
    if number != number:
        return 0
    return int(max(min(number, 2**31 - 1), -(2**31)))


def _xpath_round(number: float) -> float:
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.floor(number + 0.5))


def _int(value: Value, context: Context) -> float:
    number = to_number(value, context.zone)
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.trunc(number))


def _round(arguments: Sequence[Value], context: Context) -> float:
    """ODK ``round(x[, digits])``: halves round towards positive infinity, as in JavaRosa."""
    number = to_number(arguments[0], context.zone)
    digits = java_int(to_number(arguments[1], context.zone)) if len(arguments) == 2 else 0
    if math.isnan(number) or math.isinf(number):
        return number
    if abs(digits) > 30:
        return math.nan
    method = ROUND_HALF_UP if number >= 0 else ROUND_HALF_DOWN
    try:
        exact = Decimal(repr(number))
        return float(exact.scaleb(digits).quantize(Decimal(1), method).scaleb(-digits))
    except InvalidOperation:
        return number


def _math(function: Callable[..., float]) -> Function:
    def apply(arguments: Sequence[Value], context: Context) -> Value:
        try:
            return float(function(*(to_number(a, context.zone) for a in arguments)))
        except ValueError:
            return math.nan
        except OverflowError:
            return math.inf

    return apply


def _pow(base: float, exponent: float) -> float:
    try:
        return math.pow(base, exponent)
    except ValueError:
        return math.nan
    except OverflowError:
        odd = exponent.is_integer() and exponent % 2 == 1
        return -math.inf if base < 0 and odd else math.inf


def _log(function: Callable[[float], float]) -> Callable[[float], float]:
    def apply(number: float) -> float:
        return -math.inf if number == 0 else function(number)

    return apply


def _extreme(pick: Callable[[list[float]], float]) -> Function:
    """``min()``/``max()`` over the arguments' numbers; NaN ones are skipped (JavaRosa)."""

    def apply(arguments: Sequence[Value], context: Context) -> Value:
        numbers = [to_number(a, context.zone) for a in arguments]
        numbers = [n for n in numbers if n == n]
        return pick(numbers) if numbers else math.nan

    return apply


def _checklist(arguments: Sequence[Value], context: Context) -> bool:
    """At least ``min`` and at most ``max`` of the conditions are true (-1: no limit)."""
    low = java_int(to_number(arguments[0], context.zone))
    high = java_int(to_number(arguments[1], context.zone))
    count = sum(to_boolean(value) for value in arguments[2:])
    return (low < 0 or count >= low) and (high < 0 or count <= high)


def _weighted_checklist(arguments: Sequence[Value], context: Context) -> bool:
    """The weights of the true conditions add up to between ``min`` and ``max`` (JavaRosa)."""
    low = to_number(arguments[0], context.zone)
    high = to_number(arguments[1], context.zone)
    pairs = zip(arguments[2::2], arguments[3::2], strict=True)
    total = sum(to_number(weight, context.zone) for flag, weight in pairs if to_boolean(flag))
    return low <= total <= high


# ---------------------------------------------------------------- dates and times


def _day_from_number(number: float, function: str) -> dt.date:
    day = day_number_as_date(number)
    if day is None:
        raise ExpressionValueError(f"{function}() was given a number too large to be a date.")
    return day


def _instant_from_number(number: float, context: Context, function: str) -> dt.datetime:
    """``number`` days after 1970-01-01T00:00Z, as local time."""
    try:
        return local(_UTC_EPOCH + dt.timedelta(days=number), context.zone)
    except (OverflowError, ValueError):
        raise ExpressionValueError(
            f"{function}() was given a number too large to be a date."
        ) from None


def _date(value: Value, context: Context) -> Value:
    """``date()``: a calendar day. A date and time keeps the day it was written with."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if value == "":
            return ""
        day = read_day(value)  # the day as written, whatever the offset
        if day is None:
            raise ExpressionValueError("date() was given text that is not a date.")
        return day
    if isinstance(value, bool):
        raise ExpressionValueError("date() was given true or false, which is not a date.")
    number = float(value)
    if number != number:
        return number
    return _day_from_number(number, "date")


def _date_time(value: Value, context: Context) -> Value:
    """``date-time()``: a date and time; a number counts days since 1970-01-01T00:00Z."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if value == "":
            return ""
        moment = read_moment(value, context.zone)
        if moment is None:
            raise ExpressionValueError("date-time() was given text that is not a date.")
        return moment
    if isinstance(value, bool):
        raise ExpressionValueError("date-time() was given true or false, which is not a date.")
    number = float(value)
    if number != number:
        return number
    return _instant_from_number(number, context, "date-time")


def _decimal_date_time(value: Value, context: Context) -> Value:
    """Days since 1970-01-01T00:00Z, with the time as a fraction of a day."""
    if isinstance(value, dt.datetime):
        return instant_days(value, context.zone)
    if isinstance(value, dt.date):
        midnight = dt.datetime(value.year, value.month, value.day)
        return instant_days(midnight, context.zone)
    if isinstance(value, str):
        if value == "":
            return ""
        moment = read_moment(value, context.zone)
        if moment is None:
            raise ExpressionValueError("decimal-date-time() was given text that is not a date.")
        return _decimal_date_time(moment, context)
    if isinstance(value, bool):
        raise ExpressionValueError("decimal-date-time() was given true or false.")
    number = float(value)
    if math.isinf(number) or abs(number) > _LARGEST_DAY:
        raise ExpressionValueError("decimal-date-time() was given a number too large.")
    return number


def _decimal_time(value: Value, context: Context) -> float:
    """The local time of day as a fraction of a day (06:00 is 0.25); NaN for other text."""
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, float | int):
        number = float(value)
        return number - math.floor(number) if math.isfinite(number) else math.nan
    moment: dt.date | None
    if isinstance(value, dt.date):
        moment = value
    else:
        text = value.strip()
        moment = read_moment(text, context.zone)
        if moment is None:  # a time on its own, as a time question's answer is written
            moment = read_time_of_day(text, context.today(), context.zone)
    if not isinstance(moment, dt.datetime):
        return 0.0 if isinstance(moment, dt.date) else math.nan
    wall = local(moment, context.zone)
    seconds = wall.hour * 3600 + wall.minute * 60 + wall.second + wall.microsecond / 1e6
    return seconds / 86400.0


def _format_date(arguments: Sequence[Value], context: Context) -> str:
    """ODK ``format-date(value, format)``: %Y %y %m %n %b %d %e %a %H %h %M %S %3 %W %%.

    Text that is not a date formats as nothing (as in Enketo); other % codes stay as written.
    """
    value = arguments[0]
    if isinstance(value, str):
        moment = read_moment(value, context.zone) if value else None
    elif isinstance(value, dt.date):
        moment = value
    else:
        number = to_number(value, context.zone)
        if not math.isfinite(number):
            return ""
        moment = _instant_from_number(number, context, "format-date")
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        wall = local(moment, context.zone)
    else:
        wall = dt.datetime(moment.year, moment.month, moment.day)
    return re.sub(r"%(.)", lambda match: _date_field(wall, match.group(1)), to_string(arguments[1]))


def _date_field(moment: dt.datetime, code: str) -> str:
    fields = {
        "Y": f"{moment.year:04d}",
        "y": f"{moment.year % 100:02d}",
        "m": f"{moment.month:02d}",
        "n": str(moment.month),
        "b": _MONTHS[moment.month - 1],
        "d": f"{moment.day:02d}",
        "e": str(moment.day),
        "a": _WEEKDAYS[moment.weekday()],
        "H": f"{moment.hour:02d}",
        "h": str(moment.hour),
        "M": f"{moment.minute:02d}",
        "S": f"{moment.second:02d}",
        "3": f"{moment.microsecond // 1000:03d}",
        "W": str(moment.isocalendar().week),
        "%": "%",
    }
    return fields.get(code, "%" + code)


# ---------------------------------------------------------------- places


def _points(arguments: Sequence[Value], context: Context) -> list[tuple[float, float]] | None:
    """Locations written as ODK writes them ("lat lon [alt [accuracy]]", ";" between), or None."""
    if len(arguments) == 1:
        texts = to_string(arguments[0], context.zone).split(";")
    else:
        texts = [to_string(a, context.zone) for a in arguments]
    points: list[tuple[float, float]] = []
    for text in texts:
        parts = text.split()
        if not 2 <= len(parts) <= 4:
            return None
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            return None
        latitude, longitude = numbers[0], numbers[1]
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return None
        if len(numbers) == 4 and not numbers[3] >= 0:
            return None
        points.append((latitude, longitude))
    return points


def _distance(arguments: Sequence[Value], context: Context) -> float:
    """Metres along the points, on a sphere the Earth's size, to the centimetre."""
    points = _points(arguments, context)
    if points is None:
        return math.nan
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(points):
        phi1, phi2 = math.radians(lat1), math.radians(lat2)
        cosine = math.sin(phi1) * math.sin(phi2) + math.cos(phi1) * math.cos(phi2) * math.cos(
            math.radians(lon1 - lon2)
        )
        total += math.acos(max(-1.0, min(1.0, cosine))) * _EARTH_RADIUS_METRES
    return abs(round(total * 100)) / 100


def _area(arguments: Sequence[Value], context: Context) -> float:
    """Square metres inside the points (a closed shape), to the square centimetre."""
    points = _points(arguments, context)
    if points is None:
        return math.nan
    total = 0.0
    if len(points) > 2:
        for index, (lat1, lon1) in enumerate(points):
            lat2, lon2 = points[(index + 1) % len(points)]
            total += math.radians(lon2 - lon1) * (
                2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2))
            )
        total = total * _EARTH_RADIUS_METRES * _EARTH_RADIUS_METRES / 2
    return abs(round(total * 100)) / 100


# ---------------------------------------------------------------- the table


def _text(function: Callable[[Sequence[str]], Value]) -> Function:
    def apply(arguments: Sequence[Value], context: Context) -> Value:
        return function([to_string(a, context.zone) for a in arguments])

    return apply


def _or_current(arguments: Sequence[Value], context: Context) -> Value:
    return arguments[0] if arguments else context.current


FUNCTIONS: dict[str, Function] = {
    "selected": _selected,
    "selected-at": _selected_at,
    "count-selected": lambda a, c: float(len(to_string(a[0], c.zone).split())),
    "string-length": lambda a, c: float(len(to_string(_or_current(a, c), c.zone))),
    "concat": _text(lambda s: "".join(s)),
    "join": _text(lambda s: s[0].join(s[1:])),
    "contains": _text(lambda s: s[1] in s[0]),
    "starts-with": _text(lambda s: s[0].startswith(s[1])),
    "ends-with": _text(lambda s: s[0].endswith(s[1])),
    "substr": _substr,
    "substring": _substring,
    "substring-before": _text(_before),
    "substring-after": _text(_after),
    "translate": _text(_translate),
    "normalize-space": lambda a, c: _normalize_space(to_string(_or_current(a, c), c.zone)),
    "regex": _regex,
    "boolean-from-string": lambda a, c: _boolean_from_string(a[0], c),
    "uuid": _uuid,
    "digest": _digest,
    "today": lambda a, c: c.today(),
    "now": lambda a, c: c.moment(),
    "date": lambda a, c: _date(a[0], c),
    "date-time": lambda a, c: _date_time(a[0], c),
    "decimal-date-time": lambda a, c: _decimal_date_time(a[0], c),
    "decimal-time": lambda a, c: _decimal_time(a[0], c),
    "format-date": _format_date,
    "format-date-time": _format_date,
    "number": lambda a, c: to_number(a[0], c.zone),
    "int": lambda a, c: _int(a[0], c),
    "round": _round,
    "floor": _math(lambda x: float(math.floor(x)) if math.isfinite(x) else x),
    "ceiling": _math(lambda x: float(math.ceil(x)) if math.isfinite(x) else x),
    "abs": _math(abs),
    "pow": _math(_pow),
    "sqrt": _math(math.sqrt),
    "exp": _math(math.exp),
    "exp10": _math(lambda x: _pow(10.0, x)),
    "log": _math(_log(math.log)),
    "log10": _math(_log(math.log10)),
    "sin": _math(math.sin),
    "cos": _math(math.cos),
    "tan": _math(math.tan),
    "asin": _math(math.asin),
    "acos": _math(math.acos),
    "atan": _math(math.atan),
    "atan2": _math(math.atan2),
    "pi": lambda a, c: math.pi,
    "random": lambda a, c: random.random(),
    "min": _extreme(min),
    "max": _extreme(max),
    "checklist": _checklist,
    "weighted-checklist": _weighted_checklist,
    "area": _area,
    "distance": _distance,
    "boolean": lambda a, c: to_boolean(a[0]),
    "string": lambda a, c: to_string(a[0], c.zone),
    "not": lambda a, c: not to_boolean(a[0]),
    "true": lambda a, c: True,
    "false": lambda a, c: False,
    "once": lambda a, c: c.current if to_string(c.current, c.zone) != "" else a[0],
}
"""Functions whose arguments are all evaluated first (``if``, ``coalesce``, ``count``,
``count-non-empty`` and ``sum`` are handled by the evaluator, which needs their arguments
unevaluated)."""
