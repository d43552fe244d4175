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
from forumkit.demo import (
    DEMO_FORUM,
    DEMO_PACK_PASSWORD,
    DEMO_SURVEY,
    DEMO_VOLUNTEER_PASSPHRASE,
    LAST_YEAR_SURVEY,
    make_demo,
    volunteer_copy_path,
)
from forumkit.wording import plural


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser(
        "demo", help="create a demo forum file (a sample survey and its responses)"
    )
    add_file_arguments(demo, writes=False)
    add_json_argument(demo)
    demo.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """Create the demo forum at FILE under the passphrase given the usual way (asked twice),
    and its volunteer copy beside it."""
    passphrase = passphrase_for(args, confirm=True)
    copy = volunteer_copy_path(args.file)
    workspace, counts = make_demo(args.file, passphrase)
    with workspace:
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
            "last_year": counts.last_year,
            "quotes": counts.quotes,
            "volunteer_copy": str(copy),
            "volunteer_responses": counts.volunteer_responses,
        },
        f"Created the demo forum “{DEMO_FORUM}” in {args.file}: this year's survey "
        f"({DEMO_SURVEY}) with {plural(counts.complete, 'response')} (plus "
        f"{plural(counts.kiosk_drafts, 'unfinished kiosk draft')}) and "
        f"{plural(counts.quotes, 'tagged quote')}, and last year's ({LAST_YEAR_SURVEY}) with "
        f"{plural(counts.last_year, 'response')}. It holds no real data.\n"
        f"A volunteer's copy to merge is in {copy} (passphrase: {DEMO_VOLUNTEER_PASSPHRASE}); "
        f"its {plural(counts.volunteer_responses, 'response')} come in with `forumkit merge`.\n"
        f"Give the demo's evidence packs the password {DEMO_PACK_PASSWORD} "
        "(`forumkit pack … --password-file` with it in a file).",
    )
    return 0
