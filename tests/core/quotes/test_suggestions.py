"""Suggestions for quotes come from the codes' own keywords (editable by the forum) and from the
forum's own tagging."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit import codebooks
from forumkit.codebooks.values import clean_keywords
from forumkit.quotes import create_quote, suggested_codes, tag_quote, train_suggester
from forumkit.suggest import key_message_keywords
from forumkit.surveys import Survey
from forumkit.workspace import Workspace

from .helpers import add_parent, add_quotes_survey


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_quotes_survey(workspace, tmp_path)


def test_the_key_messages_start_with_forumkits_keywords(workspace: Workspace) -> None:
    shipped = key_message_keywords()
    book = codebooks.default_codebook(workspace.db)
    for code in book.codes:
        assert code.keywords == shipped[code.key]
        assert clean_keywords(code.keywords) == code.keywords  # as an edit would store them
    areas = codebooks.get_codebook(workspace.db, "areas-of-need")
    assert all(code.keywords == () for code in areas.codes)


def test_the_codes_keywords_drive_suggestions(workspace: Workspace) -> None:
    words = "They sent him to the Rainbow Room every afternoon."
    assert suggested_codes(train_suggester(workspace.db), words, 1) != ["incentives"]
    codebooks.edit_code(workspace, "incentives", keywords=["rainbow room"])
    assert suggested_codes(train_suggester(workspace.db), words, 1) == ["incentives"]


def test_the_suggester_learns_the_forums_own_tagging(workspace: Workspace, survey: Survey) -> None:
    for words in (
        "The Zebra Club sessions were cancelled again.",
        "Nobody told us the Zebra Club had closed.",
        "Zebra Club was the only thing that worked for her.",
    ):
        response = add_parent(workspace, survey, experience=words)
        made = create_quote(workspace, response.id, "experience").after
        assert made is not None
        tag_quote(workspace, made.id, ["lifelong-outcomes"])
    suggester = train_suggester(workspace.db)
    assert suggested_codes(suggester, "We miss the Zebra Club.", 1) == ["lifelong-outcomes"]
    other = train_suggester(workspace.db, "areas-of-need")
    assert len(suggested_codes(other, "We miss the Zebra Club.", 3)) == 3
