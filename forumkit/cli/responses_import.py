"""``forumkit responses import FILE SURVEY DATA``: responses from an online form's export.

The whole file is checked before anything is stored: with any problem nothing is imported, every
problem is listed (row as the spreadsheet shows it, column heading, the question's wording,
reason; never the cell, a parent's answer) and the exit code is 1. With ``--skip-bad-rows`` the
rows that passed are imported and the problem rows are left out (exit 0, saying how many);
``--set-aside PATH`` writes those rows to a spreadsheet to correct and import again, as an
export is written (in memory, ``--password-file`` to encrypt an xlsx, audit-logged).
``--dry-run`` reports exactly what an import would (the same figures and exit code) and changes
nothing. Re-importing a file, or an export that overlaps an earlier one, adds only the responses
not already held; the rest are counted as duplicates. A row edited in the source since it was
imported updates its response (a dry run names those rows as changed), purging the replaced
answers; an older export never brings back what a newer one replaced. A file refused as a whole
(unreadable, no column matching the survey, a bad mapping) prints, with ``--json``, the same
document with the reason in ``refused``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from forumkit.cli.common import (
    add_file_arguments,
    add_json_argument,
    add_password_argument,
    emit,
    open_workspace,
    read_password_file,
    warn,
)
from forumkit.cli.terminal import say
from forumkit.exports import ExportJob, discard_export, record_export, write_export
from forumkit.importers import (
    FORMAT_CHOICES,
    ImportFileError,
    ImportPlan,
    MappingFileError,
    SetAside,
    already_held,
    changed_sentence,
    kept_sentence,
    plan_import,
    prepare_set_aside,
    run_import,
    set_aside_rows,
    skipped_sentences,
)
from forumkit.responses import ExportError
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
    command.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the rows that pass and leave out those with problems (default: all or "
        "nothing)",
    )
    command.add_argument(
        "--set-aside",
        type=Path,
        metavar="PATH",
        help="with --skip-bad-rows: write the rows left out to this .xlsx or .csv, to correct and "
        "import again",
    )
    add_password_argument(
        command, "protect the --set-aside xlsx with the password on this file's first line"
    )
    add_json_argument(command)
    command.set_defaults(run=run_import_command)


def _actions_of(parser: argparse.ArgumentParser) -> argparse._SubParsersAction[Any]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest="responses_command", metavar="ACTION", required=True)


def run_import_command(args: argparse.Namespace) -> int:
    """Check DATA against SURVEY and, unless --dry-run or a row has problems (and not
    --skip-bad-rows), import it; with --set-aside, write the rows left out to a file."""
    if args.set_aside is not None and not args.skip_bad_rows:
        raise ExportError("--set-aside writes the rows --skip-bad-rows leaves out: add it.")
    if args.password_file is not None and args.set_aside is None:
        raise ExportError("--password-file protects the --set-aside file: give one.")
    password = read_password_file(args.password_file)
    with open_workspace(args) as workspace:
        survey = get_survey(workspace.db, args.survey)
        progress = _show_progress if sys.stderr.isatty() else None
        if progress is not None:
            say(f"Reading “{args.data.name}”…", sys.stderr)
        try:
            plan = plan_import(
                survey, args.data, format=args.format, mapping=args.mapping, progress=progress
            )
        except (ImportFileError, MappingFileError) as refused_file:
            # The file as a whole is refused: a script reading --json still gets its document.
            if args.json:
                emit(args, _document(refused=str(refused_file)), "")
            raise
        held = already_held(workspace.db, plan)
        refused = bool(plan.problems) and not args.skip_bad_rows
        written: SetAside | None = None
        if refused:
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
            job = _written_set_aside(plan, args.set_aside, password)
            try:
                added = run_import(workspace, survey, plan, skip_bad_rows=args.skip_bad_rows)
            except BaseException:
                if job is not None:
                    discard_export(job)  # nothing imported: the rows stay in DATA itself
                raise
            if job is not None:
                written = record_export(workspace, job)
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
        {
            "row": problem.row,
            "column": problem.column,
            "question": problem.question,
            "reason": problem.reason,
        }
        for problem in plan.problems
    ]
    data["set_aside"] = len(set_aside_rows(plan)) if args.skip_bad_rows else 0
    data["set_aside_file"] = str(written.path) if written is not None else None
    data["warnings"] = list(plan.warnings)
    if held.kept_rows and not refused:
        data["warnings"].append(kept_sentence(held.kept_rows))
    if not args.json:
        for message in data["warnings"]:
            warn(message)
        if written is not None and not written.encrypted:
            warn(
                f"“{written.path}” is not encrypted: it holds parents' answers as plain text. "
                "Delete it once the rows are imported, or use .xlsx with --password-file."
            )
    emit(args, data, _summary(plan.file_name, plan.format_title, survey.title, data, args))
    return EXIT_REJECTED if refused else 0


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
    """The ``--json`` document (docs/cli.md); rejected rows, what was set aside and warnings
    are added by the caller."""
    return {
        "imported": imported,
        "updated": updated,
        "duplicates": duplicates,
        "removed_earlier": removed_earlier,
        "outdated": outdated,
        "kept_corrected": kept_corrected,
        "changed_rows": changed_rows or [],
        "rejected": [],
        "set_aside": 0,
        "set_aside_file": None,
        "warnings": [],
        "refused": refused,
    }


def _written_set_aside(
    plan: ImportPlan, path: Path | None, password: str | None
) -> ExportJob[SetAside] | None:
    """Write the problem rows to ``path`` before the others are imported (a file that cannot be
    written stops the import); None when there is nothing to write. The caller records the job
    once the import is stored, or discards it."""
    if path is None or not plan.problems:
        return None
    job = prepare_set_aside(plan, path, password=password)
    write_export(job)
    return job


def _show_progress(done: int, total: int) -> None:
    end = "\n" if done >= total else ""
    print(f"\rChecking rows: {done:,} of {total:,}", end=end, file=sys.stderr, flush=True)


def _summary(
    file_name: str, format_title: str, title: str, data: dict[str, Any], args: argparse.Namespace
) -> str:
    rejected: list[dict[str, Any]] = data["rejected"]
    lines = [f"Read “{file_name}” as a {format_title} export for “{title}”."]
    lines.extend(_grouped_problems(rejected))
    count = len(rejected)
    if rejected and not args.skip_bad_rows:
        lines.append(
            f"{plural(count, 'problem')}: nothing was imported. Correct the file (or use "
            "--mapping) and import it again, or import the other rows with --skip-bad-rows."
        )
        return "\n".join(lines)
    if args.dry_run:
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
    if data["set_aside"]:
        lines.append(_set_aside_line(data, args))
    lines.extend(
        skipped_sentences(outdated=data["outdated"], removed_earlier=data["removed_earlier"])
    )
    return "\n".join(lines)


def _set_aside_line(data: dict[str, Any], args: argparse.Namespace) -> str:
    count: int = data["set_aside"]
    rows = f"{plural(count, 'row')} with problems"
    if args.dry_run:
        return f"{rows} would be left out" + (
            f" and written to {args.set_aside}." if args.set_aside else "."
        )
    if data["set_aside_file"]:
        return (
            f"{rows} {noun(count, 'was', 'were')} set aside in {data['set_aside_file']}: correct "
            f"{noun(count, 'it', 'them')} there and import that file."
        )
    return f"{rows} {noun(count, 'was', 'were')} left out (listed above)."


def _grouped_problems(rejected: list[dict[str, Any]]) -> list[str]:
    """One line per column and reason, naming its rows (a few, then how many more) and the
    question's wording: a wide or long file with one bad column would otherwise print a line
    per cell. --json lists all. The cells themselves are not printed (the app shows them): what
    a command prints ends up in terminals' scrollback, scripts and logs, so it never quotes a
    parent's answer; the set-aside file holds them, to correct."""
    rows: dict[tuple[str, str, str], list[int]] = {}
    for item in rejected:
        key = (item["column"], item["question"], item["reason"])
        rows.setdefault(key, []).append(item["row"])
    lines = []
    for (column, question, reason), numbers in rows.items():
        where = numbered("Row", numbers)
        if column:
            where += f", column “{column}”"
        if question and question != column:
            where += f" (“{question}”)"
        lines.append(f"{where}: {reason}")
    return lines
