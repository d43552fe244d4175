"""The forum's defaults for its evidence packs: the title on the cover and whom to contact.

Kept in the forum file (``forum.pack_title``, ``forum.pack_contact``; schema version 7), so
every pack a chair makes carries them without retyping, and the app and ``forumkit settings``
edit the same values. Both are the forum's words about itself; they are checked here (length,
no control characters), and a change is one transaction touching ``"settings"``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlite_utils

from forumkit.packs.errors import PackSettingsError

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

MAX_TITLE = 200
MAX_CONTACT = 500
CHANGED = "pack_settings_changed"
"""The change's action (the app's undo names it)."""


@dataclass(frozen=True)
class PackSettings:
    """The forum's pack defaults; "" means forumkit's own title, or no contact."""

    title: str
    contact: str


def default_title(forum_name: str) -> str:
    """The title of a pack when the forum has not chosen one."""
    return f"Evidence from {forum_name} for the local area SEND inspection"


def pack_settings(db: sqlite_utils.Database) -> PackSettings:
    """The forum's pack title and contact as stored."""
    title, contact = db.execute("SELECT pack_title, pack_contact FROM forum").fetchone()
    return PackSettings(str(title), str(contact))


def clean_title(title: str) -> str:
    """A pack title as kept: one line, spaces tidied, at most :data:`MAX_TITLE` characters."""
    cleaned = " ".join(title.split())
    _refuse_controls(cleaned, "The pack title")
    if len(cleaned) > MAX_TITLE:
        raise PackSettingsError(
            f"The pack title is {len(cleaned):,} characters long; a cover holds at most "
            f"{MAX_TITLE}."
        )
    return cleaned


def clean_contact(contact: str) -> str:
    """Whom to contact, as kept: up to a few lines (a name, an email, a phone number), each
    tidied, at most :data:`MAX_CONTACT` characters in all."""
    lines = [" ".join(line.split()) for line in contact.replace("\r\n", "\n").split("\n")]
    cleaned = "\n".join(line for line in lines if line)
    _refuse_controls(cleaned.replace("\n", " "), "The pack contact")
    if len(cleaned) > MAX_CONTACT:
        raise PackSettingsError(
            f"The pack contact is {len(cleaned):,} characters long; a cover holds at most "
            f"{MAX_CONTACT}."
        )
    return cleaned


def _refuse_controls(text: str, what: str) -> None:
    if any(unicodedata.category(character) == "Cc" for character in text):
        raise PackSettingsError(f"{what} holds a control character; type it as plain text.")


def set_pack_settings(
    workspace: Workspace, *, title: str | None = None, contact: str | None = None
) -> PackSettings:
    """Change the forum's pack title and/or contact ("" to clear one); the others stay."""
    db = workspace.db
    before = pack_settings(db)
    after = PackSettings(
        before.title if title is None else clean_title(title),
        before.contact if contact is None else clean_contact(contact),
    )
    if after == before:
        return after
    with workspace.transaction(CHANGED) as change:
        db.execute(
            "UPDATE forum SET pack_title = ?, pack_contact = ?", [after.title, after.contact]
        )
        change.touch("settings")
    return after
