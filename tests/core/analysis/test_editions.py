"""Year on year: this year's survey beside last year's edition, question by question."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit.analysis import (
    EditionError,
    Settings,
    compare_editions,
    earlier_editions,
    edition_to_compare,
    parse_filters,
)
from forumkit.analysis.scope import Scope
from forumkit.responses import add_response
from forumkit.surveys import Survey, import_xlsform, set_previous_edition
from forumkit.workspace import Workspace
from tests.core.analysis.helpers import family_survey
from tests.core.responses.helpers import write_rows

ALL_SHOWN = Settings(threshold=5, suppressed=False)

LAST_YEAR_ROWS = [
    ["type", "name", "label", "parameters"],
    ["select_one phase", "phase", "Phase of education", ""],
    ["select_multiple services", "services", "Services used", ""],
    ["select_one sat", "satisfaction", "How satisfied were you?", ""],
    ["range", "score", "Services, 1 to 5", "start=1 end=5 step=1"],
    ["text", "old_question", "A question dropped this year", ""],
    ["select_one yes_no", "consent_share", "May we share?", ""],
]
LAST_YEAR_CHOICES = [
    ["list_name", "name", "label"],
    ["phase", "early", "Early years"],
    ["phase", "primary", "Primary school"],
    ["phase", "secondary", "Secondary"],
    ["services", "salt", "Speech and language therapy"],
    ["services", "ot", "Occupational therapy"],
    *[["sat", str(n), f"{n}"] for n in range(1, 6)],
    ["yes_no", "yes", "Yes"],
    ["yes_no", "no", "No"],
]
# phase, satisfaction, share
LAST_YEAR = (
    [("primary", "2", "yes")] * 6 + [("secondary", "1", "yes")] * 2 + [("early", "3", "no")] * 2
)


@pytest.fixture
def editions(workspace: Workspace, tmp_path: Path) -> tuple[Survey, Survey]:
    settings = [["form_title", "form_id"], ["Family survey 2025", "family_2025"]]
    form = write_rows(tmp_path / "2025.xlsx", LAST_YEAR_ROWS, LAST_YEAR_CHOICES, settings)
    previous = import_xlsform(workspace, form).survey
    with workspace.transaction("last_year"):
        for phase, satisfaction, share in LAST_YEAR:
            answers = {"phase": phase, "satisfaction": satisfaction, "consent_share": share}
            add_response(workspace, previous, answers, status="complete")
    current = family_survey(workspace, tmp_path)
    current = set_previous_edition(workspace, current.id, previous.form_id)
    return current, previous


def test_two_editions_side_by_side(workspace: Workspace, editions: tuple[Survey, Survey]) -> None:
    current, previous = editions
    data = compare_editions(workspace.db, current, previous, Scope(), ALL_SHOWN).data()
    assert data["responses"] == {"current": 10, "previous": 10}
    found = {q["name"]: q for q in data["questions"]}
    assert set(found) == {"phase", "satisfaction", "consent_share"}
    phase = found["phase"]
    assert phase["current"]["counts"] == {"early": 2, "primary": 5, "secondary": 3}
    assert phase["previous"]["counts"] == {"early": 2, "primary": 6, "secondary": 2}
    assert phase["change"]["points"] == {"early": 0.0, "primary": -10.0, "secondary": 10.0}
    # Labels may be reworded between editions: the choices' names match them up.
    assert phase["labels"]["primary"] == "Primary"
    satisfaction = found["satisfaction"]
    assert satisfaction["previous"]["statistics"]["mean"] == 2.0  # (6·2 + 2·1 + 2·3) / 10
    assert satisfaction["current"]["statistics"]["mean"] == 3.3
    assert satisfaction["change"]["mean"] == 1.3
    reasons = {item["name"]: item["reason"] for item in data["not_comparable"]}
    assert reasons == {
        "services": "its choices changed (new choices camhs)",
        "score": "its scale changed",
    }
    assert [item["name"] for item in data["only_in_current"]] == [
        "weeks",
        "story",
        "plan_ok",
        "consent_quote",
    ]
    assert [item["name"] for item in data["only_in_previous"]] == ["old_question"]


def test_changes_are_given_only_from_figures_shown(
    workspace: Workspace, editions: tuple[Survey, Survey]
) -> None:
    current, previous = editions
    settings = Settings(threshold=5)
    data = compare_editions(workspace.db, current, previous, Scope(), settings).data()
    phase = next(q for q in data["questions"] if q["name"] == "phase")
    assert phase["current"]["counts"]["early"] == "<5"
    # Last year 2 + 2 small beside 6: the 6 is hidden too, so no change is given for it.
    assert phase["previous"]["counts"] == {"early": "<5", "primary": "*", "secondary": "<5"}
    assert phase["change"]["points"] == {"early": None, "primary": None, "secondary": None}
    for question in data["questions"]:
        now, then = question["current"]["percentages"], question["previous"]["percentages"]
        for name, change in question["change"]["points"].items():
            both = now[name] is not None and then.get(name) is not None
            assert (change is not None) == both
            if both:
                assert change == round(now[name] - then[name], 1)


def test_filters_apply_to_both_editions_except_versions_and_dates(
    workspace: Workspace, editions: tuple[Survey, Survey]
) -> None:
    current, previous = editions
    scope = parse_filters(current, ["consent=share", "from=2026-03-05"])
    data = compare_editions(workspace.db, current, previous, scope, ALL_SHOWN).data()
    assert data["responses"] == {"current": 5, "previous": 8}
    assert data["filters"] == {"from": "2026-03-05", "consent": "share"}
    assert data["previous_filters"] == {"consent": "share"}


def test_only_an_earlier_edition_can_be_compared(
    workspace: Workspace, editions: tuple[Survey, Survey], tmp_path: Path
) -> None:
    current, previous = editions
    assert [s.form_id for s in earlier_editions(workspace.db, current)] == ["family_2025"]
    assert edition_to_compare(workspace.db, current, "family_2025").id == previous.id
    with pytest.raises(EditionError, match="the survey itself"):
        edition_to_compare(workspace.db, current, current.form_id)
    with pytest.raises(EditionError, match="not an earlier edition"):
        edition_to_compare(workspace.db, previous, current.form_id)  # later, not earlier
    with pytest.raises(EditionError, match="no survey “family_2019”"):
        edition_to_compare(workspace.db, current, "family_2019")


def test_a_loop_of_edition_links_ends(
    workspace: Workspace, editions: tuple[Survey, Survey]
) -> None:
    current, previous = editions
    set_previous_edition(workspace, previous.id, current.form_id)
    assert [s.form_id for s in earlier_editions(workspace.db, current)] == ["family_2025"]


def test_the_comparison_chart_shows_exactly_both_published_tables(
    workspace: Workspace, editions: tuple[Survey, Survey]
) -> None:
    current, previous = editions
    for settings in (Settings(threshold=5), ALL_SHOWN):
        data = compare_editions(workspace.db, current, previous, Scope(), settings).data()
        for question in data["questions"]:
            chart = question["chart"]
            assert chart["type"] == "paired_bar" and chart["title"] == question["label"]
            assert chart["editions"] == ("Family survey 2025", current.title)
            assert chart["bases"] == (question["previous"]["base"], question["current"]["base"])
            assert [bar["name"] for bar in chart["bars"]] == list(question["labels"])
            for bar in chart["bars"]:
                name = bar["name"]
                for side, table in (
                    (bar["current"], question["current"]),
                    (bar["previous"], question["previous"]),
                ):
                    assert side is not None
                    assert side["shown"] == str(table["counts"][name])
                    assert side["suppressed"] is not isinstance(table["counts"][name], int)
                    assert side["percent"] == table["percentages"][name]
                assert bar["change"] == question["change"]["points"][name]
                if bar["current"]["suppressed"]:
                    assert f"{bar['label']}: " in chart["alt_text"]
                elif bar["current"]["percent"] is not None:
                    assert f"{bar['current']['percent']:g}% in {current.title}" in chart["alt_text"]
