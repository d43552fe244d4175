"""A parent's right of access covers the quotes made of their words: their copy lists each
quote with its codes, its redacted form and whether it was reviewed — what an erasure would
delete, an access request shows."""

from __future__ import annotations

import json
from pathlib import Path

from forumkit.quotes import create_quote, review_quote, tag_quote
from forumkit.responses import access_text, export_respondent, find_respondent
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.test_cli import WITH_PASSPHRASE, forumkit

from .helpers import add_parent, add_quotes_survey

WORDS = "Nobody at the school told us about the annual review for Tomasz"


def test_an_access_request_lists_the_quotes_of_their_words(
    workspace: Workspace, tmp_path: Path
) -> None:
    survey = add_quotes_survey(workspace, tmp_path)
    theirs = add_parent(workspace, survey, respondent="ann@example.org", experience=WORDS)
    other = add_parent(workspace, survey, respondent="bob@example.org")
    quote = create_quote(workspace, theirs.id, "experience", 0, 35).after
    assert quote is not None
    tag_quote(workspace, quote.id, ["listen-early"])
    review_quote(workspace, quote.id, redacted_text="Nobody at [school] told us", reviewed=True)
    not_theirs = create_quote(workspace, other.id, "experience").after
    assert not_theirs is not None

    held = find_respondent(workspace.db, "ann@example.org")
    [part] = held.alongside
    [entry] = part.entries
    assert entry["id"] == quote.id and entry["response_id"] == theirs.id
    assert entry["words_quoted"] == WORDS[:35]
    assert entry["as_it_may_be_shared"] == "Nobody at [school] told us"
    assert entry["reviewed"] is True and len(entry["codes"]) == 1

    text = access_text(held)
    assert "Quotes made of their words (1):" in text
    assert "words_quoted: " + WORDS[:35] in text
    assert not_theirs.id not in text

    copy = export_respondent(workspace, "ann@example.org", tmp_path / "ann.json")
    written = json.loads(copy.path.read_text(encoding="utf-8"))
    assert [q["id"] for q in written["quotes"]] == [quote.id]


def test_no_quotes_section_when_none_were_made(workspace: Workspace, tmp_path: Path) -> None:
    survey = add_quotes_survey(workspace, tmp_path)
    add_parent(workspace, survey, respondent="ann@example.org")
    held = find_respondent(workspace.db, "ann@example.org")
    assert held.alongside == () and "quotes" not in held.to_dict()
    assert "Quotes made" not in access_text(held)


def test_the_command_line_copy_holds_the_quotes(tmp_path: Path) -> None:
    """``forumkit responses show --json`` answers an access request with the quotes too."""
    path = tmp_path / "forum.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Testshire PCF") as workspace:
        survey = add_quotes_survey(workspace, tmp_path)
        theirs = add_parent(workspace, survey, respondent="ann@example.org", experience=WORDS)
        quote = create_quote(workspace, theirs.id, "experience").after
        assert quote is not None
    shown = forumkit(
        "responses", "show", path, "--respondent", "ann@example.org", "--json", env=WITH_PASSPHRASE
    )
    assert shown.returncode == 0, shown.stderr
    [held] = json.loads(shown.stdout)["quotes"]
    assert held["id"] == quote.id and held["words_quoted"] == WORDS
