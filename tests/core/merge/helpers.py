"""A chair's forum file, volunteers' copies of it, and a dump of everything copies must agree on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from forumkit.merge import volunteer_copy
from forumkit.responses import Response, add_response
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.responses.helpers import add_test_survey, complete_answers

VOLUNTEER_PASSPHRASE = "a volunteer's own passphrase"


def make_chair(folder: Path, name: str = "chair.forumkit") -> tuple[Path, Survey]:
    """A closed forum file with the test survey."""
    path = folder / name
    with Workspace.create(path, PASSPHRASE, forum="Brookfield PCF", area="Brookfield") as ws:
        survey = add_test_survey(ws, folder)
    return path, survey


def make_copy(chair: Path, name: str, passphrase: str = PASSPHRASE) -> Path:
    """A volunteer copy of ``chair`` next to it."""
    with Workspace.open(chair, PASSPHRASE, read_only=True) as ws:
        return volunteer_copy(ws, chair.with_name(name), passphrase).path


@contextmanager
def opened(path: Path, passphrase: str = PASSPHRASE) -> Iterator[Workspace]:
    ws = Workspace.open(path, passphrase)
    try:
        yield ws
    finally:
        ws.close()


def capture(
    ws: Workspace, survey: Survey, story: str, *, respondent: str | None = None
) -> Response:
    """A complete response typed in on this laptop."""
    return add_response(
        ws, survey, complete_answers(experience=story), status="complete", respondent=respondent
    )


FILE_LEVEL = ("forum_created", "schema_upgraded", "volunteer_copy_created")
MERGES = ("file_merged", "changed_file_merged")


def dump(ws: Workspace) -> dict[str, Any]:
    """Everything two merged copies must hold alike (not the per-file numbering, nor the log
    entries that record merges themselves, which each copy makes afresh)."""
    db = ws.db

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return sorted(tuple(row) for row in db.execute(sql).fetchall())

    audit = [
        row
        for row in rows("SELECT at, action, counts, object_ids FROM audit_log")
        if row[1] not in FILE_LEVEL + MERGES
    ]
    return {
        "responses": rows(
            "SELECT id, survey_id, version_id, status, source, source_key, respondent, "
            "captured_by, device_id, started, finished, modified, answers FROM responses"
        ),
        "quotes": rows(
            "SELECT id, response_id, question, span_start, span_end, text, redacted_text, "
            "redaction_edited, reviewed, reviewed_by, reviewed_at, created, created_by, modified "
            "FROM quotes"
        ),
        "tags": rows("SELECT quote_id, code_id, tagged_by, tagged_at FROM quote_tags"),
        "codes": rows(
            "SELECT id, codebook_id, key, label, description, colour, shortcut, keywords, "
            "parent_id, codable, position, updated FROM codes"
        ),
        "areas": rows("SELECT code_id, area_id FROM code_inspection_areas"),
        "codebooks": rows("SELECT * FROM codebooks"),
        "deny_terms": rows("SELECT * FROM deny_terms"),
        "surveys": rows("SELECT * FROM surveys"),
        "versions": rows(
            "SELECT id, survey_id, title, form_version, imported, definition, current_since "
            "FROM survey_versions"
        ),
        "tombstones": rows("SELECT id, kind, reason, at FROM tombstones"),
        "conflicts": rows("SELECT id, kind, record_id, digest, stamp, version FROM conflicts"),
        "superseded": rows("SELECT id, digest FROM superseded"),
        "audit": audit,
    }


def story(ws: Workspace, response_id: str) -> str | None:
    """The response's story as the file holds it now (None when it holds no such response)."""
    row = ws.db.execute("SELECT answers FROM responses WHERE id = ?", [response_id]).fetchone()
    if row is None:
        return None
    value = json.loads(row[0]).get("experience")
    return None if value is None else str(value)


def kept_stories(ws: Workspace, response_id: str) -> set[str]:
    """The stories the file's conflicts keep for a response."""
    found = set()
    for (text,) in ws.db.execute(
        "SELECT version FROM conflicts WHERE record_id = ?", [response_id]
    ).fetchall():
        answers = json.loads(json.loads(text)["row"]["answers"])
        found.add(str(answers.get("experience")))
    return found
