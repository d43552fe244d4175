"""The expression evaluator: what forms' skip logic and constraints mean to forumkit."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forumkit.surveys import check_response, read_xlsform
from forumkit.surveys.errors import ExpressionError, RuleNotCheckable, UnsupportedFunction
from forumkit.surveys.evaluation import (
    Context,
    ExpressionValueError,
    Value,
    evaluate,
    to_boolean,
    to_number,
    to_string,
)
from forumkit.surveys.expressions import (
    KNOWN_FUNCTIONS,
    QUESTION_FUNCTIONS,
    parse,
    references,
    unknown_functions,
)
from tests.core.surveys.helpers import write_form

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


def test_wrong_argument_counts_are_refused_even_where_never_reached() -> None:
    with pytest.raises(ExpressionError, match="selected"):
        parse("selected(${a})")
    for text in ("false() and substring()", "number()", "string()", "true(5)"):
        with pytest.raises(ExpressionError, match="ODK Collect stops the form"):
            parse(text)
    with pytest.raises(ExpressionError, match="even number of arguments"):
        parse("weighted-checklist(1, 2, true())")
    with pytest.raises(ExpressionError, match=r"count\(\$\{name\}\)"):
        parse("count(1)")


def test_an_unanswered_separator_is_no_crash(tmp_path: Path) -> None:
    # A rule such as substring-after(${a}, ${b}) with ${b} unanswered used to raise ValueError.
    assert run("substring-after(${consent}, ${empty})") == "yes"
    assert run("substring-before(${consent}, ${empty})") == ""
    rows = [
        ["type", "name", "label", "constraint"],
        ["text", "a", "A", None],
        ["text", "b", "B", None],
        ["text", "c", "C", "substring-after(${a}, ${b}) = ${a}"],
    ]
    survey = read_xlsform(write_form(tmp_path / "form.xlsx", rows)).survey
    checked = check_response(survey, {"a": "respite", "c": "x"})
    assert checked.problems == () and checked.unchecked == ()


def test_operators_may_touch_numbers_as_odk_collect_reads_them() -> None:
    assert run("1div2") == 0.5
    assert run("7mod2") == 1.0
    assert run("1 and1") is True
    assert run("${age}div2") == 6.0
    assert run("4andtrue()") is True


def test_numbers_are_written_without_exponents_and_read_back() -> None:
    assert run("string(0.0000001)") == "0.0000001"
    assert run("number(string(0.0000001))") == 1e-7
    assert run("string(1230000000000000000000)") == "1230000000000000000000"
    assert run("number('4,6')") == 4.6  # a comma is a decimal point, as in ODK Collect
    assert math.isnan(to_number(run("number('1e3')")))
    with pytest.raises(ExpressionError, match="exponent"):
        parse("int(7.9e-12)")


def test_equal_numbers_are_equal_within_rounding() -> None:
    assert run("6.1 - 7.8 = -1.7") is True
    assert run("0.1 + 0.2 != 0.3") is False


def test_rounding_follows_odk_collect() -> None:
    assert run("round(2.5)") == 3.0
    assert run("round(-2.5)") == -2.0  # halves go towards positive infinity
    assert run("round('4,6')") == 5.0
    assert run("round(1234.5678, -2)") == 1200.0


def test_texts_follow_odk_collect() -> None:
    assert run("boolean-from-string('TRUE')") is True
    assert run("boolean-from-string('yes')") is False
    assert run("normalize-space(' a\f\vb ')") == "a b"
    assert run("regex(${age}, '[0-9]')") is False  # the whole answer must match
    assert run("regex(${age}, '[0-9]+')") is True
    assert len(str(run("uuid(6)"))) == 6
    assert len(str(run("uuid()"))) == 36
    assert run("coalesce(number(${empty}), 7)") == 7.0


def test_now_carries_its_offset_and_offsets_are_honoured() -> None:
    london = dt.timezone(dt.timedelta(hours=1), "BST")
    context = Context(now=dt.datetime(2024, 6, 1, 9, 30, tzinfo=london), zone=london)
    assert to_string(evaluate(parse("now()"), context)) == "2024-06-01T09:30:00.000+01:00"
    same = "date-time('2024-03-01T09:30:00Z') = date-time('2024-03-01T15:30:00+06:00')"
    assert evaluate(parse(same), context) is True
    assert evaluate(parse("decimal-date-time('1970-01-02T01:00:00+01:00')"), context) == 1.0
    # half past midnight in summer time is today, not yesterday evening in UTC
    assert evaluate(parse("'2024-06-01T00:30:00+01:00' >= today()"), context) is True
    assert evaluate(parse("decimal-time('06:00:00')"), context) == 0.25


def test_day_numbers_are_calendar_days_in_any_time_zone() -> None:
    for hours in (-7, 0, 14):
        context = Context(zone=dt.timezone(dt.timedelta(hours=hours)))
        assert evaluate(parse("number(date('2008-09-05'))"), context) == 14127.0
        assert evaluate(parse("date('2024-02-28') + 2 = date('2024-03-01')"), context) is True
        assert to_string(evaluate(parse("date(date('2024-02-28') + 2)"), context)) == ("2024-03-01")


def test_a_value_that_is_not_a_date_makes_the_rule_uncheckable_without_repeating_it() -> None:
    context = Context({"dob": "when Sam was small"})
    for text in ("date(${dob})", "date-time(${dob})", "decimal-date-time(${dob})"):
        with pytest.raises(ExpressionValueError) as caught:
            evaluate(parse(text), context)
        assert isinstance(caught.value, RuleNotCheckable)
        assert "Sam" not in str(caught.value)
    with pytest.raises(ExpressionValueError):
        evaluate(parse("date(true())"), context)
    assert evaluate(parse("date(${empty})"), Context()) == ""


def test_functions_over_one_question_count_its_answer() -> None:
    assert run("count(${services})") == 1.0
    assert run("count-non-empty(${services})") == 1.0
    assert run("count-non-empty(${empty})") == 0.0
    assert run("sum(${age})") == 12.0
    assert run("sum(${empty})") == 0.0


def test_checklists_digests_places_and_chance() -> None:
    assert run("checklist(1, 2, ${age} > 10, selected(${services}, 'respite'), false())") is True
    assert run("checklist(-1, 1, true(), true())") is False
    assert run("weighted-checklist(3, 5, true(), 2, ${age} > 10, 2, false(), 9)") is True
    assert run("weighted-checklist(2, -1, true(), 3)") is False  # -1 is a limit, as in ODK
    assert run("digest('abc', 'SHA-256', 'hex')") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert run("digest('some text', 'MD5')") == "VS4hzUzZkYZ448Gg30kbww=="
    with pytest.raises(ExpressionValueError, match="algorithm"):
        run("digest('abc', 'SHA-3')")
    assert run("distance('0 0;0 1')") == 111318.85
    assert run("area('0 0;0 1;1 1;1 0')") > 1.2e10
    assert math.isnan(to_number(run("area('not a place')")))
    chance = to_number(run("random()"))
    assert 0 <= chance < 1


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


# Any call of any function forumkit knows, with awkward arguments (huge and tiny numbers, dates
# at the ends of the calendar, broken patterns, empty answers), in three time zones: the only
# exception that may leave the evaluator is RuleNotCheckable, which callers report.

_AWKWARD = [
    "0",
    "-0",
    "1 div 0",
    "0 div 0",
    "2147483648",
    "3652060",
    "-719163",
    "0.5",
    "'2024-02-30'",
    "'9999-12-31T23:59:59-05:00'",
    "'0001-01-01T00:00:00+05:00'",
    "'06:00:00.000-07:00'",
    "'1,5'",
    "'SHA-1'",
    "'hex'",
    "'0 0;0 1'",
    "'%Y %b %W %3 %'",
    "'('",
    "''",
    "true()",
    "today()",
    "now()",
    ".",
    "${date}",
    "${moment}",
    "${empty}",
]


@st.composite
def _calls(draw: st.DrawFn, depth: int = 2) -> str:
    name = draw(st.sampled_from(sorted(KNOWN_FUNCTIONS)))
    fewest, most = KNOWN_FUNCTIONS[name]
    count = draw(st.integers(fewest, fewest + 3 if most is None else most))
    if name == "weighted-checklist":
        count += count % 2
    if name in QUESTION_FUNCTIONS:
        return f"{name}({draw(st.sampled_from(['${date}', '.', '${empty}']))})"
    leaves = st.sampled_from(_AWKWARD)
    argument = st.one_of(leaves, _calls(depth - 1)) if depth > 0 else leaves
    return f"{name}({', '.join(draw(argument) for _ in range(count))})"


@settings(max_examples=300, deadline=None)
@given(
    text=_calls(),
    hours=st.sampled_from([-7, 0, 14]),
    current=st.sampled_from(["", "5", "a b", "2024-03-01"]),
)
def test_no_python_exception_escapes_any_function(text: str, hours: int, current: str) -> None:
    answers: dict[str, Value] = {
        "date": dt.date(2024, 3, 1),
        "moment": dt.datetime(9999, 12, 31, 23, 0),
        "empty": "",
    }
    zone = dt.timezone(dt.timedelta(hours=hours))
    context = Context(answers, current, now=dt.datetime(2024, 6, 1, 9, 30), zone=zone)
    with contextlib.suppress(RuleNotCheckable):
        value = evaluate(parse(text), context)
        to_string(value, zone)
        to_number(value, zone)
