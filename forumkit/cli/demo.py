"""``forumkit demo FILE``: write the demo forum (a sample survey and its responses)."""

from __future__ import annotations

import argparse

from forumkit.cli.common import (
    add_file_arguments,
    add_json_argument,
    emit,
    passphrase_for,
    warn_if_test_strength,
)
from forumkit.demo import DEMO_FORUM, DemoCounts, create_demo
from forumkit.wording import plural


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser(
        "demo", help="create a demo forum file (a sample survey and its responses)"
    )
    add_file_arguments(demo, writes=False)
    add_json_argument(demo)
    demo.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """Create the demo forum at FILE under the passphrase given the usual way (asked twice)."""
    passphrase = passphrase_for(args, confirm=True)
    counts = DemoCounts()
    with create_demo(args.file, passphrase) as workspace:
        forum = workspace.forum.name
        warn_if_test_strength(workspace)
    emit(
        args,
        {
            "file": str(args.file),
            "forum": forum,
            "responses": counts.total,
            "complete": counts.complete,
            "drafts": counts.kiosk_drafts,
        },
        f"Created the demo forum “{DEMO_FORUM}” in {args.file}: one survey and "
        f"{plural(counts.complete, 'response')} (plus "
        f"{plural(counts.kiosk_drafts, 'unfinished kiosk draft')}). It holds no real data.",
    )
    return 0
