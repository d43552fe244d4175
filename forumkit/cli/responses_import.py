"""``forumkit responses import FILE SURVEY DATA``: responses from an online form's export.

The whole file is checked before anything is stored: with any problem nothing is imported, every
problem is listed (row as the spreadsheet shows it, column heading, reason) and the exit code is
1. ``--dry-run`` reports exactly what an import would (the same figures and exit code) and
changes nothing. Re-importing a file, or an export that overlaps an earlier one, adds only the
responses not already held; the rest are counted as duplicates.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from forumkit.cli.common import add_file_arguments, add_json_argument, emit, open_workspace, warn
from forumkit.cli.terminal import say
from forumkit.importers import FORMAT_CHOICES, already_held, plan_import, run_import
from forumkit.surveys import get_survey
from forumkit.wording import noun, numbered, plural

EXIT_REJECTED = 1


def register(
    group: argparse._SubParsersAction[argparse.ArgumentParser] | argparse.ArgumentParser,
) -> None:
    """Add ``import`` to the ``responses`` group (its sub-command action, or its parser)."""
    actions = group if isinstance(group, argparse._SubParsersAction) else _actions_of(group)
    command = actions.add_parser(
        "import", help="import responses from an online form's xlsx/csv export"
    )
    add_file_arguments(command)
    command.add_argument("survey", metavar="SURVEY", help="the survey's id or form_id")
    command.add_argument("data", metavar="DATA", type=Path, help="the .xlsx or .csv export")
    command.add_argument(
        "--format",
        choices=FORMAT_CHOICES,
        default="auto",
        help="the tool that wrote DATA (default: detected from its headings)",
    )
    command.add_argument(
        "--mapping",
        type=Path,
        metavar="MAP.json",
        help='column headings → question names: {"columns": {"Heading": "question" | null}}',
    )
    command.add_argument(
        "--dry-run", action="store_true", help="check and report only; import nothing"
    )
    add_json_argument(command)
    command.set_defaults(run=run_import_command)


def _actions_of(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[Any]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest="responses_command", metavar="ACTION", required=True)


def run_import_command(args: argparse.Namespace) -> int:
    """Check DATA against SURVEY and, unless --dry-run or a row has problems, import it."""
    with open_workspace(args) as workspace:
        survey = get_survey(workspace.db, args.survey)
        progress = _show_progress if sys.stderr.isatty() else None
        if progress is not None:
            say(f"Reading “{args.data.name}”…", sys.stderr)
        plan = plan_import(
            survey, args.data, format=args.format, mapping=args.mapping, progress=progress
        )
        held = already_held(workspace.db, plan)
        duplicates, removed_earlier = held.duplicates, held.removed_earlier
        if plan.problems or args.dry_run:
            imported = 0 if plan.problems else len(held.new)
        else:
            added = run_import(workspace, survey, plan)
            imported, duplicates = added.added, added.duplicates
            removed_earlier = added.removed_earlier
    data: dict[str, Any] = {
        "imported": imported,
        "duplicates": duplicates,
        "removed_earlier": removed_earlier,
        "rejected": [
            {"row": problem.row, "column": problem.column, "reason": problem.reason}
            for problem in plan.problems
        ],
        "warnings": list(plan.warnings),
    }
    if not args.json:
        for message in plan.warnings:
            warn(message)
    emit(args, data, _summary(plan.file_name, plan.format_title, survey.title, data, args))
    return EXIT_REJECTED if plan.problems else 0


def _show_progress(done: int, total: int) -> None:
    end = "\n" if done >= total else ""
    print(f"\rChecking rows: {done:,} of {total:,}", end=end, file=sys.stderr, flush=True)


def _summary(
    file_name: str, format_title: str, title: str, data: dict[str, Any], args: argparse.Namespace
) -> str:
    rejected: list[dict[str, Any]] = data["rejected"]
    lines = [f"Read “{file_name}” as a {format_title} export for “{title}”."]
    if rejected:
        lines.extend(_grouped_problems(rejected))
        count = len(rejected)
        lines.append(
            f"{plural(count, 'problem')}: nothing was imported. Correct the "
            "file (or use --mapping) and import it again."
        )
    elif args.dry_run:
        lines.append(
            f"Dry run: {plural(data['imported'], 'response')} would be imported; "
            f"{data['duplicates']:,} {noun(data['duplicates'], 'is', 'are')} already in the forum "
            "file. Nothing was changed."
        )
    else:
        lines.append(
            f"Imported {plural(data['imported'], 'response')}; {data['duplicates']:,} "
            f"{noun(data['duplicates'], 'was', 'were')} already in the forum file."
        )
    if data["removed_earlier"] and not rejected:
        lines.append(f"{data['removed_earlier']} skipped: deleted or erased earlier.")
    return "\n".join(lines)


def _grouped_problems(rejected: list[dict[str, Any]]) -> list[str]:
    """One line per column and reason, naming its rows (a few, then how many more): a wide or
    long file with one bad column would otherwise print a line per cell. --json lists all."""
    rows: dict[tuple[str, str], list[int]] = {}
    for item in rejected:
        rows.setdefault((item["column"], item["reason"]), []).append(item["row"])
    return [
        f"{numbered('Row', numbers)}, column “{column}”: {reason}"
        if column
        else f"{numbered('Row', numbers)}: {reason}"
        for (column, reason), numbers in rows.items()
    ]
