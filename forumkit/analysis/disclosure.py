"""What a reader could work out from published figures: the check behind small-cell suppression.

A published table is modelled the way someone trying to undo its suppression would see it: one
integer unknown per figure (a count, a total, a hidden sum), each with the values it may take
given how it is shown (a number shown is that number; ``"<5"`` is 1 to 4; ``"*"`` what the
rules allow), and the linear relations everyone knows hold between them (the cells of a row add
up to its total, a respondent who answered a multi-select ticked at least one option, a mean
shown to one decimal place bounds the sum of the answers…).

:class:`Disclosure` answers "could this figure be this value?" exactly, by looking for a whole
table that fits everything published and gives the figure that value (a *witness*):

1. The relations that say parts add up to a whole (a row to its total, the totals to the grand
   total) form a flow network: each unknown is an edge between the two totals it takes part in.
   Giving one unknown another value means sending the difference round the network through
   the others, within what each may be (:class:`Network`, augmenting paths). When that cannot
   be done no table fits, exactly; when it can, it gives a witness close to the true table.
2. A witness must also fit the other relations (a multi-select's, a mean's, a quartile's). When
   the network's does not, a depth-first search with bounds propagation looks for one that does,
   trying the network witness's values first.

The search has a node budget; one that runs out counts as "not shown possible", which can only
make suppression hide more, never less.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

NODE_BUDGET = 60
"""Search nodes one question may use; past it the answer is "not shown possible"."""
PROPAGATION_ROUNDS = 8
"""How often propagation narrows by one relation, per relation, before it stops narrowing (a
loop of inequalities can creep by small steps for ever; stopping early only prunes less)."""


@dataclass(frozen=True)
class Relation:
    """``low ≤ Σ coefficient·unknown ≤ high`` over integer unknowns (None: no bound)."""

    terms: tuple[tuple[int, int], ...]
    """(unknown's index, integer coefficient)."""
    low: int | None = None
    high: int | None = None

    @classmethod
    def equal(cls, terms: Sequence[tuple[int, int]], value: int = 0) -> Relation:
        return cls(tuple(terms), value, value)

    def holds(self, values: Sequence[int]) -> bool:
        total = sum(coefficient * values[index] for index, coefficient in self.terms)
        return (self.low is None or total >= self.low) and (self.high is None or total <= self.high)


class _OutOfBudget(Exception):
    """The exact search ran past its step budget: the value is then taken as impossible, which
    can only make a cell look more exposed, so it errs towards suppressing more."""


def _floor_div(numerator: int, denominator: int) -> int:
    return numerator // denominator


def _ceil_div(numerator: int, denominator: int) -> int:
    return -((-numerator) // denominator)


class Disclosure:
    """Which values the unknowns of one published table could take.

    ``lows``/``highs`` are what each unknown may be as published (equal for a figure shown);
    ``truth`` is the real table, which must fit (it is the first witness of everything).
    """

    def __init__(
        self,
        lows: Sequence[int],
        highs: Sequence[int],
        relations: Sequence[Relation],
        truth: Sequence[int],
        *,
        budget: int = NODE_BUDGET,
    ) -> None:
        if not len(lows) == len(highs) == len(truth):
            raise ValueError("one low, one high and one true value per unknown")
        self.lows = list(lows)
        self.highs = list(highs)
        self.relations = list(relations)
        self.truth = list(truth)
        self.budget = budget
        self._of: list[list[int]] = [[] for _ in self.lows]
        for number, relation in enumerate(self.relations):
            for index, _ in relation.terms:
                self._of[index].append(number)
        # Every value each unknown took in some witness found so far.
        self._seen: list[set[int]] = [{value} for value in self.truth]
        for index, value in enumerate(self.truth):
            if not self.lows[index] <= value <= self.highs[index]:
                raise ValueError(f"unknown {index}: the true value is outside what is published")
        broken = [r for r in self.relations if not r.holds(self.truth)]
        if broken:
            raise ValueError("the true table does not fit its own relations")
        self.network = Network(self.relations, len(self.lows))
        self._others = [
            relation
            for number, relation in enumerate(self.relations)
            if number not in self.network.facts
        ]

    # -- questions ---------------------------------------------------------------------------

    def could_be(self, index: int, value: int) -> bool:
        """Whether some table fitting everything published gives unknown ``index`` ``value``."""
        if value in self._seen[index]:
            return True
        if not self.lows[index] <= value <= self.highs[index]:
            return False
        witness = self.network.moved(index, value, self.lows, self.highs, self.truth)
        if witness is None:
            return False  # not even the totals allow it
        if not all(relation.holds(witness) for relation in self._others):
            lows, highs = list(self.lows), list(self.highs)
            lows[index] = highs[index] = value
            queue = list(range(len(self.relations)))
            try:
                found = self._search(lows, highs, queue, [self.budget], witness)
            except _OutOfBudget:
                return False
            if found is None:
                return False
            witness = found
        for position, taken in enumerate(witness):
            self._seen[position].add(taken)
        return True

    def could_be_all(self, index: int, values: range) -> bool:
        """Whether unknown ``index`` could be each of ``values``."""
        return all(self.could_be(index, value) for value in values)

    def pinned(self, index: int) -> bool:
        """Whether unknown ``index`` can be only its true value (so it is as good as shown)."""
        if len(self._seen[index]) > 1:
            return False
        true = self.truth[index]
        return not (self.could_be(index, true + 1) or self.could_be(index, true - 1))

    # -- the search --------------------------------------------------------------------------

    def _propagate(self, lows: list[int], highs: list[int], queue: list[int]) -> bool:
        """Narrow every unknown's bounds by the relations until nothing changes; False when some
        unknown has no value left (no table fits)."""
        pending = set(queue)
        rounds = [0] * len(self.relations)
        while queue:
            number = queue.pop()
            pending.discard(number)
            rounds[number] += 1
            if rounds[number] > PROPAGATION_ROUNDS:
                continue
            relation = self.relations[number]
            least = most = 0
            for index, coefficient in relation.terms:
                if coefficient > 0:
                    least += coefficient * lows[index]
                    most += coefficient * highs[index]
                else:
                    least += coefficient * highs[index]
                    most += coefficient * lows[index]
            if (relation.high is not None and least > relation.high) or (
                relation.low is not None and most < relation.low
            ):
                return False
            for index, coefficient in relation.terms:
                if coefficient > 0:
                    own_least, own_most = coefficient * lows[index], coefficient * highs[index]
                else:
                    own_least, own_most = coefficient * highs[index], coefficient * lows[index]
                low, high = lows[index], highs[index]
                if relation.high is not None:
                    room = relation.high - (least - own_least)
                    if coefficient > 0:
                        high = min(high, _floor_div(room, coefficient))
                    else:
                        low = max(low, _ceil_div(room, coefficient))
                if relation.low is not None:
                    need = relation.low - (most - own_most)
                    if coefficient > 0:
                        low = max(low, _ceil_div(need, coefficient))
                    else:
                        high = min(high, _floor_div(need, coefficient))
                if low > high:
                    return False
                if low != lows[index] or high != highs[index]:
                    lows[index], highs[index] = low, high
                    for other in self._of[index]:
                        if other != number and other not in pending:
                            pending.add(other)
                            queue.append(other)
                    # This relation's sums are stale now; look at it again.
                    if number not in pending:
                        pending.add(number)
                        queue.append(number)
                    break
        return True

    def _search(
        self,
        lows: list[int],
        highs: list[int],
        queue: list[int],
        budget: list[int],
        hint: Sequence[int],
    ) -> list[int] | None:
        budget[0] -= 1
        if budget[0] < 0:
            raise _OutOfBudget
        if not self._propagate(lows, highs, queue):
            return None
        open_ones = [i for i in range(len(lows)) if lows[i] != highs[i]]
        if not open_ones:
            return lows if all(r.holds(lows) for r in self.relations) else None
        index = min(open_ones, key=lambda i: highs[i] - lows[i])
        near = min(max(hint[index], lows[index]), highs[index])
        # The hint's value first: witnesses are found near it.
        for low, high in ((near, near), (lows[index], near - 1), (near + 1, highs[index])):
            if low > high:
                continue
            branch_lows, branch_highs = list(lows), list(highs)
            branch_lows[index], branch_highs[index] = low, high
            found = self._search(branch_lows, branch_highs, list(self._of[index]), budget, hint)
            if found is not None:
                return found
        return None


class Network:
    """The relations "parts add up to a whole" that form a flow network, and moving flow in it.

    Each such relation is a node; each unknown in two of them is an edge from the one where it
    is a whole to the one where it is a part (a relation may be turned round, wholes for parts,
    so that every unknown leaves one node and enters the other); an unknown in only one is an
    edge to or from an extra node, the outside. Relations that do not fit (other coefficients,
    bounds that are not equalities, a third relation for one unknown, a loop of the wrong
    parity) stay out and are checked on witnesses.
    """

    def __init__(self, relations: Sequence[Relation], unknowns: int) -> None:
        self.facts: set[int] = set()
        parent = list(range(len(relations)))
        parity = [0] * len(relations)

        def find(node: int) -> tuple[int, int]:
            flips = 0
            while parent[node] != node:
                flips ^= parity[node]
                node = parent[node]
            return node, flips

        member: list[list[tuple[int, int]]] = [[] for _ in range(unknowns)]  # (fact, coeff)
        for number, relation in enumerate(relations):
            if relation.low != 0 or relation.high != 0:
                continue
            if any(c not in (1, -1) or len(member[i]) >= 2 for i, c in relation.terms):
                continue
            if len({i for i, _ in relation.terms}) != len(relation.terms):
                continue
            # Each unknown already in a network fact fixes this fact's orientation.
            merges: list[tuple[int, int]] = []
            fine = True
            for index, coefficient in relation.terms:
                for other, other_coefficient in member[index]:
                    root, flips = find(other)
                    # oriented signs must differ: c·s(new) = −c'·s(other)
                    wanted = flips ^ (0 if coefficient == -other_coefficient else 1)
                    merges.append((root, wanted))
            roots: dict[int, int] = {}
            for root, wanted in merges:
                if roots.setdefault(root, wanted) != wanted:
                    fine = False
            if not fine:
                continue
            for root, wanted in roots.items():
                parent[root] = number
                parity[root] = wanted
            self.facts.add(number)
            for index, coefficient in relation.terms:
                member[index].append((number, coefficient))
        outside = len(relations)
        self.edges: dict[int, tuple[int, int]] = {}
        for index, places in enumerate(member):
            ends: list[tuple[int, int]] = []
            for fact, coefficient in places:
                _, flips = find(fact)
                sign = coefficient * (-1 if flips else 1)
                ends.append((fact, sign))
            if not ends:
                continue
            if len(ends) == 1:
                fact, sign = ends[0]
                ends.append((outside, -sign))
            (first, first_sign), (second, _) = ends
            # A part (+1) flows into its node; a whole (−1) flows out of it.
            self.edges[index] = (second, first) if first_sign > 0 else (first, second)
        self._out: dict[int, list[int]] = {}
        for index, (tail, head) in self.edges.items():
            self._out.setdefault(tail, []).append(index)
            self._out.setdefault(head, []).append(index)

    def moved(
        self,
        index: int,
        value: int,
        lows: Sequence[int],
        highs: Sequence[int],
        truth: Sequence[int],
    ) -> list[int] | None:
        """The true table with unknown ``index`` at ``value`` and the difference sent round the
        network (shortest paths first); None when the network cannot take it."""
        routed = self.route(index, value, lows, highs, truth)
        return None if routed is None else routed[0]

    def route(
        self,
        index: int,
        value: int,
        lows: Sequence[int],
        highs: Sequence[int],
        truth: Sequence[int],
        cost: Sequence[int] | None = None,
    ) -> tuple[list[int], set[int]] | None:
        """As :meth:`moved`, also naming the edges the difference went through; with ``cost``
        (per unknown, 0 or 1), paths of least cost are taken first."""
        flows = list(truth)
        flows[index] = value
        used: set[int] = set()
        if index not in self.edges:
            return flows, used
        tail, head = self.edges[index]
        change = value - truth[index]
        # More along the edge: the extra must come back from its head to its tail.
        source, sink = (head, tail) if change > 0 else (tail, head)
        left = abs(change)
        while left:
            path = self._path(source, sink, index, flows, lows, highs, cost)
            if path is None:
                return None
            room = min(left, *(amount for _, _, amount in path))
            for edge, forward, _ in path:
                flows[edge] += room if forward else -room
                used.add(edge)
            left -= room
        return flows, used

    def _path(
        self,
        source: int,
        sink: int,
        skip: int,
        flows: Sequence[int],
        lows: Sequence[int],
        highs: Sequence[int],
        cost: Sequence[int] | None = None,
    ) -> list[tuple[int, bool, int]] | None:
        """A path of edges with room from ``source`` to ``sink`` (edge, along it?, room): the
        shortest, or with ``cost`` the cheapest (0-1 breadth-first search)."""
        came: dict[int, tuple[int, int, bool, int]] = {}
        best = {source: 0}
        todo: deque[tuple[int, int]] = deque([(source, 0)])
        while todo:
            node, spent = todo.popleft()
            if spent > best.get(node, spent):
                continue
            if node == sink and cost is None:
                break
            for edge in self._out.get(node, ()):
                if edge == skip:
                    continue
                tail, head = self.edges[edge]
                if tail == node and flows[edge] < highs[edge]:
                    step = (head, True, highs[edge] - flows[edge])
                elif head == node and flows[edge] > lows[edge]:
                    step = (tail, False, flows[edge] - lows[edge])
                else:
                    continue
                after = spent + (cost[edge] if cost is not None else 1)
                if after < best.get(step[0], after + 1):
                    best[step[0]] = after
                    came[step[0]] = (node, edge, step[1], step[2])
                    if cost is not None and cost[edge] == 0:
                        todo.appendleft((step[0], after))
                    else:
                        todo.append((step[0], after))
        if sink not in came:
            return None
        path = []
        node = sink
        while node != source:
            previous, edge, forward, room = came[node]
            path.append((edge, forward, room))
            node = previous
        return path
