"""Erasing a respondent (or removing a survey with its responses) erases their quotes and tags
too: nothing of the quoted words stays in the forum file or its backup."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit import audit, tombstones
from forumkit.quotes import (
    count_quotes,
    create_quote,
    erase_quotes,
    list_quotes,
    review_quote,
    tag_quote,
)
from forumkit.responses import erase_respondent, remove_survey
from forumkit.responses.requests import ERASERS
from forumkit.surveys import Survey
from forumkit.vault.storage import backup_path
from forumkit.workspace import Workspace
from tests.conftest import decrypted

from .helpers import add_parent, add_quotes_survey

SECRET = "Quokka-4471 told us Rainbow Room was a cupboard"
EDITED = "Zebrafinch-9 edited redaction"


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_quotes_survey(workspace, tmp_path)


def test_the_quotes_eraser_runs_before_the_responses(workspace: Workspace) -> None:
    assert ERASERS[0] is erase_quotes


def test_erasure_leaves_no_quote_in_the_file_or_its_backup(
    workspace: Workspace, survey: Survey
) -> None:
    kept = add_parent(workspace, survey, respondent="other@example.org")
    gone = add_parent(workspace, survey, respondent="ann@example.org", experience=SECRET)
    quote = create_quote(workspace, gone.id, "experience", 0, 20).after
    whole = create_quote(workspace, gone.id, "experience").after
    other = create_quote(workspace, kept.id, "experience").after
    assert quote is not None and whole is not None and other is not None
    tag_quote(workspace, quote.id, ["listen-early", "money"])
    tag_quote(workspace, other.id, ["money"])
    review_quote(workspace, whole.id, redacted_text=EDITED)
    # Later saves push the quote into FILE.bak as well.
    tag_quote(workspace, other.id, ["workforce"])
    for path in (workspace.path, backup_path(workspace.path)):
        assert EDITED.encode() in decrypted(path)

    erasure = erase_respondent(workspace, "ann@example.org")
    assert erasure.counts == {"quotes": 2, "tags": 2, "responses": 1}
    for path in (workspace.path, backup_path(workspace.path)):
        image = decrypted(path)
        assert SECRET.encode() not in image and SECRET[:20].encode() not in image, path
        assert EDITED.encode() not in image, path
    assert [q.id for q in list_quotes(workspace.db, survey.id)] == [other.id]
    assert workspace.db.execute("SELECT COUNT(*) FROM quote_tags").fetchone()[0] == 2
    assert tombstones.reason(workspace.db, quote.id) == "erased"
    [entry] = audit.entries(workspace.db, "respondent_erased")
    assert entry.counts["quotes"] == 2 and entry.object_ids == [gone.id]


def test_removing_a_survey_with_its_responses_removes_their_quotes(
    workspace: Workspace, survey: Survey
) -> None:
    response = add_parent(workspace, survey, experience=SECRET)
    quote = create_quote(workspace, response.id, "experience").after
    assert quote is not None
    tag_quote(workspace, quote.id, ["coproduction"])
    removal = remove_survey(workspace, survey.id, with_responses=True)
    assert removal.responses == 1
    assert count_quotes(workspace.db) == 0
    for path in (workspace.path, backup_path(workspace.path)):
        assert SECRET.encode() not in decrypted(path)


def test_quotes_go_with_their_responses_even_without_the_eraser(
    workspace: Workspace, survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The schema's trigger deletes a response's quotes whichever module deletes the response,
    so a program that never imported forumkit.quotes cannot leave quoted words behind."""
    from forumkit.responses import requests

    monkeypatch.setattr(requests, "ERASERS", [e for e in ERASERS if e is not erase_quotes])
    gone = add_parent(workspace, survey, respondent="ann@example.org", experience=SECRET)
    quote = create_quote(workspace, gone.id, "experience").after
    assert quote is not None
    tag_quote(workspace, quote.id, ["money"])
    erasure = erase_respondent(workspace, "ann@example.org")
    assert erasure.counts == {"responses": 1}
    assert count_quotes(workspace.db) == 0
    assert workspace.db.execute("SELECT COUNT(*) FROM quote_tags").fetchone()[0] == 0
    for path in (workspace.path, backup_path(workspace.path)):
        assert SECRET.encode() not in decrypted(path)
