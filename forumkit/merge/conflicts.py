"""The conflicts a merge kept: a record changed in two copies since they parted, whose later
change won and whose other change waits here for the chair to review.

Nothing is lost meanwhile: the version that lost is kept whole inside the encrypted file. The
chair keeps *mine* (the version this file has now: the conflict is dropped and the other
version is recorded as superseded, so no copy brings it back) or *theirs* (the kept version
becomes the record's, and the one it replaces is recorded as superseded). A conflict resolved in
one copy is resolved in every copy it is merged with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import sqlite_utils

from forumkit import audit
from forumkit.errors import ForumkitError
from forumkit.merge.codes import fit_tags
from forumkit.merge.errors import ConflictNotFound
from forumkit.merge.gone import code_merges
from forumkit.merge.model import KIND_WORDS
from forumkit.merge.records import touches
from forumkit.merge.versions import (
    Version,
    current_digest,
    from_json,
    read_superseded,
    read_versions,
    set_superseded,
    write_version,
)
from forumkit.responses import survey_for_version
from forumkit.schema import history
from forumkit.schema.history import KindName
from forumkit.workspace import Workspace

Keep = Literal["mine", "theirs"]
RESOLVED = "conflict_resolved"

_FIELD_WORDS = {
    "status": "whether it is complete",
    "respondent": "the respondent reference",
    "redacted_text": "the redacted text",
    "redaction_edited": "the redacted text",
    "reviewed_by": "whether it is reviewed",
    "reviewed_at": "whether it is reviewed",
    "reviewed": "whether it is reviewed",
    "span_start": "the words quoted",
    "span_end": "the words quoted",
    "text": "the words quoted",
    "parent_id": "where it sits in the tree",
    "consent_quote": "the consent questions",
    "consent_share": "the consent questions",
}


@dataclass(frozen=True)
class Conflict:
    """One version kept aside by a merge, beside the record's version in this file now."""

    id: str
    kind: KindName
    record_id: str
    found: str
    """When the merge kept it."""
    theirs: Version
    """The version kept aside (its ``origin`` and ``source`` say which copy had it)."""
    mine: Version | None
    """The record as this file holds it now."""
    survey_id: str = ""
    """For a response or a quote, the survey it belongs to."""

    @property
    def differs(self) -> tuple[str, ...]:
        """What differs between the two versions, in words (never the words themselves)."""
        if self.mine is None:
            return ()
        return differences(self.kind, self.mine, self.theirs)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (``forumkit conflicts list --json``), both versions whole."""
        return {
            "id": self.id,
            "kind": self.kind,
            "record_id": self.record_id,
            "survey_id": self.survey_id,
            "found": self.found,
            "differs": list(self.differs),
            "mine": None if self.mine is None else _version_dict(self.mine),
            "theirs": _version_dict(self.theirs),
        }


def _version_dict(version: Version) -> dict[str, Any]:
    return {
        "stamp": version.stamp,
        "from": version.source,
        "origin": version.origin,
        "row": version.row,
        "children": [list(child) for child in version.children],
    }


def differences(kind: KindName, mine: Version, theirs: Version) -> tuple[str, ...]:
    """The fields two versions of a record differ in, named for people."""
    found: list[str] = []
    for column in history.KINDS[kind].content:
        if mine.row.get(column) == theirs.row.get(column):
            continue
        if column == "answers":
            found.extend(_answers_differing(mine.row[column], theirs.row[column]))
            continue
        found.append(_FIELD_WORDS.get(column, f"the {column.replace('_', ' ')}"))
    if mine.children != theirs.children:
        found.append("the codes" if kind == "quote" else "the inspection areas")
    return tuple(dict.fromkeys(found))


def _answers_differing(mine: object, theirs: object) -> list[str]:
    ours = json.loads(str(mine or "{}"))
    other = json.loads(str(theirs or "{}"))
    return [
        f"the answer to {name}"
        for name in sorted(ours.keys() | other.keys())
        if ours.get(name) != other.get(name)
    ]


def list_conflicts(db: sqlite_utils.Database, kind: KindName | None = None) -> list[Conflict]:
    """The conflicts still to review, oldest first (of one kind, or all)."""
    sql = "SELECT id, kind, record_id, digest, stamp, version, origin, source, found FROM conflicts"
    params: list[object] = []
    if kind is not None:
        sql += " WHERE kind = ?"
        params.append(kind)
    rows = db.execute(sql + " ORDER BY found, kind, record_id, stamp", params).fetchall()
    return [_conflict(db, row) for row in rows]


def get_conflict(db: sqlite_utils.Database, conflict_id: str) -> Conflict:
    """One conflict by id; ConflictNotFound otherwise."""
    row = db.execute(
        "SELECT id, kind, record_id, digest, stamp, version, origin, source, found "
        "FROM conflicts WHERE id = ?",
        [conflict_id.strip()],
    ).fetchone()
    if row is None:
        raise ConflictNotFound(conflict_id.strip())
    return _conflict(db, row)


def _conflict(db: sqlite_utils.Database, row: tuple[Any, ...]) -> Conflict:
    conflict_id, kind, record_id, digest, stamp, text, origin, source, found = row
    theirs = from_json(kind, record_id, int(digest), stamp, text, origin, source)
    mine = read_versions(db.conn, kind, [record_id]).get(record_id)
    survey = ""
    if kind == "response" and mine is not None:
        survey = str(mine.row["survey_id"])
    elif kind == "quote":
        found_row = db.execute(
            "SELECT survey_id FROM responses WHERE id = ?", [theirs.row.get("response_id")]
        ).fetchone()
        survey = "" if found_row is None else str(found_row[0])
    return Conflict(str(conflict_id), kind, str(record_id), str(found), theirs, mine, survey)


@dataclass(frozen=True)
class Resolution:
    """What resolving a conflict kept."""

    conflict: Conflict
    kept: Keep


def resolve_conflict(workspace: Workspace, conflict_id: str, keep: Keep) -> Resolution:
    """Settle one conflict: keep ``mine`` (the record as this file has it) or ``theirs`` (the
    version the merge kept aside). Either way the conflict is gone, in this file and, once
    merged, in every copy; the version not kept is recorded as superseded."""
    if keep not in ("mine", "theirs"):
        raise ValueError(f"keep is mine or theirs, not {keep!r}")
    db = workspace.db
    conflict = get_conflict(db, conflict_id)
    kind, record_id = conflict.kind, conflict.record_id
    conn = db.conn
    with workspace.transaction(RESOLVED) as change, history.paused(conn):
        held = read_superseded(conn, [record_id]).get(record_id, set())
        replaced = set(held)
        if keep == "mine":
            replaced.add(conflict.theirs.digest)
        else:
            version = _fitted(db, conflict.theirs)
            write_version(conn, version, held=conflict.mine)
            now = current_digest(conn, kind, record_id)
            if conflict.mine is not None:
                replaced.add(conflict.mine.digest)
            if now != conflict.theirs.digest:
                replaced.add(conflict.theirs.digest)
            replaced.discard(now)
        db.execute("DELETE FROM conflicts WHERE id = ?", [conflict.id])
        set_superseded(conn, record_id, held, replaced)
        audit.record(db, RESOLVED, {"theirs": int(keep == "theirs")}, [conflict.id, record_id])
        change.touch(touches(kind), record_id)
    return Resolution(conflict, keep)


def _fitted(db: sqlite_utils.Database, version: Version) -> Version:
    """The kept version as this file can hold it now (see ``forumkit.merge.codes``)."""
    codes = {str(row[0]) for row in db.execute("SELECT id FROM codes")}
    if version.kind == "quote":
        return fit_tags(version, code_merges(db.conn), codes)
    if version.kind != "code":
        return version
    row = dict(version.row)
    if row.get("parent_id") not in codes:
        row["parent_id"] = None
    if row.get("shortcut"):
        taken = db.execute(
            "SELECT 1 FROM codes WHERE codebook_id = ? AND shortcut = ? AND id != ?",
            [row["codebook_id"], row["shortcut"], version.record_id],
        ).fetchone()
        if taken is not None:
            row["shortcut"] = ""
    areas = tuple(area for area in version.children if str(area[0]) in codes)
    return replace(version, row=row, children=areas)


def describe(conflict: Conflict) -> str:
    """One conflict in a line for people (what kind, which record, what differs)."""
    one, _ = KIND_WORDS[conflict.kind]
    differs = ", ".join(conflict.differs) or "nothing any more"
    where = f" from “{conflict.theirs.source}”" if conflict.theirs.source else ""
    return (
        f"{conflict.id}  {one} {conflict.record_id}: kept{where} (changed "
        f"{conflict.theirs.stamp or 'at an unknown time'}), this file's changed "
        f"{conflict.mine.stamp if conflict.mine else '—'}; differs in {differs}"
    )


@dataclass(frozen=True)
class ConflictLine:
    """One line of a conflict shown side by side: what it is, and each version's value in
    words ("" where a version has none)."""

    label: str
    mine: str = field(repr=False)
    theirs: str = field(repr=False)

    @property
    def differs(self) -> bool:
        return self.mine != self.theirs


_LINE_LABELS = {
    "survey_id": "Survey",
    "version_id": "Survey version",
    "status": "Status",
    "source_key": "Row in the imported file",
    "respondent": "Respondent reference",
    "started": "Started",
    "finished": "Finished",
    "response_id": "Response",
    "question": "Question",
    "span_start": "Quote starts at",
    "span_end": "Quote ends at",
    "text": "Words quoted",
    "redacted_text": "Redacted text",
    "redaction_edited": "Redaction edited by hand",
    "reviewed": "Reviewed",
    "reviewed_by": "Reviewed by",
    "reviewed_at": "Reviewed at",
    "created": "Created",
    "created_by": "Created by",
    "codebook_id": "Codebook",
    "parent_id": "Under",
    "codable": "Can be used to tag",
}


def side_by_side(db: sqlite_utils.Database, conflict: Conflict) -> tuple[ConflictLine, ...]:
    """Both versions of a conflict, line by line in words, for the chair to compare: each
    answer of a response under its question's label, a quote's codes and a code's inspection
    areas by their labels. The record's own data, so shown only inside the app."""
    kind = conflict.kind
    mine = conflict.mine
    theirs = conflict.theirs
    labels = _question_labels(db, conflict) if kind == "response" else {}
    lines: list[ConflictLine] = []
    for column in history.KINDS[kind].content:
        ours = None if mine is None else mine.row.get(column)
        other = theirs.row.get(column)
        if column == "answers":
            lines.extend(_answer_lines(ours, other, labels))
            continue
        label = _LINE_LABELS.get(column, column.replace("_", " ").capitalize())
        if column in _REFERENCES:
            lines.append(ConflictLine(label, _named(db, column, ours), _named(db, column, other)))
        elif column in _MOMENTS:
            lines.append(ConflictLine(label, _moment(ours), _moment(other)))
        else:
            lines.append(ConflictLine(label, _shown(ours), _shown(other)))
    if history.KINDS[kind].children is not None:
        label = "Codes" if kind == "quote" else "Inspection areas"
        names = _code_labels(db)
        lines.append(
            ConflictLine(
                label,
                "" if mine is None else _children_shown(mine, names),
                _children_shown(theirs, names),
            )
        )
    return tuple(lines)


_REFERENCES = {
    "survey_id": "SELECT title FROM surveys WHERE id = ?",
    "version_id": "SELECT 'version ' || version FROM survey_versions WHERE id = ?",
    "codebook_id": "SELECT name FROM codebooks WHERE id = ?",
    "parent_id": "SELECT label FROM codes WHERE id = ?",
    "response_id": "SELECT 'response ' || seq FROM responses WHERE id = ?",
}
"""Columns holding another record's id, shown by that record's name."""
_MOMENTS = {"started", "finished", "reviewed_at", "created", "consent_set_at", "renamed"}


def _named(db: sqlite_utils.Database, column: str, value: object) -> str:
    if value is None or value == "":
        return ""
    row = db.execute(_REFERENCES[column], [value]).fetchone()
    return str(row[0]) if row is not None else "one since removed"


def _moment(value: object) -> str:
    """An ISO time as people read it: 2026-11-27 21:25 (to the minute)."""
    text = _shown(value)
    return text[:16].replace("T", " ") if len(text) >= 16 and text[10] == "T" else text


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value)
    return str(value)


def _answer_lines(mine: object, theirs: object, labels: dict[str, str]) -> list[ConflictLine]:
    ours = json.loads(str(mine or "{}"))
    other = json.loads(str(theirs or "{}"))
    names = [name for name in labels if name in ours or name in other]
    names += sorted((ours.keys() | other.keys()) - set(names))
    return [
        ConflictLine(labels.get(name, name), _shown(ours.get(name)), _shown(other.get(name)))
        for name in names
    ]


def _question_labels(db: sqlite_utils.Database, conflict: Conflict) -> dict[str, str]:
    """Question name → label, in the form's order, from the survey version a version used."""
    versions = [conflict.theirs.row.get("version_id")]
    if conflict.mine is not None:
        versions.insert(0, conflict.mine.row.get("version_id"))
    labels: dict[str, str] = {}
    for version_id in versions:
        if not version_id:
            continue
        try:
            survey = survey_for_version(db, str(version_id))
        except ForumkitError:
            continue
        for question in survey.questions:
            labels.setdefault(question.name, survey.label(question) or question.name)
    return labels


def _code_labels(db: sqlite_utils.Database) -> dict[str, str]:
    return {str(row[0]): str(row[1]) for row in db.execute("SELECT id, label FROM codes")}


def _children_shown(version: Version, names: dict[str, str]) -> str:
    return ", ".join(
        sorted(names.get(str(child[0]), "a code since removed") for child in version.children)
    )
