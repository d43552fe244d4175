"""What is deleted stays deleted, across copies: tombstones travel, and deletions and erasures
made in the other copy happen here too.

- A response **erased** in the other copy is erased here through the erasure path
  (``forumkit.responses.requests.ERASERS``: its quotes and tags first), and the merge's save
  vacuums the database and rewrites the backup, as an erasure made here does.
- A response, a quote or a deny-list entry **deleted** there is deleted here.
- A survey **removed** there is removed here when this file holds no responses to it; one that
  holds some keeps it (the removal did not know of them) and says so.
- A code deleted there goes here when nothing here uses it; one merged into another code there
  (the audit log says which, and it travels) hands its uses to that code here first; a used
  code with nowhere to go stays, as a used code is never deleted silently. A codebook goes when
  none of its codes is left.

Tombstones are then kept as every copy keeps them: an erasure outranks a removal, which
outranks a deletion, and of two alike the earlier time stands.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence

# The quotes package adds its eraser to ERASERS when imported: an erasure brought in by a merge
# takes the respondent's quotes and tags too, and buries them as erased.
import forumkit.quotes  # noqa: F401
from forumkit.merge.records import Merging
from forumkit.merge.versions import BATCH, current_digest, read_superseded, set_superseded
from forumkit.responses import disclosures_of
from forumkit.responses.requests import ERASERS
from forumkit.schema.history import KindName

RANK_SQL = "CASE {r} WHEN 'erased' THEN 3 WHEN 'removed' THEN 2 ELSE 1 END"

_KEEP = f"""
INSERT INTO main.tombstones (id, kind, reason, at) VALUES (?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, at = excluded.at
WHERE {RANK_SQL.format(r="excluded.reason")} > {RANK_SQL.format(r="tombstones.reason")}
   OR (excluded.reason = tombstones.reason AND excluded.at < tombstones.at)
"""  # noqa: S608 (constant SQL)


def code_merges(conn: sqlite3.Connection) -> dict[str, str]:
    """Codes merged into others, from the audit log (``code_merged``: the code, then the code
    it went into), followed to the end of any chain."""
    merged: dict[str, str] = {}
    for (ids,) in conn.execute(
        "SELECT object_ids FROM audit_log WHERE action = 'code_merged' ORDER BY id"
    ).fetchall():
        pair = json.loads(ids)
        if len(pair) >= 2:
            merged[str(pair[0])] = str(pair[1])
    resolved: dict[str, str] = {}
    for code in merged:
        seen = {code}
        into = merged[code]
        while into in merged and into not in seen:
            seen.add(into)
            into = merged[into]
        resolved[code] = into
    return resolved


def _held(conn: sqlite3.Connection, table: str, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), BATCH):
        batch = list(ids[start : start + BATCH])
        marks = ", ".join("?" * len(batch))
        sql = f"SELECT id FROM main.{table} WHERE id IN ({marks})"  # noqa: S608 (marks)
        found.update(str(row[0]) for row in conn.execute(sql, batch).fetchall())
    return found


def changed_here(
    merging: Merging, kind: KindName, record_ids: Sequence[str], change: Callable[[], None]
) -> None:
    """Make ``change`` to these records as a change of this file: the versions it replaces are
    recorded as superseded (the history's triggers are paused during a merge)."""
    conn = merging.conn
    held = [rid for rid in record_ids if _held(conn, _TABLES[kind], [rid])]
    before = {rid: current_digest(conn, kind, rid) for rid in held}
    change()
    merging.repaired.update(held)
    replaced = read_superseded(conn, held)
    for rid in held:
        if not _held(conn, _TABLES[kind], [rid]):
            continue
        now = current_digest(conn, kind, rid)
        if now != before[rid]:
            wanted = (replaced.get(rid, set()) | {before[rid]}) - {now}
            set_superseded(conn, rid, replaced.get(rid, set()), wanted)


_TABLES: dict[KindName, str] = {
    "response": "responses",
    "quote": "quotes",
    "code": "codes",
    "codebook": "codebooks",
    "deny_term": "deny_terms",
    "survey": "surveys",
}


def bring_tombstones(merging: Merging) -> None:
    """Apply the other copy's deletions, erasures and removals here, then keep its tombstones
    (module docstring)."""
    conn = merging.conn
    theirs = merging.other.conn.execute(
        "SELECT id, kind, reason, at FROM tombstones ORDER BY id"
    ).fetchall()
    ours = dict(conn.execute("SELECT id, reason FROM main.tombstones").fetchall())
    news = [row for row in theirs if ours.get(row[0]) != row[2]]
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for record_id, kind, reason, _ in news:
        by_kind.setdefault(str(kind), []).append((str(record_id), str(reason)))
    skipped: set[str] = set()
    _responses(merging, by_kind.get("response", []))
    _delete_simply(merging, "quote", [rid for rid, _ in by_kind.get("quote", [])])
    skipped |= _codes(merging, [rid for rid, _ in by_kind.get("code", [])])
    skipped |= _codebooks(merging, [rid for rid, _ in by_kind.get("codebook", [])])
    _delete_simply(merging, "deny_term", [rid for rid, _ in by_kind.get("deny_term", [])])
    skipped |= _surveys(merging, [rid for rid, _ in by_kind.get("survey", [])])
    conn.executemany(_KEEP, [tuple(row) for row in news if row[0] not in skipped])


def _responses(merging: Merging, gone: list[tuple[str, str]]) -> None:
    conn, db = merging.conn, merging.db
    held = _held(conn, "responses", [rid for rid, _ in gone])
    erased = sorted(rid for rid, reason in gone if reason == "erased" and rid in held)
    deleted = sorted(rid for rid, reason in gone if reason != "erased" and rid in held)
    if erased:
        merging.result.disclosures = tuple(disclosures_of(db, erased))
        for eraser in ERASERS:
            eraser(db, erased)
        merging.result.erased += len(erased)
        merging.touch("responses", *erased)
        merging.touch("quotes")
    if deleted:
        conn.executemany("DELETE FROM main.responses WHERE id = ?", [(rid,) for rid in deleted])
        merging.result.deleted += len(deleted)
        merging.touch("responses", *deleted)
        merging.touch("quotes")


def _delete_simply(merging: Merging, kind: KindName, gone: list[str]) -> None:
    conn = merging.conn
    held = sorted(_held(conn, _TABLES[kind], gone))
    if not held:
        return
    if kind == "quote":
        conn.executemany("DELETE FROM main.quote_tags WHERE quote_id = ?", [(q,) for q in held])
    conn.executemany(
        f"DELETE FROM main.{_TABLES[kind]} WHERE id = ?",  # noqa: S608 (a table name of ours)
        [(rid,) for rid in held],
    )
    merging.result.deleted += len(held)
    merging.touch("quotes", *held)


def _codes(merging: Merging, gone: list[str]) -> set[str]:
    """Delete the other copy's deleted codes here where that loses nothing; the ids of those
    kept (their tombstones stay out)."""
    conn = merging.conn
    merges = code_merges(conn)
    kept: set[str] = set()
    for code in sorted(_held(conn, "codes", gone)):
        into = merges.get(code)
        if into is not None and not _held(conn, "codes", [into]):
            into = None
        tagged = [
            str(row[0])
            for row in conn.execute(
                "SELECT quote_id FROM main.quote_tags WHERE code_id = ?", [code]
            ).fetchall()
        ]
        children = conn.execute("SELECT 1 FROM main.codes WHERE parent_id = ?", [code]).fetchone()
        if (tagged or children) and into is None:
            kept.add(code)
            continue
        if into is not None:
            _hand_over(merging, code, into, tagged)
        conn.execute(
            "DELETE FROM main.code_inspection_areas WHERE code_id = ? OR area_id = ?", [code, code]
        )
        conn.execute("DELETE FROM main.codes WHERE id = ?", [code])
        merging.result.deleted += 1
        merging.touch("codebooks", code)
    return kept


def _hand_over(merging: Merging, code: str, into: str, tagged: list[str]) -> None:
    """As ``forumkit.codebooks.delete_code(merge_into=…)`` does: uses, sub-codes and areas
    move to the code it was merged into (a tag that would repeat one is dropped)."""
    conn = merging.conn

    def move_tags() -> None:
        conn.execute(
            "UPDATE OR IGNORE main.quote_tags SET code_id = ? WHERE code_id = ?", [into, code]
        )
        conn.execute("DELETE FROM main.quote_tags WHERE code_id = ?", [code])

    changed_here(merging, "quote", tagged, move_tags)
    children = [
        str(row[0])
        for row in conn.execute("SELECT id FROM main.codes WHERE parent_id = ?", [code]).fetchall()
    ]

    def move_children() -> None:
        conn.execute("UPDATE main.codes SET parent_id = ? WHERE parent_id = ?", [into, code])
        conn.execute(
            "UPDATE OR IGNORE main.code_inspection_areas SET code_id = ? WHERE code_id = ?",
            [into, code],
        )

    changed_here(merging, "code", [*children, into], move_children)
    merging.touch("quotes", *tagged)


def _codebooks(merging: Merging, gone: list[str]) -> set[str]:
    conn = merging.conn
    kept: set[str] = set()
    for book in sorted(_held(conn, "codebooks", gone)):
        if conn.execute("SELECT 1 FROM main.codes WHERE codebook_id = ?", [book]).fetchone():
            kept.add(book)
            continue
        conn.execute("DELETE FROM main.codebooks WHERE id = ?", [book])
        merging.result.deleted += 1
        merging.touch("codebooks", book)
    return kept


def _surveys(merging: Merging, gone: list[str]) -> set[str]:
    conn = merging.conn
    kept: set[str] = set()
    for survey_id in sorted(_held(conn, "surveys", gone)):
        form_id, responses = conn.execute(
            "SELECT form_id, (SELECT COUNT(*) FROM main.responses WHERE survey_id = s.id) "
            "FROM main.surveys s WHERE id = ?",
            [survey_id],
        ).fetchone()
        if responses:
            kept.add(survey_id)
            merging.result.warnings.append(
                f"The survey “{form_id}” was removed in “{merging.other.path.name}”, but this "
                f"file holds responses to it, so it was kept here; remove it here if that is "
                "meant."
            )
            continue
        conn.execute(
            "DELETE FROM main.survey_questions WHERE version_id IN "
            "(SELECT id FROM main.survey_versions WHERE survey_id = ?)",
            [survey_id],
        )
        conn.execute("DELETE FROM main.survey_versions WHERE survey_id = ?", [survey_id])
        conn.execute("DELETE FROM main.surveys WHERE id = ?", [survey_id])
        merging.result.deleted += 1
        merging.touch("surveys", survey_id)
    return kept
