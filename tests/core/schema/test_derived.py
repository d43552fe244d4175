"""The indexes that are never saved agree with the stored answers after every kind of change."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from forumkit import schema, vault
from forumkit.errors import FileChangedOnDisk, SaveFailed
from forumkit.responses import (
    IncomingResponse,
    add_incoming,
    add_response,
    count_responses,
    delete_response,
    get_response,
    list_responses,
    restore_response,
    update_response,
)
from forumkit.responses.query import ResponseQuery, choice_counts, count_matching
from forumkit.responses.requests import erase_respondent
from forumkit.schema import answer_index, derived
from forumkit.surveys import Survey
from forumkit.vault import Vault, backup_path
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.responses.helpers import add_test_survey, complete_answers


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_test_survey(workspace, tmp_path)


def _index_dump(
    conn: sqlite3.Connection,
) -> tuple[list[tuple[object, ...]], set[tuple[object, ...]]]:
    """Every word instance in the search index, and every (survey, question, choice, seq) pick."""
    conn.execute(
        "CREATE VIRTUAL TABLE temp.check_words USING fts5vocab(temp, response_search, instance)"
    )
    try:
        words = conn.execute(
            "SELECT term, doc, col, offset FROM temp.check_words ORDER BY 1, 2, 3, 4"
        ).fetchall()
    finally:
        conn.execute("DROP TABLE temp.check_words")
    picks = set(
        conn.execute(
            "SELECT o.survey_id, o.question, o.choice, c.seq FROM temp.response_choices c "
            "JOIN temp.choice_options o ON o.id = c.option"
        ).fetchall()
    )
    return words, picks


def _picks_in_answers(conn: sqlite3.Connection) -> set[tuple[object, ...]]:
    """The picks as the stored answers say, read in Python, independently of the index."""
    types = {
        (str(version), str(name)): str(kind)
        for version, name, kind in conn.execute(
            "SELECT version_id, name, type FROM main.survey_questions"
        )
    }
    picks: set[tuple[object, ...]] = set()
    for seq, survey_id, version_id, answers in conn.execute(
        "SELECT seq, survey_id, version_id, answers FROM main.responses"
    ):
        for name, value in json.loads(answers).items():
            if types.get((version_id, name)) in derived.CHOICE_QUESTION_TYPES:
                for choice in value if isinstance(value, list) else [value]:
                    picks.add((survey_id, name, choice, seq))
    return picks


def _answered(conn: sqlite3.Connection) -> set[tuple[object, ...]]:
    """Every (survey, question, seq, number) of the index of answered questions."""
    return set(
        conn.execute(
            "SELECT q.survey_id, q.question, a.seq, a.number FROM temp.response_answers a "
            "JOIN temp.answer_questions q ON q.id = a.question"
        ).fetchall()
    )


def _answered_in_answers(conn: sqlite3.Connection) -> set[tuple[object, ...]]:
    """The answered questions as the stored answers say, read in Python: every question of any
    version of the survey answered with something (not blank text, not an empty list), with
    the answer when it is a number."""
    names = {
        (str(survey_id), str(name))
        for survey_id, name in conn.execute(
            "SELECT v.survey_id, q.name FROM main.survey_questions q "
            "JOIN main.survey_versions v ON v.id = q.version_id"
        )
    }
    found: set[tuple[object, ...]] = set()
    for seq, survey_id, answers in conn.execute(
        "SELECT seq, survey_id, answers FROM main.responses"
    ):
        for name, value in json.loads(answers).items():
            if (survey_id, name) not in names or value is None or value in ("", []):
                continue
            if isinstance(value, str) and not value.strip():
                continue
            number = (
                value if isinstance(value, int | float) and not isinstance(value, bool) else None
            )
            found.add((survey_id, name, seq, number))
    return found


def assert_indexes_agree(workspace: Workspace) -> None:
    """The live indexes, kept by triggers, equal indexes built afresh from the stored rows."""
    conn = workspace.db.conn
    assert derived.installed(conn)
    fresh = sqlite3.connect(":memory:")
    fresh.deserialize(conn.serialize())
    derived.rebuild(fresh)
    live_words, live_picks = _index_dump(conn)
    fresh_words, fresh_picks = _index_dump(fresh)
    fresh_answered = _answered(fresh)
    fresh.close()
    assert live_words == fresh_words
    assert live_picks == fresh_picks == _picks_in_answers(conn)
    assert _answered(conn) == fresh_answered == _answered_in_answers(conn)


def found(workspace: Workspace, survey: Survey, text: str) -> set[str]:
    return {r.id for r in list_responses(workspace.db, survey.id, search=text, limit=None)}


def test_indexes_follow_adds_corrections_deletions_undo_imports_and_erasures(
    workspace: Workspace, survey: Survey
) -> None:
    first = add_response(
        workspace, survey, complete_answers(experience="Marmalade waited"), status="complete"
    )
    draft = add_response(workspace, survey, {"experience": "Pomegranate draft", "phase": "early"})
    assert_indexes_agree(workspace)
    assert found(workspace, survey, "marmalade") == {first.id}
    assert choice_counts(workspace.db, survey, "phase", status=None)["early"] == 1

    corrected = update_response(
        workspace, first.id, complete_answers(experience="Quince now", phase="secondary")
    )
    assert_indexes_agree(workspace)
    assert found(workspace, survey, "marmalade") == set()
    assert found(workspace, survey, "quince") == {corrected.id}
    assert choice_counts(workspace.db, survey, "phase")["secondary"] == 1

    delete_response(workspace, draft.id)
    assert_indexes_agree(workspace)
    assert found(workspace, survey, "pomegranate") == set()
    restore_response(workspace, draft)  # undo of the delete
    assert_indexes_agree(workspace)
    assert found(workspace, survey, "pomegranate") == {draft.id}

    imported = add_incoming(
        workspace,
        survey,
        [
            IncomingResponse(
                complete_answers(experience=f"Tangerine row {n}", services=["salt"]),
                source="import:googleforms:export.csv",
                source_key=f"row-{n}",
                respondent="erase.me@example.org" if n == 0 else None,
            )
            for n in range(5)
        ],
    )
    assert_indexes_agree(workspace)
    assert found(workspace, survey, "tangerine row") == set(imported.ids)
    assert found(workspace, survey, "erase.me@example") == {imported.ids[0]}

    erase_respondent(workspace, "erase.me@example.org")
    assert_indexes_agree(workspace)
    assert found(workspace, survey, "tangerine") == set(imported.ids[1:])
    assert found(workspace, survey, "erase.me") == set()


def test_a_transaction_that_fails_leaves_the_indexes_as_they_were(
    workspace: Workspace, survey: Survey
) -> None:
    add_response(workspace, survey, complete_answers(experience="Apricot"), status="complete")
    with pytest.raises(RuntimeError), workspace.transaction():
        add_response(workspace, survey, complete_answers(experience="Damson"), status="complete")
        raise RuntimeError("the volunteer pressed cancel")
    assert_indexes_agree(workspace)
    assert found(workspace, survey, "damson") == set()


def test_after_a_failed_save_and_a_discard_the_indexes_follow_the_data(
    workspace: Workspace, survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    older = add_response(workspace, survey, complete_answers(experience="Older plum"))
    newer = add_response(workspace, survey, complete_answers(experience="Newer plum"))

    def unplugged(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(vault, "write_atomically", unplugged)
    with pytest.raises(SaveFailed):
        add_response(workspace, survey, complete_answers(experience="Unsaved fig"))
    # The change is kept in memory, and so in the indexes, until written or discarded.
    assert_indexes_agree(workspace)
    assert len(found(workspace, survey, "unsaved fig")) == 1
    monkeypatch.undo()

    # Meanwhile someone copied the previous version over the file: the save is refused.
    shutil.copyfile(backup_path(workspace.path), workspace.path)
    with pytest.raises(FileChangedOnDisk, match="older copy"):
        workspace.flush()
    assert len(found(workspace, survey, "unsaved fig")) == 1
    workspace.reload_from_disk()  # discard: carry on from the file as it is on disk
    assert_indexes_agree(workspace)
    assert found(workspace, survey, "unsaved fig") == set()
    assert found(workspace, survey, "plum") == {older.id}
    assert newer.id not in found(workspace, survey, newer.id)
    assert not workspace.has_unsaved_changes


def test_an_upgrade_rebuilds_the_indexes(
    forum_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workspace.create(forum_path, PASSPHRASE, forum="F") as ws:
        survey = add_test_survey(ws, tmp_path)
        kept = add_response(ws, survey, complete_answers(experience="Gooseberry"))

    def rebuild_responses(db: sqlite_utils.Database) -> None:
        # A later migration that remakes the table the triggers hang on, as SQLite's
        # "make a new table, copy, drop the old one" recipe for table changes does.
        (table_sql,) = db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'responses'"
        ).fetchone()
        (view_sql,) = db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'responses_with_consent'"
        ).fetchone()
        db.execute("DROP VIEW responses_with_consent")
        db.execute("ALTER TABLE responses RENAME TO responses_old")
        db.execute(table_sql)
        db.execute("INSERT INTO responses SELECT * FROM responses_old")
        db.execute("DROP TABLE responses_old")
        db.execute(view_sql)

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, rebuild_responses])
    with Workspace.open(forum_path, PASSPHRASE) as ws:
        assert ws.schema_version == schema.latest_version()
        assert_indexes_agree(ws)
        assert found(ws, survey, "gooseberry") == {kept.id}
        added = add_response(ws, survey, complete_answers(experience="Elderberry"))
        assert_indexes_agree(ws)
        assert found(ws, survey, "elderberry") == {added.id}


def test_the_indexes_are_never_saved(workspace: Workspace, survey: Survey) -> None:
    for n in range(30):
        add_response(workspace, survey, complete_answers(experience=f"Mulberry bush {n}"))
    _, image = Vault.open(workspace.path, PASSPHRASE)
    saved = sqlite3.connect(":memory:")
    saved.deserialize(bytes(image))
    names = {row[0] for row in saved.execute("SELECT name FROM sqlite_master")}
    assert not names & {derived.SEARCH_TABLE, derived.OPTIONS_TABLE, derived.CHOICES_TABLE}
    assert not names & set(answer_index.TABLES)
    assert not any(name.startswith(derived.SEARCH_TABLE) for name in names)
    assert len(image) == len(workspace.db.conn.serialize())


def test_search_finds_words_case_and_accents_aside(workspace: Workspace, survey: Survey) -> None:
    cafe = add_response(workspace, survey, complete_answers(experience="The Café's key worker"))
    add_response(workspace, survey, complete_answers(experience="A monkey worked here"))
    assert found(workspace, survey, "cafe") == {cafe.id}
    assert found(workspace, survey, "CAFÉ") == {cafe.id}
    assert found(workspace, survey, "key work") == {cafe.id}  # the last word may be unfinished
    assert found(workspace, survey, "key-worker") == {cafe.id}
    assert found(workspace, survey, "worker key") == set()  # words in order, together
    assert found(workspace, survey, '"key') == {cafe.id}  # quotes are only text
    assert found(workspace, survey, "%%") == set()
    assert found(workspace, survey, cafe.id) == {cafe.id}
    assert count_responses(workspace.db, survey.id, search="worke") == 2


def test_counts_and_filters_read_the_choice_index(workspace: Workspace, survey: Survey) -> None:
    add_response(workspace, survey, complete_answers(services=["salt", "ot"]), status="complete")
    add_response(workspace, survey, complete_answers(services=["ot"]), status="complete")
    add_response(workspace, survey, {"services": ["salt"]})  # a draft
    complete = choice_counts(workspace.db, survey, "services")
    assert complete["ot"] == 2 and complete["salt"] == 1
    assert sum(complete.values()) == 3
    assert choice_counts(workspace.db, survey, "services", status=None)["salt"] == 2
    with pytest.raises(ValueError, match="not a choice question"):
        choice_counts(workspace.db, survey, "experience")
    from forumkit.responses.query import AnswerFilter

    only_salt = ResponseQuery(filters=(AnswerFilter("services", "salt"),))
    assert count_matching(workspace.db, survey, only_salt) == 2


def test_opening_builds_the_indexes_before_the_file_reaches_its_thread(
    workspace: Workspace, survey: Survey
) -> None:
    kept = add_response(workspace, survey, complete_answers(experience="Blackcurrant"))
    with Workspace.open(workspace.path, PASSPHRASE, read_only=True) as reopened:
        assert derived.installed(reopened.db.conn)
        assert_indexes_agree(reopened)
        assert {r.id for r in list_responses(reopened.db, survey.id, search="blackcurrant")} == {
            kept.id
        }
        assert get_response(reopened.db, kept.id).answers["experience"] == "Blackcurrant"
