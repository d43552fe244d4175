"""The XLSForm expression language: a tokenizer and a Pratt parser producing a small tree.

Forms carry their rules (skip logic, constraints, calculations, choice filters) as XPath-like
text such as ``${age} >= 18 and selected(${services}, 'respite')``. This module turns that text
into frozen tree nodes; ``forumkit.surveys.evaluation`` gives them meaning. No ``eval``: only the
constructs listed here are understood, and anything else is an ``ExpressionError`` naming the
expression.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from forumkit.surveys.errors import ExpressionError


@dataclass(frozen=True)
class Literal:
    """A string or number written in the expression."""

    value: str | float


@dataclass(frozen=True)
class Reference:
    """``${name}``: the answer to another question."""

    name: str


@dataclass(frozen=True)
class Current:
    """``.``: the answer to the question the rule belongs to."""


@dataclass(frozen=True)
class ColumnName:
    """A bare name: in a choice filter, a column of the choices sheet (``cf = ${state}``)."""

    name: str


@dataclass(frozen=True)
class Negation:
    """Unary minus."""

    operand: Expression


@dataclass(frozen=True)
class BinaryOperation:
    """``left op right`` for arithmetic, comparison and boolean operators."""

    operator: str
    left: Expression
    right: Expression


@dataclass(frozen=True)
class Call:
    """A function call such as ``selected(., 'x')``."""

    function: str
    arguments: tuple[Expression, ...]


Expression = Literal | Reference | Current | ColumnName | Negation | BinaryOperation | Call

# Binding power of each infix operator (XPath 1.0 precedence, loosest first).
BINDING_POWER: dict[str, int] = {
    "or": 1,
    "and": 2,
    "=": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "div": 6,
    "mod": 6,
}
_UNARY_BINDING_POWER = 7

MAX_DEPTH = 200
"""The deepest expression forumkit takes: far past any real form's (a 150-item score is 150
deep), and shallow enough that parsing and evaluating it, which recurse, stay well inside
Python's recursion limit. A 5,000-deep expression is refused as not parsing."""
_WORD_OPERATORS = frozenset({"and", "or", "div", "mod"})

# Functions the evaluator knows, with their (fewest, most) arguments; None means no upper limit.
# The counts are ODK Collect's (JavaRosa's): a call with another count stops a form there.
KNOWN_FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "selected": (2, 2),
    "selected-at": (2, 2),
    "count-selected": (1, 1),
    "count": (1, 1),
    "count-non-empty": (1, 1),
    "sum": (1, 1),
    "string-length": (0, 1),
    "concat": (0, None),
    "join": (1, None),
    "contains": (2, 2),
    "starts-with": (2, 2),
    "ends-with": (2, 2),
    "substr": (2, 3),
    "substring": (2, 3),
    "substring-before": (2, 2),
    "substring-after": (2, 2),
    "translate": (3, 3),
    "normalize-space": (0, 1),
    "coalesce": (2, 2),
    "regex": (2, 2),
    "if": (3, 3),
    "today": (0, 0),
    "now": (0, 0),
    "date": (1, 1),
    "date-time": (1, 1),
    "decimal-date-time": (1, 1),
    "decimal-time": (1, 1),
    "format-date": (2, 2),
    "format-date-time": (2, 2),
    "number": (1, 1),
    "int": (1, 1),
    "round": (1, 2),
    "floor": (1, 1),
    "ceiling": (1, 1),
    "abs": (1, 1),
    "pow": (2, 2),
    "sqrt": (1, 1),
    "exp": (1, 1),
    "exp10": (1, 1),
    "log": (1, 1),
    "log10": (1, 1),
    "sin": (1, 1),
    "cos": (1, 1),
    "tan": (1, 1),
    "asin": (1, 1),
    "acos": (1, 1),
    "atan": (1, 1),
    "atan2": (2, 2),
    "pi": (0, 0),
    "random": (0, 0),
    "min": (1, None),
    "max": (1, None),
    "checklist": (2, None),
    "weighted-checklist": (2, None),
    "area": (1, 1),
    "distance": (1, None),
    "boolean": (1, 1),
    "boolean-from-string": (1, 1),
    "string": (1, 1),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "once": (1, 1),
    "uuid": (0, 1),
    "digest": (2, 3),
}

# Functions over a question's node rather than its value: without repeats a question is one
# node, so their argument must name a question.
QUESTION_FUNCTIONS = frozenset({"count", "count-non-empty", "sum"})

_OPENING_QUOTES = {"'": "'", '"': '"', "‘": "’‘", "’": "’‘", "“": "”“", "”": "”“", "„": "”“"}
_TYPED_CLOSERS = {"'": "’", '"': "”", "’": "'", "‘": "'", "”": '"', "“": '"', "„": '"'}
"""Where a quote is never closed by its own kind, the other kind that closes it: Excel's
AutoCorrect turns some quotes of ``instance('places')`` or ``${a}='yes'`` typographic (``’``), and
the author meant a quote. A quote closed by its own kind keeps its text whole, so
``'don’t know'`` stays one text."""
_LOOKUP_STEP = re.compile(r"[\w.\-:@*]+")
_NAME = re.compile(r"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_EXPONENT = re.compile(r"[eE][-+]?[0-9]")
_REFERENCE = re.compile(r"\$\{\s*([^}\s]+)\s*\}")
_SYMBOLS = ("!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "(", ")", ",")


@dataclass(frozen=True)
class _Token:
    kind: str  # number, string, reference, name, dot, symbol, end
    text: str
    position: int


def _tokens(text: str) -> Iterator[_Token]:
    position = 0
    length = len(text)
    operand_before = False  # whether the previous token ends an operand
    recent: list[_Token] = []  # names, strings and symbols read, to know an instance() call
    while position < length:
        char = text[position]
        if char.isspace():
            position += 1
            continue
        if char == "$":
            match = _REFERENCE.match(text, position)
            if match is None:
                raise ExpressionError(text, "“$” must start a reference such as ${name}", position)
            yield _Token("reference", match.group(1), position)
            position = match.end()
            operand_before = True
            continue
        if char in _OPENING_QUOTES:
            end = _closing_quote(text, position)
            recent.append(_Token("string", text[position + 1 : end], position))
            yield recent[-1]
            position = end + 1
            operand_before = True
            continue
        number = _NUMBER.match(text, position)
        if number is not None:
            if _EXPONENT.match(text, number.end()):
                raise ExpressionError(
                    text,
                    "ODK Collect does not read numbers with an exponent such as 7.9e-12; "
                    "write the number out in full",
                    position,
                )
            yield _Token("number", number.group(), position)
            position = number.end()
            operand_before = True
            continue
        if char == ".":
            if text.startswith("..", position):
                raise ExpressionError(text, "“..” (parent paths) is not supported", position)
            yield _Token("dot", ".", position)
            position += 1
            operand_before = True
            continue
        if char == "/" and _after_instance_call(recent):
            end = _lookup_end(text, position)
            yield _Token("lookup", text[position:end], position)
            position = end
            operand_before = True
            continue
        if char == "/":
            raise ExpressionError(
                text, "paths such as /data/name are not supported; use ${name}", position
            )
        name = _NAME.match(text, position)
        if name is not None:
            word = name.group()
            if operand_before:
                # After an operand a name can only be an operator, and XPath lets it touch
                # what follows ("1div2", "4andfunc()"), as ODK Collect reads it.
                word = next((w for w in _WORD_OPERATORS if word.startswith(w)), word)
                operand_before = False
            else:
                following = text[name.end() :].lstrip()[:1]
                operand_before = following != "("
            recent.append(_Token("name", word, position))
            yield recent[-1]
            position += len(word)
            continue
        symbol = next((s for s in _SYMBOLS if text.startswith(s, position)), None)
        if symbol is None:
            raise ExpressionError(text, f"the character “{char}” is not understood", position)
        recent.append(_Token("symbol", symbol, position))
        yield recent[-1]
        position += len(symbol)
        operand_before = symbol == ")"
    yield _Token("end", "", length)


def _closing_quote(text: str, position: int) -> int:
    """Where the text quoted at ``position`` ends (see :data:`_TYPED_CLOSERS`)."""
    opener = text[position]
    own = _OPENING_QUOTES[opener]
    # A typographic quote is closed by the nearest quote of either kind (’hostel' is one text);
    # a straight one by its own kind first.
    tries = (own, _TYPED_CLOSERS[opener]) if opener in "'\"" else (own + _TYPED_CLOSERS[opener],)
    for closers in tries:
        end = next((i for i in range(position + 1, len(text)) if text[i] in closers), -1)
        if closers and end >= 0:
            return end
    raise ExpressionError(text, "a quoted text is not closed", position)


def _after_instance_call(recent: list[_Token]) -> bool:
    """Whether the tokens just read are ``instance('name')``: a path may follow it."""
    if len(recent) < 4:
        return False
    name, opening, _, closing = recent[-4:]
    return (
        name.kind == "name"
        and name.text == "instance"
        and opening.text == "("
        and recent[-2].kind == "string"
        and closing.text == ")"
    )


def _lookup_end(text: str, position: int) -> int:
    """The end of the path after ``instance('name')``: steps, ``/`` and ``[…]`` predicates
    (which may hold quotes, brackets and spaces), up to an operator, a comma or a bracket."""
    depth = 0
    end = position
    while end < len(text):
        char = text[end]
        if char in "'\"" and depth:
            end = _closing_quote(text, end) + 1
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            if not depth:
                break
            depth -= 1
        elif depth == 0:
            step = _LOOKUP_STEP.match(text, end)
            if char == "/":
                pass
            elif step is not None:
                end = step.end()
                continue
            else:
                break
        end += 1
    if depth:
        raise ExpressionError(text, "a “[” in the look-up is not closed", position)
    return end


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = list(_tokens(text))
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def fail(self, token: _Token, reason: str) -> ExpressionError:
        return ExpressionError(self.text, reason, token.position)

    def expect(self, symbol: str) -> None:
        token = self.advance()
        if token.kind != "symbol" or token.text != symbol:
            raise self.fail(token, f"expected “{symbol}” {_where(token)}")

    def parse(self) -> Expression:
        if self.peek().kind == "end":
            raise self.fail(self.peek(), "it is empty")
        expression = self.expression(0)
        token = self.peek()
        if token.kind != "end":
            raise self.fail(token, f"unexpected “{token.text}” {_where(token)}")
        return expression

    def expression(self, minimum_power: int) -> Expression:
        """An expression, counting how deeply they nest (brackets, calls, operands)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(self.peek(), _TOO_DEEP)
        try:
            return self.operation(minimum_power)
        finally:
            self.depth -= 1

    def infix_operator(self, token: _Token) -> str | None:
        if token.kind == "symbol" and token.text in BINDING_POWER:
            return token.text
        if token.kind == "name" and token.text in _WORD_OPERATORS:
            return token.text
        return None

    def operation(self, minimum_power: int) -> Expression:
        left = self.prefix()
        while True:
            operator = self.infix_operator(self.peek())
            if operator is None or BINDING_POWER[operator] <= minimum_power:
                return left
            self.advance()
            right = self.expression(BINDING_POWER[operator])
            left = BinaryOperation(operator, left, right)

    def prefix(self) -> Expression:
        token = self.advance()
        if token.kind == "number":
            return Literal(float(token.text))
        if token.kind == "string":
            return Literal(token.text)
        if token.kind == "reference":
            return Reference(token.text)
        if token.kind == "dot":
            return Current()
        if token.kind == "symbol" and token.text == "-":
            return Negation(self.expression(_UNARY_BINDING_POWER))
        if token.kind == "symbol" and token.text == "(":
            inner = self.expression(0)
            self.expect(")")
            return inner
        if token.kind == "name":
            following = self.peek()
            if following.kind == "symbol" and following.text == "(":
                return self.call(token)
            return ColumnName(token.text)
        if token.kind == "end":
            raise self.fail(token, "it ends too early")
        raise self.fail(token, f"unexpected “{token.text}” {_where(token)}")

    def call(self, name: _Token) -> Call:
        self.expect("(")
        arguments: list[Expression] = []
        if not (self.peek().kind == "symbol" and self.peek().text == ")"):
            arguments.append(self.expression(0))
            while self.peek().kind == "symbol" and self.peek().text == ",":
                self.advance()
                arguments.append(self.expression(0))
        self.expect(")")
        problem = _call_problem(name.text, arguments)
        if problem is not None:
            raise self.fail(name, problem)
        if self.peek().kind == "lookup":
            # instance('list')/root/item[…]/label: a look-up in a file attached to the form,
            # which forumkit does not evaluate; the questions its predicates read are kept.
            path = self.advance().text
            found = (Reference(n) for n in dict.fromkeys(_REFERENCE.findall(path)))
            return Call(name.text, (*arguments, Literal(path), *found))
        return Call(name.text, tuple(arguments))


def _call_problem(function: str, arguments: list[Expression]) -> str | None:
    """Why ODK Collect would stop on this call (checked at import, so the form's author hears
    of it then rather than a volunteer in the middle of a form), or None."""
    arity = KNOWN_FUNCTIONS.get(function)
    if arity is None:
        return None
    fewest, most = arity
    given = len(arguments)
    if given < fewest or (most is not None and given > most):
        if most is None:
            takes = f"at least {fewest}"
        elif most == fewest:
            takes = str(fewest) if fewest else "no"
        else:
            takes = f"{fewest} or {most}" if most == fewest + 1 else f"{fewest} to {most}"
        plural = "argument" if takes in ("1", "at least 1") else "arguments"
        return (
            f"{function}() takes {takes} {plural}, not {given or 'none'}; ODK Collect stops "
            "the form with an error at this call"
        )
    if function == "weighted-checklist" and given % 2:
        return (
            "weighted-checklist() takes a minimum, a maximum and then pairs of a condition "
            "and its weight, so it needs an even number of arguments"
        )
    if function in QUESTION_FUNCTIONS and not (
        isinstance(arguments[0], Reference | Current)
        or (isinstance(arguments[0], Call) and arguments[0].function == "instance")
    ):
        return f"{function}() reads a question's answer, so write it as {function}(${{name}})"
    return None


def _where(token: _Token) -> str:
    if token.kind == "end":
        return "at the end"
    return f"at character {token.position + 1}"


_TOO_DEEP = f"it nests more than {MAX_DEPTH} levels deep (split it over calculate questions)"


@lru_cache(maxsize=4096)
def parse(text: str) -> Expression:
    """Parse one XLSForm expression; raise ``ExpressionError`` naming it when it does not parse
    (or nests deeper than :data:`MAX_DEPTH`, as a long ``a + b + c …`` chain does too)."""
    expression = _Parser(text).parse()
    if _deeper_than(expression, MAX_DEPTH):
        raise ExpressionError(text, _TOO_DEEP, 0)
    return expression


def _deeper_than(expression: Expression, most: int) -> bool:
    """Whether the tree has a path longer than ``most`` nodes (without recursing itself)."""
    pending = [(expression, 1)]
    while pending:
        node, depth = pending.pop()
        if depth > most:
            return True
        if isinstance(node, Negation):
            pending.append((node.operand, depth + 1))
        elif isinstance(node, BinaryOperation):
            pending += ((node.left, depth + 1), (node.right, depth + 1))
        elif isinstance(node, Call):
            pending += ((argument, depth + 1) for argument in node.arguments)
    return False


def walk(expression: Expression) -> Iterator[Expression]:
    """Every node of an expression tree, the root first."""
    yield expression
    if isinstance(expression, Negation):
        yield from walk(expression.operand)
    elif isinstance(expression, BinaryOperation):
        yield from walk(expression.left)
        yield from walk(expression.right)
    elif isinstance(expression, Call):
        for argument in expression.arguments:
            yield from walk(argument)


def references(expression: Expression) -> frozenset[str]:
    """The question names an expression reads through ``${name}``."""
    return frozenset(node.name for node in walk(expression) if isinstance(node, Reference))


def column_names(expression: Expression) -> frozenset[str]:
    """The bare names in an expression (choice-sheet columns in a choice filter)."""
    return frozenset(node.name for node in walk(expression) if isinstance(node, ColumnName))


def unknown_functions(expression: Expression) -> frozenset[str]:
    """Functions called in an expression that forumkit cannot evaluate."""
    return frozenset(
        node.function
        for node in walk(expression)
        if isinstance(node, Call) and node.function not in KNOWN_FUNCTIONS
    )
