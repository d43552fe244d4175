"""``forumkit survey import|export|list``: bringing XLSForms in and out of a forum file.

``import`` prints only the survey's id on stdout (so scripts can capture it), with a summary and
the reader's warnings on stderr; ``--json`` prints everything as one document instead.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from forumkit.cli.common import add_file_arguments, add_json_argument, emit, open_workspace
from forumkit.surveys.store import get_survey, import_xlsform, list_surveys
from forumkit.surveys.xlsform_write import export_xlsform

_STATUS_WORDS = {
    "added": "Added",
    "new_version": "Added a new version of",
    "unchanged": "Already up to date:",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``survey import``, ``survey export`` and ``survey list``."""
    survey = commands.add_parser("survey", help="import, export and list surveys (XLSForms)")
    actions = survey.add_subparsers(dest="survey_command", metavar="ACTION", required=True)

    add = actions.add_parser("import", help="add a survey from an XLSForm; print its id")
    add_file_arguments(add)
    add.add_argument("form", metavar="FORM.xlsx", type=Path, help="the XLSForm workbook")
    add_json_argument(add)
    add.set_defaults(run=run_import)

    export = actions.add_parser("export", help="write a survey as an XLSForm")
    add_file_arguments(export)
    export.add_argument("survey", metavar="SURVEY", help="the survey's id or form_id")
    export.add_argument("out", metavar="OUT.xlsx", type=Path, help="the workbook to write")
    export.add_argument(
        "--version", type=int, metavar="N", help="export version N (default: the latest)"
    )
    add_json_argument(export)
    export.set_defaults(run=run_export)

    listing = actions.add_parser("list", help="the surveys in a forum file")
    add_file_arguments(listing)
    add_json_argument(listing)
    listing.set_defaults(run=run_list)


def run_import(args: argparse.Namespace) -> int:
    """Import FORM.xlsx: the id on stdout, a summary and the skipped rows on stderr."""
    with open_workspace(args) as workspace:
        result = import_xlsform(workspace, args.form)
    survey = result.survey
    data: dict[str, Any] = {
        "id": survey.id,
        "form_id": survey.form_id,
        "title": survey.title,
        "version": survey.version,
        "status": result.status,
        "questions": len([q for q in survey.questions if q.takes_answer]),
        "warnings": list(result.warnings),
        "unenforced_rules": [asdict(rule) for rule in survey.unenforced_rules()],
    }
    if not args.json:
        print(
            f"{_STATUS_WORDS[result.status]} “{survey.title}” ({survey.form_id}), version "
            f"{survey.version}, {data['questions']} questions.",
            file=sys.stderr,
        )
        for warning in result.warnings:
            print(f"Warning: {warning}", file=sys.stderr)
    emit(args, data, survey.id)
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write SURVEY (latest version unless --version) as an XLSForm workbook."""
    with open_workspace(args) as workspace:
        survey = get_survey(workspace.db, args.survey, args.version)
    export_xlsform(survey, args.out)
    data = {"id": survey.id, "form_id": survey.form_id, "version": survey.version}
    data["path"] = str(args.out)
    emit(args, data, f"Wrote “{survey.title}” version {survey.version} to {args.out}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """List the forum's surveys with their latest version."""
    with open_workspace(args) as workspace:
        surveys = list_surveys(workspace.db)
    data = {"surveys": [asdict(summary) for summary in surveys]}
    if not surveys:
        text = "No surveys yet; add one with: forumkit survey import FILE FORM.xlsx"
    else:
        text = "\n".join(
            f"{s.form_id}  {s.title}  (version {s.version}, {s.questions} questions)  id {s.id}"
            for s in surveys
        )
    emit(args, data, text)
    return 0
