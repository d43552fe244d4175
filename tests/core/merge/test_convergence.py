"""Random work on a chair's file and three volunteers' copies, merged in random orders and
again: every copy ends the same, no response is lost or held twice, nothing erased or deleted
comes back, and every change nobody saw before making another is still held (current, or kept
as a conflict)."""

from __future__ import annotations

import itertools
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forumkit import tombstones
from forumkit.merge import merge
from forumkit.quotes import QuoteExists, create_quote, tag_quote
from forumkit.responses import delete_response, erase_respondent, update_response
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.merge.helpers import capture, dump, kept_stories, make_chair, make_copy, story
from tests.core.responses.helpers import complete_answers

FILES = 4  # the chair's file and three volunteers' copies
CODES = ("listen-early", "money", "workforce")

Op = tuple[str, int, int, int]
"""(what, on which file, which response it holds (or which file to merge in), a choice)."""

operations = st.lists(
    st.tuples(
        st.sampled_from(["capture", "capture", "correct", "correct", "tag", "erase", "delete"])
        | st.just("merge"),
        st.integers(0, FILES - 1),
        st.integers(0, 7),
        st.integers(0, len(CODES) - 1),
    ),
    min_size=4,
    max_size=22,
)


@dataclass
class World:
    """The files, and what the test knows must hold in them."""

    paths: list[Path]
    workspaces: list[Workspace]
    survey: Survey
    captured: set[str] = field(default_factory=set)
    gone: set[str] = field(default_factory=set)
    erased: set[str] = field(default_factory=set)
    edits: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)
    """Response → (story written, the story its file held just before) for every change."""
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def held(self, index: int) -> list[str]:
        rows = self.workspaces[index].db.execute("SELECT id FROM responses ORDER BY id")
        return [str(row[0]) for row in rows]

    def fresh(self, what: str) -> str:
        return f"{what} {next(self.counter)}"


def _apply(world: World, op: Op) -> None:
    what, index, pick, choice = op
    ws = world.workspaces[index]
    held = world.held(index)
    if what == "capture":
        text = world.fresh("captured")
        made = capture(ws, world.survey, text, respondent=f"parent{next(world.counter)}@x.org")
        world.captured.add(made.id)
        world.edits.setdefault(made.id, []).append((text, None))
        return
    if what == "merge":
        other = pick % FILES
        if other != index:
            merge(ws, world.paths[other], PASSPHRASE)
        return
    if not held:
        return
    response_id = held[pick % len(held)]
    if what == "correct":
        text = world.fresh("corrected")
        before = story(ws, response_id)
        update_response(ws, response_id, complete_answers(experience=text))
        world.edits.setdefault(response_id, []).append((text, before))
    elif what == "tag":
        try:
            quote = create_quote(ws, response_id, "experience").after
            assert quote is not None
            quote_id = quote.id
        except QuoteExists:
            row = ws.db.execute("SELECT id FROM quotes WHERE response_id = ?", [response_id])
            quote_id = str(row.fetchone()[0])
        tag_quote(ws, quote_id, [CODES[choice]])
    elif what == "erase":
        reference = ws.db.execute(
            "SELECT respondent FROM responses WHERE id = ?", [response_id]
        ).fetchone()[0]
        erase_respondent(ws, str(reference))
        world.erased.add(response_id)
        world.gone.add(response_id)
    elif what == "delete":
        delete_response(ws, response_id)
        world.gone.add(response_id)


def _leaves(world: World, response_id: str) -> set[str]:
    """The stories of a response that no later change was made over."""
    written = world.edits.get(response_id, [])
    replaced = {before for _, before in written if before is not None}
    return {text for text, _ in written} - replaced


def _run(folder: Path, ops: list[Op], order: list[int]) -> None:
    chair, survey = make_chair(folder)
    paths = [chair] + [make_copy(chair, f"laptop{n}.forumkit") for n in range(1, FILES)]
    workspaces = [Workspace.open(path, PASSPHRASE) for path in paths]
    world = World(paths, workspaces, survey)
    try:
        for op in ops:
            _apply(world, op)
        # Every file merges every other, in a random order, twice over.
        for _ in range(2):
            for target in order:
                for source in order:
                    if source != target:
                        merge(workspaces[target], paths[source], PASSPHRASE)
        dumps = [dump(ws) for ws in workspaces]
        assert all(d == dumps[0] for d in dumps[1:]), "the copies differ after merging"
        for ws in workspaces:
            held = set(world.held(workspaces.index(ws)))
            assert held == world.captured - world.gone, "a response was lost or came back"
            for response_id in world.erased:
                assert tombstones.reason(ws.db, response_id) == "erased"
            for response_id in held:
                stories = {story(ws, response_id), *kept_stories(ws, response_id)}
                assert _leaves(world, response_id) <= stories, "a change was silently lost"
        again = [merge(workspaces[0], path, PASSPHRASE) for path in paths[1:]]
        assert all((r.added, r.updated, r.conflicts) == (0, 0, 0) for r in again)
    finally:
        for ws in workspaces:
            ws.close()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ops=operations, order=st.permutations(list(range(FILES))))
def test_copies_merged_in_any_order_converge_with_nothing_lost(
    ops: list[Op], order: list[int]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _run(Path(folder), ops, order)
