"""The versions a record replaced are recorded whichever module changes it, and go with it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from forumkit import tombstones
from forumkit.codebooks import add_code, delete_code, edit_code, resolve_code, set_inspection_areas
from forumkit.quotes import add_deny_term, create_quote, remove_deny_term, tag_quote, untag_quote
from forumkit.responses import add_response, delete_response, update_response
from forumkit.schema import history
from forumkit.surveys import Survey
from forumkit.vault import Vault
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.responses.helpers import add_test_survey, complete_answers


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_test_survey(workspace, tmp_path)


def _digest(ws: Workspace, kind: history.KindName, record_id: str) -> int:
    spec = history.KINDS[kind]
    sql = f"SELECT {spec.digest_sql('r')} FROM {spec.table} r WHERE r.id = ?"  # noqa: S608
    return int(ws.db.execute(sql, [record_id]).fetchone()[0])


def _superseded(ws: Workspace, record_id: str) -> set[int]:
    rows = ws.db.execute("SELECT digest FROM superseded WHERE id = ?", [record_id]).fetchall()
    return {int(row[0]) for row in rows}


def test_a_correction_records_the_version_it_replaced(workspace: Workspace, survey: Survey) -> None:
    made = add_response(workspace, survey, complete_answers(experience="one"), status="complete")
    first = _digest(workspace, "response", made.id)
    assert _superseded(workspace, made.id) == set()
    update_response(workspace, made.id, complete_answers(experience="two"))
    second = _digest(workspace, "response", made.id)
    assert second != first
    assert _superseded(workspace, made.id) == {first}
    # Back to the first words: that content is current again, the second replaced.
    update_response(workspace, made.id, complete_answers(experience="one"))
    assert _superseded(workspace, made.id) == {second}


def test_tags_and_inspection_areas_are_part_of_the_record(
    workspace: Workspace, survey: Survey
) -> None:
    made = add_response(workspace, survey, complete_answers(), status="complete")
    quote = create_quote(workspace, made.id, "experience").after
    assert quote is not None
    untagged = _digest(workspace, "quote", quote.id)
    tag_quote(workspace, quote.id, ["money"])
    tagged = _digest(workspace, "quote", quote.id)
    assert _superseded(workspace, quote.id) == {untagged}
    untag_quote(workspace, quote.id, ["money"])
    assert _superseded(workspace, quote.id) == {tagged}
    code = resolve_code(workspace.db, "money").id
    mapped = _digest(workspace, "code", code)
    set_inspection_areas(workspace, "money", [])
    assert mapped in _superseded(workspace, code)
    assert _digest(workspace, "code", code) not in _superseded(workspace, code)


def test_nothing_is_recorded_while_paused_or_without_a_change(
    workspace: Workspace, survey: Survey
) -> None:
    made = add_response(workspace, survey, complete_answers(), status="complete")
    update_response(workspace, made.id, complete_answers())  # the same answers: no new version
    assert _superseded(workspace, made.id) == set()
    with workspace.transaction(), history.paused(workspace.db.conn):
        workspace.db.execute("UPDATE responses SET status = 'draft' WHERE id = ?", [made.id])
    assert _superseded(workspace, made.id) == set()
    money = resolve_code(workspace.db, "money")
    edit_code(workspace, "money", label=money.label)  # as it was: nothing replaced
    assert _superseded(workspace, money.id) == set()


def test_the_triggers_come_back_with_the_file_and_are_never_saved(
    forum_path: Path, tmp_path: Path
) -> None:
    with Workspace.create(forum_path, PASSPHRASE, forum="F") as ws:
        survey = add_test_survey(ws, tmp_path)
        made = add_response(ws, survey, complete_answers(experience="one"), status="complete")
    _, image = Vault.open(forum_path, PASSPHRASE)
    saved = sqlite3.connect(":memory:")
    saved.deserialize(bytes(image))
    names = {row[0] for row in saved.execute("SELECT name FROM sqlite_master")}
    assert not names & set(history.TRIGGERS) and history.PAUSE_TABLE not in names
    with Workspace.open(forum_path, PASSPHRASE) as ws:
        update_response(ws, made.id, complete_answers(experience="two"))
        assert len(_superseded(ws, made.id)) == 1


def test_a_deleted_record_takes_its_history_and_conflicts_with_it(
    workspace: Workspace, survey: Survey
) -> None:
    made = add_response(workspace, survey, complete_answers(experience="one"), status="complete")
    update_response(workspace, made.id, complete_answers(experience="two"))
    with workspace.transaction():
        workspace.db.execute(
            "INSERT INTO conflicts (id, kind, record_id, digest, stamp, version, found) "
            "VALUES ('c', 'response', ?, 1, '', '{}', '')",
            [made.id],
        )
    delete_response(workspace, made.id)
    assert _superseded(workspace, made.id) == set()
    assert workspace.db.execute("SELECT COUNT(*) FROM conflicts").fetchone()[0] == 0


def test_deleted_codes_and_deny_list_entries_are_buried_and_raised_when_added_again(
    workspace: Workspace,
) -> None:
    made = add_code(workspace, "nnpcf-key-messages", "Transport", key="transport")
    delete_code(workspace, "transport")
    assert tombstones.reason(workspace.db, made.id) == "deleted"
    again = add_code(workspace, "nnpcf-key-messages", "Transport", key="transport")
    assert again.id == made.id and tombstones.reason(workspace.db, made.id) is None
    entry = add_deny_term(workspace, "Brookfield Academy", "school").entry
    remove_deny_term(workspace, entry.id)
    assert tombstones.reason(workspace.db, entry.id) == "deleted"
    add_deny_term(workspace, "Brookfield Academy", "school")
    assert tombstones.reason(workspace.db, entry.id) is None


def test_the_digest_tells_types_and_empties_apart() -> None:
    assert history.digest(1) != history.digest("1")
    assert history.digest(None) != history.digest("")
    assert history.digest("a", "bc") != history.digest("ab", "c")
    assert history.digest("x") == history.digest("x")
