"""The forum's own deny-list: the schools, staff and places redaction always takes out.

Stored in the forum file (``deny_terms``) and edited by the forum. Each entry has a kind that
decides its token (school → ``[school]``, person → ``[name]``, place → ``[place]``). An entry's id
comes from its words (compared as redaction compares them: case, spacing and apostrophes do not
matter), so two laptops that add the same school agree on it.

Changing the list changes what the quotes' redacted texts must hide, so each change goes
through the quotes as well, in the same transaction:

- a quote nobody has edited or reviewed yet gets forumkit's proposal again, from its words;
- adding a term takes it out of every other redacted text that still shows it (an edited or a
  reviewed one), and a reviewed quote so changed is **no longer reviewed**: what leaves the file
  must be what a person approved.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlite_utils

from forumkit import audit
from forumkit.quotes.errors import DenyListError
from forumkit.redaction import DenyKind, DenyTerm, Redaction, RedactionError, propose, rescan
from forumkit.redaction.deny import normalise
from forumkit.workspace import Workspace

DENY_NAMESPACE = uuid.UUID("5f0e0d7c-4b8a-4a39-9d61-3e2f6c1b7a90")

MAX_TERM = 200


@dataclass(frozen=True)
class DenyEntry:
    """One entry of the forum's deny-list."""

    id: str
    text: str = field(repr=False)
    kind: DenyKind
    added: str

    @property
    def term(self) -> DenyTerm:
        return DenyTerm(self.text, self.kind)


@dataclass(frozen=True)
class DenyListChange:
    """What a change to the deny-list did to the quotes' redacted texts."""

    entry: DenyEntry
    reproposed: tuple[str, ...]
    """Quotes (ids) whose redacted text forumkit proposed again (nobody had edited it)."""
    redacted: tuple[str, ...]
    """Quotes whose edited or reviewed redacted text had the new term taken out."""
    unreviewed: tuple[str, ...]
    """Of those, the ones that were reviewed and must be reviewed again."""


def deny_term_id(text: str) -> str:
    """The id every copy of the forum's file gives the deny-list entry with these words."""
    return str(uuid.uuid5(DENY_NAMESPACE, normalise(text)))


def list_deny_terms(db: sqlite_utils.Database) -> list[DenyEntry]:
    """The forum's deny-list, schools first, then people and places, each alphabetically."""
    rows = db.execute("SELECT id, text, kind, added FROM deny_terms").fetchall()
    entries = [DenyEntry(str(i), str(t), DenyKind(k), str(a)) for i, t, k, a in rows]
    order = {kind: position for position, kind in enumerate(DenyKind)}
    return sorted(entries, key=lambda e: (order[e.kind], normalise(e.text)))


def deny_list(db: sqlite_utils.Database) -> tuple[DenyTerm, ...]:
    """The deny-list as redaction takes it (``forumkit.redaction.propose``)."""
    return tuple(entry.term for entry in list_deny_terms(db))


def _clean(text: str, kind: str) -> DenyTerm:
    words = " ".join(text.split())
    if len(words) > MAX_TERM:
        raise DenyListError(
            f"A deny-list entry may be at most {MAX_TERM} characters; this one has {len(words)}."
        )
    try:
        return DenyTerm(words, DenyKind(kind))
    except ValueError:
        raise DenyListError("A deny-list entry's kind must be school, person or place.") from None
    except RedactionError as error:
        raise DenyListError(str(error)) from None


def find_deny_entry(db: sqlite_utils.Database, reference: str) -> DenyEntry:
    """The entry with this id or these words (compared as redaction compares them)."""
    wanted = reference.strip()
    key = normalise(wanted)
    for entry in list_deny_terms(db):
        if wanted == entry.id or key == normalise(entry.text):
            return entry
    raise DenyListError("The forum's deny-list has no such entry; list it to see what it holds.")


def add_deny_term(workspace: Workspace, text: str, kind: str) -> DenyListChange:
    """Add a school, person or place to the deny-list and take it out of the quotes' redacted
    texts (module docstring). Refused when the list has those words already."""
    db = workspace.db
    term = _clean(text, kind)
    entry_id = deny_term_id(term.text)
    if db.execute("SELECT 1 FROM deny_terms WHERE id = ?", [entry_id]).fetchone() is not None:
        raise DenyListError("The forum's deny-list already has that entry.")
    before = deny_list(db)
    entry = DenyEntry(entry_id, term.text, term.kind, audit.now_iso())
    with workspace.transaction("deny_term_added") as change:
        db.execute(
            "INSERT INTO deny_terms (id, text, kind, added) VALUES (?, ?, ?, ?)",
            [entry.id, entry.text, entry.kind.value, entry.added],
        )
        result = _redact_again(db, entry, before, (*before, term), adding=True)
        _record(db, "deny_term_added", result)
        change.touch("quotes", *result.reproposed, *result.redacted)
    return result


def remove_deny_term(workspace: Workspace, reference: str) -> DenyListChange:
    """Take an entry (its id or its words) off the deny-list. Quotes nobody edited or reviewed
    get forumkit's proposal again; other redacted texts are left as a person made them."""
    db = workspace.db
    entry = find_deny_entry(db, reference)
    before = deny_list(db)
    after = tuple(term for term in before if normalise(term.text) != normalise(entry.text))
    with workspace.transaction("deny_term_removed") as change:
        db.execute("DELETE FROM deny_terms WHERE id = ?", [entry.id])
        result = _redact_again(db, entry, before, after, adding=False)
        _record(db, "deny_term_removed", result)
        change.touch("quotes", *result.reproposed)
    return result


def _record(db: sqlite_utils.Database, action: str, result: DenyListChange) -> None:
    counts = {
        "reproposed": len(result.reproposed),
        "redacted": len(result.redacted),
        "unreviewed": len(result.unreviewed),
    }
    quotes = dict.fromkeys((*result.reproposed, *result.redacted))
    audit.record(db, action, counts, [result.entry.id, *quotes])


def _redact_again(
    db: sqlite_utils.Database,
    entry: DenyEntry,
    before: Sequence[DenyTerm],
    after: Sequence[DenyTerm],
    *,
    adding: bool,
) -> DenyListChange:
    """Bring the quotes' redacted texts in line with the deny-list ``after`` (was ``before``)."""
    first_word = normalise(entry.text).split()[0]
    now = audit.now_iso()
    reproposed: list[str] = []
    redacted: list[str] = []
    unreviewed: list[str] = []
    rows = db.execute(
        "SELECT id, text, redacted_text, redaction_edited, reviewed FROM quotes ORDER BY seq"
    ).fetchall()
    for quote_id, text, redacted_text, edited, reviewed in rows:
        # Only a text holding the term's first word can be affected: most quotes are skipped
        # without running redaction over them.
        if first_word not in str(text).casefold() and first_word not in redacted_text.casefold():
            continue
        if not edited and not reviewed:
            proposal = propose(str(text), after).redacted_text
            if proposal != redacted_text:
                db.execute(
                    "UPDATE quotes SET redacted_text = ?, modified = ? WHERE id = ?",
                    [proposal, now, quote_id],
                )
                reproposed.append(str(quote_id))
            continue
        if not adding:
            continue
        found = _newly_found(str(redacted_text), before, after)
        if found is None:
            continue
        db.execute(
            "UPDATE quotes SET redacted_text = ?, redaction_edited = 1, reviewed = 0, "
            "reviewed_by = '', reviewed_at = '', modified = ? WHERE id = ?",
            [found.redacted_text, now, quote_id],
        )
        redacted.append(str(quote_id))
        if reviewed:
            unreviewed.append(str(quote_id))
    return DenyListChange(entry, tuple(reproposed), tuple(redacted), tuple(unreviewed))


def _newly_found(
    redacted_text: str, before: Sequence[DenyTerm], after: Sequence[DenyTerm]
) -> Redaction | None:
    """``redacted_text`` with only what the list ``after`` finds and ``before`` did not taken
    out (None when there is nothing new): the person's other choices stay as they made them."""
    old = set(rescan(redacted_text, before).spans)
    new = tuple(span for span in rescan(redacted_text, after).spans if span not in old)
    if not new:
        return None
    return Redaction(redacted_text, new)
