"""A group and a question with one name (HOT's osm-fieldwork forms ask “bridge” in the group
“bridge”): pyxform accepts such forms, and so does forumkit, keeping groups apart from the
questions answers are keyed by. Each rule is checked against pyxform on the same workbook."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from forumkit.capture import shown
from forumkit.importers import plan_import, run_import
from forumkit.responses import add_response, list_responses
from forumkit.responses.export import export_responses
from forumkit.surveys import import_xlsform
from forumkit.surveys.errors import XLSFormError
from forumkit.surveys.validate import check_response
from forumkit.surveys.xlsform_read import read_xlsform
from forumkit.surveys.xlsform_write import export_xlsform
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.surveys.helpers import YES_NO, Rows, write_form

HEADER = ["type", "name", "label", "relevant"]

BRIDGE = [
    HEADER,
    ["select_one yes_no", "crossing", "Did you cross a bridge?", ""],
    ["begin group", "bridge", "The bridge", "${crossing} = 'yes'"],
    ["integer", "steps", "How many steps had it?", ""],
    ["text", "bridge", "What was hard about the bridge?", "${steps} > 0"],
    ["end group", "", "", ""],
    ["text", "story", "Anything else?", ""],
]
"""The question “bridge” in the group “bridge”, shown by a rule reading a question beside it
(a dependency graph that took the two for one would see a circle there)."""


def _pyxform_accepts(path: Path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            convert(xlsform=str(path))
    except Exception:  # pyxform raises several types for a form it refuses
        return False
    return True


def _forumkit_accepts(path: Path) -> bool:
    try:
        read_xlsform(path)
    except XLSFormError:
        return False
    return True


AGREED: list[tuple[str, Rows, bool]] = [
    ("a question inside a group of its name", BRIDGE, True),
    (
        "two questions with one name",
        [HEADER, ["text", "story", "One", ""], ["text", "story", "Two", ""]],
        False,
    ),
    (
        "two groups side by side with one name",
        [
            HEADER,
            ["begin group", "part", "Part one", ""],
            ["text", "first", "One", ""],
            ["end group", "", "", ""],
            ["begin group", "part", "Part two", ""],
            ["text", "second", "Two", ""],
            ["end group", "", "", ""],
        ],
        False,
    ),
    (
        "a question beside a group of its name",
        [
            HEADER,
            ["begin group", "bridge", "The bridge", ""],
            ["text", "first", "One", ""],
            ["end group", "", "", ""],
            ["text", "bridge", "Two", ""],
        ],
        False,
    ),
    (
        "a rule reading a name both a group and a question hold",
        [
            HEADER,
            ["begin group", "bridge", "The bridge", ""],
            ["select_one yes_no", "bridge", "Was it step-free?", ""],
            ["end group", "", "", ""],
            ["text", "story", "Why not?", "${bridge} = 'no'"],
        ],
        False,
    ),
]


@pytest.mark.parametrize(("what", "rows", "accepted"), AGREED, ids=[a[0] for a in AGREED])
def test_forumkit_accepts_and_refuses_shared_names_as_pyxform_does(
    tmp_path: Path, what: str, rows: Rows, accepted: bool
) -> None:
    path = write_form(tmp_path / "form.xlsx", rows, YES_NO)
    assert _pyxform_accepts(path) is accepted, what
    assert _forumkit_accepts(path) is accepted, what


def test_a_rule_reading_a_shared_name_is_refused_naming_both_rows(tmp_path: Path) -> None:
    path = write_form(tmp_path / "form.xlsx", AGREED[-1][1], YES_NO)
    with pytest.raises(XLSFormError) as refused:
        read_xlsform(path)
    assert str(refused.value) == (
        "Row 5 of the survey sheet, column relevant (D): the expression “${bridge} = 'no'” "
        "reads ${bridge}, which names both the group on row 2 and the question on row 3; "
        "rename one of them."
    )


def test_nested_groups_with_one_name_are_still_refused(tmp_path: Path) -> None:
    """pyxform accepts a group inside a group of its name (names need only be unique within
    their parent); forumkit refuses two groups with one name anywhere, as its forms and the
    designer find a section by its name."""
    rows = [
        HEADER,
        ["begin group", "part", "Part", ""],
        ["begin group", "part", "Inner part", ""],
        ["text", "first", "One", ""],
        ["end group", "", "", ""],
        ["end group", "", "", ""],
    ]
    path = write_form(tmp_path / "form.xlsx", rows, YES_NO)
    with pytest.raises(XLSFormError, match="the name “part” is already used on row 2"):
        read_xlsform(path)


def test_skip_logic_tells_the_group_from_the_question(tmp_path: Path) -> None:
    survey = read_xlsform(write_form(tmp_path / "form.xlsx", BRIDGE, YES_NO)).survey
    assert survey.question("bridge").type == "text"
    assert survey.group("bridge").type == "begin_group"

    hard = check_response(survey, {"crossing": "yes", "steps": 12, "bridge": "Steps"})
    assert hard.answers == {"crossing": "yes", "steps": 12, "bridge": "Steps"}
    assert hard.shows("bridge") and hard.shows_group("bridge")

    step_free = check_response(survey, {"crossing": "yes", "steps": 0, "bridge": "Nothing"})
    assert step_free.cleared == ("bridge",)
    assert step_free.shows_group("bridge") and not step_free.shows("bridge")
    assert "bridge" in shown(survey, {"crossing": "yes", "steps": 0}).groups

    no_bridge = check_response(survey, {"crossing": "no", "steps": 3, "story": "Fine"})
    assert no_bridge.answers == {"crossing": "no", "story": "Fine"}
    assert no_bridge.cleared == ("steps",)
    assert not no_bridge.shows_group("bridge") and not no_bridge.shows("bridge")
    on_screen = shown(survey, {"crossing": "no"})
    assert "bridge" not in on_screen.groups and "bridge" not in on_screen.questions


def test_survey_export_of_a_shared_name_is_read_by_pyxform_and_forumkit(tmp_path: Path) -> None:
    survey = read_xlsform(write_form(tmp_path / "form.xlsx", BRIDGE, YES_NO)).survey
    exported = tmp_path / "exported.xlsx"
    export_xlsform(survey, exported)
    assert _pyxform_accepts(exported)
    assert read_xlsform(exported).survey.elements == survey.elements


def test_responses_to_a_shared_name_round_trip_through_export_and_import(
    workspace: Workspace, tmp_path: Path
) -> None:
    form = write_form(tmp_path / "bridges.xlsx", BRIDGE, YES_NO)
    survey = import_xlsform(workspace, form).survey
    add_response(
        workspace, survey, {"crossing": "yes", "steps": 12, "bridge": "Steps"}, status="complete"
    )
    add_response(
        workspace, survey, {"crossing": "no", "story": "No bridge today"}, status="complete"
    )
    exported = tmp_path / "export.xlsx"
    export_responses(workspace, survey, exported)

    fresh = Workspace.create(tmp_path / "fresh.forumkit", PASSPHRASE, forum="Other")
    try:
        target = import_xlsform(fresh, form).survey
        plan = plan_import(target, exported)
        assert plan.problems == () and plan.unmapped == ()
        assert run_import(fresh, target, plan).added == 2
        answers = sorted(
            sorted(r.answers.items()) for r in list_responses(fresh.db, target.id, limit=None)
        )
        assert answers == [
            [("bridge", "Steps"), ("crossing", "yes"), ("steps", 12)],
            [("crossing", "no"), ("story", "No bridge today")],
        ]
    finally:
        fresh.close()
