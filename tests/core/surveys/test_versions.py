"""Survey identity across files: version ids from content, the current version, and the
forum's own settings of a survey (its name, its archive)."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit import audit
from forumkit.surveys import (
    SurveyNameError,
    archive_survey,
    get_survey,
    import_xlsform,
    is_archived,
    list_surveys,
    rename_survey,
)
from forumkit.surveys.xlsform_write import export_xlsform
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.surveys.helpers import YES_NO, write_form

SETTINGS = [["form_title", "form_id"], ["Short breaks survey", "short_breaks"]]
BASE = [
    ["type", "name", "label", "required"],
    ["integer", "child_age", "Age of your child", "yes"],
    ["select_one yes_no", "consent_quote", "May we quote you?", ""],
]


def form_a(folder: Path) -> Path:
    return write_form(folder / "a.xlsx", BASE, YES_NO, SETTINGS)


def form_b(folder: Path) -> Path:
    rows = [*BASE, ["text", "comments", "Anything else?", ""]]
    return write_form(folder / "b.xlsx", rows, YES_NO, SETTINGS)


def test_version_ids_do_not_depend_on_the_order_forms_were_imported(
    workspace: Workspace, tmp_path: Path
) -> None:
    a_here = import_xlsform(workspace, form_a(tmp_path)).survey
    b_here = import_xlsform(workspace, form_b(tmp_path)).survey
    with Workspace.create(tmp_path / "laptop2.forumkit", PASSPHRASE, forum="F") as laptop:
        b_there = import_xlsform(laptop, form_b(tmp_path)).survey
        a_there = import_xlsform(laptop, form_a(tmp_path)).survey
        assert (b_there.version, a_there.version) == (1, 2)  # ordinals: display only
    assert a_here.version_id == a_there.version_id
    assert b_here.version_id == b_there.version_id
    assert a_here.version_id != b_here.version_id


def test_reimporting_an_earlier_version_makes_it_current_again(
    workspace: Workspace, tmp_path: Path
) -> None:
    a = import_xlsform(workspace, form_a(tmp_path)).survey
    b = import_xlsform(workspace, form_b(tmp_path)).survey
    again = import_xlsform(workspace, form_a(tmp_path))
    assert again.status == "made_current"
    assert (again.survey.version_id, again.survey.version) == (a.version_id, 1)
    assert get_survey(workspace.db, "short_breaks").version_id == a.version_id
    [summary] = list_surveys(workspace.db)
    assert (summary.version, summary.versions) == (1, 2)
    assert get_survey(workspace.db, "short_breaks", version=2).version_id == b.version_id
    assert import_xlsform(workspace, form_a(tmp_path)).status == "unchanged"
    assert import_xlsform(workspace, form_b(tmp_path)).status == "made_current"


def test_moving_rows_or_retitling_the_form_is_not_a_new_version(
    workspace: Workspace, tmp_path: Path
) -> None:
    first = import_xlsform(workspace, form_a(tmp_path)).survey
    moved = [BASE[0], ["calculate", "spare", "", ""], *BASE[1:]]
    retitled = [["form_title", "form_id"], ["Short breaks 2026", "short_breaks"]]
    result = import_xlsform(workspace, write_form(tmp_path / "t.xlsx", BASE, YES_NO, retitled))
    assert result.status == "updated"
    assert (result.survey.version_id, result.survey.title) == (
        first.version_id,
        "Short breaks 2026",
    )
    assert import_xlsform(workspace, write_form(tmp_path / "m.xlsx", moved, YES_NO, SETTINGS))
    assert len(audit.entries(workspace.db, "survey_imported")) == 3


def test_a_rename_survives_reimporting_the_form_and_can_be_undone(
    workspace: Workspace, tmp_path: Path
) -> None:
    survey = import_xlsform(workspace, form_a(tmp_path)).survey
    renamed = rename_survey(workspace, survey.id, "  Short   breaks 2025 ")
    assert renamed.title == "Short breaks 2025"
    assert renamed.version_id == survey.version_id
    assert import_xlsform(workspace, form_b(tmp_path)).survey.title == "Short breaks 2025"
    # The export carries the forum's name; importing it back is no new version.
    export_xlsform(get_survey(workspace.db, survey.id), tmp_path / "out.xlsx")
    assert import_xlsform(workspace, tmp_path / "out.xlsx").status == "unchanged"
    assert rename_survey(workspace, survey.id, "").title == "Short breaks survey"
    with pytest.raises(SurveyNameError, match="at most 200"):
        rename_survey(workspace, survey.id, "x" * 201)
    assert [e.action for e in audit.entries(workspace.db)].count("survey_renamed") == 2


def test_archiving_keeps_the_survey_and_can_be_undone(workspace: Workspace, tmp_path: Path) -> None:
    survey = import_xlsform(workspace, form_a(tmp_path)).survey
    archive_survey(workspace, survey.id)
    assert is_archived(workspace.db, "short_breaks")
    [summary] = list_surveys(workspace.db)
    assert summary.archived
    archive_survey(workspace, "short_breaks", archived=False)
    assert not list_surveys(workspace.db)[0].archived


def test_a_forum_id_shared_by_copies_and_an_origin_recorded_on_what_is_captured(
    workspace: Workspace, forum_path: Path, tmp_path: Path
) -> None:
    from forumkit.responses import add_response, get_response

    forum = workspace.forum
    assert forum.forum_id and forum.origin_id == forum.forum_id
    survey = import_xlsform(workspace, form_a(tmp_path)).survey
    response = add_response(workspace, survey, {"child_age": 5})
    assert get_response(workspace.db, response.id).device_id == forum.origin_id
    workspace.close()
    copy = tmp_path / "copy.forumkit"
    copy.write_bytes(forum_path.read_bytes())
    with Workspace.open(copy, PASSPHRASE) as copied:
        assert copied.forum.forum_id == forum.forum_id
    with Workspace.create(tmp_path / "other.forumkit", PASSPHRASE, forum="Other") as other:
        assert other.forum.forum_id != forum.forum_id
