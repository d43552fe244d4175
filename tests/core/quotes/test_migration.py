"""A file written before quotes existed (release 0.1.0) opens with the quotes tables, keeps its
tombstones (now allowed to name quotes too), and its responses can be quoted and searched."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from forumkit import schema, tombstones
from forumkit.quotes import (
    QuoteQuery,
    create_quote,
    delete_quote,
    search_quotes,
    tag_quote,
)
from forumkit.responses import list_responses
from forumkit.surveys import get_survey, list_surveys
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE

RELEASE_FILE = Path(__file__).parents[1] / "release_files" / "forum-0.1.forumkit"


def test_the_release_file_is_upgraded_and_quoted(tmp_path: Path) -> None:
    copy = tmp_path / "forum.forumkit"
    shutil.copyfile(RELEASE_FILE, copy)
    with Workspace.open(copy, PASSPHRASE) as workspace:
        assert workspace.schema_version == schema.latest_version() >= 6
        db = workspace.db
        kept = tombstones.count(db)
        [summary] = list_surveys(db)
        survey = get_survey(db, summary.id)
        free_text = [q.name for q in survey.questions if q.type == "text"]
        response, question = next(
            (r, name)
            for r in list_responses(db, survey.id, status="complete", limit=None)
            for name in free_text
            if isinstance(r.answers.get(name), str) and len(str(r.answers[name]).split()) > 3
        )
        made = create_quote(workspace, response.id, question).after
        assert made is not None
        tag_quote(workspace, made.id, ["listen-early"])
        word = next(w for w in made.text.split() if w.isalpha() and len(w) > 3)
        assert [q.id for q in search_quotes(db, QuoteQuery(survey.id, text=word))] == [made.id]
        delete_quote(workspace, made.id)
        assert tombstones.count(db)["deleted"] == kept.get("deleted", 0) + 1
    # The CHECK on tombstones' kind still refuses a kind of record no tombstone is for (codes,
    # codebooks and deny-list entries joined the kinds at data version 7).
    with Workspace.open(copy, PASSPHRASE) as again, pytest.raises(sqlite3.IntegrityError):
        again.db.execute(
            "INSERT INTO tombstones (id, kind, reason, at) VALUES ('x', 'note', 'deleted', '')"
        )
