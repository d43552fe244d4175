"""A forum file for a volunteer's laptop: the same forum, surveys and codebooks, none of its
parents' data.

The copy shares the forum's id (so the chair's file later merges it back) and has its own file
id, keys, passphrase, recovery key and origin id (recorded on every response captured in it).
It holds the surveys with every version, the codebooks with their codes and inspection areas,
the deny-list, the forum's pack settings and small-cell threshold, the tombstones (so a volunteer
cannot bring back an erased respondent by importing an old spreadsheet; they are ids only) and
what those records superseded. It holds no responses, quotes, conflicts or audit history: a
lost laptop then loses nobody's answers but those captured on it.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from forumkit import audit
from forumkit.schema import history
from forumkit.vault import KdfParams, backup_path
from forumkit.vault.lock import canonical
from forumkit.workspace import SealedNew, Workspace, seal_new

COPIED = "volunteer_copy_created"

TABLES = (
    "surveys",
    "survey_versions",
    "survey_questions",
    "codebooks",
    "codes",
    "code_inspection_areas",
    "deny_terms",
)
"""What a volunteer copy takes from the forum file besides its tombstones."""


@dataclass(frozen=True)
class VolunteerCopy:
    """The file made, and its recovery key (shown once, for printing)."""

    path: Path
    recovery_key: str
    surveys: int
    codebooks: int


def volunteer_copy(
    workspace: Workspace, path: Path | str, passphrase: str, *, kdf: KdfParams | None = None
) -> VolunteerCopy:
    """Make a new forum file at ``path`` for a volunteer laptop (module docstring), under its
    own ``passphrase``. The open file is only read. On any failure no file is left at
    ``path``."""
    return volunteer_copy_sealed(workspace, seal_new(canonical(path), passphrase, kdf))


def volunteer_copy_sealed(workspace: Workspace, sealed: SealedNew) -> VolunteerCopy:
    """:func:`volunteer_copy` for a new file already sealed by
    ``forumkit.workspace.seal_new`` (its slow key derivation, which the app runs in a worker);
    this half runs on the database thread. On any failure no file is left at its path."""
    source = workspace.db
    forum = workspace.forum
    target = sealed.vault.path
    made = Workspace.create_sealed(sealed, forum=forum.name, area=forum.area)
    try:
        db = made.db
        with made.transaction(COPIED), history.paused(db.conn):
            db.execute("PRAGMA defer_foreign_keys = ON")
            db.execute("UPDATE forum SET forum_id = ?", [forum.forum_id])
            db.execute(
                "UPDATE forum SET pack_title = ?, pack_contact = ?, suppression_threshold = ?",
                list(
                    source.execute(
                        "SELECT pack_title, pack_contact, suppression_threshold FROM forum"
                    ).fetchone()
                ),
            )
            # The new file's own seeded codebooks give way to the forum's (which it may have
            # edited); deleting them buries them, so the tombstones are replaced last.
            for table in reversed(TABLES):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 (our own table names)
            for table in (*TABLES, "tombstones"):
                if table == "tombstones":
                    db.execute("DELETE FROM tombstones")
                rows = source.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608
                if rows:
                    marks = ", ".join("?" * len(rows[0]))
                    db.conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608
            db.conn.executemany(
                "INSERT INTO superseded (id, digest) VALUES (?, ?)",
                source.execute(
                    "SELECT s.id, s.digest FROM superseded s WHERE s.id IN (SELECT id FROM surveys "
                    "UNION ALL SELECT id FROM codebooks UNION ALL SELECT id FROM codes "
                    "UNION ALL SELECT id FROM deny_terms)"
                ).fetchall(),
            )
            surveys = int(db.execute("SELECT COUNT(*) FROM surveys").fetchone()[0])
            books = int(db.execute("SELECT COUNT(*) FROM codebooks").fetchone()[0])
            audit.record(db, COPIED, {"surveys": surveys, "codebooks": books}, [forum.origin_id])
        key = made.recovery_key or ""
    except BaseException:
        made.close(discard_unsaved=True)
        for leftover in (target, backup_path(target)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        raise
    made.close()
    return VolunteerCopy(target, key, surveys, books)
