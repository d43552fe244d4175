"""Capture-side validation: every rule a chair writes into the XLSForm is enforced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forumkit.surveys.model import Survey
from forumkit.surveys.validate import check_response, validate
from forumkit.surveys.xlsform_read import read_xlsform
from tests.core.surveys.helpers import write_form

CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Polski (pl)", "needs"],
    ["yes_no", "yes", "Yes", "Tak", None],
    ["yes_no", "no", "No", "Nie", None],
    ["services", "respite", "Short breaks", "Opieka wytchnieniowa", "care"],
    ["services", "speech", "Speech therapy", "Logopeda", "therapy"],
    ["services", "ot", "Occupational therapy", "Terapia zajęciowa", "therapy"],
    ["services", "none", "None of these", "Żadne", None],
    ["needs", "care", "Care", "Opieka", None],
    ["needs", "therapy", "Therapy", "Terapia", None],
]
SURVEY = [
    [
        "type",
        "name",
        "label::English (en)",
        "label::Polski (pl)",
        "required",
        "relevant",
        "constraint",
        "constraint_message::English (en)",
        "constraint_message::Polski (pl)",
        "choice_filter",
        "parameters",
    ],
    [
        "integer",
        "child_age",
        "Age of your child",
        "Wiek dziecka",
        "yes",
        None,
        ". >= 0 and . <= 25",
        "Ages run from 0 to 25",
        "Wiek od 0 do 25",
    ],
    ["select_one yes_no", "has_ehcp", "Does your child have an EHCP?", "Czy ma EHCP?", "yes"],
    ["begin group", "ehcp", "About the EHCP", "O EHCP", None, "${has_ehcp} = 'yes'"],
    [
        "date",
        "ehcp_date",
        "When was it issued?",
        "Kiedy?",
        "yes",
        None,
        ". <= today()",
        "The date cannot be in the future",
    ],
    ["text", "ehcp_school", "Which school is named?", "Która szkoła?"],
    ["end group"],
    [
        "select_multiple services",
        "services",
        "Which services do you use?",
        "Usługi?",
        None,
        None,
        "not(selected(., 'none') and count-selected(.) > 1)",
        "“None” cannot go with others",
    ],
    ["select_one needs", "main_need", "Main need", "Główna potrzeba"],
    [
        "select_one services",
        "best_service",
        "Which helped most?",
        "Co pomogło?",
        None,
        "count-selected(${services}) > 0",
        None,
        None,
        None,
        "needs = ${main_need}",
    ],
    [
        "range",
        "wait_score",
        "Waiting, 0 to 10",
        "Czekanie",
        None,
        None,
        None,
        None,
        None,
        None,
        "start=0 end=10 step=1",
    ],
    ["text", "why_low", "Why so low?", "Dlaczego?", "${wait_score} < 3"],
    ["calculate", "age_band", None, None, None, None, None, None, None, None, None],
    ["note", "thanks", "Thank you", "Dziękujemy"],
]
SURVEY[-2][0:2] = ["calculate", "age_band"]


@pytest.fixture
def survey(tmp_path: Path) -> Survey:
    rows = [list(row) for row in SURVEY]
    rows[0].append("calculation")
    rows[-2] += [None] * (len(rows[0]) - len(rows[-2]) - 1) + [
        "if(${child_age} < 5, 'early', 'school')"
    ]
    return read_xlsform(write_form(tmp_path / "chair.xlsx", rows, CHOICES)).survey


def kinds(survey: Survey, answers: dict[str, object]) -> dict[str, str]:
    return {p.question: p.kind for p in validate(survey, answers, now=dt.datetime(2024, 6, 1))}


GOOD: dict[str, object] = {
    "child_age": "9",
    "has_ehcp": "yes",
    "ehcp_date": "2023-09-01",
    "services": "respite speech",
    "main_need": "therapy",
    "best_service": "speech",
    "wait_score": 7,
}


def test_a_complete_response_has_no_problems(survey: Survey) -> None:
    checked = check_response(survey, GOOD, now=dt.datetime(2024, 6, 1))
    assert checked.problems == ()
    assert checked.answers["child_age"] == 9
    assert checked.answers["services"] == ("respite", "speech")
    assert checked.answers["ehcp_date"] == dt.date(2023, 9, 1)
    assert checked.answers["age_band"] == "school"


def test_required_questions_must_be_answered(survey: Survey) -> None:
    answers = dict(GOOD)
    del answers["child_age"]
    assert kinds(survey, answers) == {"child_age": "required"}


def test_required_can_be_an_expression(survey: Survey) -> None:
    assert kinds(survey, {**GOOD, "wait_score": 2}) == {"why_low": "required"}
    assert kinds(survey, {**GOOD, "wait_score": 2, "why_low": "Months on a list"}) == {}


def test_constraints_report_the_forms_message_in_the_chosen_language(survey: Survey) -> None:
    [problem] = validate(survey, {**GOOD, "child_age": 40})
    assert (problem.question, problem.kind) == ("child_age", "constraint")
    assert problem.message == "Ages run from 0 to 25"
    [polish] = validate(survey, {**GOOD, "child_age": 40}, language="Polski (pl)")
    assert polish.message == "Wiek od 0 do 25"
    assert str(polish) == "child_age: Wiek od 0 do 25"


def test_a_constraint_on_a_multiple_choice_answer(survey: Survey) -> None:
    problems = validate(survey, {**GOOD, "services": ["none", "respite"]})
    assert [(p.question, p.message) for p in problems] == [
        ("services", "“None” cannot go with others")
    ]


def test_dates_in_the_future_break_the_today_rule(survey: Survey) -> None:
    assert kinds(survey, {**GOOD, "ehcp_date": "2030-01-01"}) == {"ehcp_date": "constraint"}


def test_skip_logic_clears_answers_to_hidden_questions(survey: Survey) -> None:
    answers = {**GOOD, "has_ehcp": "no", "ehcp_school": "Oak Hill"}
    checked = check_response(survey, answers, now=dt.datetime(2024, 6, 1))
    assert checked.problems == ()
    assert set(checked.cleared) == {"ehcp_date", "ehcp_school"}
    assert "ehcp_school" not in checked.answers


def test_hidden_required_questions_are_not_required(survey: Survey) -> None:
    answers = {k: v for k, v in GOOD.items() if k != "ehcp_date"}
    assert kinds(survey, {**answers, "has_ehcp": "no"}) == {}
    assert kinds(survey, answers) == {"ehcp_date": "required"}


def test_answers_must_be_among_the_choices(survey: Survey) -> None:
    assert kinds(survey, {**GOOD, "has_ehcp": "maybe"}) == {"has_ehcp": "choice"}
    assert kinds(survey, {**GOOD, "services": "respite swimming"}) == {"services": "choice"}


def test_choice_filters_limit_what_can_be_picked(survey: Survey) -> None:
    assert kinds(survey, {**GOOD, "main_need": "care", "best_service": "speech"}) == {
        "best_service": "choice"
    }
    assert kinds(survey, {**GOOD, "main_need": "care", "best_service": "respite"}) == {}


def test_answers_are_parsed_by_type(survey: Survey) -> None:
    problems = validate(
        survey,
        {**GOOD, "child_age": "nine", "ehcp_date": "last spring", "wait_score": "11"},
    )
    found = {p.question: p.message for p in problems}
    assert found["child_age"] == "the answer is not a whole number."
    assert found["ehcp_date"].startswith("the answer is not a date")
    assert found["wait_score"] == "the answer must be between 0 and 10 in steps of 1."
    assert all("nine" not in p.message for p in problems)


def test_unknown_questions_are_reported(survey: Survey) -> None:
    assert kinds(survey, {**GOOD, "favourite_colour": "red"}) == {"favourite_colour": "unknown"}


def test_a_rule_with_an_unknown_function_is_not_enforced(tmp_path: Path) -> None:
    path = write_form(
        tmp_path / "f.xlsx",
        [["type", "name", "constraint"], ["text", "postcode", "is-postcode(.)"]],
    )
    survey = read_xlsform(path).survey
    checked = check_response(survey, {"postcode": "anything"})
    assert checked.problems == ()
    [rule] = checked.unchecked
    assert (rule.question, rule.column) == ("postcode", "constraint")


def test_the_spec_forms_rules_are_enforced(shared_dir: Path) -> None:
    survey = read_xlsform(shared_dir / "fixtures" / "xlsform" / "xlsform_spec_test.xlsx").survey
    assert kinds(survey, {"a_integer": "3", "a_decimal": "2.5"}) == {}
    assert kinds(survey, {"a_integer": "3", "a_decimal": "4.5"}) == {"a_decimal": "constraint"}
    checked = check_response(survey, {"skip_to_end": "yes", "my_name": "Jo", "a_integer": 3})
    assert set(checked.cleared) == {"my_name", "a_integer"}


def test_cascading_selects_from_pyxform(shared_dir: Path) -> None:
    path = shared_dir / "fixtures" / "xlsform" / "choice_filter_test.xlsx"
    survey = read_xlsform(path).survey
    good = {"state": "texas", "county": "cameron", "city": "harlingen"}
    assert kinds(survey, good) == {}
    assert kinds(survey, {**good, "county": "pierce", "city": "tacoma"}) == {"county": "choice"}
    assert kinds(survey, {"state": "washington", "county": "king", "city": "seattle"}) == {}


def test_or_other_adds_an_other_choice(shared_dir: Path) -> None:
    survey = read_xlsform(shared_dir / "fixtures" / "xlsform" / "or_other.xlsx").survey
    assert kinds(survey, {"fav_color": "other"}) == {}
    assert kinds(survey, {"fav_pastel": "other"}) == {"fav_pastel": "choice"}


def test_times_ticks_rankings_and_metadata_are_parsed(tmp_path: Path) -> None:
    path = write_form(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label", "required"],
            ["start", "start", None, None],
            ["today", "today", None, None],
            ["time", "call_time", "Best time to call", None],
            ["datetime", "meeting", "Meeting", None],
            ["acknowledge", "read_privacy", "I have read the privacy notice", "yes"],
            ["rank services", "priorities", "Rank these", None],
        ],
        [["list_name", "name", "label"], ["services", "a", "A"], ["services", "b", "B"]],
    )
    survey = read_xlsform(path).survey
    checked = check_response(
        survey,
        {
            "start": "2024-06-01T09:00:00",
            "today": dt.date(2024, 6, 1),
            "call_time": "9:30",
            "meeting": "2024-06-03 14:00",
            "read_privacy": "OK",
            "priorities": ["b", "a"],
        },
    )
    assert checked.problems == ()
    assert checked.answers["call_time"] == dt.time(9, 30)
    assert checked.answers["meeting"] == dt.datetime(2024, 6, 3, 14, 0)
    assert checked.answers["priorities"] == ("b", "a")
    assert kinds(survey, {"read_privacy": "no"}) == {"read_privacy": "type"}
    assert kinds(survey, {"read_privacy": "OK", "priorities": "a a"}) == {"priorities": "type"}
    assert kinds(survey, {"read_privacy": "OK", "call_time": "half nine"}) == {"call_time": "type"}
    assert kinds(survey, {}) == {"read_privacy": "required"}
