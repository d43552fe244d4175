"""Data-protection requests: a respondent's right of access and right to erasure (UK GDPR).

A respondent is found by the reference the chair recorded with their responses (e.g. the email
they gave), matched trimmed and case-insensitively. Erasure deletes the responses and
everything derived from them, then vacuums the database and rewrites the backup too
(``purge=True``), so the text survives in neither file. The audit log records the erasure with
counts and opaque ids only, and the erasure reports which earlier exports or packs carried the
erased responses, because their recipients must be told.

An erasure is complete even when interrupted: its save records itself in the file's header
before writing, so if it is killed after writing the file but before rewriting the backup, the
next open for writing (running the erasure again, say) rewrites the backup without the erased
data, and the erasure's message says so.

Later features that derive data from responses (quotes, tags) add their eraser to
:data:`ERASERS`, before the responses' own, so derived rows go first, and what they hold to
:data:`ACCESS_PARTS`, so a respondent's copy of their data holds it too: the right of access
covers the quotes made of a parent's words and the versions of their responses a merge kept
aside, not only the responses.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from forumkit import audit, tombstones
from forumkit.exports import ExportJob, run_export
from forumkit.responses import identity
from forumkit.responses.errors import ExportError
from forumkit.responses.model import Response
from forumkit.responses.query import respondent_responses
from forumkit.wording import noun, plural

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

Eraser = Callable[[sqlite_utils.Database, Sequence[str]], dict[str, int]]
"""Deletes what one table holds about the given response ids; returns counts per kind."""

PACK_CREATED = "pack_created"
"""The audit action of an evidence pack; its first id is the pack's own (``forumkit.packs``)."""
DISCLOSURE_ACTIONS = ("responses_exported", "quotes_exported", PACK_CREATED)
"""Audit actions whose ids record responses that left the forum file (a quotes spreadsheet
carries parents' words too)."""
ACCESS_EXPORTED = "respondent_data_exported"
"""Audit action of an access request's copy for the respondent (not a disclosure to others)."""
ERASED = "respondent_erased"


@dataclass(frozen=True)
class HeldAlongside:
    """Something else the file holds that was made from a respondent's responses (the quotes
    of their words, say), for their copy of their data."""

    key: str
    """Its key in the JSON copy (``quotes``)."""
    heading: str
    """What it is, in words, as a heading of the text copy."""
    entries: tuple[dict[str, Any], ...]
    """One JSON-ready dict per item, its text as the respondent's own copy shows it."""


AccessPart = Callable[[sqlite_utils.Database, Sequence[str]], "HeldAlongside | None"]
"""What one feature holds about the given response ids (None when it holds nothing)."""

ACCESS_PARTS: list[AccessPart] = []
"""What an access request gathers besides the responses (``forumkit.quotes`` and
``forumkit.merge`` add theirs when imported)."""


@dataclass(frozen=True)
class RespondentData:
    """Everything the forum file holds about one respondent (the answer to an access request)."""

    responses: tuple[Response, ...]
    surveys: dict[str, str]
    """Survey id → title, for the surveys those responses answer."""
    alongside: tuple[HeldAlongside, ...] = field(default=())
    """What else the file holds made from those responses (quotes, versions a merge kept)."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, as ``forumkit responses show --json`` prints it."""
        held: dict[str, Any] = {part.key: list(part.entries) for part in self.alongside}
        return {
            "responses": [
                {
                    "id": r.id,
                    "survey_id": r.survey_id,
                    "survey": self.surveys.get(r.survey_id, ""),
                    "version_id": r.version_id,
                    "status": r.status,
                    "respondent": r.respondent,
                    "source": r.source,
                    "captured_by": r.captured_by,
                    "device_id": r.device_id,
                    "started": r.started,
                    "finished": r.finished,
                    "modified": r.modified,
                    "consent_quote": r.consent_quote,
                    "consent_share": r.consent_share,
                    "answers": {name: _json_answer(value) for name, value in r.answers.items()},
                }
                for r in self.responses
            ],
            **held,
        }


@dataclass(frozen=True)
class Disclosure:
    """An earlier export or pack that carried some of the erased responses."""

    at: str
    action: str
    responses: int
    pack_id: str | None = None
    """The evidence pack's id (on its cover and in its manifest), for a pack."""

    @property
    def what(self) -> str:
        """What left the file, in words: "an export", or "the evidence pack <id>" so the chair
        can tell its recipients which one to delete."""
        if self.action == PACK_CREATED:
            return f"the evidence pack {self.pack_id}" if self.pack_id else "an evidence pack"
        return "an export"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, as ``--json`` prints it."""
        return {
            "at": self.at,
            "action": self.action,
            "responses": self.responses,
            "pack_id": self.pack_id,
        }


@dataclass(frozen=True)
class Erasure:
    """What an erasure deleted, and which earlier disclosures its recipients should hear of."""

    responses: int
    counts: dict[str, int]
    response_ids: tuple[str, ...]
    disclosures: tuple[Disclosure, ...]
    backup_purged: bool = False
    """Opening the file found an earlier erasure interrupted (its data still in the backup)
    and finished it: the backup was rewritten without that data."""


def _json_answer(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    isoformat = getattr(value, "isoformat", None)
    return isoformat() if callable(isoformat) else str(value)


def find_respondent(db: sqlite_utils.Database, reference: str) -> RespondentData:
    """Every response recorded with this respondent reference, with all its answers."""
    responses = tuple(respondent_responses(db, reference))
    survey_ids = sorted({r.survey_id for r in responses})
    titles = {
        str(row[0]): str(row[1])
        for sid in survey_ids
        for row in db.execute("SELECT id, title FROM surveys WHERE id = ?", [sid]).fetchall()
    }
    ids = [r.id for r in responses]
    alongside = tuple(
        part for part in (gather(db, ids) for gather in ACCESS_PARTS) if part and part.entries
    )
    return RespondentData(responses, titles, alongside)


def _erase_responses(db: sqlite_utils.Database, response_ids: Sequence[str]) -> dict[str, int]:
    submissions = identity.submission_tombstones(db, response_ids)
    deleted = 0
    for response_id in response_ids:
        deleted += db.execute("DELETE FROM responses WHERE id = ?", [response_id]).rowcount
    # Only the opaque ids stay, so no import or merge brings the respondent back (nor an
    # edited version of their row, known by its submission: see responses.identity).
    tombstones.bury(db, "response", "erased", [*response_ids, *submissions])
    return {"responses": deleted}


ERASERS: list[Eraser] = [_erase_responses]
"""What erasure runs, in order: derived data (quotes, tags) first, the responses last."""


def disclosures_of(db: sqlite_utils.Database, response_ids: Sequence[str]) -> list[Disclosure]:
    """Earlier exports and packs (from the audit log) that carried any of these responses."""
    if not response_ids:
        return []
    wanted = set(response_ids)
    found: list[Disclosure] = []
    for action in DISCLOSURE_ACTIONS:
        for entry in audit.entries(db, action):
            carried = len(wanted.intersection(entry.object_ids))
            if carried:
                pack_id = entry.object_ids[0] if action == PACK_CREATED else None
                found.append(Disclosure(entry.at, entry.action, carried, pack_id))
    return sorted(found, key=lambda d: d.at)


def access_text(held: RespondentData) -> str:
    """Everything held about the respondent as plain text (for the CLI, the app and a copy)."""
    if not held.responses:
        return "No responses are held for that respondent reference."
    count = len(held.responses)
    held_now = f"{plural(count, 'response')} {noun(count, 'is', 'are')} held"
    lines = [f"{held_now} for that respondent reference."]
    for response, entry in zip(held.responses, held.to_dict()["responses"], strict=True):
        lines.append("")
        lines.append(
            f"Response {response.id}: {held.surveys.get(response.survey_id, '')} "
            f"({response.status}, {response.source}, started {response.started or 'unknown'})"
        )
        for key in ("respondent", "captured_by", "finished", "consent_quote", "consent_share"):
            if entry[key] is not None:
                lines.append(f"  {key}: {entry[key]}")
        for name, value in entry["answers"].items():
            shown = "; ".join(value) if isinstance(value, list) else value
            lines.append(f"  {name} = {shown}")
    for part in held.alongside:
        lines.append("")
        lines.append(f"{part.heading} ({len(part.entries)}):")
        for item in part.entries:
            lines.append("")
            for key, value in item.items():
                lines.extend(_held_lines(key, value, "  "))
    return "\n".join(lines)


def _held_lines(key: str, value: object, indent: str) -> list[str]:
    """One item's field as lines of the text copy: lists joined, dicts (a kept version's
    columns, its answers) one ``name: value`` a line beneath it."""
    if isinstance(value, dict):
        lines = [f"{indent}{key}:"]
        for inner, inner_value in value.items():
            lines.extend(_held_lines(str(inner), inner_value, indent + "  "))
        return lines
    shown = "; ".join(map(str, value)) if isinstance(value, list) else value
    return [f"{indent}{key}: {shown}"]


@dataclass(frozen=True)
class AccessExport:
    """What an access request's copy wrote."""

    path: Path
    format: str
    responses: int


def export_respondent(workspace: Workspace, reference: str, path: Path) -> AccessExport:
    """Write everything held about one respondent to ``path``, a copy for their access request.

    ``.json`` holds what ``forumkit responses show --json`` prints, ``.txt`` the same as text.
    The file is not encrypted (it is for the respondent); the audit log records that a copy
    was made, with counts and response ids only.
    """
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("json", "txt"):
        raise ExportError(
            f"“{path.name}” must end in .json or .txt: those are the formats of a respondent's "
            "copy of their data."
        )
    held = find_respondent(workspace.db, reference)
    if kind == "json":
        text = json.dumps(held.to_dict(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = access_text(held) + "\n"
    ids = tuple(r.id for r in held.responses)
    job = ExportJob(
        path=path,
        render=lambda: text.encode("utf-8"),
        action=ACCESS_EXPORTED,
        counts={"responses": len(ids)},
        object_ids=ids,
        result=AccessExport(path, kind, len(ids)),
    )
    return run_export(workspace, job)


def erasure_text(erasure: Erasure) -> str:
    """What an erasure did, and whom to tell, in plain words."""
    if not erasure.responses and erasure.backup_purged:
        return (
            "No responses are held for that respondent reference now. An interrupted erasure "
            "is finished: the backup still held the responses it erased, and has been "
            "rewritten without them."
        )
    if not erasure.responses:
        return "No responses are held for that respondent reference; nothing was erased."
    return erasure_summary(erasure.responses, erasure.disclosures)


def erasure_summary(responses: int, disclosures: Sequence[Disclosure]) -> str:
    """``responses`` erased, and which earlier exports or packs carried some of them."""
    lines = [
        f"Erased {plural(responses, 'response')}; the forum file and its backup were rewritten "
        f"without {noun(responses, 'it', 'them')}."
    ]
    for disclosure in disclosures:
        lines.append(
            f"{disclosure.responses} of them left the file in {disclosure.what} made "
            f"{disclosure.at}: "
            "tell its recipients to delete them."
        )
    return "\n".join(lines)


def erasure_entry(db: sqlite_utils.Database, erasure: Erasure) -> audit.AuditEntry | None:
    """The audit-log entry an erasure wrote (None when it erased nothing)."""
    if not erasure.response_ids:
        return None
    for entry in reversed(audit.entries(db, ERASED)):
        if tuple(entry.object_ids) == erasure.response_ids:
            return entry
    return None


def _finished_on_opening(workspace: Workspace) -> bool:
    repair = workspace.backup_repair
    return repair is not None and repair.state == "holds_erased_data"


def erase_respondent(workspace: Workspace, reference: str) -> Erasure:
    """Delete for good every response of this respondent and everything derived from them.

    The database is vacuumed and the backup rewritten in the same save, so nothing of the
    erased text stays in the forum file or its ``.bak``. With nothing to erase, nothing changes;
    the result says whether opening the file finished an earlier, interrupted erasure.
    """
    db = workspace.db
    ids = [response.id for response in respondent_responses(db, reference)]
    if not ids:
        return Erasure(0, {}, (), (), backup_purged=_finished_on_opening(workspace))
    disclosures = tuple(disclosures_of(db, ids))
    counts: dict[str, int] = {}
    with workspace.transaction(ERASED, purge=True) as change:
        for eraser in ERASERS:
            for kind, number in eraser(db, ids).items():
                counts[kind] = counts.get(kind, 0) + number
        audit.record(
            db,
            ERASED,
            {**counts, "earlier_disclosures": len(disclosures)},
            ids,
        )
        change.touch("responses", *ids)
    return Erasure(counts.get("responses", 0), counts, tuple(ids), disclosures)
