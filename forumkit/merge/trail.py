"""Audit entries travel with a merge, so the chair's file knows what happened on the laptops:
an erasure here can name an export a volunteer made there.

An entry is the same entry in every copy that holds it (time, action, counts and ids alike): a
merge brings in only the entries this file does not hold yet, so merging twice, or merging
copies that already merged each other, brings nothing twice. (Two identical entries, such as
two corrections of one response within a second, are two entries: a file ends up with as many
of them as the copy holding the most.) Entries about a file itself (its
creation, upgrades, passphrase changes, being made as a copy) stay with that file.
"""

from __future__ import annotations

from collections import Counter

from forumkit.merge.records import Merging

FILE_EVENTS = frozenset(
    {
        "forum_created",
        "schema_upgraded",
        "passphrase_changed",
        "passphrase_recovered",
        "volunteer_copy_created",
    }
)
"""Actions that describe one file rather than the forum's data: they do not travel."""


def merge_audit_log(merging: Merging) -> int:
    """Append the other copy's entries this file lacks, oldest first; how many."""
    conn = merging.conn
    held = Counter(
        tuple(row)
        for row in conn.execute("SELECT at, action, counts, object_ids FROM main.audit_log")
    )
    marks = ", ".join("?" * len(FILE_EVENTS))
    theirs = merging.other.conn.execute(
        f"SELECT at, action, counts, object_ids FROM audit_log WHERE action NOT IN ({marks}) "  # noqa: S608
        "ORDER BY at, id",
        sorted(FILE_EVENTS),
    ).fetchall()
    new = []
    for entry in map(tuple, theirs):
        if held[entry] > 0:
            held[entry] -= 1
        else:
            new.append(entry)
    conn.executemany(
        "INSERT INTO main.audit_log (at, action, counts, object_ids) VALUES (?, ?, ?, ?)", new
    )
    if new:
        merging.touch("audit")
    return len(new)
