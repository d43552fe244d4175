"""Forms whose rules cannot be worked out are refused at import, naming the questions: an
expression nested thousands deep, and rules that wait on each other in a circle (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit.surveys import XLSFormError, read_xlsform
from forumkit.surveys.dependencies import Dependency, find_circle
from forumkit.surveys.errors import ExpressionError
from forumkit.surveys.expressions import MAX_DEPTH, BinaryOperation, Call, parse
from tests.core.surveys.helpers import YES_NO, write_form

HEAD = ["type", "name", "label", "relevant", "calculation"]


def _read(tmp_path: Path, *rows: list[str]) -> None:
    read_xlsform(write_form(tmp_path / "form.xlsx", [HEAD, *rows], YES_NO))


@pytest.mark.parametrize(
    "text",
    [
        "(" * 5000 + "1" + ")" * 5000,
        "not(" * 5000 + "1" + ")" * 5000,
        "-" * 5000 + "1",
        "+".join(["${a}"] * 5000),
        " and ".join(["${a} = 'yes'"] * 5000),
    ],
    ids=["brackets", "calls", "minus", "a long sum", "a long and"],
)
def test_an_expression_5000_deep_is_refused_as_not_parsing(text: str) -> None:
    with pytest.raises(ExpressionError, match=f"nests more than {MAX_DEPTH} levels deep"):
        parse(text)


def test_real_expressions_are_far_inside_the_limit() -> None:
    score = parse("+".join(["${q}"] * 150))  # a 150-item score
    assert isinstance(score, BinaryOperation) and score.operator == "+"
    nested = parse("if(" * 40 + "1" + ", 2, 3)" * 40)
    assert isinstance(nested, Call) and nested.function == "if"


def test_a_deep_expression_in_a_form_is_refused_at_its_row(tmp_path: Path) -> None:
    deep = "(" * 3000 + "${a} = 'yes'" + ")" * 3000
    with pytest.raises(XLSFormError, match=r"Row 3 .* column relevant .*nests more than") as error:
        _read(tmp_path, ["select_one yes_no", "a", "A"], ["text", "b", "B", deep])
    assert len(str(error.value)) < 400, "the message quotes the expression shortened"


def test_a_relevant_reading_its_own_question_is_refused(tmp_path: Path) -> None:
    with pytest.raises(XLSFormError, match=r"Row 3 .*the relevant rule of “b” reads “b” itself"):
        _read(tmp_path, ["text", "a", "A"], ["text", "b", "B", "${b} != '' or ${a} = 'x'"])
    with pytest.raises(XLSFormError, match=r"reads “b” itself"):
        _read(tmp_path, ["text", "a", "A"], ["integer", "b", "B", ". > 3"])


def test_two_questions_shown_by_each_other_are_refused_naming_both(tmp_path: Path) -> None:
    with pytest.raises(XLSFormError) as error:
        _read(
            tmp_path,
            ["text", "a", "A", "${b} = 'x'"],
            ["text", "between", "Between"],
            ["text", "b", "B", "${a} = 'y'"],
        )
    message = str(error.value)
    assert message.startswith("Row 2 of the survey sheet, column relevant (D): ")
    assert "“a” waits on “b” (its relevant rule), “b” waits on “a” (its relevant rule)" in message


def test_a_group_shown_by_a_question_inside_it_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        XLSFormError, match=r"“school” waits on “school_group” \(the group it is in"
    ):
        _read(
            tmp_path,
            ["begin group", "school_group", "School", "${school} = 'yes'"],
            ["select_one yes_no", "school", "At school?"],
            ["end group", "", ""],
        )


def test_a_circle_through_a_calculation_is_refused(tmp_path: Path) -> None:
    with pytest.raises(XLSFormError, match=r"“total” waits on “a” \(its calculation\)"):
        _read(
            tmp_path,
            ["integer", "a", "A", "${total} > 2"],
            ["calculate", "total", "", "", "${a} + 1"],
        )


def test_rules_that_look_ahead_without_a_circle_are_kept(tmp_path: Path) -> None:
    _read(
        tmp_path,
        ["text", "a", "A", "${b} = 'x'"],  # reads a later question: allowed, as in ODK
        ["begin group", "g", "G", "${c} != ''"],
        ["text", "b", "B", "${c} = 'z'"],
        ["end group", "", ""],
        ["text", "c", "C"],
        ["calculate", "total", "", "", "${a} + ${b}"],
    )


def test_find_circle_is_iterative_for_a_long_chain() -> None:
    from forumkit.surveys.model import Question

    chain = [Question("text", f"q{i}", relevant=f"${{q{i + 1}}} = 'x'") for i in range(5000)]
    chain.append(Question("text", "q5000", relevant="${q0} = 'x'"))
    circle = find_circle(chain)
    assert circle is not None and len(circle) == 5001
    assert circle[0] == Dependency("q0", "q1", "relevant")
    assert find_circle([*chain[:-1], Question("text", "q5000")]) is None
