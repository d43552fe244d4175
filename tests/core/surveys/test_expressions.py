"""The expression evaluator: what forms' skip logic and constraints mean to forumkit."""

from __future__ import annotations

import contextlib
import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forumkit.surveys.errors import ExpressionError, RuleNotCheckable, UnsupportedFunction
from forumkit.surveys.evaluation import Context, Value, evaluate, to_boolean, to_number
from forumkit.surveys.expressions import parse, references, unknown_functions

ANSWERS: dict[str, Value] = {
    "age": "12",
    "services": "respite speech_therapy",
    "name": "  Sam   Smith ",
    "consent": "yes",
    "empty": "",
    "visit": "2024-03-01",
}


def run(text: str, current: Value = "", **columns: str) -> Value:
    context = Context(ANSWERS, current, columns, now=dt.datetime(2024, 6, 1, 9, 30))
    return evaluate(parse(text), context)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${age} >= 12", True),
        ("${age} > 12", False),
        ("${age} = 12", True),
        ("${age} = '12'", True),
        ("${consent} = 'yes'", True),
        ("${consent} = ‘yes’", True),
        ("${consent} = “yes”", True),
        ("${consent} != 'yes'", False),
        ("${empty} = ''", True),
        ("${age} + 3 * 2", 18.0),
        ("(${age} + 3) * 2", 30.0),
        ("7 div 2", 3.5),
        ("7 mod 3", 1.0),
        ("-7 mod 3", -1.0),
        ("1 div 0", math.inf),
        ("10 - 2 - 3", 5.0),
        ("- ${age}", -12.0),
        ("selected(${services}, 'respite')", True),
        ("selected (${services} , 'respite' )", True),
        ("selected(${services}, 'transport')", False),
        ("selected-at(${services}, 1)", "speech_therapy"),
        ("selected-at(${services}, 5)", ""),
        ("count-selected(${services})", 2.0),
        (
            "not(selected(${services}, 'respite') and selected(${services}, 'speech_therapy'))",
            False,
        ),
        ("true() or false()", True),
        ("string-length(${consent})", 3.0),
        ("concat(${consent}, '-', ${age})", "yes-12"),
        ("contains(${services}, 'speech')", True),
        ("starts-with(${services}, 'resp')", True),
        ("substr('forumkit', 0, 5)", "forum"),
        ("substring('forumkit', 1, 5)", "forum"),
        ("normalize-space(${name})", "Sam Smith"),
        ("coalesce(${empty}, 'none')", "none"),
        ("coalesce(${consent}, 'none')", "yes"),
        ("regex(${age}, '^[0-9]+$')", True),
        ("regex(${consent}, '^[0-9]+$')", False),
        ("if(${age} > 10, 'older', 'younger')", "older"),
        ("number('3.5') + 1", 4.5),
        ("int(7.9)", 7.0),
        ("int(-7.9)", -7.0),
        ("round(2.5)", 3.0),
        ("round(3.14159, 2)", 3.14),
        ("pow(2, 10)", 1024.0),
        ("sqrt(16)", 4.0),
        ("round(15 div (sqrt(cos(atan(30 div 100)))),2)", 15.33),
        ("max(1, 5, 3)", 5.0),
        ("${visit} < today()", True),
        ("today() = date('2024-06-01')", True),
        ("format-date(today(), '%Y-%m')", "2024-06"),
        ("translate('abc', 'ab', 'AB')", "ABc"),
        ("boolean-from-string('true')", True),
    ],
)
def test_expressions_forms_use_evaluate_as_on_a_tablet(text: str, expected: Value) -> None:
    assert run(text) == expected


def test_dot_is_the_answer_being_checked() -> None:
    assert run(". >= 0 and . <= 10", current="7") is True
    assert run(". >= 0 and . <= 10", current="11") is False
    assert run("not(selected(., 'yes') and selected (., 'no'))", current="yes no") is False


def test_bare_names_read_choice_columns_in_a_choice_filter() -> None:
    assert run("cf = ${consent}", cf="yes") is True
    assert run("${consent}=cf", cf="no") is False
    assert run("pastel = 'yes'") is False


def test_a_syntax_error_names_the_expression_and_the_place() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("${age} >= ")
    assert "${age} >=" in str(caught.value)
    assert "end" in str(caught.value)
    for broken in ("(${a} = 1", "${a} = = 1", "'open", "${a} & 1", "/data/a = 1", "", "f(1,)"):
        with pytest.raises(ExpressionError):
            parse(broken)


def test_wrong_argument_counts_are_syntax_errors() -> None:
    with pytest.raises(ExpressionError, match="selected"):
        parse("selected(${a})")


def test_an_unknown_function_is_reported_not_a_failure_to_parse() -> None:
    expression = parse("jr:choice-name(${a}, '${a}') = 'x' and position(..) > 0".replace("..", ""))
    assert unknown_functions(expression) == {"jr:choice-name", "position"}
    with pytest.raises(UnsupportedFunction, match="choice-name"):
        evaluate(expression, Context())


def test_references_lists_the_questions_an_expression_reads() -> None:
    assert references(parse("${a} > 1 and selected(${b}, 'x') or .")) == {"a", "b"}


# A small reference interpretation: random expression trees over whole numbers, with answers,
# rendered with as few brackets as precedence allows and random spacing, must evaluate to what
# plain Python computes from the tree itself.

_PRECEDENCE = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4}
_PRECEDENCE.update({"+": 5, "-": 5, "*": 6, "div": 6, "mod": 6})
_VALUES = {"a": 3, "b": -4, "c": 0, "d": 11}

Tree = tuple[object, ...]


def _trees() -> st.SearchStrategy[Tree]:
    leaves = st.one_of(
        st.integers(0, 20).map(lambda n: ("num", n)),
        st.sampled_from(sorted(_VALUES)).map(lambda name: ("ref", name)),
    )

    def extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
        return st.one_of(
            st.tuples(st.just("op"), st.sampled_from(sorted(_PRECEDENCE)), children, children),
            st.tuples(st.just("not"), children),
            st.tuples(st.just("if"), children, children, children),
            st.tuples(st.just("neg"), children),
        )

    return st.recursive(leaves, extend, max_leaves=12)


def _reference(tree: Tree) -> float | bool | str:
    """Answers are text (as on a tablet); literals and arithmetic are numbers."""
    kind = tree[0]
    if kind == "num":
        return float(tree[1])  # type: ignore[arg-type]
    if kind == "ref":
        return str(_VALUES[str(tree[1])])
    if kind == "not":
        return not _truth(_reference(tree[1]))  # type: ignore[arg-type]
    if kind == "neg":
        return -_number(_reference(tree[1]))  # type: ignore[arg-type]
    if kind == "if":
        _, test, then, otherwise = tree
        return _reference(then if _truth(_reference(test)) else otherwise)  # type: ignore[arg-type]
    _, operator, left_tree, right_tree = tree
    left, right = _reference(left_tree), _reference(right_tree)  # type: ignore[arg-type]
    if operator == "and":
        return _truth(left) and _truth(right)
    if operator == "or":
        return _truth(left) or _truth(right)
    if operator in ("=", "!="):
        if isinstance(left, bool) or isinstance(right, bool):
            same = _truth(left) == _truth(right)
        elif isinstance(left, str) and isinstance(right, str):
            same = left == right
        else:
            same = _number(left) == _number(right)
        return same if operator == "=" else not same
    a, b = _number(left), _number(right)
    comparisons = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}
    if operator in comparisons:
        return comparisons[str(operator)]
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    if operator == "div":
        if b == 0:
            if a == 0 or math.isnan(a):
                return math.nan
            # IEEE 754, as XPath 1.0 says: the sign of a zero divisor counts (1 div -0 = -Infinity).
            return math.copysign(math.inf, a) * math.copysign(1.0, b)
        return a / b
    if b == 0 or math.isnan(a) or math.isnan(b) or math.isinf(a):
        return math.nan
    return math.fmod(a, b)


def _truth(value: float | bool | str) -> bool:
    if isinstance(value, str):
        return value != ""
    return bool(value) and not math.isnan(value)


def _number(value: float | bool | str) -> float:
    return float(value)


def _render(tree: Tree, space: st.DataObject) -> tuple[str, int]:
    """Text for a tree and its precedence (9 for atoms)."""
    gap = space.draw(st.sampled_from(["", " ", "  "]))
    kind = tree[0]
    if kind == "num":
        return str(tree[1]), 9
    if kind == "ref":
        return f"${{{tree[1]}}}", 9
    if kind == "not":
        return f"not({gap}{_render(tree[1], space)[0]}{gap})", 9  # type: ignore[arg-type]
    if kind == "if":
        parts = [_render(part, space)[0] for part in tree[1:]]  # type: ignore[arg-type]
        return f"if({gap}{(',' + gap).join(parts)})", 9
    if kind == "neg":
        text, precedence = _render(tree[1], space)  # type: ignore[arg-type]
        return f"-{text}" if precedence >= 7 else f"-({text})", 7
    _, operator, left_tree, right_tree = tree
    mine = _PRECEDENCE[str(operator)]
    left, left_precedence = _render(left_tree, space)  # type: ignore[arg-type]
    right, right_precedence = _render(right_tree, space)  # type: ignore[arg-type]
    if left_precedence < mine:
        left = f"({left})"
    if right_precedence <= mine:
        right = f"({right})"
    word = operator in ("and", "or", "div", "mod")
    separator = " " if word else gap
    return f"{left}{separator}{operator}{separator}{right}", mine


@settings(max_examples=400)
@given(tree=_trees(), space=st.data())
def test_random_expressions_match_a_reference_interpretation(
    tree: Tree, space: st.DataObject
) -> None:
    text, _ = _render(tree, space)
    answers: dict[str, Value] = {name: str(value) for name, value in _VALUES.items()}
    got = evaluate(parse(text), Context(answers))
    expected = _reference(tree)
    if isinstance(expected, bool):
        assert got is expected, text
    elif isinstance(expected, str):
        assert got == expected, text
    elif math.isnan(expected):
        assert isinstance(got, float) and math.isnan(got), text
    else:
        assert to_number(got) == pytest.approx(expected), text
        assert not isinstance(got, bool), text


@given(st.text(max_size=30))
def test_any_text_either_parses_or_fails_with_an_expression_error(text: str) -> None:
    try:
        expression = parse(text)
    except ExpressionError as error:
        assert text in str(error)
        return
    with contextlib.suppress(RuleNotCheckable):
        to_boolean(evaluate(expression, Context()))
