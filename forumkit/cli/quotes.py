"""``forumkit quotes export|import|list`` and ``forumkit deny-list list|add|remove``.

``export`` writes the quotes spreadsheet of a survey (every quote, and every answer still to
quote) for tagging in Excel or LibreOffice; ``import`` applies it back, all or nothing, naming
every problem by row and column; ``list`` shows a survey's quotes, found by code and words.
The deny-list commands edit the forum's own schools, staff and places that redaction takes out.
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
from forumkit.quotes import (
    DenyEntry,
    DenyListChange,
    Quote,
    QuoteQuery,
    QuotesSheetRejected,
    add_deny_term,
    export_quotes,
    import_quotes,
    list_deny_terms,
    reasons_to_stay,
    remove_deny_term,
    responses_of,
    search_quotes,
)
from forumkit.redaction import DenyKind
from forumkit.surveys import get_survey
from forumkit.wording import plural

EXIT_REJECTED = 1


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``quotes export|import|list`` and ``deny-list list|add|remove``."""
    group = commands.add_parser(
        "quotes", help="tag parents' quotes in a spreadsheet; list and search them"
    )
    actions = group.add_subparsers(dest="quotes_command", metavar="ACTION", required=True)

    export = actions.add_parser(
        "export", help="write the quotes spreadsheet: every quote and every answer to quote"
    )
    add_file_arguments(export)
    export.add_argument("survey", metavar="SURVEY", help="the survey's id or form_id")
    export.add_argument("out", metavar="OUT.xlsx", type=Path, help="the workbook to write")
    export.add_argument(
        "--suggest", action="store_true", help="add the three codes that best fit each row"
    )
    add_password_argument(export, "protect the workbook with the password on this file's line 1")
    add_json_argument(export)
    export.set_defaults(run=run_export)

    apply = actions.add_parser(
        "import", help="apply a tagged quotes spreadsheet: codes, redacted texts, reviewed"
    )
    add_file_arguments(apply)
    apply.add_argument("survey", metavar="SURVEY", help="the survey's id or form_id")
    apply.add_argument("sheet", metavar="QUOTES.xlsx", type=Path, help="the workbook to read")
    add_password_argument(apply, "the workbook's password, on this file's first line")
    add_json_argument(apply)
    apply.set_defaults(run=run_import)

    listing = actions.add_parser("list", help="a survey's quotes, by code and words")
    add_file_arguments(listing, writes=False)
    listing.add_argument("survey", metavar="SURVEY", help="the survey's id or form_id")
    listing.add_argument(
        "--code", metavar="KEY", help="only quotes tagged with this code (or one under it)"
    )
    listing.add_argument(
        "--search",
        metavar="TEXT",
        help='only quotes with these words ("a phrase" in double quotes, prefix*)',
    )
    add_json_argument(listing)
    listing.set_defaults(run=run_list)

    deny = commands.add_parser(
        "deny-list", help="the forum's schools, staff and places that redaction takes out"
    )
    deny_actions = deny.add_subparsers(dest="deny_command", metavar="ACTION", required=True)
    show = deny_actions.add_parser("list", help="the forum's deny-list")
    add_file_arguments(show, writes=False)
    add_json_argument(show)
    show.set_defaults(run=run_deny_list)
    add = deny_actions.add_parser("add", help="add a school, person or place to redact")
    add_file_arguments(add)
    add.add_argument("term", metavar="TERM", help="the words to redact, e.g. a school's name")
    add.add_argument(
        "--kind",
        required=True,
        choices=[kind.value for kind in DenyKind],
        help="school → [school], person → [name], place → [place]",
    )
    add_json_argument(add)
    add.set_defaults(run=run_deny_add)
    remove = deny_actions.add_parser("remove", help="take an entry off the deny-list")
    add_file_arguments(remove)
    remove.add_argument("term", metavar="TERM", help="the entry's words or id")
    add_json_argument(remove)
    remove.set_defaults(run=run_deny_remove)


# -- quotes ----------------------------------------------------------------------------------------


def run_export(args: argparse.Namespace) -> int:
    """Write SURVEY's quotes spreadsheet to OUT.xlsx."""
    password = read_password_file(args.password_file)
    with open_workspace(args) as workspace:
        survey = get_survey(workspace.db, args.survey)
        result = export_quotes(workspace, survey, args.out, suggest=args.suggest, password=password)
    if not result.encrypted:
        warn(
            f"“{args.out}” is not encrypted: it holds parents' words as plain text. Keep it safe "
            "and delete it when done, or export with --password-file."
        )
    if result.outdated:
        warn(
            f"{plural(result.outdated, 'quote')} no longer match their "
            "answers (corrected since): their rows will not import until the quotes are "
            "relocated or their text is the answer as it is now."
        )
    data = {
        "path": str(result.path),
        "quotes": result.quotes,
        "answers": result.answers,
        "outdated": result.outdated,
        "suggested": result.suggested,
        "encrypted": result.encrypted,
    }
    protected = " (password-protected)" if result.encrypted else ""
    emit(
        args,
        data,
        f"Wrote {plural(result.quotes, 'quote')} and {plural(result.answers, 'answer')} to "
        f"quote to {args.out}{protected}.",
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Apply QUOTES.xlsx to SURVEY's quotes; every problem by row and column, exit 1."""
    password = read_password_file(args.password_file)
    with open_workspace(args) as workspace:
        survey = get_survey(workspace.db, args.survey)
        try:
            done = import_quotes(workspace, survey, args.sheet, password=password)
        except QuotesSheetRejected as rejected:
            return _rejected(args, rejected)
    if not args.json:
        for message in done.warnings:
            warn(message)
    data = {
        "created": done.created,
        "updated": done.updated,
        "unchanged": done.unchanged,
        "left": done.left,
        "rejected": [],
        "warnings": list(done.warnings),
    }
    emit(
        args,
        data,
        f"Applied “{args.sheet.name}”: {plural(done.created, 'quote')} made, "
        f"{done.updated:,} changed, {done.unchanged:,} unchanged; "
        f"{plural(done.left, 'answer')} left to quote later.",
    )
    return 0


def _rejected(args: argparse.Namespace, rejected: QuotesSheetRejected) -> int:
    problems = [
        {"row": problem.row, "column": problem.column, "reason": problem.reason}
        for problem in rejected.problems
    ]
    data = {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "left": 0,
        "rejected": problems,
        "warnings": [],
    }
    count = len(problems)
    lines = [str(problem) for problem in rejected.problems]
    lines.append(
        f"{plural(count, 'problem')}: nothing was applied. Correct the "
        "spreadsheet and import it again."
    )
    if args.json:
        emit(args, data, "")
    else:
        say("\n".join(lines), sys.stderr)
    return EXIT_REJECTED


def _quote_data(quote: Quote, reasons: tuple[str, ...]) -> dict[str, Any]:
    return {
        "id": quote.id,
        "response_id": quote.response_id,
        "question": quote.question,
        "start": quote.start,
        "end": quote.end,
        "text": quote.text,
        "redacted_text": quote.redacted_text,
        "codes": list(quote.references),
        "reviewed": quote.reviewed,
        "state": quote.state,
        "may_leave": not reasons,
        "why_not": list(reasons),
        "created": quote.created,
        "created_by": quote.created_by,
        "tagged": [
            {"code": tag.reference, "by": tag.tagged_by, "at": tag.tagged_at} for tag in quote.tags
        ],
    }


def _quote_text(quote: Quote, reasons: tuple[str, ...]) -> str:
    codes = ", ".join(quote.references) or "no codes"
    review = "reviewed" if quote.reviewed else "not reviewed"
    leaves = "may leave" if not reasons else "stays: " + "; ".join(reasons)
    head = f"{quote.id}  {quote.question}  [{codes}]  {review}, {leaves}"
    body = "\n".join(f"    {line}" for line in quote.text.splitlines() or [""])
    return f"{head}\n{body}"


def run_list(args: argparse.Namespace) -> int:
    """List SURVEY's quotes (optionally by code and words) with whether each may leave."""
    with open_workspace(args, read_only=True) as workspace:
        survey = get_survey(workspace.db, args.survey)
        query = QuoteQuery(
            survey.id,
            text=args.search or "",
            codes=(args.code,) if args.code else (),
        )
        quotes = search_quotes(workspace.db, query)
        responses = responses_of(workspace.db, quotes)
        reasons = {q.id: reasons_to_stay(q, responses[q.response_id]) for q in quotes}
    data = {"quotes": [_quote_data(q, reasons[q.id]) for q in quotes]}
    count = len(quotes)
    text = "\n".join(_quote_text(q, reasons[q.id]) for q in quotes)
    summary = f"{plural(count, 'quote')} of “{survey.title}”."
    emit(args, data, f"{text}\n{summary}" if text else summary)
    return 0


# -- the deny-list ---------------------------------------------------------------------------------


def _entry_data(entry: DenyEntry) -> dict[str, Any]:
    return {"id": entry.id, "text": entry.text, "kind": entry.kind.value, "added": entry.added}


def run_deny_list(args: argparse.Namespace) -> int:
    with open_workspace(args, read_only=True) as workspace:
        entries = list_deny_terms(workspace.db)
    data = {"entries": [_entry_data(entry) for entry in entries]}
    lines = [f"{entry.kind.value:7} {entry.text}" for entry in entries]
    emit(args, data, "\n".join(lines) or "The forum's deny-list is empty.")
    return 0


def _change_data(change: DenyListChange) -> dict[str, Any]:
    return {
        **_entry_data(change.entry),
        "reproposed": len(change.reproposed),
        "redacted": len(change.redacted),
        "unreviewed": list(change.unreviewed),
    }


def _change_text(verb: str, change: DenyListChange) -> str:
    lines = [f"{verb} “{change.entry.text}” ({change.entry.kind.value})."]
    if change.reproposed:
        lines.append(f"Redaction proposed again for {plural(len(change.reproposed), 'quote')}.")
    if change.redacted:
        lines.append(f"Taken out of {plural(len(change.redacted), 'edited redaction')}.")
    if change.unreviewed:
        lines.append(
            f"{plural(len(change.unreviewed), 'reviewed quote')} changed and must be reviewed "
            "again."
        )
    return "\n".join(lines)


def run_deny_add(args: argparse.Namespace) -> int:
    with open_workspace(args) as workspace:
        change = add_deny_term(workspace, args.term, args.kind)
    emit(args, _change_data(change), _change_text("Added", change))
    return 0


def run_deny_remove(args: argparse.Namespace) -> int:
    with open_workspace(args) as workspace:
        change = remove_deny_term(workspace, args.term)
    emit(args, _change_data(change), _change_text("Removed", change))
    return 0
