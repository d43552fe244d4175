"""What a merge, a volunteer copy or resolving a conflict can refuse, in one sentence each."""

from __future__ import annotations

from pathlib import Path

from forumkit.errors import ForumkitError


class OtherForumFile(ForumkitError):
    """The other file belongs to another forum (its forum id differs): refused unless asked."""

    def __init__(self, path: Path | str, forum: str) -> None:
        self.path = Path(path)
        super().__init__(
            f"“{self.path.name}” is a file of another forum ({forum}), not a copy of this one; "
            "nothing was merged. Merge it only if that is what you mean (--other-forum)."
        )


class SameFile(ForumkitError):
    """A forum file cannot be merged into itself (the very same file on disk)."""


class ConflictNotFound(ForumkitError):
    """No conflict kept for review has that id (it was resolved already, or never existed)."""

    def __init__(self, conflict_id: str) -> None:
        super().__init__(
            f"This forum file keeps no conflict with the id {conflict_id}; `forumkit conflicts "
            "list FILE` shows those still to review."
        )
