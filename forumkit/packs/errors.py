"""What can stop an evidence pack, each in one plain sentence (never a parent's words)."""

from __future__ import annotations

from forumkit.errors import ForumkitError


class PackError(ForumkitError):
    """An evidence pack cannot be made as asked (an option, a file name, the forum's data)."""


class PackPasswordRefused(PackError):
    """The chair's own password for a pack is too short, or too long for a PDF password."""


class PackSettingsError(PackError):
    """A pack title or contact the forum's settings cannot hold."""


class PackLayoutFailed(PackError):
    """The layout engine could not lay the pack out (a fault in forumkit, not in the data)."""
