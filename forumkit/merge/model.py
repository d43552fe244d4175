"""What a merge did, as the app, the command line and the audit log report it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from forumkit.responses import Disclosure
from forumkit.schema.history import KindName
from forumkit.wording import plural

KIND_WORDS: dict[KindName, tuple[str, str]] = {
    "response": ("response", "responses"),
    "quote": ("quote", "quotes"),
    "code": ("code", "codes"),
    "codebook": ("codebook", "codebooks"),
    "deny_term": ("deny-list entry", "deny-list entries"),
    "survey": ("survey's settings", "surveys' settings"),
}


@dataclass
class KindCounts:
    """What a merge did to the records of one kind."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    """Versions newly kept aside for review (changed in both copies, lost to the later)."""

    def as_dict(self) -> dict[str, int]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
        }


@dataclass
class MergeResult:
    """What merging another copy into this forum file did.

    ``added``, ``updated``, ``unchanged`` and ``conflicts`` add up every kind of record
    (:attr:`by_kind` has each); ``erased`` counts this file's responses erased because they were
    erased in the other copy, ``deleted`` the records deleted because the other deleted them.
    """

    other: str
    """The other file's name."""
    by_kind: dict[KindName, KindCounts] = field(default_factory=dict)
    erased: int = 0
    deleted: int = 0
    survey_versions: int = 0
    """Versions of surveys the other copy had and this file lacked."""
    drafts_left: int = 0
    """The other copy's unfinished drafts, left on that laptop (not asked for)."""
    removed_earlier: int = 0
    """The other copy's records deleted or erased here before: they stay gone."""
    audit_entries: int = 0
    """Entries of the other copy's audit log brought in (exports, erasures, merges there)."""
    disclosures: tuple[Disclosure, ...] = ()
    """Earlier exports or packs that carried responses erased by this merge."""
    warnings: list[str] = field(default_factory=list)

    def kind(self, name: KindName) -> KindCounts:
        return self.by_kind.setdefault(name, KindCounts())

    def _total(self, name: str) -> int:
        return sum(getattr(counts, name) for counts in self.by_kind.values())

    @property
    def added(self) -> int:
        return self._total("added")

    @property
    def updated(self) -> int:
        return self._total("updated")

    @property
    def unchanged(self) -> int:
        return self._total("unchanged")

    @property
    def conflicts(self) -> int:
        return self._total("conflicts")

    def audit_counts(self) -> dict[str, int]:
        """The counts the audit log keeps (no names, no words)."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "erased": self.erased,
            "deleted": self.deleted,
            "responses_added": self.kind("response").added,
        }

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (``forumkit merge --json``)."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "erased": self.erased,
            "deleted": self.deleted,
            "survey_versions": self.survey_versions,
            "drafts_left": self.drafts_left,
            "removed_earlier": self.removed_earlier,
            "audit_entries": self.audit_entries,
            "by_kind": {name: counts.as_dict() for name, counts in sorted(self.by_kind.items())},
            "disclosures": [
                {"at": d.at, "action": d.action, "responses": d.responses} for d in self.disclosures
            ],
            "warnings": list(self.warnings),
        }

    def summary(self) -> str:
        """What the merge did, in plain words, a line per kind of news."""
        lines = [f"Merged “{self.other}”."]
        for name, counts in self.by_kind.items():
            one, many = KIND_WORDS[name]
            parts = []
            if counts.added:
                parts.append(f"{plural(counts.added, one, many)} added")
            if counts.updated:
                updated = plural(counts.updated, one, many) if not parts else f"{counts.updated:,}"
                parts.append(f"{updated} updated")
            if parts:
                lines.append("  " + ", ".join(parts) + ".")
        if self.survey_versions:
            lines.append(f"  {plural(self.survey_versions, 'survey version')} added.")
        if not self.added and not self.updated and not self.survey_versions:
            lines.append("  Nothing new: this file already held everything in it.")
        if self.conflicts:
            lines.append(
                f"  {plural(self.conflicts, 'change')} made in both files to the same record "
                "lost to the later one and "
                f"{'was' if self.conflicts == 1 else 'were'} kept for review "
                "(forumkit conflicts list)."
            )
        if self.erased:
            lines.append(
                f"  {plural(self.erased, 'response')} erased, as in the other file; the forum "
                "file and its backup were rewritten without them."
            )
            lines.extend(
                f"  {d.responses} of them left the file in {d.what} made {d.at}: tell its "
                "recipients to delete them."
                for d in self.disclosures
            )
        if self.deleted:
            lines.append(f"  {plural(self.deleted, 'record')} deleted, as in the other file.")
        if self.removed_earlier:
            lines.append(
                f"  {plural(self.removed_earlier, 'record')} deleted or erased here before "
                "stayed out."
            )
        if self.drafts_left:
            lines.append(
                f"  {plural(self.drafts_left, 'unfinished draft')} stayed on the other laptop "
                "(--include-drafts brings them)."
            )
        lines.extend(f"  {warning}" for warning in self.warnings)
        return "\n".join(lines)
