"""What an import does to the responses a forum file already holds, in the sentences the import
wizard and ``forumkit responses import`` both show: rows changed in the source since they were
imported (their responses updated, the earlier answers purged), rows older than what is held,
rows whose response was deleted or erased, and rows whose response was corrected in forumkit.
"""

from __future__ import annotations

from collections.abc import Sequence

from forumkit.wording import noun, numbered, plural


def changed_sentence(count: int, rows: Sequence[int], *, done: bool) -> str:
    """The responses rows edited since they were imported update (``done``) or would update."""
    which = f"{numbered('Row', rows)} changed" if rows else f"{plural(count, 'row')} changed"
    which = which[0].upper() + which[1:]
    updated, erased = ("updated", "erased") if done else ("would be updated", "would be erased")
    return (
        f"{which} since imported: {noun(count, 'its response', 'their responses')} {updated}, "
        f"and the earlier answers {erased} from the forum file and its backup."
    )


def skipped_sentences(*, outdated: int, removed_earlier: int) -> list[str]:
    """Rows an import leaves aside, with why (none when there are none)."""
    lines = []
    if outdated:
        lines.append(
            f"{outdated:,} skipped: older than the {noun(outdated, 'response', 'responses')} "
            "held (a later export changed them)."
        )
    if removed_earlier:
        lines.append(f"{removed_earlier} skipped: deleted or erased earlier.")
    return lines


def kept_sentence(rows: Sequence[int | None]) -> str:
    """Rows changed in the export whose responses were corrected in forumkit meanwhile."""
    numbers = [row for row in rows if row is not None]
    which = numbered("Row", numbers) if numbers else plural(len(rows), "row")
    whose = noun(len(rows), "its response was", "their responses were")
    return (
        f"{which} changed in the export, but {whose} "
        "corrected in forumkit since being imported: the corrections were kept and the "
        "export's changes not taken."
    )
