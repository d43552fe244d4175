"""Which versions of a record a forum file has replaced: what lets a merge tell "changed in both
copies since they parted" from "changed in one".

Each record that copies of a forum file can both change (:data:`KINDS`: a response, a quote with
its tags, a code with its inspection areas, a codebook, a deny-list entry, a survey's settings)
has a *version digest*: a 64-bit hash of its content (:func:`digest`, in SQL
``forumkit_digest``), leaving out when it was made (its stamp) and what only says where it came
from (a response's device or importer), so two copies holding the same content hold the same
version. Whenever a record changes, the digest of the version it replaced goes into
``main.superseded`` (data version 8) and the digest of the version it now has leaves it (a change
back to an earlier content makes that content current again).

The recording is done by temporary triggers, kept here with the other derived machinery and
installed by :func:`forumkit.schema.derived.rebuild` on every connection the workspace uses, so
no domain module has to remember it: whichever module updates a response, tags a quote or maps
a code, the replaced version is recorded inside the same transaction (a rollback forgets it).
They need the digest functions registered on the connection (:func:`register_functions`; SQLite
keeps application functions per connection, which is why these triggers are temporary rather
than part of the schema). A merge writes many versions at once and keeps ``superseded`` itself,
so it pauses them (:func:`paused`).
"""

from __future__ import annotations

import hashlib
import sqlite3
import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

KindName = Literal["response", "quote", "code", "codebook", "deny_term", "survey"]

DIGEST_FUNCTION = "forumkit_digest"
SET_FUNCTION = "forumkit_set"
"""An aggregate: its text values sorted and joined (a record's tags or areas, in any order)."""
PAUSE_TABLE = "superseded_paused"
"""A temporary table; while it holds a row, the triggers record nothing."""

_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Children:
    """Rows of another table that belong to a record and are part of its content."""

    table: str
    parent: str
    """The column naming the record."""
    columns: tuple[str, ...]
    """The child's own columns, digested in this order."""

    def joined(self, row: str) -> str:
        """SQL for one child row as ``forumkit_set`` takes it: its columns joined."""
        return " || char(31) || ".join(f"{row}.{column}" for column in self.columns)


@dataclass(frozen=True)
class VersionedKind:
    """One kind of record whose versions are tracked: its table and what its content is."""

    name: KindName
    table: str
    content: tuple[str, ...]
    """The columns whose values make up a version (its digest), in this order."""
    stamp: str
    """SQL (``{r}`` is the row) for when the version was made: the later one wins a conflict."""
    children: Children | None = None

    def digest_sql(self, row: str, children: str | None = None) -> str:
        """SQL computing the version digest of ``row`` (OLD, NEW or a table alias); its
        children's part is ``children`` when given (see :func:`_children_before`)."""
        parts = [f"'{self.name}'", *(f"{row}.{column}" for column in self.content)]
        if self.children is not None:
            parts.append(children if children is not None else self.children_sql(f"{row}.id"))
        return f"{DIGEST_FUNCTION}({', '.join(parts)})"

    def children_sql(self, record_id: str) -> str:
        """SQL for the children's part of the digest of record ``record_id`` as it is now."""
        child = self.children
        if child is None:
            return "NULL"
        return (
            f"(SELECT {SET_FUNCTION}({child.joined('c')}) FROM main.{child.table} c "  # noqa: S608
            f"WHERE c.{child.parent} = {record_id})"
        )

    def stamp_sql(self, row: str) -> str:
        return self.stamp.format(r=row)


KINDS: dict[KindName, VersionedKind] = {
    "response": VersionedKind(
        "response",
        "responses",
        (
            "survey_id",
            "version_id",
            "status",
            "source_key",
            "respondent",
            "started",
            "finished",
            "answers",
        ),
        "{r}.modified",
    ),
    "quote": VersionedKind(
        "quote",
        "quotes",
        (
            "response_id",
            "question",
            "span_start",
            "span_end",
            "text",
            "redacted_text",
            "redaction_edited",
            "reviewed",
            "reviewed_by",
            "reviewed_at",
            "created",
            "created_by",
        ),
        "{r}.modified",
        Children("quote_tags", "quote_id", ("code_id", "tagged_by", "tagged_at")),
    ),
    "code": VersionedKind(
        "code",
        "codes",
        (
            "codebook_id",
            "label",
            "description",
            "colour",
            "shortcut",
            "keywords",
            "parent_id",
            "codable",
            "position",
        ),
        "{r}.updated",
        Children("code_inspection_areas", "code_id", ("area_id",)),
    ),
    "codebook": VersionedKind(
        "codebook",
        "codebooks",
        ("name", "description", "shipped", "is_default", "position"),
        "{r}.updated",
    ),
    "deny_term": VersionedKind("deny_term", "deny_terms", ("text", "kind"), "{r}.added"),
    "survey": VersionedKind(
        "survey",
        "surveys",
        (
            "title",
            "renamed",
            "previous_form_id",
            "consent_quote",
            "consent_share",
            "consent_set_at",
            "consent_set_by",
            "archived",
        ),
        "max({r}.created, {r}.consent_set_at, coalesce({r}.archived, ''))",
    ),
}
"""Every kind of record a merge compares by version, in the order a merge takes them."""


# -- the digest -------------------------------------------------------------------------------


def digest(*values: object) -> int:
    """A version digest: 64 bits of BLAKE2b over the values, each tagged with its type, so
    ``1`` and ``'1'`` or ``NULL`` and ``''`` differ. Signed, as SQLite integers are."""
    hashed = hashlib.blake2b(digest_size=8)
    for value in values:
        if value is None:
            hashed.update(b"N")
        elif isinstance(value, bool | int):
            hashed.update(b"I" + str(int(value)).encode() + b";")
        elif isinstance(value, float):
            hashed.update(b"F" + struct.pack(">d", value))
        elif isinstance(value, bytes):
            hashed.update(b"B" + len(value).to_bytes(8, "big") + value)
        else:
            text = str(value).encode("utf-8", "surrogatepass")
            hashed.update(b"S" + len(text).to_bytes(8, "big") + text)
    return int.from_bytes(hashed.digest(), "big", signed=True)


class _SortedSet:
    """The ``forumkit_set`` aggregate: the values sorted and joined, so order does not count."""

    def __init__(self) -> None:
        self.values: list[str] = []

    def step(self, value: object) -> None:
        if value is not None:
            self.values.append(str(value))

    def finalize(self) -> str:
        return children_text(self.values)


def children_text(values: Sequence[str]) -> str:
    """What ``forumkit_set`` gives for these values (each a child row's columns joined)."""
    return "\x1e".join(sorted(values))


def child_value(columns: Sequence[object]) -> str:
    """One child row as ``forumkit_set`` sees it (its columns joined as the SQL joins them)."""
    return _SEPARATOR.join("" if value is None else str(value) for value in columns)


def register_functions(conn: sqlite3.Connection) -> None:
    """Make ``forumkit_digest`` and ``forumkit_set`` available on ``conn``."""
    conn.create_function(DIGEST_FUNCTION, -1, digest, deterministic=True)
    conn.create_aggregate(SET_FUNCTION, 1, _SortedSet)  # type: ignore[arg-type]


# -- the triggers -----------------------------------------------------------------------------


def _not_paused() -> str:
    return f"NOT EXISTS (SELECT 1 FROM {PAUSE_TABLE})"  # noqa: S608 (constant SQL)


def _children_before(kind: VersionedKind, event: str) -> str:
    """SQL for the children's part of the digest of the record a child row belongs to, as it
    was before this INSERT, DELETE or UPDATE of the child (run in an AFTER trigger, which fires
    only when a row really changed): the children now, without the new row, with the old one."""
    child = kind.children
    assert child is not None
    parent = f"{'OLD' if event == 'DELETE' else 'NEW'}.{child.parent}"
    same_as_new = " AND ".join(f"c.{column} IS NEW.{column}" for column in child.columns)
    now = (
        f"SELECT {child.joined('c')} AS v FROM main.{child.table} c "  # noqa: S608
        f"WHERE c.{child.parent} = {parent}"
    )
    if event in ("INSERT", "UPDATE"):
        now += f" AND NOT ({same_as_new})"
    if event in ("DELETE", "UPDATE"):
        now += f" UNION ALL SELECT {child.joined('OLD')} WHERE OLD.{child.parent} = {parent}"
    return f"(SELECT {SET_FUNCTION}(v) FROM ({now}))"  # noqa: S608 (constant SQL)


def _triggers(kind: VersionedKind) -> list[tuple[str, str]]:
    """(name, SQL) of the temporary triggers keeping ``superseded`` for one kind.

    Each runs after the change, when it really changed something: it records the version the
    record had before (computed from the OLD row, or from the children without the new row and
    with the old one) and says the version it has now is not a replaced one.
    """
    name = kind.table
    old, new = kind.digest_sql("OLD"), kind.digest_sql("NEW")
    changed = (
        f"CREATE TEMP TRIGGER history_{name}_changed AFTER UPDATE ON main.{name} "  # noqa: S608
        f"WHEN {_not_paused()} AND {old} IS NOT {new} BEGIN "
        f"INSERT OR IGNORE INTO superseded (id, digest) VALUES (OLD.id, {old}); "
        f"DELETE FROM superseded WHERE id = NEW.id AND digest = {new}; END;"
    )
    found = [(f"history_{name}_changed", changed)]
    child = kind.children
    if child is None:
        return found
    for event in ("INSERT", "DELETE", "UPDATE"):
        parents = ["OLD"] if event == "DELETE" else ["NEW"]
        if event == "UPDATE":
            parents = ["OLD", "NEW"]  # a child moved to another record changes both
        statements = []
        for side in parents:
            record = f"{side}.{child.parent}"
            before = (
                _children_before(kind, event)
                if side != "OLD" or event == "DELETE"
                else _children_moved_out(kind)
            )
            statements.append(
                f"INSERT OR IGNORE INTO superseded (id, digest) SELECT r.id, "  # noqa: S608
                f"{kind.digest_sql('r', before)} FROM main.{kind.table} r WHERE r.id = {record};"
            )
            statements.append(
                f"DELETE FROM superseded WHERE id = {record} AND digest = "  # noqa: S608
                f"(SELECT {kind.digest_sql('r')} FROM main.{kind.table} r WHERE r.id = {record});"
            )
        trigger = f"history_{child.table}_{event.lower()}"
        found.append(
            (
                trigger,
                f"CREATE TEMP TRIGGER {trigger} AFTER {event} ON main.{child.table} "
                f"WHEN {_not_paused()} BEGIN " + " ".join(statements) + " END;",
            )
        )
    return found


def _children_moved_out(kind: VersionedKind) -> str:
    """The children's part, before an UPDATE, of the record a child row moved away from: its
    children now plus the old row (only when the row changed records)."""
    child = kind.children
    assert child is not None
    return (
        f"(SELECT {SET_FUNCTION}(v) FROM (SELECT {child.joined('c')} AS v "  # noqa: S608
        f"FROM main.{child.table} c WHERE c.{child.parent} = OLD.{child.parent} "
        f"UNION ALL SELECT {child.joined('OLD')} WHERE OLD.{child.parent} IS NOT NEW.{child.parent}"
        "))"
    )


TRIGGERS: tuple[str, ...] = tuple(name for kind in KINDS.values() for name, _ in _triggers(kind))
TABLES = (PAUSE_TABLE,)


def has_history(conn: sqlite3.Connection) -> bool:
    """Whether the database keeps superseded versions yet (data version 8 and later)."""
    row = conn.execute(
        "SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'superseded'"
    ).fetchone()
    return row is not None


def install(conn: sqlite3.Connection) -> None:
    """Register the digest functions and create the triggers (after :func:`drop`)."""
    register_functions(conn)
    conn.execute(f"CREATE TEMP TABLE {PAUSE_TABLE} (paused INTEGER)")
    for kind in KINDS.values():
        for _, sql in _triggers(kind):
            conn.execute(sql)


@contextmanager
def paused(conn: sqlite3.Connection) -> Iterator[None]:
    """Record nothing while the block runs (a merge keeps ``superseded`` itself); call inside
    the writer's transaction, so a rollback ends the pause too."""
    conn.execute(f"INSERT INTO temp.{PAUSE_TABLE} (paused) VALUES (1)")  # noqa: S608
    try:
        yield
    finally:
        conn.execute(f"DELETE FROM temp.{PAUSE_TABLE}")  # noqa: S608 (constant SQL)
