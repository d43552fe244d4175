"""Key messages: quotes and distinct respondents per code, those that may leave the file apart
from all, filtered like everything else, by group, and suppressed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from forumkit.analysis import Settings, analyse, analyse_by, parse_filters, settings_for
from forumkit.analysis.scope import Scope
from forumkit.quotes import create_quote, review_quote, tag_quote
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.core.analysis.helpers import family_survey

ALL_SHOWN = Settings(threshold=5, suppressed=False)


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    """The family survey with six quotes from five parents' stories, tagged and some reviewed."""
    survey = family_survey(workspace, tmp_path)
    story_of = {
        str(story): str(response_id)
        for response_id, story in workspace.db.execute(
            "SELECT id, json_extract(answers, '$.story') FROM responses WHERE status = 'complete'"
        ).fetchall()
        if story
    }

    def quote(
        story: str, codes: list[str], reviewed: bool, span: tuple[int, int] | None = None
    ) -> None:
        start, end = span if span is not None else (None, None)
        made = create_quote(workspace, story_of[story], "story", start, end).after
        assert made is not None
        tag_quote(workspace, made.id, codes)
        if reviewed:
            review_quote(workspace, made.id, reviewed=True)

    quote("A long wait.", ["listen-early"], reviewed=True)
    quote("A long wait.", ["listen-early", "money"], reviewed=False, span=(2, 11))
    quote("Nobody listened.", ["listen-early"], reviewed=True)  # no consent to share
    quote("Better now.", ["coproduction"], reviewed=True)
    quote("Fine.", ["money"], reviewed=False)
    quote("Tribunal.", ["accountability"], reviewed=True)
    return survey


def codes(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["key"]: c for c in data["codes"] if c["codebook"] == "nnpcf-key-messages"}


def test_quotes_and_respondents_per_code(workspace: Workspace, survey: Survey) -> None:
    data = analyse(workspace.db, survey, Scope(), ALL_SHOWN).data()
    found = codes(data)
    counts = {
        key: (c["quotes"], c["respondents"], c["quotes_may_leave"], c["respondents_may_leave"])
        for key, c in found.items()
    }
    assert counts["listen-early"] == (3, 2, 1, 1)
    assert counts["money"] == (2, 2, 0, 0)
    assert counts["coproduction"] == (1, 1, 1, 1)
    assert counts["accountability"] == (1, 1, 1, 1)
    assert counts["workforce"] == (0, 0, 0, 0)
    assert found["money"]["label"].startswith("Make sure there is enough money")
    [book] = [b for b in data["codebooks"] if b["key"] == "nnpcf-key-messages"]
    assert (book["quotes"], book["respondents"]) == (6, 5)
    assert (book["quotes_may_leave"], book["respondents_may_leave"]) == (3, 3)


def test_key_messages_follow_the_filters(workspace: Workspace, survey: Survey) -> None:
    scope = parse_filters(survey, ["consent=share"])
    found = codes(analyse(workspace.db, survey, scope, ALL_SHOWN).data())
    assert (found["listen-early"]["quotes"], found["listen-early"]["respondents"]) == (2, 1)


def test_key_messages_are_suppressed(workspace: Workspace, survey: Survey) -> None:
    data = analyse(workspace.db, survey, Scope(), settings_for(workspace.db)).data()
    for code in data["codes"]:
        for part in ("quotes", "respondents", "quotes_may_leave", "respondents_may_leave"):
            figure = code[part]
            assert not (isinstance(figure, int) and 0 < figure < 5), (code["key"], part)
    # Every count is small among ten parents: the codebook's tables are withheld whole.
    assert codes(data)["listen-early"]["respondents"] in ("<5", "*")
    [book] = [b for b in data["codebooks"] if b["key"] == "nnpcf-key-messages"]
    assert book["quotes"] == "*" and book["suppression"] == "table"


def test_key_messages_by_group(workspace: Workspace, survey: Survey) -> None:
    grouped = analyse_by(workspace.db, survey, "phase", Scope(), ALL_SHOWN).data()
    [book] = [b for b in grouped["codes"] if b["codebook"] == "nnpcf-key-messages"]
    rows = {row["group"]: row for row in book["rows"]}
    assert rows["primary"]["counts"]["listen-early"] == 1
    assert rows["secondary"]["counts"]["listen-early"] == 1
    assert rows["primary"]["counts"]["money"] == 2
    assert rows["secondary"]["counts"]["accountability"] == 1
    assert rows["early"]["counts"]["money"] == 0
    assert book["totals"]["counts"]["listen-early"] == 2
