"""Each online tool's export, written with its quirks, imports to the same answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forumkit.importers import ImportFileError, ImportPlan, plan_import
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.core.importers.helpers import (
    PARENTS,
    expected_answers,
    google_rows,
    kobo_rows,
    make_survey,
    msforms_rows,
    normalised,
    surveymonkey_rows,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return make_survey(workspace, tmp_path)


def assert_all_parents(plan: ImportPlan) -> None:
    assert plan.problems == ()
    assert len(plan.rows) == len(PARENTS)
    for index, row in enumerate(plan.rows):
        assert normalised(row.answers) == normalised(expected_answers(index))


def test_google_forms_xlsx(survey: Survey, tmp_path: Path) -> None:
    plan = plan_import(survey, write_xlsx(tmp_path / "Form responses.xlsx", google_rows()))
    assert plan.format == "googleforms"
    assert_all_parents(plan)
    assert [row.respondent for row in plan.rows] == [
        "parent0@example.org",
        None,
        "parent2@example.org",
    ]
    assert plan.rows[0].finished == "2026-03-01T09:30:15"
    assert plan.rows[0].started is None
    assert plan.rows[0].source == "import:googleforms:Form responses.xlsx"
    assert plan.unmapped == ()
    assert plan.date_order is None  # real dates in xlsx: no order to guess


def test_google_forms_utf16_csv_with_uk_text_dates(survey: Survey, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "export.csv", google_rows(date_text=True), encoding="utf-16")
    plan = plan_import(survey, path)
    assert plan.format == "googleforms"
    assert plan.encoding == "utf-16"
    assert_all_parents(plan)
    # 14/03/2024 can only be day-first, so the file is day-first without an ambiguity warning.
    assert plan.date_order == "dmy"
    assert not any("could be read" in warning for warning in plan.warnings)
    assert plan.rows[2].finished == "2026-03-03T09:30:15"


def test_microsoft_forms(survey: Survey, tmp_path: Path) -> None:
    plan = plan_import(survey, write_xlsx(tmp_path / "ms.xlsx", msforms_rows()))
    assert plan.format == "msforms"
    assert_all_parents(plan)
    # "anonymous" means nobody; Email wins over Name when both are given.
    assert [row.respondent for row in plan.rows] == ["sam@example.org", None, None]
    assert plan.rows[1].started == "2026-04-01T10:01:00"
    assert plan.rows[1].finished == "2026-04-01T10:08:00"
    assert "Last modified time" not in plan.unmapped


def test_surveymonkey_two_header_rows_option_columns_and_serial_dates(
    survey: Survey, tmp_path: Path
) -> None:
    plan = plan_import(survey, write_xlsx(tmp_path / "sm.xlsx", surveymonkey_rows()))
    assert plan.format == "surveymonkey"
    assert_all_parents(plan)
    assert [row.respondent for row in plan.rows] == [None, None, "Alex Jones"]
    assert plan.rows[0].started == "2026-03-01T12:00:00"
    choice_columns = [column for column in plan.columns if column.role == "choice"]
    assert [column.choice for column in choice_columns] == ["respite", "salt", "ot", "camhs"]
    assert choice_columns[0].header == "Which services do you use? – Respite, short breaks"


def test_surveymonkey_csv_with_serial_dates_as_text(survey: Survey, tmp_path: Path) -> None:
    plan = plan_import(survey, write_csv(tmp_path / "sm.csv", surveymonkey_rows()))
    assert plan.format == "surveymonkey"
    assert_all_parents(plan)


@pytest.mark.parametrize("option_columns", [True, False])
def test_kobo_paths_names_and_option_columns(
    survey: Survey, tmp_path: Path, option_columns: bool
) -> None:
    rows = kobo_rows(option_columns=option_columns)
    plan = plan_import(survey, write_xlsx(tmp_path / "kobo.xlsx", rows))
    assert plan.format == "kobo"
    assert_all_parents(plan)
    assert plan.rows[0].respondent == "volunteer1"
    assert plan.rows[0].started == "2026-05-01T10:00:00+01:00"
    if option_columns:
        covered = [column for column in plan.columns if column.role == "covered"]
        assert len(covered) == 4  # the space-separated column wins; 0/1 columns agree


def test_kobo_with_only_option_columns(survey: Survey, tmp_path: Path) -> None:
    rows = kobo_rows()
    drop = rows[0].index("family/services")
    rows = [row[:drop] + row[drop + 1 :] for row in rows]
    plan = plan_import(survey, write_csv(tmp_path / "kobo.csv", rows))
    assert plan.format == "kobo"
    assert_all_parents(plan)


def test_plain_csv_with_question_names_and_labels(survey: Survey, tmp_path: Path) -> None:
    header = ["consent_share", "Can we quote your words?", "CHILD AGE", "services", "ehcp",
              "ehcp_date", "school", "story"]  # fmt: skip
    rows: list[list[object]] = [header]
    rows.append(["yes", "No", "9", "Respite, short breaks; CAMHS", "No", "", "special", ""])
    rows.append(["no", "", "15", "salt ot", "yes", "2025-01-31", "Home educated", "Fine."])
    plan = plan_import(survey, write_csv(tmp_path / "typed.csv", rows))
    assert plan.format == "csv"
    assert plan.problems == ()
    assert normalised(plan.rows[0].answers) == {
        "consent_share": "yes",
        "consent_quote": "no",
        "child_age": 9,
        "services": frozenset({"respite", "camhs"}),
        "ehcp": "no",
        "school": "special",
    }
    assert plan.rows[1].answers["services"] == ("salt", "ot")
    assert plan.rows[1].answers["ehcp_date"] == dt.date(2025, 1, 31)
    by_header = {column.header: column for column in plan.columns}
    assert by_header["CHILD AGE"].found_by == "name"
    assert by_header["Can we quote your words?"].found_by == "label"


def test_format_can_be_forced(survey: Survey, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "g.xlsx", google_rows())
    plan = plan_import(survey, path, format="csv")
    assert plan.format == "csv"
    assert "Timestamp" in plan.unmapped
    with pytest.raises(ImportFileError, match="not a source format"):
        plan_import(survey, path, format="typeform")


def test_a_file_for_another_survey_is_refused(survey: Survey, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "other.csv", [["Favourite colour", "Pet"], ["Blue", "Cat"]])
    with pytest.raises(ImportFileError, match=r"No column of “other\.csv” matches"):
        plan_import(survey, path)


def test_unmapped_columns_and_unanswered_questions_are_reported(
    survey: Survey, tmp_path: Path
) -> None:
    rows = google_rows()
    rows[0] = [*rows[0][:-1], "Anything else?"]
    plan = plan_import(survey, write_xlsx(tmp_path / "g.xlsx", rows))
    assert plan.unmapped == ("Anything else?",)
    assert any("Column J “Anything else?”" in warning for warning in plan.warnings)
    assert any(
        "No column answers the questions: “Tell us about your experience”" in warning
        for warning in plan.warnings
    )  # its wording, not its name (issue 13)


def test_progress_is_reported_and_raising_from_it_cancels(survey: Survey, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "g.xlsx", google_rows())
    seen: list[tuple[int, int]] = []
    plan_import(survey, path, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 3), (3, 3)]

    class Cancelled(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    with pytest.raises(Cancelled):
        plan_import(survey, path, progress=cancel)
