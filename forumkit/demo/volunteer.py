"""The demo's volunteer copy: a laptop's file with responses captured at an event, ready to
merge into the demo forum (``forumkit merge``, or the app's File menu).

It is made as a chair makes one (``forumkit.merge.volunteer_copy``: the forum's surveys and
codebooks, nobody's answers, its own passphrase), then a volunteer types in a morning's paper
forms on it.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from forumkit.demo.answers import demo_answers
from forumkit.merge import volunteer_copy
from forumkit.responses import add_response
from forumkit.surveys import get_survey
from forumkit.vault import KdfParams, backup_path
from forumkit.workspace import Workspace

DEMO_VOLUNTEER_PASSPHRASE = "demo volunteer only"
"""The volunteer copy's own passphrase, shown on screen beside the demo forum's."""
VOLUNTEER = "Demo volunteer D"
VOLUNTEER_RESPONSES = 24
VOLUNTEER_SEED = 19


def volunteer_copy_path(forum_path: Path | str) -> Path:
    """Where the demo puts its volunteer copy: beside the demo forum, ``…-volunteer``."""
    path = Path(forum_path)
    return path.with_name(f"{path.stem}-volunteer{path.suffix or '.forumkit'}")


def make_volunteer_copy(
    workspace: Workspace, path: Path, form_id: str, *, kdf: KdfParams | None = None
) -> int:
    """Make the volunteer copy of the demo forum at ``path`` and type a morning's paper forms
    of survey ``form_id`` into it; returns how many. No file is left at ``path`` on failure."""
    made = volunteer_copy(workspace, path, DEMO_VOLUNTEER_PASSPHRASE, kdf=kdf)
    try:
        with Workspace.open(made.path, DEMO_VOLUNTEER_PASSPHRASE) as laptop:
            survey = get_survey(laptop.db, form_id)
            rng = random.Random(VOLUNTEER_SEED)
            moment = dt.datetime(2026, 3, 21, 9, 30, tzinfo=dt.UTC)
            with laptop.transaction("demo_volunteer_responses"):
                for _ in range(VOLUNTEER_RESPONSES):
                    moment += dt.timedelta(minutes=rng.randint(6, 14))
                    add_response(
                        laptop,
                        survey,
                        demo_answers(rng),
                        status="complete",
                        source="entered",
                        captured_by=VOLUNTEER,
                        started=moment.isoformat(timespec="seconds"),
                        finished=(moment + dt.timedelta(minutes=5)).isoformat(timespec="seconds"),
                    )
    except BaseException:
        for leftover in (made.path, backup_path(made.path)):
            leftover.unlink(missing_ok=True)
        raise
    return VOLUNTEER_RESPONSES
