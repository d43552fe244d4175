"""Exact counts, scores and filters on a hand-built survey whose answers the tests know by heart
(``helpers.PARENTS``), and what is published once small counts are suppressed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from forumkit.analysis import (
    Analysis,
    FilterError,
    GroupingError,
    Settings,
    analyse,
    analyse_by,
    parse_filters,
    settings_for,
)
from forumkit.analysis.scope import Scope
from forumkit.surveys import Survey, import_xlsform
from forumkit.workspace import Workspace
from tests.core.analysis.helpers import family_survey
from tests.core.responses.helpers import write_rows

ALL_SHOWN = Settings(threshold=5, suppressed=False)


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return family_survey(workspace, tmp_path)


def questions(analysis: Analysis) -> dict[str, dict[str, Any]]:
    return {q["name"]: q for q in analysis.data()["questions"]}


def test_every_kind_of_question_is_counted_exactly(workspace: Workspace, survey: Survey) -> None:
    analysis = analyse(workspace.db, survey, Scope(), ALL_SHOWN)
    data = analysis.data()
    assert data["responses"] == 10  # the two drafts never count
    assert data["suppressed"] is False and "For the forum only" in data["note"]
    found = questions(analysis)

    phase = found["phase"]
    assert phase["kind"] == "single"
    assert phase["counts"] == {"early": 2, "primary": 5, "secondary": 3}
    assert list(phase["labels"].values()) == ["Early years", "Primary", "Secondary"]
    assert phase["no_answer"] == 0 and phase["base"] == 10 and phase["base_of"] == "responses"
    assert phase["percentages"] == {"early": 20.0, "primary": 50.0, "secondary": 30.0}

    services = found["services"]
    assert services["kind"] == "multiple"
    assert services["counts"] == {"salt": 6, "ot": 4, "camhs": 3}
    assert (services["answered"], services["no_answer"]) == (9, 1)
    assert services["base"] == 9 and services["base_of"] == "answered"
    assert services["percentages"] == {"salt": 66.7, "ot": 44.4, "camhs": 33.3}

    satisfaction = found["satisfaction"]
    assert satisfaction["kind"] == "rating"
    assert satisfaction["counts"] == {"1": 1, "2": 2, "3": 1, "4": 3, "5": 2}
    assert (satisfaction["answered"], satisfaction["no_answer"]) == (9, 1)
    assert satisfaction["statistics"] == {
        "n": 9, "shown": True, "mean": 3.3, "median": 4, "q1": 2, "q3": 4
    }  # fmt: skip

    score = found["score"]
    assert score["kind"] == "number"
    assert score["counts"] == {
        "0": 1, "1": 0, "2": 1, "3": 1, "4": 0, "5": 1, "6": 2, "7": 1, "8": 1, "9": 1, "10": 1
    }  # fmt: skip
    assert score["statistics"] == {
        "n": 10,
        "shown": True,
        "mean": 5.6,
        "median": 6,
        "q1": 3,
        "q3": 8,
    }

    weeks = found["weeks"]
    assert (weeks["answered"], weeks["no_answer"]) == (8, 2)
    assert weeks["counts"] == {
        "0–4": 1, "5–9": 1, "10–14": 2, "15–19": 0, "20–24": 1, "25–29": 0, "30–34": 1,
        "35–39": 0, "40–44": 1, "45–49": 0, "50–54": 1,
    }  # fmt: skip
    assert weeks["statistics"]["mean"] == 22.0
    assert [weeks["statistics"][k] for k in ("q1", "median", "q3")] == [8, 12, 30]

    story = found["story"]
    assert story["kind"] == "answered" and story["counts"] == {}
    assert (story["answered"], story["no_answer"]) == (5, 5)

    # Skipped by the form's logic (early years) or not answered: "No answer", never a choice.
    plan = found["plan_ok"]
    assert plan["counts"] == {"yes": 4, "no": 3} and plan["no_answer"] == 3
    assert found["consent_share"]["counts"] == {"yes": 7, "no": 3}


def test_small_counts_are_suppressed_and_percentages_of_them_hidden(
    workspace: Workspace, survey: Survey
) -> None:
    analysis = analyse(workspace.db, survey, Scope(), settings_for(workspace.db))
    data = analysis.data()
    assert data["threshold"] == 5 and data["suppressed"] is True
    assert "“<5”" in data["note"]
    phase = questions(analysis)["phase"]
    # 2 and 3 are small; together (5) with 5 shown they still could be any of 1 to 4 each.
    assert phase["counts"] == {"early": "<5", "primary": 5, "secondary": "<5"}
    assert phase["percentages"] == {"early": None, "primary": 50.0, "secondary": None}
    assert phase["suppression"] == "cells"
    for question in data["questions"]:
        for figure in [*question["counts"].values(), question["no_answer"]]:
            assert not (isinstance(figure, int) and 0 < figure < 5), question["name"]
        statistics = question.get("statistics")
        if statistics and statistics["shown"]:
            assert statistics["n"] == "*" or statistics["n"] >= 5


def test_answers_never_appear_in_an_analysis(workspace: Workspace, survey: Survey) -> None:
    from tests.core.analysis.helpers import STORIES

    text = str(analyse(workspace.db, survey, Scope(), ALL_SHOWN).data())
    for story in STORIES:
        assert story not in text


@pytest.mark.parametrize(
    ("filters", "responses", "phases"),
    [
        (["source=kiosk"], 3, {"early": 2, "primary": 0, "secondary": 1}),
        (["source=entered"], 4, {"early": 0, "primary": 3, "secondary": 1}),
        (["source=imported"], 3, {"early": 0, "primary": 2, "secondary": 1}),
        (["source=googleforms"], 3, {"early": 0, "primary": 2, "secondary": 1}),
        (["source=msforms"], 0, {"early": 0, "primary": 0, "secondary": 0}),
        (["source=kiosk", "source=imported"], 6, {"early": 2, "primary": 2, "secondary": 2}),
        (["consent=share"], 7, {"early": 1, "primary": 4, "secondary": 2}),
        (["phase=primary"], 5, {"early": 0, "primary": 5, "secondary": 0}),
        (["phase=primary", "phase=Early years"], 7, {"early": 2, "primary": 5, "secondary": 0}),
        (["services=camhs", "consent=share"], 2, {"early": 0, "primary": 1, "secondary": 1}),
        (["from=2026-03-05", "to=2026-03-10"], 6, {"early": 2, "primary": 2, "secondary": 2}),
        (["from=2026-03-11"], 1, {"early": 0, "primary": 1, "secondary": 0}),
        (["version=1"], 10, {"early": 2, "primary": 5, "secondary": 3}),
    ],
)
def test_each_filter_keeps_the_responses_it_names(
    workspace: Workspace, survey: Survey, filters: list[str], responses: int, phases: dict[str, int]
) -> None:
    scope = parse_filters(survey, filters)
    analysis = analyse(workspace.db, survey, scope, ALL_SHOWN)
    assert analysis.data()["responses"] == responses
    assert questions(analysis)["phase"]["counts"] == phases


def test_a_version_filter_counts_one_version_only(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    from forumkit.responses import add_response
    from tests.core.analysis.helpers import CHOICE_ROWS, SURVEY_ROWS

    rows = [*SURVEY_ROWS, ["integer", "siblings", "Brothers and sisters", "", "", ""]]
    settings = [["form_title", "form_id"], ["family_2026", "family_2026"]]
    form = write_rows(tmp_path / "v2.xlsx", rows, CHOICE_ROWS, settings)
    second = import_xlsform(workspace, form).survey
    assert second.version == 2
    add_response(workspace, second, {"phase": "early", "score": 4}, status="complete")
    for filters, expected in ((["version=1"], 10), (["version=2"], 1), ([], 11)):
        scope = parse_filters(second, filters)
        assert analyse(workspace.db, second, scope, ALL_SHOWN).data()["responses"] == expected
    with pytest.raises(FilterError, match="no version 3"):
        analyse(workspace.db, second, parse_filters(second, ["version=3"]), ALL_SHOWN)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("phase", "NAME=VALUE"),
        ("colour=red", "no question “colour”"),
        ("story=long", "not a choice question"),
        ("phase=college", "no choice “college”"),
        ("source=fax", "source= takes one of"),
        ("consent=yes", "consent=share"),
        ("from=March", "YYYY-MM-DD"),
        ("version=two", "version number"),
    ],
)
def test_a_bad_filter_is_one_plain_sentence(survey: Survey, text: str, message: str) -> None:
    with pytest.raises(FilterError, match=message):
        parse_filters(survey, [text])


def test_dates_the_wrong_way_round_are_refused(survey: Survey) -> None:
    with pytest.raises(FilterError, match="after to="):
        parse_filters(survey, ["from=2026-04-01", "to=2026-03-01"])


def test_cross_tab_counts_with_row_and_column_totals(workspace: Workspace, survey: Survey) -> None:
    grouped = analyse_by(workspace.db, survey, "phase", Scope(), ALL_SHOWN).data()
    assert [g["group"] for g in grouped["by"]["groups"]] == ["early", "primary", "secondary", ""]
    assert [g["responses"] for g in grouped["by"]["groups"]] == [2, 5, 3, 0]
    found = {q["name"]: q for q in grouped["questions"]}
    assert "phase" not in found
    satisfaction = found["satisfaction"]
    rows = {row["group"]: row for row in satisfaction["rows"]}
    assert rows["early"]["counts"] == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 0}
    assert rows["early"]["no_answer"] == 1
    assert rows["primary"]["counts"] == {"1": 0, "2": 1, "3": 0, "4": 3, "5": 1}
    assert rows["secondary"]["counts"] == {"1": 1, "2": 1, "3": 0, "4": 0, "5": 1}
    assert rows[""]["responses"] == 0
    assert satisfaction["totals"]["counts"] == {"1": 1, "2": 2, "3": 1, "4": 3, "5": 2}
    assert rows["primary"]["statistics"]["mean"] == 3.8  # (2 + 4·3 + 5) / 5
    services = {row["group"]: row for row in found["services"]["rows"]}
    assert services["early"]["counts"] == {"salt": 0, "ot": 1, "camhs": 0}
    assert (services["early"]["answered"], services["early"]["no_answer"]) == (1, 1)
    assert services["secondary"]["counts"] == {"salt": 2, "ot": 0, "camhs": 2}


def test_a_cross_tab_suppresses_and_keeps_its_margins_as_the_one_way_tables(
    workspace: Workspace, survey: Survey
) -> None:
    settings = settings_for(workspace.db)
    grouped = analyse_by(workspace.db, survey, "phase", Scope(), settings).data()
    one_way = questions(analyse(workspace.db, survey, Scope(), settings))
    for question in grouped["questions"]:
        for row in question["rows"]:
            for figure in [*row["counts"].values(), row["no_answer"]]:
                assert not (isinstance(figure, int) and 0 < figure < 5), question["name"]
        if question["suppression"] != "table":
            assert question["totals"]["counts"] == one_way[question["name"]]["counts"]
    assert [g["responses"] for g in grouped["by"]["groups"]] == ["<5", 5, "<5", 0]


@pytest.mark.parametrize("name", ["services", "score", "nothing"])
def test_only_a_single_choice_question_can_group(
    workspace: Workspace, survey: Survey, name: str
) -> None:
    with pytest.raises(GroupingError):
        analyse_by(workspace.db, survey, name, Scope(), ALL_SHOWN)


def test_the_threshold_comes_from_the_forum_file(workspace: Workspace, survey: Survey) -> None:
    from forumkit import audit
    from forumkit.analysis import ThresholdError, set_suppression_threshold

    assert settings_for(workspace.db).threshold == 5
    set_suppression_threshold(workspace, 10)
    assert settings_for(workspace.db).threshold == 10
    [entry] = audit.entries(workspace.db, "suppression_threshold_set")
    assert entry.counts == {"threshold": 10}
    phase = questions(analyse(workspace.db, survey, Scope(), settings_for(workspace.db)))["phase"]
    assert phase["counts"] == {"early": "*", "primary": "*", "secondary": "*"}  # all below 10
    for wrong in (2, 21):
        with pytest.raises(ThresholdError, match="from 3 to 20"):
            set_suppression_threshold(workspace, wrong)
    assert settings_for(workspace.db).threshold == 10


def test_the_chart_spec_shows_exactly_the_published_table(
    workspace: Workspace, survey: Survey
) -> None:
    for settings in (settings_for(workspace.db), ALL_SHOWN):
        for question in analyse(workspace.db, survey, Scope(), settings).data()["questions"]:
            chart = question["chart"]
            assert chart["title"] == question["label"]
            assert chart["base"] == question["base"]
            bars = chart["bars"]
            if question["kind"] == "answered":
                assert [b["shown"] for b in bars] == [
                    str(question["answered"]),
                    str(question["no_answer"]),
                ]
                continue
            assert [b["name"] for b in bars] == [*question["labels"], "no_answer"]
            assert [b["label"] for b in bars[:-1]] == list(question["labels"].values())
            for bar in bars[:-1]:
                figure = question["counts"][bar["name"]]
                assert bar["shown"] == str(figure)
                assert bar["count"] == (figure if isinstance(figure, int) else None)
                assert bar["suppressed"] is not isinstance(figure, int)
                assert bar["percent"] == question["percentages"][bar["name"]]
            assert bars[-1]["shown"] == str(question["no_answer"]) and bars[-1]["no_answer"]
            for bar in bars:
                if bar["count"] is None:
                    assert bar["label"] + ": " in chart["alt_text"]
                else:
                    assert f"{bar['label']}: {bar['count']}" in chart["alt_text"]
