"""Columns real exports spread one question over: or_other's tick and text, KoboToolbox's
ranking places, SurveyMonkey's single choice one column per option (EXPORTS.md says where each
file came from)."""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from forumkit.importers import column_targets, plan_import
from forumkit.surveys import Survey, XLSFormError
from forumkit.surveys.xlsform_read import read_xlsform
from forumkit.surveys.xlsform_write import export_xlsform
from tests.core.importers.helpers import write_csv
from tests.core.realworld.test_exports import EXPORTS, FORMS, _form, _midwest
from tests.core.surveys.helpers import write_form

IDENTIFY = "How much, if at all, do you personally identify as a Midwesterner?"


def test_or_other_text_goes_to_the_question_or_other_adds(tmp_path: Path) -> None:
    """KoboToolbox's ``fav_emperor_other`` column (the text) and ``fav_emperors/other`` (the
    tick) both land: in the ``NAME_other`` text question pyxform adds for ``or_other``."""
    survey = read_xlsform(FORMS / "kobo" / "or_other.xlsx").survey
    added = survey.question("fav_emperor_other")
    assert (added.type, survey.label(added)) == ("text", "Specify other.")
    assert added.relevant == "selected(${fav_emperor}, 'other')"
    plan = plan_import(survey, EXPORTS / "kobo" / "or-other.csv")
    assert (plan.problems, plan.warnings) == ((), ())
    assert [dict(row.answers) for row in plan.rows] == [
        {
            "fav_emperor": "other",
            "fav_emperor_other": "Nero",
            "fav_emperors": ("caligula", "other"),
            "fav_emperors_other": "Commodus",
        },
        {"fav_emperor": "augustus", "fav_emperors": ("julius", "tiberius")},
        {
            "fav_emperor": "other",
            "fav_emperor_other": "Marcus Aurelius",
            "fav_emperors": ("julius", "augustus"),
        },
    ]
    # Exported, the form says or_other again (pyxform adds the question back, so does forumkit).
    out = tmp_path / "again.xlsx"
    export_xlsform(survey, out)
    assert read_xlsform(out).survey.elements == survey.elements
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        convert(xlsform=str(out))


def test_a_question_named_as_or_others_text_question_is_refused_as_pyxform_does(
    tmp_path: Path,
) -> None:
    path = write_form(
        tmp_path / "clash.xlsx",
        [
            ["type", "name", "label"],
            ["select_one c or_other", "fav", "Favourite"],
            ["text", "fav_other", "Which other?"],
        ],
        [["list_name", "name", "label"], ["c", "a", "A"]],
        [["form_id"], ["clash"]],
    )
    with pytest.raises(XLSFormError, match="text question that or_other adds to “fav”"):
        read_xlsform(path)


@pytest.mark.parametrize("export", ["everything.csv", "everything.xlsx"])
def test_a_kobotoolbox_ranking_is_one_rank_question(export: str) -> None:
    """The form as KoboToolbox's form builder holds it (``begin_rank`` … ``end_rank``, the
    choices in ``kobo--rank-items``) is one ``rank`` question, and the export's
    ``Colours_by_brightness/_1st_choice``, ``/_2nd_choice`` columns are its places."""
    survey = read_xlsform(FORMS / "kobo" / "everything-kobo.xlsx").survey
    ranking = survey.question("Colours_by_brightness")
    assert (ranking.type, ranking.list_name) == ("rank", "col_br_ch_list")
    plan = plan_import(survey, EXPORTS / "kobo" / export)
    assert plan.problems == ()
    places = [c for c in plan.columns if c.role == "place"]
    assert [(c.header, c.place) for c in places] == [
        ("Colours_by_brightness/_1st_choice", 1),
        ("Colours_by_brightness/_2nd_choice", 2),
    ]
    [row] = plan.rows
    assert row.answers["Colours_by_brightness"] == ("blue", "yellow")


def test_surveymonkey_single_choice_one_column_per_option(tmp_path: Path) -> None:
    """FiveThirtyEight's Midwest survey: "How much … identify" and "Gender" are single choices
    exported one column per option, the ticked cell holding the option's text."""
    plan = plan_import(_midwest(tmp_path), EXPORTS / "surveymonkey" / "midwest.csv")
    assert plan.problems == ()
    assert not any("No column answers" in warning for warning in plan.warnings)
    first = dict(plan.rows[0].answers)
    assert (first["identify"], first["gender"]) == ("not_much", "male")
    assert sum("identify" in row.answers for row in plan.rows) == 20


def _renamed_identify(tmp_path: Path) -> Survey:
    """The Midwest survey written by a forum in its own words: no option label matches."""
    return _form(
        tmp_path,
        "midwest_own",
        [["type", "name", "label"], ["select_one strength", "identify", "Midwestern?"]],
        [
            ["list_name", "name", "label"],
            ["strength", "strong", "Strongly"],
            ["strength", "partly", "Partly"],
            ["strength", "weak", "Weakly"],
            ["strength", "none", "Not at all, no"],
        ],
    )


def test_a_mapping_file_maps_single_choice_option_columns(tmp_path: Path) -> None:
    survey = _renamed_identify(tmp_path)
    assert ("identify", "strong") in {target.target for target in column_targets(survey)}
    mapping = tmp_path / "map.json"
    columns = {
        f"{IDENTIFY} – {option}": {"question": "identify", "choice": choice}
        for option, choice in (
            ("A lot", "strong"),
            ("Some", "partly"),
            ("Not much", "weak"),
            ("Not at all", "none"),
        )
    }
    mapping.write_text(json.dumps({"columns": columns}), encoding="utf-8")
    plan = plan_import(survey, EXPORTS / "surveymonkey" / "midwest.csv", mapping=mapping)
    assert plan.problems == ()
    assert [row.answers["identify"] for row in plan.rows[:3]] == ["weak", "strong", "weak"]


def test_two_options_ticked_for_a_single_choice_is_a_problem_named_by_row(
    tmp_path: Path,
) -> None:
    with (EXPORTS / "surveymonkey" / "midwest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[2][2] = "A lot"  # spreadsheet row 3 already ticks "Not much" (column E)
    edited = write_csv(tmp_path / "midwest.csv", rows)
    plan = plan_import(_midwest(tmp_path), edited)
    assert [(p.row, p.reason) for p in plan.problems] == [
        (3, "more than one option is ticked, but the question takes one.")
    ]
