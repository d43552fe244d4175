"""From a question's counts to the table that is published, with what a reader knows of it.

Each analysed question becomes one :class:`~forumkit.analysis.protection.Tabulation`: its
counts by key and the relations anyone can rely on —

- every table: the counts of its cells and "no answer" add up to the responses it covers
  (``all``); a multi-select, number, rating or text question also shows how many answered it
  (``answered`` = ``all`` − ``no_answer``);
- a multi-select: each option's count is at most ``answered``, and together they are at least
  ``answered`` (everyone who answered ticked something);
- a number or rating, while its statistics are shown: the sum of the answers (unshown) lies
  between what the cells allow; the mean shown to one decimal place bounds that sum; and each
  quartile shown (an answer, at nearest rank ⌈q·n⌉) bounds how many answers lie below and up to
  it (a bin holding a quartile is split there, into counts nobody sees).

:func:`crosstab` joins one such table per group of an attribute with the question's own table
(the column totals) and the attribute's table (the row totals), adding that each cell's column
adds up to its total. Statistics are shown only for groups of at least t answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from forumkit.analysis.counting import Kind, Tally, kind_of, rating_value, units_of
from forumkit.analysis.numbers import (
    QUARTERS,
    Bin,
    Summary,
    bin_counts,
    distribution_bins,
    summarise,
)
from forumkit.analysis.protection import Display, Fact, Key, Protection, Tabulation, Unknown
from forumkit.surveys import Question, Survey

ALL: Key = ("all",)
ANSWERED: Key = ("answered",)
NO_ANSWER: Key = ("no_answer",)
SUM: Key = ("sum",)
SURPLUS: Key = ("surplus",)


def choice_key(name: str) -> Key:
    return ("choice", name)


def value_key(label: str) -> Key:
    return ("value", label)


@dataclass(frozen=True)
class Measure:
    """How one question is counted and shown, the same in every group and edition compared."""

    question: Question
    kind: Kind
    label: str
    cells: dict[str, str]
    """Cell name → label, in order: choices (the survey's, then any found only in answers)
    or a number's distribution bins."""
    bins: tuple[Bin, ...] = ()
    scale: int = 1
    """Number answers are counted in units of ``1/scale``."""

    def cell_key(self, name: str) -> Key:
        return value_key(name) if self.kind == "number" else choice_key(name)

    @property
    def has_answered(self) -> bool:
        """Whether the table shows how many answered (all but a plain single choice)."""
        return self.kind != "single"

    @property
    def scored(self) -> bool:
        return self.kind in ("number", "rating")


def measure_for(survey: Survey, question: Question, overall: Tally) -> Measure:
    """How ``question`` is analysed, from its definition and the answers in scope."""
    label = survey.label(question)
    if question.type in ("select_one", "select_multiple", "rank"):
        cells = dict(survey.choice_labels(question))
        for extra in overall.counts:
            cells.setdefault(extra, extra)  # a choice of an older version, named as stored
        return Measure(question, kind_of(question, cells), label, cells)
    kind = kind_of(question, ())
    if kind == "number":
        units, scale = units_of(overall.values, question)
        bins = distribution_bins(question, units, scale)
        return Measure(question, kind, label, {b.label: b.label for b in bins}, tuple(bins), scale)
    return Measure(question, kind, label, {})


@dataclass
class QuestionTable:
    """One question's counts in one group, ready to be protected and published."""

    measure: Measure
    tally: Tally
    table: Tabulation
    summary: Summary | None = None
    """The statistics, when the group has at least t answers (else they are not shown)."""
    cells: dict[str, int] = field(default_factory=dict)
    """Cell name → count, in the measure's order."""


def _units(measure: Measure, tally: Tally) -> dict[int, int]:
    """Each answer's value (in the measure's units) → how many gave it."""
    if measure.kind == "rating":
        return {rating_value(name): count for name, count in tally.counts.items() if count}
    return units_of(tally.values, None, measure.scale)[0]


def tabulate(
    measure: Measure, tally: Tally, threshold: int, universe: Display = Display.NUMBER
) -> QuestionTable:
    """The table of ``tally`` with every relation a reader knows (module doc); ``universe`` is
    how the number of responses it covers is shown (decided by the table above it)."""
    if measure.kind == "number":
        units = _units(measure, tally)
        cells = dict(zip(measure.cells, bin_counts(measure.bins, units), strict=True))
    else:
        units = _units(measure, tally) if measure.kind == "rating" else {}
        cells = {name: tally.counts.get(name, 0) for name in measure.cells}
    counts: dict[Key, int] = {measure.cell_key(name): count for name, count in cells.items()}
    counts[NO_ANSWER] = tally.no_answer
    counts[ALL] = tally.responses
    table = Tabulation(counts, ALL, fixed={ALL: universe})
    cell_keys = [measure.cell_key(name) for name in cells]
    if measure.has_answered:
        counts[ANSWERED] = tally.answered
        table.facts.append(Fact.total([ANSWERED, NO_ANSWER], ALL))
    # (For a rating or a number, the cells add up to those who answered; that the cells and
    # "no answer" add up to all then follows, and is not written twice.)
    if measure.kind == "single":
        table.facts.append(Fact.total([*cell_keys, NO_ANSWER], ALL))
    if measure.kind in ("rating", "number"):
        table.facts.append(Fact.total(cell_keys, ANSWERED))
    if measure.kind == "multiple":
        # Everyone who answered ticked at least one option: the ticks are the answered plus a
        # surplus nobody sees (written as an equality, it is part of the flow network).
        ticks = sum(cells.values())
        table.unknowns[SURPLUS] = Unknown(
            0, max(ticks, len(cells) * tally.responses), ticks - tally.answered
        )
        table.facts.append(
            Fact((*((key, 1) for key in cell_keys), (ANSWERED, -1), (SURPLUS, -1)), 0, 0)
        )
        for key in cell_keys:
            table.facts.append(Fact(((key, 1), (ANSWERED, -1)), high=0))
    summary = None
    if measure.scored and tally.answered >= threshold:
        summary = summarise(units, measure.scale)
    if summary is not None:
        if measure.kind == "rating":
            pieces = [(measure.cell_key(n), rating_value(n), rating_value(n)) for n in cells]
        else:
            pieces = [(value_key(b.label), b.low, b.high) for b in measure.bins]
        table.statistics[()] = _statistics_facts(table, pieces, summary, units, tally.responses)
    return QuestionTable(measure, tally, table, summary, cells)


def _statistics_facts(
    table: Tabulation,
    cells: Sequence[tuple[Key, int, int]],
    summary: Summary,
    units: Mapping[int, int],
    responses: int,
) -> list[Fact]:
    """What the mean and quartiles tell about the cells (module doc); their unshown unknowns go
    into ``table``."""
    facts: list[Fact] = []
    cuts = sorted(set(summary.quartiles.values()))
    pieces: list[tuple[Key, int, int]] = []
    for key, low, high in cells:
        inside = [cut for cut in cuts if low <= cut <= high]
        if low == high or not inside:
            pieces.append((key, low, high))
            continue
        spans: list[tuple[int, int]] = []
        start = low
        for cut in inside:
            if start < cut:
                spans.append((start, cut - 1))
            spans.append((cut, cut))
            start = cut + 1
        if start <= high:
            spans.append((start, high))
        parts = []
        for number, (part_low, part_high) in enumerate(spans):
            part = ("part", *key, str(number))
            truth = sum(many for unit, many in units.items() if part_low <= unit <= part_high)
            table.unknowns[part] = Unknown(0, responses, truth)
            parts.append(part)
            pieces.append((part, part_low, part_high))
        facts.append(Fact.total(parts, key))
    reach = max(abs(low) for _, low, _ in pieces) + max(abs(high) for _, _, high in pieces)
    table.unknowns[SUM] = Unknown(-reach * responses, reach * responses, summary.total)
    facts.append(Fact((*((k, low) for k, low, _ in pieces), (SUM, -1)), high=0))
    facts.append(Fact((*((k, high) for k, _, high in pieces), (SUM, -1)), low=0))
    tenths, scale = summary.mean_tenths, summary.scale
    # mean shown M/10 (half up): (2M − 1)·scale·n ≤ 20·sum < (2M + 1)·scale·n
    facts.append(Fact(((SUM, 20), (ANSWERED, -(2 * tenths - 1) * scale)), low=0))
    facts.append(Fact(((SUM, 20), (ANSWERED, -(2 * tenths + 1) * scale)), high=-1))
    for name, quarters in QUARTERS.items():
        value = summary.quartiles[name]
        below = [(k, 4) for k, _, high in pieces if high < value]
        up_to = [(k, 4) for k, _, high in pieces if high <= value]
        # nearest rank k = ⌈q·n⌉: fewer than q·n answers below the value, at least q·n up to it
        facts.append(Fact((*below, (ANSWERED, -quarters)), high=-1))
        facts.append(Fact((*up_to, (ANSWERED, -quarters)), low=0))
    return facts


def _prefixed(key: Key, prefix: Key) -> Key:
    return (*prefix, *key)


def crosstab(
    rows: Mapping[str, QuestionTable],
    row_keys: Mapping[str, Key],
    totals: QuestionTable,
    totals_protection: Protection,
    groups: QuestionTable,
    groups_protection: Protection,
) -> Tabulation:
    """One question by the groups of an attribute, as one table (module doc).

    ``rows`` holds the question's table per group, ``row_keys`` the attribute's count (its
    table's key) each group is; the question's own table gives the column totals and the
    attribute's the row totals, both shown as they were decided there.
    """
    counts: dict[Key, int] = {}
    fixed: dict[Key, Display] = {}
    table = Tabulation(counts, ALL, fixed=fixed)
    margins: tuple[tuple[QuestionTable, Protection, Key], ...] = (
        (totals, totals_protection, ()),
        (groups, groups_protection, ("groups",)),
    )
    for source, protection, prefix in margins:
        for key, value in source.table.counts.items():
            counts[_prefixed(key, prefix)] = value
            fixed[_prefixed(key, prefix)] = protection.displays[key]
        table.facts.extend(_renamed(source.table.facts, prefix))
        for shown in protection.statistics:
            table.facts.extend(_renamed(source.table.statistics[shown], prefix))
        for key, unknown in source.table.unknowns.items():
            table.unknowns[_prefixed(key, prefix)] = unknown
    fixed[ALL] = totals_protection.displays[ALL]
    table.facts.append(Fact(((ALL, 1), (("groups", *ALL), -1)), 0, 0))
    for group, question_table in rows.items():
        row: Key = ("row", group)
        own = question_table.table
        for key, value in own.counts.items():
            counts[_prefixed(key, row)] = value
        # The group's size is the attribute's count for it, shown as the attribute's table.
        size = ("groups", *row_keys[group])
        table.facts.append(Fact(((_prefixed(ALL, row), 1), (size, -1)), 0, 0))
        fixed[_prefixed(ALL, row)] = fixed[size]
        table.facts.extend(_renamed(own.facts, row))
        for block, facts in own.statistics.items():
            table.statistics[_prefixed(block, row)] = _renamed(facts, row)
        for key, unknown in own.unknowns.items():
            table.unknowns[_prefixed(key, row)] = unknown
    for key in totals.table.counts:
        # How many answered in each group adds up too, but that follows from the groups' sizes
        # and no-answers adding up; leaving it out keeps each count in two totals at most.
        if key not in (ALL, ANSWERED):
            parts = [_prefixed(key, ("row", group)) for group in rows]
            table.facts.append(Fact.total(parts, key))
    return table


def _renamed(facts: Sequence[Fact], prefix: Key) -> list[Fact]:
    if not prefix:
        return list(facts)
    return [
        Fact(tuple((_prefixed(key, prefix), c) for key, c in fact.terms), fact.low, fact.high)
        for fact in facts
    ]
