"""What XLSForm expressions mean: XPath 1.0 values and the ODK functions forms use in practice.

Answers are seen the way ODK Collect sees them: as text (``${age}`` is ``"12"``, a multiple
choice answer is its choice names separated by spaces, a missing answer is ``""``). Comparisons
and arithmetic convert as XPath 1.0 does, so a form behaves here as it does on a tablet.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from forumkit.surveys.errors import RuleNotCheckable, UnsupportedFunction
from forumkit.surveys.expressions import (
    BinaryOperation,
    Call,
    ColumnName,
    Current,
    Expression,
    Literal,
    Negation,
    Reference,
)

Value = str | float | bool | dt.date
"""An expression's value; ``dt.datetime`` is a ``dt.date`` too."""

_EPOCH = dt.date(1970, 1, 1)
_XPATH_NUMBER = re.compile(r"\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Context:
    """What an expression can see: the answers so far, the current answer, the choice row."""

    answers: Mapping[str, Value] = field(default_factory=dict)
    current: Value = ""
    columns: Mapping[str, str] = field(default_factory=dict)
    now: dt.datetime | None = None

    def moment(self) -> dt.datetime:
        """The time ``now()`` and ``today()`` report: fixed by the caller, else the clock."""
        return self.now if self.now is not None else dt.datetime.now()


def to_number(value: Value) -> float:
    """XPath ``number()``: text that is not a number is NaN; dates count days since 1970."""
    if isinstance(value, str):  # answers are seen as text, so this comes first
        return _text_number(value)
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float | int):
        return float(value)
    if isinstance(value, dt.datetime):
        return (value - dt.datetime(1970, 1, 1, tzinfo=value.tzinfo)).total_seconds() / 86400
    if isinstance(value, dt.date):
        return float((value - _EPOCH).days)
    return _text_number(value)


def _text_number(value: str) -> float:
    if _XPATH_NUMBER.fullmatch(value):
        return float(value)
    moment = _as_moment(value)
    return math.nan if moment is None else to_number(moment)


def _as_moment(text: str) -> dt.date | None:
    text = text.strip()
    if not _ISO_DATE.match(text):
        return None
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def to_string(value: Value) -> str:
    """XPath ``string()``: whole numbers without a decimal point, booleans as true/false."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        if math.isinf(number):
            return "Infinity" if number > 0 else "-Infinity"
        if number.is_integer():
            return str(int(number))
        return repr(number)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_boolean(value: Value) -> bool:
    """XPath ``boolean()``: non-empty text and non-zero numbers are true."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float | int):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, dt.date):
        return True
    return value != ""


def _compare(operator: str, left: Value, right: Value) -> bool:
    if operator in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            equal = to_boolean(left) == to_boolean(right)
        elif isinstance(left, float | int | dt.date) or isinstance(right, float | int | dt.date):
            equal = to_number(left) == to_number(right)
        else:
            equal = to_string(left) == to_string(right)
        return equal if operator == "=" else not equal
    a, b = to_number(left), to_number(right)
    if operator == "<":
        return a < b
    if operator == "<=":
        return a <= b
    if operator == ">":
        return a > b
    return a >= b


def _divide(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _modulo(a: float, b: float) -> float:
    if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b):
        return math.nan
    return math.fmod(a, b)


def evaluate(expression: Expression, context: Context) -> Value:
    """The value of a parsed expression given the answers in ``context``.

    Raises ``RuleNotCheckable`` (``UnsupportedFunction``) when the expression needs something
    forumkit cannot compute; callers then leave that one rule unenforced.
    """
    # The common nodes by exact type first: rules are evaluated for every row of an import.
    if type(expression) is BinaryOperation:
        return _binary(expression, context)
    if type(expression) is Current:
        return context.current
    if type(expression) is Literal:
        return expression.value
    if type(expression) is Reference:
        return context.answers.get(expression.name, "")
    if isinstance(expression, Literal):
        return expression.value
    if isinstance(expression, Reference):
        return context.answers.get(expression.name, "")
    if isinstance(expression, Current):
        return context.current
    if isinstance(expression, ColumnName):
        return context.columns.get(expression.name, "")
    if isinstance(expression, Negation):
        return -to_number(evaluate(expression.operand, context))
    if isinstance(expression, BinaryOperation):
        return _binary(expression, context)
    return _call(expression, context)


def _binary(expression: BinaryOperation, context: Context) -> Value:
    operator = expression.operator
    if operator == "and":
        return to_boolean(evaluate(expression.left, context)) and to_boolean(
            evaluate(expression.right, context)
        )
    if operator == "or":
        return to_boolean(evaluate(expression.left, context)) or to_boolean(
            evaluate(expression.right, context)
        )
    left = evaluate(expression.left, context)
    right = evaluate(expression.right, context)
    if operator in ("=", "!=", "<", "<=", ">", ">="):
        return _compare(operator, left, right)
    a, b = to_number(left), to_number(right)
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    if operator == "div":
        return _divide(a, b)
    return _modulo(a, b)


def _call(call: Call, context: Context) -> Value:
    if call.function == "if":
        condition, then, otherwise = call.arguments
        return evaluate(then if to_boolean(evaluate(condition, context)) else otherwise, context)
    function = _FUNCTIONS.get(call.function)
    if function is None:
        raise UnsupportedFunction(call.function)
    arguments = [evaluate(argument, context) for argument in call.arguments]
    return function(arguments, context)


def _selected_names(value: Value) -> list[str]:
    return to_string(value).split()


def _selected_at(arguments: Sequence[Value]) -> str:
    names = _selected_names(arguments[0])
    position = to_number(arguments[1])
    if not math.isfinite(position) or not 0 <= int(position) < len(names):
        return ""
    return names[int(position)]


def _translate(texts: Sequence[str]) -> str:
    """XPath ``translate()``: the first occurrence of a character in ``from`` decides."""
    text, source, target = texts
    table: dict[int, str | None] = {}
    for index, char in enumerate(source):
        table.setdefault(ord(char), target[index] if index < len(target) else None)
    return text.translate(table)


def _substr(arguments: Sequence[Value]) -> str:
    text = to_string(arguments[0])
    start = int(to_number(arguments[1]))
    if len(arguments) == 3:
        return text[start : int(to_number(arguments[2]))]
    return text[start:]


def _substring(arguments: Sequence[Value]) -> str:
    """XPath 1.0 ``substring()``: 1-based, rounded positions."""
    text = to_string(arguments[0])
    start = _xpath_round(to_number(arguments[1]))
    end = math.inf
    if len(arguments) == 3:
        end = start + _xpath_round(to_number(arguments[2]))
    if math.isnan(start) or math.isnan(end):
        return ""
    return "".join(c for i, c in enumerate(text, start=1) if start <= i < end)


def _xpath_round(number: float) -> float:
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.floor(number + 0.5))


def _round(arguments: Sequence[Value]) -> float:
    """ODK ``round(x, digits)``: halves round away from zero."""
    number = to_number(arguments[0])
    digits = int(to_number(arguments[1])) if len(arguments) == 2 else 0
    if math.isnan(number) or math.isinf(number):
        return number
    try:
        quantum = Decimal(1).scaleb(-digits)
        return float(Decimal(repr(number)).quantize(quantum, rounding=ROUND_HALF_UP))
    except InvalidOperation:
        return number


def _int(value: Value) -> float:
    number = to_number(value)
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.trunc(number))


def _regex(arguments: Sequence[Value]) -> bool:
    pattern = to_string(arguments[1])
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise RuleNotCheckable(
            f"The pattern “{pattern}” is not a usable regex ({error})."
        ) from None
    return compiled.search(to_string(arguments[0])) is not None


def _as_date(value: Value) -> Value:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        moment = _as_moment(value)
        return moment if moment is not None else ""
    number = to_number(value)
    if math.isnan(number) or math.isinf(number):
        return ""
    return _EPOCH + dt.timedelta(days=math.floor(number))


_DATE_FORMATS = {
    "%Y": "%Y",
    "%y": "%y",
    "%m": "%m",
    "%n": "{month}",
    "%b": "%b",
    "%d": "%d",
    "%e": "{day}",
    "%a": "%a",
    "%H": "%H",
    "%h": "{hour}",
    "%M": "%M",
    "%S": "%S",
    "%3": "{millis}",
}


def _format_date(arguments: Sequence[Value]) -> str:
    moment = _as_date(arguments[0])
    if not isinstance(moment, dt.date):
        return ""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day)
    pieces = re.split(r"(%.)", to_string(arguments[1]))
    text = []
    for piece in pieces:
        code = _DATE_FORMATS.get(piece)
        if code is None:
            text.append(piece)
        elif code.startswith("%"):
            text.append(moment.strftime(code))
        else:
            text.append(
                code.format(
                    month=moment.month,
                    day=moment.day,
                    hour=moment.hour,
                    millis=f"{moment.microsecond // 1000:03d}",
                )
            )
    return "".join(text)


def _math(function: Callable[..., float]) -> Callable[[Sequence[Value], Context], Value]:
    def apply(arguments: Sequence[Value], _context: Context) -> Value:
        try:
            return function(*(to_number(a) for a in arguments))
        except (ValueError, OverflowError):
            return math.nan

    return apply


def _text(
    function: Callable[[Sequence[str]], Value],
) -> Callable[[Sequence[Value], Context], Value]:
    def apply(arguments: Sequence[Value], _context: Context) -> Value:
        return function([to_string(a) for a in arguments])

    return apply


def _or_current(arguments: Sequence[Value], context: Context) -> Value:
    return arguments[0] if arguments else context.current


def _numbers(arguments: Sequence[Value]) -> list[float]:
    return [to_number(a) for a in arguments]


_Function = Callable[[Sequence[Value], Context], Value]

_FUNCTIONS: dict[str, _Function] = {
    "selected": lambda a, c: to_string(a[1]).strip() in _selected_names(a[0]),
    "selected-at": lambda a, c: _selected_at(a),
    "count-selected": lambda a, c: float(len(_selected_names(a[0]))),
    "string-length": lambda a, c: float(len(to_string(_or_current(a, c)))),
    "concat": _text(lambda s: "".join(s)),
    "join": _text(lambda s: s[0].join(s[1:])),
    "contains": _text(lambda s: s[1] in s[0]),
    "starts-with": _text(lambda s: s[0].startswith(s[1])),
    "ends-with": _text(lambda s: s[0].endswith(s[1])),
    "substr": lambda a, c: _substr(a),
    "substring": lambda a, c: _substring(a),
    "substring-before": _text(lambda s: s[0].split(s[1], 1)[0] if s[1] in s[0] else ""),
    "substring-after": _text(lambda s: s[0].split(s[1], 1)[1] if s[1] in s[0] else ""),
    "translate": _text(_translate),
    "normalize-space": lambda a, c: " ".join(to_string(_or_current(a, c)).split()),
    "coalesce": lambda a, c: a[0] if to_string(a[0]) != "" else a[1],
    "regex": lambda a, c: _regex(a),
    "today": lambda a, c: c.moment().date(),
    "now": lambda a, c: c.moment(),
    "date": lambda a, c: _as_date(a[0]),
    "date-time": lambda a, c: _as_date(a[0]),
    "decimal-date-time": lambda a, c: to_number(_as_date(a[0])),
    "decimal-date": lambda a, c: to_number(_as_date(a[0])),
    "format-date": lambda a, c: _format_date(a),
    "format-date-time": lambda a, c: _format_date(a),
    "number": lambda a, c: to_number(_or_current(a, c)),
    "int": lambda a, c: _int(a[0]),
    "round": lambda a, c: _round(a),
    "floor": _math(lambda x: float(math.floor(x)) if math.isfinite(x) else x),
    "ceiling": _math(lambda x: float(math.ceil(x)) if math.isfinite(x) else x),
    "abs": _math(abs),
    "pow": _math(lambda x, y: float(math.pow(x, y))),
    "sqrt": _math(math.sqrt),
    "exp": _math(math.exp),
    "exp10": _math(lambda x: math.pow(10.0, x)),
    "log": _math(math.log),
    "log10": _math(math.log10),
    "sin": _math(math.sin),
    "cos": _math(math.cos),
    "tan": _math(math.tan),
    "asin": _math(math.asin),
    "acos": _math(math.acos),
    "atan": _math(math.atan),
    "atan2": _math(math.atan2),
    "pi": lambda a, c: math.pi,
    "min": lambda a, c: min(_numbers(a)),
    "max": lambda a, c: max(_numbers(a)),
    "boolean": lambda a, c: to_boolean(a[0]),
    "boolean-from-string": lambda a, c: to_string(a[0]).strip().lower() in ("true", "1"),
    "string": lambda a, c: to_string(_or_current(a, c)),
    "not": lambda a, c: not to_boolean(a[0]),
    "true": lambda a, c: True,
    "false": lambda a, c: False,
    "once": lambda a, c: a[0],
    "uuid": lambda a, c: str(uuid.uuid4()),
}
