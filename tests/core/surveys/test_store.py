"""Surveys kept in the forum file: import, versions, look-up, listing, and the audit trail."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit import audit
from forumkit.surveys.errors import ConsentQuestionError, SurveyNotFound, XLSFormError
from forumkit.surveys.store import (
    get_survey,
    import_xlsform,
    list_surveys,
    set_consent_questions,
    set_previous_edition,
)
from forumkit.surveys.validate import validate
from forumkit.surveys.xlsform_write import export_xlsform
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.surveys.helpers import YES_NO, write_form

SETTINGS = [["form_title", "form_id"], ["Short breaks survey", "short_breaks"]]


def chair_form(path: Path, *extra: list[object]) -> Path:
    rows: list[list[object]] = [
        ["type", "name", "label", "required", "constraint"],
        ["integer", "child_age", "Age of your child", "yes", ". <= 25"],
        ["select_one yes_no", "consent_quote", "May we quote you?", "yes", None],
        *extra,
    ]
    return write_form(path, rows, YES_NO, SETTINGS)


def test_import_stores_the_survey_and_it_survives_reopening(
    workspace: Workspace, forum_path: Path, tmp_path: Path
) -> None:
    result = import_xlsform(workspace, chair_form(tmp_path / "form.xlsx"))
    assert result.status == "added"
    survey = result.survey
    assert (survey.form_id, survey.title, survey.version) == (
        "short_breaks",
        "Short breaks survey",
        1,
    )
    assert survey.consent_quote == "consent_quote"
    workspace.close()
    with Workspace.open(forum_path, PASSPHRASE) as reopened:
        again = get_survey(reopened.db, "short_breaks")
        assert again == survey
        assert again.id == survey.id
        assert get_survey(reopened.db, survey.id) == survey
        [summary] = list_surveys(reopened.db)
        assert (summary.id, summary.form_id, summary.title) == (
            survey.id,
            "short_breaks",
            "Short breaks survey",
        )
        assert (summary.version, summary.versions, summary.questions) == (1, 1, 2)
        [entry] = audit.entries(reopened.db, "survey_imported")
        assert entry.object_ids == [survey.id, survey.version_id]
        assert entry.counts == {"version": 1, "questions": 2}


def test_importing_the_same_form_twice_changes_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    form = chair_form(tmp_path / "form.xlsx")
    first = import_xlsform(workspace, form)
    generation = workspace.generation
    second = import_xlsform(workspace, form)
    assert second.status == "unchanged"
    assert second.survey.version_id == first.survey.version_id
    assert workspace.generation == generation
    assert len(audit.entries(workspace.db, "survey_imported")) == 1


def test_a_changed_form_with_the_same_form_id_adds_a_version(
    workspace: Workspace, tmp_path: Path
) -> None:
    first = import_xlsform(workspace, chair_form(tmp_path / "v1.xlsx")).survey
    changed = chair_form(tmp_path / "v2.xlsx", ["text", "comments", "Anything else?"])
    second = import_xlsform(workspace, changed)
    assert second.status == "new_version"
    assert second.survey.id == first.id
    assert second.survey.version == 2
    assert get_survey(workspace.db, "short_breaks").version == 2
    assert get_survey(workspace.db, "short_breaks", version=1) == first
    assert list_surveys(workspace.db)[0].versions == 2
    with pytest.raises(SurveyNotFound, match="no version 7"):
        get_survey(workspace.db, "short_breaks", version=7)


def test_the_same_form_gets_the_same_ids_in_every_forum_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    form = chair_form(tmp_path / "form.xlsx")
    here = import_xlsform(workspace, form).survey
    with Workspace.create(tmp_path / "laptop2.forumkit", PASSPHRASE, forum="T", area="") as other:
        there = import_xlsform(other, form).survey
    assert (here.id, here.version_id) == (there.id, there.version_id)


def test_a_refused_form_leaves_the_file_as_it_was(workspace: Workspace, tmp_path: Path) -> None:
    generation = workspace.generation
    bad = write_form(tmp_path / "bad.xlsx", [["type", "name"], ["select_one nowhere", "q"]])
    with pytest.raises(XLSFormError):
        import_xlsform(workspace, bad)
    assert workspace.generation == generation
    assert list_surveys(workspace.db) == []


def test_an_unknown_survey_is_a_clear_error(workspace: Workspace) -> None:
    with pytest.raises(SurveyNotFound, match="no survey with the id or form_id “nope”"):
        get_survey(workspace.db, "nope")


def test_the_stored_survey_exports_and_validates(workspace: Workspace, tmp_path: Path) -> None:
    survey = import_xlsform(workspace, chair_form(tmp_path / "form.xlsx")).survey
    stored = get_survey(workspace.db, "short_breaks")
    export_xlsform(stored, tmp_path / "out.xlsx")
    assert import_xlsform(workspace, tmp_path / "out.xlsx").status == "unchanged"
    problems = validate(stored, {"child_age": 30, "consent_quote": "yes"})
    assert [(p.question, p.kind) for p in problems] == [("child_age", "constraint")]
    assert survey == stored


def test_consent_questions_and_editions_can_be_set_later(
    workspace: Workspace, tmp_path: Path
) -> None:
    import_xlsform(workspace, chair_form(tmp_path / "form.xlsx"))
    set_consent_questions(workspace, "short_breaks", share="consent_quote")
    assert get_survey(workspace.db, "short_breaks").consent_share == "consent_quote"
    with pytest.raises(ConsentQuestionError, match="not a yes/no question"):
        set_consent_questions(workspace, "short_breaks", quote="child_age")
    set_previous_edition(workspace, "short_breaks", "short_breaks_2024")
    survey = get_survey(workspace.db, "short_breaks")
    assert survey.previous_form_id == "short_breaks_2024"
    assert survey.version == 1
    assert list_surveys(workspace.db)[0].previous_form_id == "short_breaks_2024"
