"""What the form on screen shows is what the check keeps: one walk of the skip logic."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit.capture import range_scale, shown
from forumkit.surveys import Survey, check_response, read_xlsform
from tests.core.surveys.helpers import YES_NO, write_form

HEADER = ["type", "name", "label", "relevant", "parameters"]


def _survey(tmp_path: Path, rows: list[list[object]]) -> Survey:
    return read_xlsform(write_form(tmp_path / "form.xlsx", [HEADER, *rows], YES_NO)).survey


@pytest.fixture
def survey(tmp_path: Path) -> Survey:
    return _survey(
        tmp_path,
        [
            ["select_one yes_no", "has_ehcp", "Does your child have an EHCP?"],
            # Depends on a question further down the form, which is itself hidden unless
            # has_ehcp is yes: the order in which skip logic is worked out matters here.
            ["text", "school_named", "Which school does the plan name?", "${plan_year} != ''"],
            ["integer", "plan_year", "When was the plan issued?", "${has_ehcp} = 'yes'"],
            ["begin group", "waiting", "Waiting for an assessment", "${has_ehcp} = 'no'"],
            ["integer", "months", "How many months so far?"],
            ["note", "sorry", "We are sorry you are still waiting."],
            ["end group"],
            ["range", "score", "How satisfied, 0 to 10?", "", "start=0 end=10 step=2"],
        ],
    )


def test_the_form_shows_exactly_the_questions_whose_answers_are_kept(survey: Survey) -> None:
    answers = {"has_ehcp": "no", "school_named": "Oak Lane", "plan_year": "2023"}
    checked = check_response(survey, answers)
    on_screen = shown(survey, answers)
    # Walked in form order, school_named still sees plan_year's answer (cleared only further
    # down), so the check keeps it; the form must show it, or a volunteer could not see or
    # correct an answer that is saved.
    assert "school_named" in checked.answers and "school_named" in on_screen.questions
    assert "plan_year" not in checked.answers and "plan_year" not in on_screen.questions
    assert on_screen.cleared == checked.cleared == ("plan_year",)
    kept = set(checked.answers)
    answerable = {q.name for q in survey.questions if q.takes_answer}
    assert kept <= on_screen.questions
    assert answerable - on_screen.questions == set(checked.hidden) & answerable


def test_a_hidden_group_hides_everything_inside_it(survey: Survey) -> None:
    checked = check_response(survey, {"has_ehcp": "yes", "months": "7"})
    assert {"waiting", "months", "sorry"} <= set(checked.hidden)
    assert not checked.shows("months") and checked.shows("plan_year")
    assert checked.cleared == ("months",)
    on_screen = shown(survey, {"has_ehcp": "no"})
    assert {"waiting", "months", "sorry", "score"} <= on_screen.questions
    assert "plan_year" not in on_screen.questions


def test_the_scale_on_screen_is_the_one_the_check_enforces(survey: Survey) -> None:
    question = next(q for q in survey.questions if q.name == "score")
    points = range_scale(question).points()
    assert points == [0, 2, 4, 6, 8, 10]
    for point in points:
        assert check_response(survey, {"score": point}).problems == ()
    (problem,) = check_response(survey, {"score": 3}).problems
    assert problem.question == "score" and "in steps of 2" in problem.message


def test_required_is_said_in_the_forms_language() -> None:
    """Issue 13: a Polish form said "(required)" in English."""
    from forumkit.capture import required_words

    assert required_words("Polski (pl)") == ("(wymagane)", "(czasami wymagane)")
    assert required_words("Welsh") == ("(gorfodol)", "(gorfodol weithiau)")
    assert required_words("English (en)")[0] == "(required)"
    assert required_words("Klingon (tlh)")[0] == "(required)"
    assert required_words(None)[0] == "(required)"
