"""``forumkit survey import|export|list|rename|archive|remove``: a forum file's surveys.

``import`` prints only the survey's id on stdout (so scripts can capture it), with a summary and
the reader's warnings on stderr; ``--json`` prints everything as one document instead.
``remove --with-responses`` erases the survey's responses as an erasure does, so it asks for
confirmation on a terminal and needs ``--yes`` without one.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from forumkit.cli.common import (
    ConfirmationNeeded,
    add_file_arguments,
    add_json_argument,
    ask_yes,
    emit,
    open_workspace,
    warn,
)
from forumkit.cli.terminal import say
from forumkit.responses import count_responses, erasure_summary, remove_survey
from forumkit.surveys import (
    archive_survey,
    export_xlsform,
    get_survey,
    import_xlsform,
    list_surveys,
    rename_survey,
)
from forumkit.wording import plural

_STATUS_WORDS = {
    "added": "Added",
    "new_version": "Added a new version of",
    "made_current": "Made an earlier version current again:",
    "updated": "Updated the title or consent questions of",
    "unchanged": "Already up to date:",
}


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``survey import|export|list|rename|archive|remove``."""
    survey = commands.add_parser("survey", help="import, export and list surveys (XLSForms)")
    actions = survey.add_subparsers(dest="survey_command", metavar="ACTION", required=True)

    add = actions.add_parser("import", help="add a survey from an XLSForm; print its id")
    add_file_arguments(add)
    add.add_argument("form", metavar="FORM.xlsx", type=Path, help="the XLSForm workbook")
    add.add_argument(
        "--restore-removed",
        action="store_true",
        help="bring back a survey that was removed from this file (its responses stay gone)",
    )
    add_json_argument(add)
    add.set_defaults(run=run_import)

    export = actions.add_parser("export", help="write a survey as an XLSForm")
    add_file_arguments(export, writes=False)
    export.add_argument("survey", metavar="SURVEY", help="the survey's id or form_id")
    export.add_argument("out", metavar="OUT.xlsx", type=Path, help="the workbook to write")
    export.add_argument(
        "--version", type=int, metavar="N", help="export version N (default: the latest)"
    )
    add_json_argument(export)
    export.set_defaults(run=run_export)

    listing = actions.add_parser("list", help="the surveys in a forum file")
    add_file_arguments(listing, writes=False)
    add_json_argument(listing)
    listing.set_defaults(run=run_list)

    rename = actions.add_parser("rename", help="give a survey the name the forum knows it by")
    add_file_arguments(rename)
    rename.add_argument("survey", metavar="SURVEY", help="the survey's id or form_id")
    rename.add_argument(
        "title", metavar="TITLE", help='the new name ("" for the form\'s own title)'
    )
    add_json_argument(rename)
    rename.set_defaults(run=run_rename)

    archive = actions.add_parser("archive", help="archive a survey (kept, out of the way)")
    add_file_arguments(archive)
    archive.add_argument("survey", metavar="SURVEY", help="the survey's id or form_id")
    archive.add_argument("--undo", action="store_true", help="bring an archived survey back")
    add_json_argument(archive)
    archive.set_defaults(run=run_archive)

    remove = actions.add_parser("remove", help="remove a survey from the forum file for good")
    add_file_arguments(remove)
    remove.add_argument("survey", metavar="SURVEY", help="the survey's id or form_id")
    remove.add_argument(
        "--with-responses",
        action="store_true",
        help="also erase all its responses for good (as an erasure does)",
    )
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_json_argument(remove)
    remove.set_defaults(run=run_remove)


def run_import(args: argparse.Namespace) -> int:
    """Import FORM.xlsx: the id on stdout, a summary and the skipped rows on stderr."""
    with open_workspace(args) as workspace:
        result = import_xlsform(workspace, args.form, restore_removed=args.restore_removed)
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
        say(
            f"{_STATUS_WORDS[result.status]} “{survey.title}” ({survey.form_id}), version "
            f"{survey.version}, {plural(data['questions'], 'question')}.",
            sys.stderr,
        )
        for warning in result.warnings:
            warn(warning)
    emit(args, data, survey.id)
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write SURVEY (latest version unless --version) as an XLSForm workbook."""
    with open_workspace(args, read_only=True) as workspace:
        survey = get_survey(workspace.db, args.survey, args.version)
    export_xlsform(survey, args.out)
    data = {"id": survey.id, "form_id": survey.form_id, "version": survey.version}
    data["path"] = str(args.out)
    emit(args, data, f"Wrote “{survey.title}” version {survey.version} to {args.out}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """List the forum's surveys with their latest version."""
    with open_workspace(args, read_only=True) as workspace:
        surveys = list_surveys(workspace.db)
    data = {"surveys": [asdict(summary) for summary in surveys]}
    if not surveys:
        text = "No surveys yet; add one with: forumkit survey import FILE FORM.xlsx"
    else:
        text = "\n".join(
            f"{s.form_id}  {s.title}  (version {s.version}, {plural(s.questions, 'question')})  "
            f"id {s.id}"
            for s in surveys
        )
    emit(args, data, text)
    return 0


def run_rename(args: argparse.Namespace) -> int:
    """Rename SURVEY; re-importing its XLSForm keeps the new name."""
    with open_workspace(args) as workspace:
        survey = rename_survey(workspace, args.survey, args.title)
    data = {"id": survey.id, "form_id": survey.form_id, "title": survey.title}
    emit(args, data, f"The survey {survey.form_id} is now called “{survey.title}”.")
    return 0


def run_archive(args: argparse.Namespace) -> int:
    """Archive SURVEY (or bring it back with --undo); nothing is deleted."""
    with open_workspace(args) as workspace:
        survey = archive_survey(workspace, args.survey, archived=not args.undo)
    data = {"id": survey.id, "form_id": survey.form_id, "archived": not args.undo}
    done = "no longer archived" if args.undo else "archived; its responses are kept"
    emit(args, data, f"“{survey.title}” ({survey.form_id}) is {done}.")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    """Remove SURVEY for good; with --with-responses its responses are erased too."""
    interactive = sys.stdin.isatty()
    if args.with_responses and not args.yes and not interactive:
        raise ConfirmationNeeded(
            "Removing a survey with its responses cannot be undone and there is no terminal to "
            "confirm on: add --yes to remove it."
        )
    with open_workspace(args) as workspace:
        survey = get_survey(workspace.db, args.survey)
        held = count_responses(workspace.db, survey.id)
        if args.with_responses and held and not args.yes:
            question = (
                f"Remove “{survey.title}” and erase its {plural(held, 'response')} for good? The "
                "forum file and its backup will be rewritten without them; this cannot be undone."
            )
            if not ask_yes(question):
                print("Nothing was removed.", file=sys.stderr)
                return 1
        removal = remove_survey(workspace, survey.id, with_responses=args.with_responses)
    data: dict[str, Any] = {
        "id": removal.survey_id,
        "form_id": removal.form_id,
        "erased_responses": removal.responses,
        "disclosures": [d.to_dict() for d in removal.disclosures],
    }
    lines = [f"Removed the survey {removal.form_id}."]
    if removal.responses:
        lines.append(erasure_summary(removal.responses, removal.disclosures))
    emit(args, data, "\n".join(lines))
    return 0
