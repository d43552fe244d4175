"""Key messages: how many quotes, and from how many parents, each code holds.

For every codebook in use, each code counts the quotes tagged with it or with a code below it,
and the distinct respondents those quotes came from, over the responses in scope; and the same
for the quotes that may leave the file (reviewed, with consent to quote and to share, answer
unchanged: ``forumkit.quotes``' one gate decides), so a chair sees what a pack could carry.

A quote may carry several codes and a parent several quotes, so for suppression each count table
is read as a multi-select (a quote or a respondent "ticks" codes; each code at most the
codebook's total, together at least it), and the four tables are linked: a code's respondents
are at most its quotes, and those that may leave at most all. They are protected in turn, each
checking again what the ones before it hide. By an attribute, each codebook becomes a cross-tab
of respondents per code and group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from forumkit.analysis.counting import NO_GROUP, Tally
from forumkit.analysis.protection import Display, Fact, Key, Protection, Tabulation
from forumkit.analysis.published import Shown
from forumkit.analysis.scope import SCOPE_TABLE
from forumkit.analysis.tables import (
    ALL,
    ANSWERED,
    Measure,
    QuestionTable,
    choice_key,
    crosstab,
    tabulate,
)
from forumkit.codebooks import Codebook, list_codebooks
from forumkit.quotes import list_quotes, may_leave_by_id
from forumkit.surveys import Question, Survey

PARTS = ("respondents", "quotes", "respondents_may_leave", "quotes_may_leave")
"""The four counts of each code, in the order they are protected."""


@dataclass
class CodeSets:
    """Which quotes and respondents each code of one codebook holds (ids)."""

    book: Codebook
    quotes: dict[str, set[str]]
    respondents: dict[str, set[str]]
    leaving_quotes: dict[str, set[str]]
    leaving_respondents: dict[str, set[str]]
    all_quotes: int
    all_leaving: int

    def sets(self, part: str) -> dict[str, set[str]]:
        return {
            "respondents": self.respondents,
            "quotes": self.quotes,
            "respondents_may_leave": self.leaving_respondents,
            "quotes_may_leave": self.leaving_quotes,
        }[part]


def responses_in_scope(db: sqlite_utils.Database) -> dict[str, int]:
    """Response id → seq of every response in ``temp.analysis_scope``."""
    rows = db.execute(
        f"SELECT r.id, r.seq FROM temp.{SCOPE_TABLE} s JOIN responses r ON r.seq = s.seq"  # noqa: S608
    ).fetchall()
    return {str(response_id): int(seq) for response_id, seq in rows}


def _lineage(book: Codebook) -> dict[str, list[str]]:
    """Code id → itself and every code above it."""
    parent = {code.id: code.parent_id for code in book.codes}
    found: dict[str, list[str]] = {}
    for code in book.codes:
        chain = [code.id]
        seen = {code.id}
        above = parent.get(code.id)
        while above is not None and above not in seen:
            chain.append(above)
            seen.add(above)
            above = parent.get(above)
        found[code.id] = chain
    return found


def code_sets(db: sqlite_utils.Database, survey: Survey) -> list[CodeSets]:
    """The quotes and respondents of each code, for the codebooks the survey's quotes use (the
    default codebook always), over the responses in ``temp.analysis_scope``."""
    every = list_quotes(db, survey.id)
    in_scope = responses_in_scope(db) if every else {}
    used = {code_id for quote in every for code_id in quote.code_ids}
    quotes = [quote for quote in every if quote.response_id in in_scope]
    leaving = may_leave_by_id(db, quotes)
    found = []
    for book in list_codebooks(db):
        ids = {code.id for code in book.codes}
        if not book.is_default and not ids & used:
            continue
        lineage = _lineage(book)
        sets = CodeSets(book, {}, {}, {}, {}, len(quotes), sum(leaving.values()))
        for code in book.codes:
            for part in PARTS:
                sets.sets(part)[code.id] = set()
        for quote in quotes:
            codes = {above for code_id in quote.code_ids & ids for above in lineage[code_id]}
            for code_id in codes:
                sets.quotes[code_id].add(quote.id)
                sets.respondents[code_id].add(quote.response_id)
                if leaving[quote.id]:
                    sets.leaving_quotes[code_id].add(quote.id)
                    sets.leaving_respondents[code_id].add(quote.response_id)
        found.append(sets)
    return found


def _measure(book: Codebook) -> Measure:
    cells = {code.key: code.label for _, code in book.walk()}
    return Measure(
        Question("select_multiple", f"codebook:{book.key}"), "multiple", book.name, cells
    )


def _tally(sets: CodeSets, part: str, universe: int, keep: Iterable[str] | None = None) -> Tally:
    by_id = sets.sets(part)
    keys = {code.id: code.key for code in sets.book.codes}
    wanted = None if keep is None else set(keep)
    counts = {
        keys[code_id]: len(members if wanted is None else members & wanted)
        for code_id, members in by_id.items()
    }
    union: set[str] = set()
    for members in by_id.values():
        union |= members if wanted is None else members & wanted
    return Tally(universe, len(union), counts)


def _universe_display(count: int, threshold: int, suppressed: bool) -> Display:
    return Display.FEWER_THAN if suppressed and 0 < count < threshold else Display.NUMBER


@dataclass
class CodebookResult:
    """One codebook's counts, as published."""

    book: Codebook
    shown: dict[str, Shown]
    """Part (``respondents``, ``quotes``…) → its table as protected."""

    def data(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The codebook's totals, and one entry per code (the ``codes`` of ``analyse``)."""
        totals: dict[str, Any] = {"key": self.book.key, "name": self.book.name}
        for part, shown in self.shown.items():
            totals[part] = shown.figure(ANSWERED)
        totals["suppression"] = self.shown[PARTS[-1]].protection.level
        codes = []
        for _, code in self.book.walk():
            entry: dict[str, Any] = {
                "codebook": self.book.key,
                "key": code.key,
                "label": code.label,
            }
            for part, shown in self.shown.items():
                entry[part] = shown.figure(choice_key(code.key))
            codes.append(entry)
        return totals, codes


def _joined(
    own: QuestionTable, prefix: Key, earlier: Sequence[tuple[Tabulation, Protection]]
) -> Tabulation:
    """``own`` (its keys under ``prefix``) with the tables protected before it, shown as they
    were decided there."""
    table = Tabulation({}, (*prefix, *ALL))
    for source, protection in earlier:
        for key, value in source.counts.items():
            table.counts[key] = value
            table.fixed[key] = protection.displays[key]
        table.facts.extend(source.facts)
        table.unknowns.update(source.unknowns)
    for key, value in own.table.counts.items():
        table.counts[(*prefix, *key)] = value
        if key in own.table.fixed:
            table.fixed[(*prefix, *key)] = own.table.fixed[key]
    table.facts.extend(
        Fact(tuple(((*prefix, *k), c) for k, c in fact.terms), fact.low, fact.high)
        for fact in own.table.facts
    )
    for key, unknown in own.table.unknowns.items():
        table.unknowns[(*prefix, *key)] = unknown
    return table


def _at_most(smaller: Key, larger: Key) -> Fact:
    return Fact(((smaller, 1), (larger, -1)), high=0)


def codebook_results(
    sets_list: Sequence[CodeSets],
    responses: int,
    universe: Display,
    protect_table: Any,
    threshold: int,
    suppressed: bool,
) -> list[CodebookResult]:
    """Tabulate and protect each codebook's four tables in turn (module doc).

    ``protect_table`` is the analysis's ``Settings.protect`` for a ``QuestionTable``.
    """
    results = []
    for sets in sets_list:
        measure = _measure(sets.book)
        universes = {
            "respondents": (responses, universe),
            "quotes": (sets.all_quotes, _universe_display(sets.all_quotes, threshold, suppressed)),
            "respondents_may_leave": (responses, universe),
            "quotes_may_leave": (
                sets.all_leaving,
                _universe_display(sets.all_leaving, threshold, suppressed),
            ),
        }
        earlier: list[tuple[Tabulation, Protection]] = []
        shown: dict[str, Shown] = {}
        for part in PARTS:
            size, display = universes[part]
            own = tabulate(measure, _tally(sets, part, size), threshold, display)
            prefix: Key = (part,)
            joined = _joined(own, prefix, earlier)
            for cell in [*measure.cells, None]:
                key = choice_key(cell) if cell is not None else ANSWERED
                links = {
                    "quotes": [("respondents", "quotes")],
                    "respondents_may_leave": [("respondents_may_leave", "respondents")],
                    "quotes_may_leave": [
                        ("quotes_may_leave", "quotes"),
                        ("respondents_may_leave", "quotes_may_leave"),
                    ],
                }.get(part, [])
                for smaller, larger in links:
                    joined.facts.append(_at_most((smaller, *key), (larger, *key)))
            protection = protect_table(QuestionTable(measure, own.tally, joined))
            earlier = [(joined, protection)]
            shown[part] = Shown(own, protection, prefix)
        # Each table's figures as the last protection left them (it may hide earlier ones).
        final = earlier[0][1]
        results.append(
            CodebookResult(
                sets.book,
                {part: Shown(s.table, final, s.prefix) for part, s in shown.items()},
            )
        )
    return results


def codes_by_group(
    sets_list: Sequence[CodeSets],
    groups_of: Mapping[str, str],
    sizes: Mapping[str, int],
    totals: Sequence[CodebookResult],
    groups: QuestionTable,
    groups_protection: Protection,
    protect_table: Any,
    threshold: int,
) -> list[tuple[CodebookResult, dict[str, Shown], Protection]]:
    """Each codebook's respondents per code as a cross-tab by the attribute's groups."""
    found = []
    for sets, result in zip(sets_list, totals, strict=True):
        measure = _measure(sets.book)
        overall = result.shown["respondents"]
        rows = {}
        for group, size in sizes.items():
            members = [rid for rid, g in groups_of.items() if g == group]
            tally = _tally(sets, "respondents", size, members)
            rows[group] = tabulate(measure, tally, threshold)
        row_keys = {g: (("no_answer",) if g == NO_GROUP else choice_key(g)) for g in rows}
        totals_protection = Protection(
            {
                k: overall.protection.displays[("respondents", *k)]
                for k in overall.table.table.counts
            },
            frozenset(),
            overall.protection.level,
            threshold,
        )
        joined = crosstab(
            rows, row_keys, overall.table, totals_protection, groups, groups_protection
        )
        protection = protect_table(QuestionTable(measure, overall.table.tally, joined))
        shown_rows = {g: Shown(t, protection, ("row", g)) for g, t in rows.items()}
        found.append((result, shown_rows, protection))
    return found
