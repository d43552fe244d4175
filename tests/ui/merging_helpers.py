"""Forum files for the merging tests: a chair's file open in the app, and volunteers' copies
that both corrected one response differently."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forumkit.merge import merge
from forumkit.responses import update_response
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.merge.helpers import VOLUNTEER_PASSPHRASE, capture, make_chair, make_copy, opened
from tests.core.responses.helpers import complete_answers

FIRST = "Zebedee-First-1207 the first laptop's correction"
SECOND = "Zebedee-Second-5530 the second laptop's correction"


@dataclass(frozen=True)
class Laptops:
    chair: Path
    first: Path
    second: Path
    survey: Survey
    response_id: str


def two_laptops(folder: Path) -> Laptops:
    """The chair's file, and two volunteers' copies (under VOLUNTEER_PASSPHRASE) that each
    hold one response captured on the first laptop and corrected differently on each."""
    chair, survey = make_chair(folder)
    first = make_copy(chair, "first laptop.forumkit", VOLUNTEER_PASSPHRASE)
    second = make_copy(chair, "second laptop.forumkit", VOLUNTEER_PASSPHRASE)
    with opened(first, VOLUNTEER_PASSPHRASE) as ws:
        made = capture(ws, survey, "what the parent first said")
    with opened(second, VOLUNTEER_PASSPHRASE) as ws:
        merge(ws, first, VOLUNTEER_PASSPHRASE)
        update_response(ws, made.id, complete_answers(experience=SECOND))
    with opened(first, VOLUNTEER_PASSPHRASE) as ws:
        update_response(ws, made.id, complete_answers(experience=FIRST))
    return Laptops(chair, first, second, survey, made.id)


def open_chair(path: Path) -> Workspace:
    return Workspace.open(path, PASSPHRASE)
