"""Codebooks, codes (with their inspection areas) and the deny-list, merged by id.

Codes keep their ids in every copy (derived from codebook and key), so most merges find the
same codes and compare versions. What the schema insists on is kept by fixed rules, the same
in every copy, so copies agree after merging whatever the order:

- a codebook key two codebooks share (two laptops each made "Local themes"): the codebook with
  the smaller id keeps it, the other becomes ``key-<first 8 of its id>`` (keys never change
  otherwise, and are not part of a codebook's content);
- a code key two codes of one codebook share, likewise;
- a shortcut two codes of one codebook share: the code with the smaller id keeps it, the
  other's is cleared (a repair made here, recorded as such);
- a code whose parent is not in this file goes to the top level;
- a code deleted here but used by a quote the other copy brings comes back (a used code is
  never deleted silently), unless it was merged into another code, whose tags it joins.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from forumkit.merge.gone import changed_here, code_merges
from forumkit.merge.records import Merging, merge_records, read_theirs
from forumkit.merge.versions import Version
from forumkit.tombstones import buried


def merge_codebooks(merging: Merging, needed: set[str]) -> None:
    """Codebooks, then codes, then the deny-list. ``needed``: the codes the other copy's
    quotes use (a code deleted here that they need comes back)."""
    conn = merging.conn
    books = read_theirs(merging, "codebook")
    codes = read_theirs(merging, "code")
    merges = code_merges(conn)
    wanted = {code for code in needed if code not in merges and code in codes}
    wanted_books = {str(codes[code].row["codebook_id"]) for code in wanted}
    revived = sorted((wanted | wanted_books) & _buried(merging, wanted | wanted_books))
    conn.executemany(
        "DELETE FROM main.tombstones WHERE id = ? AND reason = 'deleted'",
        [(item,) for item in revived],
    )
    gone = _buried(merging, set(books))
    merge_records(
        merging,
        "codebook",
        {k: v for k, v in books.items() if k not in gone},
        lambda version: _unique_key(merging, "codebooks", "", version),
    )
    gone = _buried(merging, set(codes))
    merge_records(
        merging,
        "code",
        {k: v for k, v in codes.items() if k not in gone},
        lambda version: _fit_code(merging, version, set(codes)),
    )
    terms = read_theirs(merging, "deny_term")
    gone = _buried(merging, set(terms))
    merge_records(merging, "deny_term", {k: v for k, v in terms.items() if k not in gone})


def _buried(merging: Merging, ids: set[str]) -> set[str]:
    return buried(merging.db, ids)


def _unique_key(merging: Merging, table: str, scope: str, version: Version) -> Version:
    """``version`` with a key no other record of its scope has here (the smaller id keeps a
    shared key; the target's record is renamed when it is the larger)."""
    conn = merging.conn
    key = str(version.row["key"])
    where = "key = ? AND id != ?"
    params: list[object] = [key, version.record_id]
    if scope:
        where += f" AND {scope} = ?"
        params.append(version.row[scope])
    other = conn.execute(
        f"SELECT id FROM main.{table} WHERE {where}",  # noqa: S608 (our own names)
        params,
    ).fetchone()
    if other is None:
        return version
    other_id = str(other[0])
    if version.record_id < other_id:
        conn.execute(
            f"UPDATE main.{table} SET key = ? WHERE id = ?",  # noqa: S608 (our own names)
            [f"{key}-{other_id[:8]}", other_id],
        )
        return version
    row = {**version.row, "key": f"{key}-{version.record_id[:8]}"}
    # The key is not part of the content: the same version, written under another key.
    return Version(
        version.kind,
        version.record_id,
        version.digest,
        version.stamp,
        row,
        version.children,
        version.origin,
        version.source,
    )


def _fit_code(merging: Merging, version: Version, incoming: set[str]) -> Version | None:
    conn = merging.conn
    book = str(version.row["codebook_id"])
    if conn.execute("SELECT 1 FROM main.codebooks WHERE id = ?", [book]).fetchone() is None:
        return None
    fitted = _unique_key(merging, "codes", "codebook_id", version)
    row = dict(fitted.row)
    parent = row.get("parent_id")
    if parent is not None and parent not in incoming:
        held = conn.execute("SELECT 1 FROM main.codes WHERE id = ?", [parent]).fetchone()
        if held is None:
            row["parent_id"] = None
    shortcut = str(row.get("shortcut") or "")
    if shortcut:
        rival = conn.execute(
            "SELECT id FROM main.codes WHERE codebook_id = ? AND shortcut = ? AND id != ?",
            [book, shortcut, version.record_id],
        ).fetchone()
        if rival is not None:
            rival_id = str(rival[0])
            if version.record_id < rival_id:
                changed_here(merging, "code", [rival_id], lambda: _clear_shortcut(conn, rival_id))
            else:
                row["shortcut"] = ""
    areas = tuple(
        area
        for area in fitted.children
        if conn.execute("SELECT 1 FROM main.codes WHERE id = ?", [area[0]]).fetchone()
        or area[0] in incoming
    )
    if row == fitted.row and areas == fitted.children:
        return fitted
    return replace(fitted, row=row, children=areas)


def _clear_shortcut(conn: sqlite3.Connection, code_id: str) -> None:
    conn.execute("UPDATE main.codes SET shortcut = '' WHERE id = ?", [code_id])


def fit_tags(version: Version, merges: dict[str, str], codes: set[str]) -> Version:
    """A quote's tags as this file can hold them: a code merged into another here becomes
    that code (a tag it would repeat is dropped), a code this file lacks is dropped."""
    kept: dict[str, tuple[object, ...]] = {}
    for tag in version.children:
        code = merges.get(str(tag[0]), str(tag[0]))
        if code not in codes:
            continue
        moved = (code, *tag[1:])
        if code not in kept or moved < kept[code]:
            kept[code] = moved
    children = tuple(sorted(kept.values()))
    if children == version.children:
        return version
    return Version(
        version.kind,
        version.record_id,
        version.digest,
        version.stamp,
        version.row,
        children,
        version.origin,
        version.source,
    )
