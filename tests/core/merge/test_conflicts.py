"""Conflicts: what two laptops changed in one record is never silently lost, and once the chair
has chosen, no copy brings the other version back."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit.codebooks import edit_code, get_code, resolve_code
from forumkit.merge import ConflictNotFound, get_conflict, list_conflicts, merge, resolve_conflict
from forumkit.quotes import create_quote, get_quote, review_quote, tag_quote
from forumkit.responses import access_text, erase_respondent, find_respondent, update_response
from forumkit.surveys import Survey
from forumkit.vault import backup_path
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, decrypted
from tests.core.merge.helpers import capture, kept_stories, make_chair, make_copy, opened, story
from tests.core.responses.helpers import complete_answers

LOSING = "Zebedee-Losing-3391 the laptop's correction"


@pytest.fixture
def diverged(tmp_path: Path) -> tuple[Path, Path, Survey, str]:
    """A chair's file and a laptop's copy that both corrected one response differently."""
    path, survey = make_chair(tmp_path)
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        made = capture(ws, survey, "first words", respondent="parent@example.org")
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        update_response(ws, made.id, complete_answers(experience="the chair's correction"))
    with opened(copy) as ws:
        update_response(ws, made.id, complete_answers(experience=LOSING))
    return path, copy, survey, made.id


def test_both_versions_are_held_one_current_one_kept(
    diverged: tuple[Path, Path, Survey, str],
) -> None:
    path, copy, _, response_id = diverged
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        held = {story(ws, response_id), *kept_stories(ws, response_id)}
        assert held == {"the chair's correction", LOSING}
        [conflict] = list_conflicts(ws.db)
        assert conflict.kind == "response" and conflict.record_id == response_id
        assert conflict.theirs.source in ("laptop.forumkit", "chair.forumkit")
        assert get_conflict(ws.db, conflict.id) == conflict
        as_json = conflict.to_dict()
        assert as_json["differs"] == ["the answer to experience"]
        assert repr(conflict).count(LOSING) == 0  # ids and stamps only in a repr


def test_the_same_conflict_in_every_copy_and_resolving_it_ends_it_everywhere(
    diverged: tuple[Path, Path, Survey, str],
) -> None:
    path, copy, _, response_id = diverged
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        [at_chair] = list_conflicts(ws.db)
    with opened(copy) as ws:
        merge(ws, path, PASSPHRASE)
        [on_laptop] = list_conflicts(ws.db)
        assert on_laptop.id == at_chair.id
        assert story(ws, response_id) == _current(path, response_id)
    with opened(path) as ws:
        resolution = resolve_conflict(ws, at_chair.id, "mine")
        assert resolution.kept == "mine"
        kept = story(ws, response_id)
        assert list_conflicts(ws.db) == []
        assert merge(ws, copy, PASSPHRASE).conflicts == 0  # the laptop still holds it
        assert list_conflicts(ws.db) == [] and story(ws, response_id) == kept
    with opened(copy) as ws:
        merge(ws, path, PASSPHRASE)
        assert list_conflicts(ws.db) == []
        assert story(ws, response_id) == kept


def _current(path: Path, response_id: str) -> str | None:
    with opened(path) as ws:
        return story(ws, response_id)


def test_keeping_theirs_makes_the_kept_version_current_for_good(
    diverged: tuple[Path, Path, Survey, str],
) -> None:
    path, copy, _, response_id = diverged
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        [conflict] = list_conflicts(ws.db)
        before = story(ws, response_id)
        resolve_conflict(ws, conflict.id, "theirs")
        after = story(ws, response_id)
        assert {before, after} == {"the chair's correction", LOSING}
        assert list_conflicts(ws.db) == []
        merge(ws, copy, PASSPHRASE)
        assert story(ws, response_id) == after and list_conflicts(ws.db) == []
        with pytest.raises(ConflictNotFound):
            resolve_conflict(ws, conflict.id, "mine")


def test_an_erasure_takes_the_kept_versions_too(
    diverged: tuple[Path, Path, Survey, str],
) -> None:
    path, copy, _, _ = diverged
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        assert len(list_conflicts(ws.db)) == 1
        erase_respondent(ws, "parent@example.org")
        assert list_conflicts(ws.db) == []
        assert ws.db.execute("SELECT COUNT(*) FROM superseded").fetchone()[0] == 0
    for image in (decrypted(path), decrypted(backup_path(path))):
        assert LOSING.encode() not in image


def test_quotes_and_codes_changed_in_both_are_kept_too(tmp_path: Path) -> None:
    path, survey = make_chair(tmp_path)
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        made = capture(ws, survey, "We waited two years for a plan.")
        quote = create_quote(ws, made.id, "experience").after
        assert quote is not None
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        tag_quote(ws, quote.id, ["money"])
        edit_code(ws, "listen-early", label="Listen early (chair)")
    with opened(copy) as ws:
        review_quote(ws, quote.id, redacted_text="We waited [time] for a plan.")
        edit_code(ws, "listen-early", colour="#000000")
    with opened(path) as ws:
        result = merge(ws, copy, PASSPHRASE)
        assert result.kind("quote").conflicts == 1
        assert result.kind("code").conflicts == 1
        kinds = sorted(c.kind for c in list_conflicts(ws.db))
        assert kinds == ["code", "quote"]
        quote_conflict = next(c for c in list_conflicts(ws.db) if c.kind == "quote")
        assert set(quote_conflict.differs) == {"the redacted text", "the codes"}
        for conflict in list_conflicts(ws.db):
            resolve_conflict(ws, conflict.id, "theirs")
        code = get_code(ws.db, resolve_code(ws.db, "listen-early").id)
        merged = get_quote(ws.db, quote.id)
        assert {code.label, code.colour} & {"Listen early (chair)", "#000000"}
        assert merged.references in ((), ("money",))


def test_an_access_request_shows_the_version_a_merge_kept(
    diverged: tuple[Path, Path, Survey, str],
) -> None:
    """The losing version is the parent's data too until the chair resolves it."""
    path, copy, _, response_id = diverged
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        held = find_respondent(ws.db, "parent@example.org")
        [part] = [p for p in held.alongside if p.key == "kept_by_merge"]
        [entry] = part.entries
        assert entry["kind"] == "response" and entry["id"] == response_id
        kept = {story(ws, response_id), *kept_stories(ws, response_id)}
        assert kept == {"the chair's correction", LOSING}
        assert any(s in access_text(held) for s in kept_stories(ws, response_id))
        resolve_conflict(ws, entry_conflict_id(ws), "mine")
        assert find_respondent(ws.db, "parent@example.org").alongside == ()


def entry_conflict_id(ws: Workspace) -> str:
    [conflict] = list_conflicts(ws.db)
    return conflict.id
