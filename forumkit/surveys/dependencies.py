"""Which rules of a form wait on which answers, and the circles that make a form unworkable.

Whether a question shows depends on the answers its ``relevant`` rule reads, on the groups it
sits in (a hidden group hides all of it), and a hidden question's answer is cleared, so its
value depends on whether it shows; a calculation's value depends on what it reads. When these
dependencies go round in a circle (a question shown only if it is itself answered, a group
shown only if a question inside it is answered, two questions each shown by the other's
answer) nothing can be worked out first: the form would behave differently depending on the
order answers were typed in, so ODK refuses such forms ("dependency cycle") and so does
forumkit, naming the questions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from forumkit.surveys.expressions import Current, parse, references, walk
from forumkit.surveys.model import GROUP_TYPES, Question


@dataclass(frozen=True)
class Dependency:
    """``question`` waits on ``on`` through ``how``: ``relevant``, ``group`` or ``calculation``.
    ``question_is_group`` and ``on_group`` say when a name is a group's: a group may share its
    name with a question, and the two wait on different things."""

    question: str
    on: str
    how: str
    question_is_group: bool = False
    on_group: bool = False

    @property
    def waiting(self) -> Node:
        return (self.question, self.question_is_group)

    @property
    def awaited(self) -> Node:
        return (self.on, self.on_group)


Node = tuple[str, bool]
"""A question (``(name, False)``) or a group (``(name, True)``) in the dependency graph."""


def dependencies(elements: Sequence[Question]) -> dict[Node, list[Dependency]]:
    """Each question's or group's dependencies, in form order (names outside the form dropped).
    ``${name}`` reads the question called ``name``, or the group when no question is (the
    reader refuses a reference to a name both hold)."""
    questions = {q.name for q in elements if q.type not in GROUP_TYPES}
    groups = {q.name for q in elements if q.type == "begin_group"}
    found: dict[Node, list[Dependency]] = {}
    for question in elements:
        if question.type == "end_group":
            continue
        is_group = question.type == "begin_group"
        mine = found.setdefault((question.name, is_group), [])
        if question.relevant:
            expression = parse(question.relevant)
            read = set(references(expression))
            if not is_group and any(isinstance(node, Current) for node in walk(expression)):
                read.add(question.name)  # “.” in a question's relevant is its own answer
            mine += _reading(question, is_group, "relevant", read, questions, groups)
        mine += (
            Dependency(question.name, group, "group", is_group, on_group=True)
            for group in question.group
        )
        if question.type == "calculate" and question.calculation:
            read = set(references(parse(question.calculation)))
            mine += _reading(question, is_group, "calculation", read, questions, groups)
    return found


def _reading(
    question: Question,
    is_group: bool,
    how: str,
    read: Iterable[str],
    questions: set[str],
    groups: set[str],
) -> list[Dependency]:
    return [
        Dependency(question.name, name, how, is_group, on_group=name not in questions)
        for name in sorted(read)
        if name in questions or name in groups
    ]


def find_circle(elements: Sequence[Question]) -> list[Dependency] | None:
    """The first circle of dependencies in form order that a ``relevant`` rule is part of, as
    the steps that go round it, or None. Iterative, so a form of any length is safe."""
    graph = dependencies(elements)
    state: dict[Node, int] = {}  # 1: on the current path, 2: finished
    for start in graph:
        if start in state:
            continue
        path: list[Dependency] = []
        stack: list[tuple[Node, int]] = [(start, 0)]
        state[start] = 1
        while stack:
            node, index = stack[-1]
            edges = graph.get(node, [])
            if index >= len(edges):
                stack.pop()
                state[node] = 2
                if path:
                    path.pop()
                continue
            stack[-1] = (node, index + 1)
            edge = edges[index]
            seen = state.get(edge.awaited)
            if seen == 1:
                circle = [*path, edge]
                first = next(i for i, step in enumerate(circle) if step.waiting == edge.awaited)
                circle = circle[first:]
                if any(step.how == "relevant" for step in circle):
                    return circle
                continue
            if seen is None:
                state[edge.awaited] = 1
                path.append(edge)
                stack.append((edge.awaited, 0))
    return None


def describe_circle(circle: Sequence[Dependency]) -> str:
    """The circle in words, for a refusal: what waits on what, round to the start."""
    if len(circle) == 1:
        return (
            f"the relevant rule of “{circle[0].question}” reads “{circle[0].question}” itself, "
            "so whether it shows would depend on its own answer"
        )
    links = ", ".join(
        f"“{step.question}” waits on “{step.on}” ({_WAYS[step.how]})" for step in circle
    )
    return (
        f"these rules wait on each other in a circle ({links}), so none of them can be worked "
        "out first; change one of these rules"
    )


_WAYS = {
    "relevant": "its relevant rule",
    "group": "the group it is in",
    "calculation": "its calculation",
}
