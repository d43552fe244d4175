"""Re-importing adds nothing; overlapping exports add only what is new; ids never collide."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit.importers import count_duplicates, plan_import, run_import
from forumkit.responses import count_responses, list_responses
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.core.importers.helpers import (
    PARENTS,
    google_rows,
    kobo_rows,
    make_survey,
    msforms_rows,
    surveymonkey_rows,
    write_csv,
    write_xlsx,
)


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return make_survey(workspace, tmp_path)


@pytest.mark.parametrize(
    "rows",
    [google_rows(), msforms_rows(), surveymonkey_rows(), kobo_rows()],
    ids=["googleforms", "msforms", "surveymonkey", "kobo"],
)
def test_the_same_file_twice_adds_nothing_the_second_time(
    workspace: Workspace, survey: Survey, tmp_path: Path, rows: list[list[object]]
) -> None:
    path = write_xlsx(tmp_path / "export.xlsx", rows)
    first = run_import(workspace, survey, plan_import(survey, path))
    assert (first.added, first.duplicates) == (len(PARENTS), 0)
    plan = plan_import(survey, path)
    assert count_duplicates(workspace.db, plan) == len(PARENTS)
    second = run_import(workspace, survey, plan)
    assert (second.added, second.duplicates) == (0, len(PARENTS))
    assert count_responses(workspace.db, survey.id) == len(PARENTS)


def test_two_microsoft_forms_exports_with_the_same_ids_both_import(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    # Microsoft Forms numbers responses 1, 2, 3 in every form: ids alone would collide.
    first = write_xlsx(tmp_path / "form_a.xlsx", msforms_rows(first_id=1, day=1))
    second = write_xlsx(tmp_path / "form_b.xlsx", msforms_rows(first_id=1, day=9))
    assert run_import(workspace, survey, plan_import(survey, first)).added == 3
    assert run_import(workspace, survey, plan_import(survey, second)).added == 3
    assert count_responses(workspace.db, survey.id) == 6


def test_an_overlapping_later_export_adds_only_the_new_rows(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    everything = google_rows()
    early = write_xlsx(tmp_path / "march.xlsx", everything[:3])
    run_import(workspace, survey, plan_import(survey, early))
    later = write_csv(tmp_path / "april.csv", google_rows(date_text=True))
    added = run_import(workspace, survey, plan_import(survey, later))
    assert (added.added, added.duplicates) == (1, 2)
    sources = sorted(r.source for r in list_responses(workspace.db, survey.id, limit=None))
    assert sources == [
        "import:googleforms:april.csv",
        "import:googleforms:march.xlsx",
        "import:googleforms:march.xlsx",
    ]


def test_identical_rows_without_ids_or_times_are_kept_apart(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    rows = [["consent_share", "child_age", "ehcp"], ["yes", 5, "no"], ["yes", 5, "no"]]
    path = write_csv(tmp_path / "typed.csv", rows)
    plan = plan_import(survey, path)
    assert len({row.source_key for row in plan.rows}) == 2
    assert run_import(workspace, survey, plan).added == 2
    assert run_import(workspace, survey, plan_import(survey, path)).added == 0
