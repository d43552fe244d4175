"""``forumkit volunteer-copy``, ``merge`` and ``conflicts list|resolve``: several laptops' copies
of one forum file, brought together with nothing lost (``forumkit.merge``).

The other file's passphrase comes from ``FORUMKIT_OTHER_PASSPHRASE``, else
``--other-passphrase-file``, else a prompt; a volunteer copy's own passphrase is a "new
passphrase" (``FORUMKIT_NEW_PASSPHRASE``, ``--new-passphrase-file``, or a prompt asking twice).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from forumkit.cli.common import (
    add_file_arguments,
    add_json_argument,
    add_new_passphrase_argument,
    emit,
    group_key,
    new_passphrase_for,
    open_workspace,
    read_secret,
    warn_if_test_strength_params,
)
from forumkit.cli.terminal import slow_work_notice
from forumkit.merge import (
    describe,
    list_conflicts,
    merge,
    resolve_conflict,
    volunteer_copy,
)
from forumkit.vault import Vault
from forumkit.wording import plural

OTHER_PASSPHRASE_ENV = "FORUMKIT_OTHER_PASSPHRASE"

COPY_ADVICE = (
    "Give the volunteer the copy and its passphrase; keep the recovery key with the forum's "
    "other keys, away from the laptop. Merge the copy back with `forumkit merge`."
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    copy = commands.add_parser(
        "volunteer-copy", help="a forum file for a volunteer's laptop, without responses"
    )
    add_file_arguments(copy, writes=False)
    copy.add_argument("out", metavar="OUT.forumkit", type=Path, help="the new file to make")
    add_new_passphrase_argument(copy)
    add_json_argument(copy)
    copy.set_defaults(run=run_volunteer_copy)

    merging = commands.add_parser("merge", help="bring another laptop's copy into FILE")
    add_file_arguments(merging)
    merging.add_argument("other", metavar="OTHER.forumkit", type=Path, help="the other copy")
    merging.add_argument(
        "--other-passphrase-file",
        type=Path,
        metavar="PATH",
        help=f"read the other file's passphrase from this file's first line (else "
        f"${OTHER_PASSPHRASE_ENV}, else a prompt)",
    )
    merging.add_argument(
        "--other-forum",
        action="store_true",
        help="merge it even though it is a file of another forum",
    )
    merging.add_argument(
        "--include-drafts",
        action="store_true",
        help="bring the other copy's unfinished drafts too (they stay on that laptop otherwise)",
    )
    add_json_argument(merging)
    merging.set_defaults(run=run_merge)

    group = commands.add_parser("conflicts", help="changes made in two copies to one record")
    actions = group.add_subparsers(dest="conflicts_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the conflicts kept for review")
    add_file_arguments(listing, writes=False)
    add_json_argument(listing)
    listing.set_defaults(run=run_conflicts)
    resolve = actions.add_parser("resolve", help="keep one of a conflict's two versions")
    add_file_arguments(resolve)
    resolve.add_argument("conflict", metavar="ID", help="the conflict's id (conflicts list)")
    resolve.add_argument(
        "--keep",
        required=True,
        choices=["mine", "theirs"],
        help="mine: the record as FILE has it; theirs: the version kept aside",
    )
    add_json_argument(resolve)
    resolve.set_defaults(run=run_resolve)


def run_volunteer_copy(args: argparse.Namespace) -> int:
    new_passphrase = new_passphrase_for(args)
    with open_workspace(args, read_only=True) as workspace:
        with slow_work_notice(f"Making “{args.out.name}”: working out its key"):
            made = volunteer_copy(workspace, args.out, new_passphrase)
        forum = workspace.forum.name
    header, _ = Vault.read_header(made.path)
    warn_if_test_strength_params(made.path.name, header.passphrase_slot.params)
    data = {
        "file": str(made.path),
        "forum": forum,
        "surveys": made.surveys,
        "codebooks": made.codebooks,
        "recovery_key": made.recovery_key,
    }
    emit(
        args,
        data,
        f"Made “{made.path.name}” for a volunteer's laptop: {plural(made.surveys, 'survey')} "
        f"and {plural(made.codebooks, 'codebook')}, no responses.\n\n"
        f"Its recovery key (shown only this once):\n\n{group_key(made.recovery_key)}\n\n"
        f"{COPY_ADVICE}",
    )
    return 0


def run_merge(args: argparse.Namespace) -> int:
    other: Path = args.other
    other_passphrase = read_secret(
        env=OTHER_PASSPHRASE_ENV,
        file=args.other_passphrase_file,
        file_option="--other-passphrase-file",
        prompt=f"Passphrase for {other.name}: ",
        what="other file's passphrase",
    )
    opening = f"Opening “{other.name}”: working out the key from its passphrase"
    with open_workspace(args) as workspace, slow_work_notice(opening):
        result = merge(
            workspace,
            other,
            other_passphrase,
            other_forum=args.other_forum,
            include_drafts=args.include_drafts,
        )
    emit(args, result.as_dict(), result.summary())
    return 0


def run_conflicts(args: argparse.Namespace) -> int:
    with open_workspace(args, read_only=True) as workspace:
        found = list_conflicts(workspace.db)
        data: dict[str, Any] = {"conflicts": [conflict.to_dict() for conflict in found]}
        if not found:
            text = "No conflicts to review: every change merged without one."
        else:
            lines = [
                f"{plural(len(found), 'conflict')} to review (forumkit conflicts resolve FILE ID "
                "--keep mine|theirs):"
            ]
            lines += [describe(conflict) for conflict in found]
            text = "\n".join(lines)
        emit(args, data, text)
    return 0


def run_resolve(args: argparse.Namespace) -> int:
    with open_workspace(args) as workspace:
        done = resolve_conflict(workspace, args.conflict, args.keep)
    conflict = done.conflict
    kept = "this file's version" if done.kept == "mine" else "the version kept aside"
    data = {
        "id": conflict.id,
        "kind": conflict.kind,
        "record_id": conflict.record_id,
        "kept": done.kept,
    }
    emit(args, data, f"Resolved: {conflict.kind} {conflict.record_id} keeps {kept}.")
    return 0
