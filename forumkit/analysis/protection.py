"""Small-cell suppression that cannot be undone: primary, secondary, and whole-table.

Every count that can leave the forum file goes through :func:`protect`:

1. **Primary**: a count from 1 to t−1 is shown as ``"<t"`` (t is the forum's threshold, 5 by
   default). Zero is shown: it describes no family.
2. **Secondary**: while some suppressed figure could still be worked out, or narrowed, from
   what is shown (its table's other cells, totals and, when shown, its mean, median and
   quartiles), another count of the same table is hidden as ``"*"``: the smallest with room to
   absorb the difference, tried first. A reader who knows these rules knows a ``"*"`` here is a
   count of t or more, and the check assumes so.
3. A group's statistics (its mean, median and quartiles) are shown only when, beside the counts
   shown, they do not give a small count away; else they are withheld.
4. When nothing else protects a small cell, every count the table decides is withheld (all
   ``"*"``, which then may be any count, zero included), and if even that is not enough, its
   totals too.

"Could still be worked out" is decided exactly (:mod:`.disclosure`): every figure shown as
``"<t"`` must still be possibly each value from 1 to t−1, and no hidden figure may be pinned to
one value. Figures whose showing another table decided (a cross-tab's margins are the one-way
tables' counts, the number of responses is the analysis's) are taken as shown there and checked
here too, but only this table's own counts are hidden to protect them.

Differencing two overlapping tables made with different filters is out of scope (see README).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from forumkit.analysis.disclosure import Disclosure, Relation

Key = tuple[str, ...]
"""Names one figure of a table, e.g. ``("choice", "yes")`` or ``("row", "primary", "base")``."""


class Display(enum.Enum):
    """How one figure is published."""

    NUMBER = "number"
    """The count itself."""
    FEWER_THAN = "fewer_than"
    """``"<t"``: a count from 1 to t−1."""
    HIDDEN = "hidden"
    """``"*"`` to protect a small count: a count of t or more."""
    WITHHELD = "withheld"
    """``"*"`` in a table withheld whole: any count, zero included."""


SUPPRESSED = frozenset({Display.FEWER_THAN, Display.HIDDEN, Display.WITHHELD})

Level = Literal["none", "cells", "table"]
"""What a table's suppression did: nothing, some cells, or the whole table."""


@dataclass(frozen=True)
class Fact:
    """``low ≤ Σ coefficient·figure ≤ high``, over a table's figures (by key) and its unshown
    unknowns (sums of answers, counts within a bin) by name."""

    terms: tuple[tuple[Key, int], ...]
    low: int | None = None
    high: int | None = None

    @classmethod
    def total(cls, parts: Iterable[Key], whole: Key) -> Fact:
        """The parts add up to the whole."""
        return cls((*((key, 1) for key in parts), (whole, -1)), 0, 0)


@dataclass(frozen=True)
class Unknown:
    """Something a reader does not see but can reason about (the sum of a question's answers,
    how many answers in a bin lie below its median), with the bounds they know."""

    low: int
    high: int
    truth: int


@dataclass
class Tabulation:
    """One table's counts and what everyone knows about them, before suppression."""

    counts: dict[Key, int]
    """Every count the table publishes, by key, with its true value."""
    universe: Key
    """The count every other count is at most (the responses the table is about)."""
    facts: list[Fact] = field(default_factory=list)
    """Relations that hold whatever is shown (totals, a multi-select's base…)."""
    statistics: dict[Key, list[Fact]] = field(default_factory=dict)
    """What each group's statistics (mean, median, quartiles) tell while they are shown, by the
    group's key prefix (``()`` for a one-way table)."""
    unknowns: dict[Key, Unknown] = field(default_factory=dict)
    """Unshown unknowns the facts and statistics use."""
    fixed: dict[Key, Display] = field(default_factory=dict)
    """Counts whose display another table decided (margins, the number of responses)."""

    @property
    def own(self) -> list[Key]:
        """The counts this table decides how to show."""
        return [key for key in self.counts if key not in self.fixed]


@dataclass(frozen=True)
class Protection:
    """How each count of a table is published."""

    displays: Mapping[Key, Display]
    statistics: frozenset[Key]
    """The groups (key prefixes) whose statistics are shown."""
    level: Level
    threshold: int

    def shows(self, key: Key) -> bool:
        return self.displays[key] is Display.NUMBER

    def shows_statistics(self, prefix: Key = ()) -> bool:
        return prefix in self.statistics


class _Audit:
    """One way of showing a table, as a reader would reason about it."""

    def __init__(
        self,
        table: Tabulation,
        displays: Mapping[Key, Display],
        statistics: Iterable[Key],
        threshold: int,
    ) -> None:
        self.table = table
        self.displays = displays
        self.threshold = threshold
        ceiling = _ceiling(table, displays, threshold)
        self.ceiling = ceiling
        self.keys: list[Key] = [*table.counts, *table.unknowns]
        self.index = {key: number for number, key in enumerate(self.keys)}
        lows: list[int] = []
        highs: list[int] = []
        truth: list[int] = []
        for key, value in table.counts.items():
            low, high = _bounds(displays[key], value, threshold, ceiling)
            lows.append(low)
            highs.append(high)
            truth.append(value)
        for unknown in table.unknowns.values():
            lows.append(unknown.low)
            highs.append(unknown.high)
            truth.append(unknown.truth)
        facts = list(table.facts)
        for prefix in statistics:
            facts.extend(table.statistics[prefix])
        self.relations = [
            Relation(tuple((self.index[k], c) for k, c in fact.terms if c), fact.low, fact.high)
            for fact in facts
        ]
        self.disclosure = Disclosure(lows, highs, self.relations, truth)
        self._linked: list[set[int]] = [set() for _ in self.keys]
        for relation in self.relations:
            members = {index for index, _ in relation.terms}
            for index in members:
                self._linked[index] |= members

    def safe(self, key: Key) -> bool:
        """Whether the figure ``key`` cannot be worked out or narrowed below its protection: a
        small count could still be each value from 1 to t−1, any other hidden count is not
        pinned to one value (a zero withheld with its table may be: zero is no family)."""
        display = self.displays[key]
        if display is Display.NUMBER:
            return True
        index = self.index[key]
        value = self.table.counts[key]
        if display is Display.FEWER_THAN or 0 < value < self.threshold:
            return self.disclosure.could_be_all(index, range(1, self.threshold))
        return value == 0 or not self.disclosure.pinned(index)

    def first_unsafe(self) -> Key | None:
        for key in self.table.counts:
            if not self.safe(key):
                return key
        return None

    def neighbours(self, key: Key) -> set[Key]:
        """Counts sharing a relation with ``key``, directly or through unshown unknowns."""
        found: set[int] = set()
        todo = [self.index[key]]
        seen = set(todo)
        counts = len(self.table.counts)
        while todo:
            for other in self._linked[todo.pop()]:
                if other in seen:
                    continue
                seen.add(other)
                if other >= counts:
                    todo.append(other)  # an unknown links on to what it relates to
                else:
                    found.add(other)
        return {self.keys[index] for index in found}

    def route(self, key: Key, banned: set[Key]) -> set[Key] | None:
        """Counts to hide so that ``key`` could move as far as its protection needs, along the
        totals it adds up to (the fewest new ones, by cheapest paths); None when no such way
        exists even hiding every count that may be hidden."""
        network = self.disclosure.network
        index = self.index[key]
        if index not in network.edges:
            return None
        threshold = self.threshold
        lows, highs = list(self.disclosure.lows), list(self.disclosure.highs)
        cost = [0] * len(self.keys)
        for position, other in enumerate(self.table.counts):
            value = self.table.counts[other]
            if (
                self.displays[other] is Display.NUMBER
                and other not in self.table.fixed
                and other not in banned
                and value >= threshold
            ):
                lows[position], highs[position] = threshold, max(self.ceiling, value)
                cost[position] = 1
        value = self.table.counts[key]
        small = 0 < value < threshold
        targets = [[threshold - 1], [1]] if small else [[value + 1, value - 1]]
        hide: set[Key] = set()
        for alternatives in targets:
            for target in alternatives:
                if target == value or not lows[index] <= target <= highs[index]:
                    continue
                routed = network.route(index, target, lows, highs, self.disclosure.truth, cost)
                if routed is not None:
                    hide |= {self.keys[edge] for edge in routed[1] if cost[edge]}
                    break
            else:
                if any(target != value for target in alternatives):
                    return None
        return hide

    def dead_end(self, key: Key, displays: Mapping[Key, Display], threshold: int) -> bool:
        """Whether hiding ``key`` could never help: some total it adds up to has no other
        count that is hidden or could be (all shown for good: zeros, or another table's)."""
        index = self.index[key]
        counts = self.table.counts
        for relation in self.relations:
            if relation.low != relation.high or all(i != index for i, _ in relation.terms):
                continue
            others = [self.keys[i] for i, _ in relation.terms if i != index]
            if not any(
                other not in counts  # an unknown nobody sees
                or displays[other] is not Display.NUMBER
                or (other not in self.table.fixed and counts[other] >= threshold)
                for other in others
            ):
                return True
        return False

    def links(self, key: Key, suppressed: set[Key]) -> int:
        """In how many relations ``key`` meets a suppressed figure: hiding a count that meets
        two (a row's and a column's) closes a loop the hidden figures can shift along."""
        index = self.index[key]
        hidden = {self.index[k] for k in suppressed}
        return sum(
            1
            for relation in self.relations
            if any(i == index for i, _ in relation.terms)
            and any(i in hidden for i, _ in relation.terms)
        )


def _ceiling(table: Tabulation, displays: Mapping[Key, Display], threshold: int) -> int:
    """The most any count of the table could be, as a reader knows it."""
    universe = table.counts[table.universe]
    display = displays[table.universe]
    if display is Display.NUMBER:
        return universe
    if display is Display.FEWER_THAN:
        return threshold - 1
    # A universe hidden elsewhere: the reader knows no bound; the true one, doubled, stands in
    # for "as many as you like" (every check only needs room above the truth).
    return max(2 * universe, threshold)


def _bounds(display: Display, value: int, threshold: int, ceiling: int) -> tuple[int, int]:
    if display is Display.NUMBER:
        return value, value
    if display is Display.FEWER_THAN:
        return 1, threshold - 1
    if display is Display.HIDDEN:
        return threshold, max(ceiling, value)
    return 0, max(ceiling, value)


def _first_displays(table: Tabulation, threshold: int) -> dict[Key, Display]:
    displays = dict(table.fixed)
    for key in table.own:
        value = table.counts[key]
        displays[key] = Display.FEWER_THAN if 0 < value < threshold else Display.NUMBER
    return displays


def _preference(table: Tabulation, threshold: int) -> Callable[[Key], tuple[int, int]]:
    """Which count to hide first: the smallest that can absorb a small cell's whole range (at
    least 2t−2, so it stays t or more), else the largest."""
    roomy = 2 * threshold - 2

    def order(key: Key) -> tuple[int, int]:
        value = table.counts[key]
        return (0, value) if value >= roomy else (1, -value)

    return order


_CANDIDATES_TRIED = 6


def _with_secondaries(
    table: Tabulation,
    displays: dict[Key, Display],
    statistics: frozenset[Key],
    threshold: int,
) -> tuple[dict[Key, Display] | None, Key | None]:
    """Hide counts until every suppressed figure is safe: the displays, or None and the figure
    the table's own counts cannot protect.

    The count hidden next is one related to a suppressed figure, preferring one that meets
    several suppressed figures (closing a loop they can shift along), then the smallest with
    room to absorb a small cell's range; a candidate that alone makes the weak figure safe wins.
    """
    order = _preference(table, threshold)
    added: list[Key] = []
    banned: set[Key] = set()
    for _ in range(2 * len(table.counts) + 1):
        audit = _Audit(table, displays, statistics, threshold)
        weak = audit.first_unsafe()
        if weak is None:
            return _without_needless(table, displays, added, statistics, threshold), None
        routed = audit.route(weak, banned)
        if routed:
            displays = {**displays, **dict.fromkeys(routed, Display.HIDDEN)}
            added.extend(sorted(routed))
            continue
        suppressed = {key for key, display in displays.items() if display in SUPPRESSED}
        near: set[Key] = set()
        for key in suppressed:
            near |= audit.neighbours(key)
        candidates = sorted(
            (
                key
                for key in near
                if key not in table.fixed
                and key not in banned
                and displays[key] is Display.NUMBER
                and table.counts[key] >= threshold
                and not audit.dead_end(key, displays, threshold)
            ),
            key=lambda key: (-audit.links(key, suppressed), order(key)),
        )
        if not candidates:
            if weak not in added:
                return None, weak
            # A count hidden earlier that nothing can loosen: show it again, try others.
            displays = {**displays, weak: Display.NUMBER}
            added.remove(weak)
            banned.add(weak)
            continue
        chosen = candidates[0]
        for key in candidates[:_CANDIDATES_TRIED]:
            trial = {**displays, key: Display.HIDDEN}
            if _Audit(table, trial, statistics, threshold).safe(weak):
                chosen = key
                break
        displays = {**displays, chosen: Display.HIDDEN}
        added.append(chosen)
    return None, None


def _without_needless(
    table: Tabulation,
    displays: dict[Key, Display],
    added: Sequence[Key],
    statistics: frozenset[Key],
    threshold: int,
) -> dict[Key, Display]:
    """Show again any hidden count the others protect without it (latest first)."""
    for key in reversed(added):
        trial = {**displays, key: Display.NUMBER}
        if _Audit(table, trial, statistics, threshold).first_unsafe() is None:
            displays = trial
    return displays


def _statistics_kept(
    table: Tabulation, displays: dict[Key, Display], threshold: int
) -> frozenset[Key]:
    """The groups whose statistics can be shown beside ``displays`` without giving a small
    count away (each tried in turn, keeping those that can)."""
    kept: frozenset[Key] = frozenset()
    for prefix in table.statistics:
        trial = kept | {prefix}
        if _Audit(table, displays, trial, threshold).first_unsafe() is None:
            kept = trial
    return kept


def protect(table: Tabulation, threshold: int) -> Protection:
    """How to publish ``table`` so that no small count in it can be worked out (module doc)."""
    displays = _first_displays(table, threshold)
    if not any(display in SUPPRESSED for display in displays.values()):
        return Protection(displays, frozenset(table.statistics), "none", threshold)
    found, _ = _with_secondaries(table, dict(displays), frozenset(), threshold)
    if found is not None:
        kept = _statistics_kept(table, found, threshold)
        return Protection(found, kept, "cells", threshold)
    withheld = {**table.fixed, **dict.fromkeys(table.own, Display.WITHHELD)}
    if _Audit(table, withheld, (), threshold).first_unsafe() is None:
        return Protection(withheld, frozenset(), "table", threshold)
    everything = dict.fromkeys(table.counts, Display.WITHHELD)
    everything[table.universe] = table.fixed.get(table.universe, Display.NUMBER)
    return Protection(everything, frozenset(), "table", threshold)


def unprotected(table: Tabulation, threshold: int) -> Protection:
    """Every count shown as it is: for the forum only (``--unsuppressed``, the chair's view)."""
    shown = dict.fromkeys(table.counts, Display.NUMBER)
    return Protection(shown, frozenset(table.statistics), "none", threshold)
