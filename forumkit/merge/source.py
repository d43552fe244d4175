"""The other copy of a forum file, opened for merging: its database in memory, read only.

It is never opened for writing and never locked (another forumkit may have it open on the same
shared drive): merging only reads it. A copy written by an older forumkit is upgraded in memory,
as a read-only opening upgrades it; one written by a newer forumkit is refused.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from forumkit import schema
from forumkit.errors import DamagedFile, UnsupportedVersion
from forumkit.schema import history
from forumkit.unlocking import configure_connection, memory_connection
from forumkit.vault import Vault, wipe
from forumkit.vault.lock import canonical


@dataclass
class OtherCopy:
    """Another copy of the forum file (or another forum's file), loaded for merging."""

    path: Path
    conn: sqlite3.Connection
    name: str
    forum_id: str
    origin_id: str

    def close(self) -> None:
        self.conn.close()


@dataclass
class DecryptedCopy:
    """Another copy's database image, decrypted and not yet loaded (see :func:`decrypt_copy`).

    Loading it (``merge_decrypted``) wipes the image; :meth:`discard` wipes it unused.
    """

    path: Path
    image: bytearray = field(repr=False)
    forum: str = ""
    """The forum the copy belongs to (its name), "" when it could not be read yet."""
    forum_id: str = ""

    def discard(self) -> None:
        wipe(self.image)


def decrypt_copy(path: Path | str, passphrase: str) -> DecryptedCopy:
    """Decrypt the file at ``path`` with its passphrase (WrongPassphrase, DamagedFile): the
    slow half of opening another copy (its key derivation), touching no database, so the app
    runs it in a worker. Nothing is written, nothing locked."""
    target = canonical(path)
    opened, image = Vault.open(target, passphrase)
    opened.close()  # only the image is needed: the key is wiped at once
    forum, forum_id = _forum_of(image)
    return DecryptedCopy(target, image, forum, forum_id)


def _forum_of(image: bytearray) -> tuple[str, str]:
    """The forum a decrypted image belongs to, read from a throwaway copy in memory, so the
    app can ask before merging another forum's file; ("", "") if the image does not say
    (merging then checks again, after upgrading it)."""
    conn = memory_connection(check_same_thread=False)
    try:
        conn.deserialize(bytes(image))
        row = conn.execute("SELECT name, forum_id FROM forum").fetchone()
    except sqlite3.DatabaseError:
        return "", ""
    finally:
        conn.close()
    return ("", "") if row is None else (str(row[0]), str(row[1]))


def open_copy(path: Path | str, passphrase: str) -> OtherCopy:
    """Decrypt the file at ``path`` with its passphrase and load it (WrongPassphrase,
    DamagedFile, UnsupportedVersion); nothing is written, nothing locked."""
    decrypted = decrypt_copy(path, passphrase)
    return load_copy(decrypted.path, decrypted.image)


def load_copy(path: Path, image: bytearray) -> OtherCopy:
    """A decrypted database image as an :class:`OtherCopy`; the image is wiped once loaded."""
    conn = memory_connection()
    try:
        conn.deserialize(image)
        configure_connection(conn)
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema.latest_version():
            raise UnsupportedVersion(
                path,
                f"it was saved by a newer forumkit (data version {version}). Update forumkit "
                "before merging it.",
            )
        if version < schema.latest_version():
            conn.execute("BEGIN")
            schema.migrate(sqlite_utils.Database(conn))
            conn.execute("COMMIT")
        history.register_functions(conn)
        row = conn.execute("SELECT name, forum_id, origin_id FROM forum").fetchone()
        if row is None:
            raise sqlite3.DatabaseError("no forum row")
        name, forum_id, origin_id = row
    except sqlite3.DatabaseError:
        conn.close()
        raise DamagedFile(path, "its database is not readable.") from None
    except BaseException:
        conn.close()
        raise
    finally:
        wipe(image)
    return OtherCopy(path, conn, str(name), str(forum_id), str(origin_id))
