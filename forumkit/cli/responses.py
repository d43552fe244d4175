"""``forumkit responses export|show|erase`` (and ``import``, from ``responses_import``).

``show`` and ``erase`` answer a respondent's data-protection requests (right of access, right to
erasure). ``erase`` asks for confirmation on a terminal; without one it needs ``--yes``, so a
script can never erase by accident. ``export`` warns on stderr when the file it writes is not
password-protected.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from forumkit.cli import responses_import
from forumkit.cli.common import (
    ConfirmationNeeded,
    add_file_arguments,
    add_json_argument,
    add_password_argument,
    ask_yes,
    emit,
    open_workspace,
    read_password_file,
    warn,
)
from forumkit.responses import (
    access_text,
    erase_respondent,
    erasure_text,
    export_responses,
    find_respondent,
)
from forumkit.surveys import get_survey
from forumkit.wording import plural


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``responses`` group: ``import``, ``export``, ``show`` and ``erase``."""
    group = commands.add_parser("responses", help="import, export, show and erase responses")
    actions = group.add_subparsers(dest="responses_command", metavar="ACTION", required=True)
    responses_import.register(actions)

    export = actions.add_parser("export", help="write a survey's responses to xlsx or csv")
    add_file_arguments(export)
    export.add_argument("survey", metavar="SURVEY", help="the survey's id or form_id")
    export.add_argument("out", metavar="OUT", type=Path, help="the .xlsx or .csv file to write")
    add_password_argument(export, "protect the xlsx with the password on this file's first line")
    export.add_argument(
        "--include-drafts",
        action="store_true",
        help="also export unfinished responses (drafts), left out by default",
    )
    add_json_argument(export)
    export.set_defaults(run=run_export)

    show = actions.add_parser("show", help="everything held about one respondent (access)")
    add_file_arguments(show, writes=False)
    show.add_argument("--respondent", required=True, metavar="REF", help="respondent reference")
    add_json_argument(show)
    show.set_defaults(run=run_show)

    erase = actions.add_parser("erase", help="erase one respondent's responses for good")
    add_file_arguments(erase)
    erase.add_argument("--respondent", required=True, metavar="REF", help="respondent reference")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_json_argument(erase)
    erase.set_defaults(run=run_erase)


def run_export(args: argparse.Namespace) -> int:
    """Export SURVEY's responses to OUT (xlsx or csv), encrypted with --password-file."""
    password = read_password_file(args.password_file)
    with open_workspace(args) as workspace:
        survey = get_survey(workspace.db, args.survey)
        result = export_responses(
            workspace, survey, args.out, password=password, include_drafts=args.include_drafts
        )
    if not result.encrypted:
        warn(
            f"“{args.out}” is not encrypted: it holds parents' answers as plain text. Keep it "
            "safe and delete it when done, or export to .xlsx with --password-file."
        )
    data = {
        "path": str(result.path),
        "format": result.format,
        "responses": result.responses,
        "encrypted": result.encrypted,
    }
    protected = " (password-protected)" if result.encrypted else ""
    emit(args, data, f"Wrote {plural(result.responses, 'response')} to {args.out}{protected}.")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print everything held about one respondent (right of access)."""
    with open_workspace(args, read_only=True) as workspace:
        held = find_respondent(workspace.db, args.respondent)
    emit(args, held.to_dict(), access_text(held))
    return 0


def run_erase(args: argparse.Namespace) -> int:
    """Erase every response of one respondent (right to erasure), after confirmation."""
    interactive = sys.stdin.isatty()
    if not args.yes and not interactive:
        raise ConfirmationNeeded(
            "Erasing cannot be undone and there is no terminal to confirm on: add --yes to erase."
        )
    with open_workspace(args) as workspace:
        if not args.yes:
            count = len(find_respondent(workspace.db, args.respondent).responses)
            question = (
                f"Erase {plural(count, 'response')} of this respondent for good? The forum file "
                "and its backup will be rewritten without them; this cannot be undone."
            )
            if count and not ask_yes(question):
                print("Nothing was erased.", file=sys.stderr)
                return 1
        erasure = erase_respondent(workspace, args.respondent)
    data: dict[str, Any] = {
        "erased": erasure.responses,
        "counts": erasure.counts,
        "response_ids": list(erasure.response_ids),
        "disclosures": [d.to_dict() for d in erasure.disclosures],
        "backup_purged": erasure.backup_purged,
    }
    emit(args, data, erasure_text(erasure))
    return 0
