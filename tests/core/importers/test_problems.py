"""Bad rows: every problem reported with row, column and reason; nothing half-imported."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from forumkit.importers import (
    ImportRejected,
    MappingFileError,
    load_mapping,
    mapping_to_json,
    plan_import,
    run_import,
    set_aside_rows,
)
from forumkit.responses import count_responses
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.core.importers.helpers import (
    google_rows,
    make_survey,
    surveymonkey_rows,
    write_csv,
    write_xlsx,
)

AGE = "How old is your child?"
SERVICES = "Which services do you use?"
ISSUED = "When was the EHCP issued?"


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return make_survey(workspace, tmp_path)


def bad_google_file(tmp_path: Path) -> Path:
    rows = google_rows(date_text=True)
    rows[1][4] = 31  # out of range: the constraint allows 0 to 25
    rows[2][5] = "Speech and language therapy, Horse riding"  # an unknown option
    rows[3][7] = "the second of November"  # not a date
    return write_csv(tmp_path / "bad.csv", rows)


def test_every_problem_is_reported_with_row_column_and_reason(
    survey: Survey, tmp_path: Path
) -> None:
    plan = plan_import(survey, bad_google_file(tmp_path))
    found = [(problem.row, problem.column) for problem in plan.problems]
    assert found == [(2, AGE), (3, SERVICES), (4, ISSUED)]
    reasons = [problem.reason for problem in plan.problems]
    assert reasons[0] == "Age must be between 0 and 25."
    assert reasons[1] == "the answer is not one of the question's options."
    assert "not a date" in reasons[2] and "DD/MM/YYYY" in reasons[2]
    # Reasons (and so error messages) never repeat what the parent wrote...
    assert not any("Horse" in reason or "November" in reason for reason in reasons)
    assert not any("Horse" in str(p) or "November" in str(p) for p in plan.problems)
    assert len(plan.rows) == 0
    # ...but each problem shows the chair the cell and the question's wording (issue 13).
    values = [problem.value for problem in plan.problems]
    assert values == ["31", "Speech and language therapy, Horse riding", "the second of November"]
    assert [problem.question for problem in plan.problems] == [AGE, SERVICES, ISSUED]


def test_all_or_nothing(workspace: Workspace, survey: Survey, tmp_path: Path) -> None:
    plan = plan_import(survey, bad_google_file(tmp_path))
    with pytest.raises(ImportRejected, match=r"“bad\.csv” has 3 problems \(row 2, column"):
        run_import(workspace, survey, plan)
    assert count_responses(workspace.db, survey.id) == 0


def test_surveymonkey_rows_count_both_header_rows(survey: Survey, tmp_path: Path) -> None:
    rows = surveymonkey_rows()
    rows[2][11] = "seven"
    plan = plan_import(survey, write_xlsx(tmp_path / "sm.xlsx", rows))
    assert [(p.row, p.column) for p in plan.problems] == [(3, AGE)]
    assert plan.problems[0].reason == "the answer is not a whole number."


def test_a_missing_required_answer(survey: Survey, tmp_path: Path) -> None:
    rows = google_rows()
    rows[2][6] = None  # ehcp is required
    plan = plan_import(survey, write_xlsx(tmp_path / "g.xlsx", rows))
    assert [(p.row, p.column, p.reason) for p in plan.problems] == [
        (3, "Does your child have an EHCP?", "an answer is required.")
    ]


def test_answers_hidden_by_skip_logic_are_left_out_and_counted(
    survey: Survey, tmp_path: Path
) -> None:
    rows = google_rows()
    rows[2][7] = dt.datetime(2024, 1, 5)  # an EHCP date although the parent said No
    plan = plan_import(survey, write_xlsx(tmp_path / "g.xlsx", rows))
    assert plan.problems == ()
    assert "ehcp_date" not in plan.rows[1].answers
    assert any("skip logic hides" in warning for warning in plan.warnings)


def test_a_file_where_every_date_is_ambiguous_is_read_day_first(
    survey: Survey, tmp_path: Path
) -> None:
    rows = google_rows()
    rows[1][7] = "03/04/2024"
    rows[3][7] = "05/06/2025"
    plan = plan_import(survey, write_csv(tmp_path / "g.csv", rows))
    assert plan.date_order == "dmy"
    assert plan.rows[0].answers["ehcp_date"] == dt.date(2024, 4, 3)
    assert any("read day-first" in warning for warning in plan.warnings)


def test_a_us_file_is_read_month_first_and_odd_dates_are_problems(
    survey: Survey, tmp_path: Path
) -> None:
    rows = google_rows()
    rows[1][7] = "12/25/2024"
    rows[2][6], rows[2][7] = "Yes", "01/30/2025"
    rows[3][7] = "30/01/2025"  # the one cell in UK order cannot be read month-first
    plan = plan_import(survey, write_csv(tmp_path / "us.csv", rows))
    assert plan.date_order == "mdy"
    assert [(p.row, p.column) for p in plan.problems] == [(4, ISSUED)]
    assert "MM/DD/YYYY" in plan.problems[0].reason


def test_a_mapping_file_settles_what_matching_cannot(survey: Survey, tmp_path: Path) -> None:
    rows = google_rows()
    rows[0][4] = "Age (years)"
    rows[0][1] = "Contact"
    rows[0].append("Internal notes")
    for row in rows[1:]:
        row.append("seen")
    path = write_xlsx(tmp_path / "renamed.xlsx", rows)
    plan = plan_import(survey, path)
    assert set(plan.unmapped) == {"Age (years)", "Contact", "Internal notes"}
    mapping_path = tmp_path / "map.json"
    mapping_path.write_text(
        json.dumps(
            {
                "columns": {
                    "Age (years)": "child_age",
                    "contact": "@respondent",
                    "Internal notes": None,
                }
            }
        )
    )
    mapped = plan_import(survey, path, mapping=mapping_path)
    assert mapped.unmapped == ()
    assert mapped.problems == ()
    assert mapped.rows[0].answers["child_age"] == 7
    assert mapped.rows[0].respondent == "parent0@example.org"
    # The wizard's way: change the plan's mapping and plan again without re-reading the file.
    edited = dict(plan.mapping)
    edited["Age (years)"] = "child_age"
    remapped = plan.remap(survey, edited)
    assert remapped.rows[0].answers["child_age"] == 7
    assert load_mapping(mapping_path) == {
        "Age (years)": "child_age",
        "contact": "@respondent",
        "Internal notes": None,
    }
    assert mapping_to_json({"x": ("services", "ot")}) == {
        "columns": {"x": {"question": "services", "choice": "ot"}}
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"columns": []}', "needs a “columns” object"),
        ('{"columns": {"Age (years)": "no_such_question"}}', "not a question of the survey"),
        ('{"columns": {"Age (years)": 3}}', "must map to a question name"),
    ],
)
def test_bad_mapping_files_are_refused_plainly(
    survey: Survey, tmp_path: Path, content: str, message: str
) -> None:
    rows = google_rows()
    rows[0][4] = "Age (years)"
    path = write_xlsx(tmp_path / "renamed.xlsx", rows)
    mapping_path = tmp_path / "map.json"
    mapping_path.write_text(content)
    with pytest.raises(MappingFileError, match=message):
        plan_import(survey, path, mapping=mapping_path)


def test_a_sheet_headed_by_question_names_gives_problems_in_the_questions_words(
    survey: Survey, tmp_path: Path
) -> None:
    """A plain sheet's headings are the questions' names (“school”): a problem still says which
    question, by its words, and the reason never names a choice list."""
    rows = [["consent_share", "child_age", "ehcp", "school"], ["yes", "8", "no", "grammar"]]
    plan = plan_import(survey, write_csv(tmp_path / "plain.csv", rows))
    [problem] = plan.problems
    assert (problem.column, problem.question, problem.value) == (
        "school",
        "What type of school does your child attend?",
        "grammar",
    )
    assert problem.reason == "the answer is not one of the question's options."


def test_skipping_bad_rows_stores_the_rest(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    rows = google_rows()
    rows[2][4] = 40
    plan = plan_import(survey, write_csv(tmp_path / "one-bad.csv", rows))
    assert set_aside_rows(plan) == (3,)
    added = run_import(workspace, survey, plan, skip_bad_rows=True)
    assert added.added == 2 and count_responses(workspace.db, survey.id) == 2
