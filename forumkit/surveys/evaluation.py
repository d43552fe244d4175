"""What XLSForm expressions mean: XPath 1.0 values and the ODK functions forms use in practice.

Answers are seen the way ODK Collect sees them: as text (``${age}`` is ``"12"``, a multiple
choice answer is its choice names separated by spaces, a missing answer is ``""``). Comparisons
and arithmetic convert as XPath 1.0 does, so a form behaves here as it does on a tablet; values
and their conversions are in ``expression_values``, the functions in ``expression_functions``.
"""

from __future__ import annotations

import math

from forumkit.surveys.errors import ExpressionValueError, UnsupportedFunction
from forumkit.surveys.expression_functions import FUNCTIONS
from forumkit.surveys.expression_values import (
    Context,
    Value,
    to_boolean,
    to_number,
    to_string,
)
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

__all__ = [
    "Context",
    "ExpressionValueError",
    "Value",
    "evaluate",
    "to_boolean",
    "to_number",
    "to_string",
]

_EQUAL_WITHIN = 1e-12
"""Numbers this close are equal, as in JavaRosa (so ``6.1 - 7.8 = -1.7`` holds)."""


def _equal(left: Value, right: Value, context: Context) -> bool:
    """XPath ``=``: booleans if either side is one, else numbers if either is a number or a
    date, else text."""
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    a, b = to_number(left, context.zone), to_number(right, context.zone)
    return a == b or abs(a - b) < _EQUAL_WITHIN


def _compare(operator: str, left: Value, right: Value, context: Context) -> bool:
    if operator == "=":
        return _equal(left, right, context)
    if operator == "!=":
        return not _equal(left, right, context)
    a, b = to_number(left, context.zone), to_number(right, context.zone)
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

    Raises ``RuleNotCheckable`` when the expression needs something forumkit cannot compute:
    ``UnsupportedFunction`` for a function it does not know, ``ExpressionValueError`` for a
    value a function cannot use (as ODK Collect stops on ``date('not a date')``). Callers then
    leave that one rule unenforced. Nothing else is raised.
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
        return -to_number(evaluate(expression.operand, context), context.zone)
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
        return _compare(operator, left, right, context)
    a, b = to_number(left, context.zone), to_number(right, context.zone)
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
    name = call.function
    arguments = call.arguments
    if name == "if":
        condition, then, otherwise = arguments
        return evaluate(then if to_boolean(evaluate(condition, context)) else otherwise, context)
    if name == "coalesce":  # the second argument is evaluated only when needed
        first = evaluate(arguments[0], context)
        if isinstance(first, float) and not isinstance(first, bool):
            return first if first == first else evaluate(arguments[1], context)
        return first if first != "" else evaluate(arguments[1], context)
    if name in ("count", "count-non-empty", "sum"):
        # Without repeats a question is one node: the parser allows only ${name} or "." here.
        answer = evaluate(arguments[0], context)
        if name == "count":
            return 1.0
        if name == "count-non-empty":
            return 1.0 if to_string(answer, context.zone) != "" else 0.0
        number = to_number(answer, context.zone)
        return number if number == number else 0.0
    function = FUNCTIONS.get(name)
    if function is None:
        raise UnsupportedFunction(name)
    return function([evaluate(argument, context) for argument in arguments], context)
