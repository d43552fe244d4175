"""``forumkit responses import FILE SURVEY DATA``: responses from an online form's export.

The whole file is checked before anything is stored: with any problem nothing is imported, every
problem is listed (row as the spreadsheet shows it, column heading, reason) and the exit code is
1. ``--dry-run`` reports exactly what an import would (the same figures and exit code) and
changes nothing. Re-importing a file, or an export that overlaps an earlier one, adds only the
responses not already held; the rest are counted as duplicates. A row edited in the source
since it was imported updates its response (a dry run names those rows as changed), purging the
replaced answers; an older export never brings back what a newer one replaced. A file refused
as a whole (unreadable, no column matching the survey, a bad mapping) prints, with ``--json``,
the same document with the reason in ``refused``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from forumkit.cli.common import add_file_arguments, add_json_argument, emit, open_workspace, warn
from forumkit.cli.terminal import say
from forumkit.importers import (
    FORMAT_CHOICES,
    ImportFileError,
    MappingFileError,
    already_held,
    changed_sentence,
    kept_sentence,
    plan_import,
    run_import,
    skipped_sentences,
)
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
        try:
            plan = plan_import(
                survey, args.data, format=args.format, mapping=args.mapping, progress=progress
            )
        except (ImportFileError, MappingFileError) as refused:
            # The file as a whole is refused: a script reading --json still gets its document.
            if args.json:
                emit(args, _document(refused=str(refused)), "")
            raise
        held = already_held(workspace.db, plan)
        if plan.problems:
            data = _document()
        elif args.dry_run:
            data = _document(
                imported=len(held.new),
                updated=len(held.changed),
                duplicates=held.duplicates,
                removed_earlier=held.removed_earlier,
                outdated=held.outdated,
                kept_corrected=held.kept_corrected,
                changed_rows=list(held.changed_rows),
            )
        else:
            added = run_import(workspace, survey, plan)
            data = _document(
                imported=added.added,
                updated=added.updated,
                duplicates=added.duplicates,
                removed_earlier=added.removed_earlier,
                outdated=added.outdated,
                kept_corrected=added.kept_corrected,
                changed_rows=list(held.changed_rows),
            )
    data["rejected"] = [
        {"row": problem.row, "column": problem.column, "reason": problem.reason}
        for problem in plan.problems
    ]
    data["warnings"] = list(plan.warnings)
    if held.kept_rows and not plan.problems:
        data["warnings"].append(kept_sentence(held.kept_rows))
    if not args.json:
        for message in data["warnings"]:
            warn(message)
    emit(args, data, _summary(plan.file_name, plan.format_title, survey.title, data, args))
    return EXIT_REJECTED if plan.problems else 0


def _document(
    *,
    imported: int = 0,
    updated: int = 0,
    duplicates: int = 0,
    removed_earlier: int = 0,
    outdated: int = 0,
    kept_corrected: int = 0,
    changed_rows: list[int] | None = None,
    refused: str | None = None,
) -> dict[str, Any]:
    """The ``--json`` document (docs/cli.md), rejected rows and warnings added by the caller."""
    return {
        "imported": imported,
        "updated": updated,
        "duplicates": duplicates,
        "removed_earlier": removed_earlier,
        "outdated": outdated,
        "kept_corrected": kept_corrected,
        "changed_rows": changed_rows or [],
        "rejected": [],
        "warnings": [],
        "refused": refused,
    }


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
        if data["updated"]:
            lines.append(changed_sentence(data["updated"], data["changed_rows"], done=False))
    else:
        lines.append(
            f"Imported {plural(data['imported'], 'response')}; {data['duplicates']:,} "
            f"{noun(data['duplicates'], 'was', 'were')} already in the forum file."
        )
        if data["updated"]:
            lines.append(changed_sentence(data["updated"], data["changed_rows"], done=True))
    if not rejected:
        lines.extend(
            skipped_sentences(outdated=data["outdated"], removed_earlier=data["removed_earlier"])
        )
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
