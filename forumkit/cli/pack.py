"""``forumkit pack``, ``forumkit packs`` and ``forumkit settings``.

``pack`` makes an evidence pack for inspectors: a PDF encrypted with AES-256 under the chair's
password (``--password-file``) or five generated words, printed once (under ``--json`` as
``password``, present only then). What the core reports goes to stderr as warnings: quotes it
redacted again, quotes left out and why, a missing contact. ``packs`` lists the packs made from
the audit log; ``settings`` shows or changes the forum's defaults for its packs' cover.
"""

from __future__ import annotations

import argparse
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from forumkit.analysis import (
    check_threshold,
    edition_to_compare,
    set_suppression_threshold,
    suppression_threshold,
)
from forumkit.cli.common import (
    add_file_arguments,
    add_json_argument,
    add_password_argument,
    emit,
    open_workspace,
    read_password_file,
    warn,
)
from forumkit.errors import ForumkitError
from forumkit.packs import (
    PackRequest,
    PackResult,
    default_title,
    describe_left_out,
    list_packs,
    make_pack,
    pack_settings,
    set_pack_settings,
)
from forumkit.surveys import get_survey, list_surveys
from forumkit.wording import plural


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``pack``, ``packs`` and ``settings``."""
    pack = commands.add_parser(
        "pack", help="make an evidence pack for inspectors: an encrypted, accessible PDF"
    )
    add_file_arguments(pack)
    pack.add_argument("survey", metavar="SURVEY", help="the survey's id or form_id")
    pack.add_argument("out", metavar="OUT.pdf", type=Path, help="the PDF to write")
    add_password_argument(
        pack,
        "the pack's password, on this file's first line (at least 8 characters); without it "
        "forumkit makes one of five words and prints it once",
    )
    pack.add_argument(
        "--codes",
        metavar="KEYS",
        help="only these key messages, comma-separated (e.g. listen-early,money); default all",
    )
    pack.add_argument(
        "--attributes",
        metavar="NAMES",
        help="the choice questions that describe a family beside its quotes, comma-separated "
        "(default: those of the form's first section)",
    )
    pack.add_argument(
        "--by-inspection-area",
        action="store_true",
        help="also give the quotes along the five areas inspectors evaluate",
    )
    pack.add_argument(
        "--questions",
        metavar="NAMES",
        help="the questions whose headline figures (a chart and a table each, small counts "
        "suppressed) the pack shows, comma-separated, in this order (default: every choice, "
        'rating and number question; "" for none)',
    )
    pack.add_argument(
        "--compare",
        metavar="EDITION",
        help="set the headline figures beside an earlier edition of the survey (last year's), "
        "by its id or form_id",
    )
    pack.add_argument(
        "--leave-out",
        metavar="IDS",
        help="quotes to leave out although they may leave the file, by their ids as "
        "`quotes list` prints them, comma-separated",
    )
    pack.add_argument("--title", metavar="TEXT", help="the cover's title (default: settings)")
    pack.add_argument("--contact", metavar="TEXT", help="whom to contact (default: settings)")
    pack.add_argument(
        "--statement-file",
        metavar="PATH",
        type=Path,
        help="a statement from the forum, as UTF-8 text (blank lines between paragraphs)",
    )
    add_json_argument(pack)
    pack.set_defaults(run=run_pack)

    packs = commands.add_parser("packs", help="the evidence packs made from this forum file")
    add_file_arguments(packs, writes=False)
    add_json_argument(packs)
    packs.set_defaults(run=run_packs)

    settings = commands.add_parser(
        "settings",
        help="show or change the forum's settings: its packs' defaults, its small-cell threshold",
    )
    add_file_arguments(settings)
    settings.add_argument(
        "--pack-title", metavar="TEXT", help="the packs' cover title (\"\" for forumkit's own)"
    )
    settings.add_argument(
        "--pack-contact",
        metavar="TEXT",
        help='whom inspectors should contact, e.g. "Jo Bloggs, chair, 01632 960001" ("" for none)',
    )
    settings.add_argument(
        "--suppression-threshold",
        type=int,
        metavar="N",
        help="counts from 1 to N−1 are published as “<N” (3 to 20; 5 by default, 10 stricter)",
    )
    add_json_argument(settings)
    settings.set_defaults(run=run_settings)


def _names(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _statement(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ForumkitError(f"Cannot read the statement file “{path}”: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise ForumkitError(f"The statement file “{path}” is not UTF-8 text.") from None


def _pack_data(result: PackResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "pack_id": result.pack_id,
        "path": str(result.path),
        "quotes": result.quotes,
        "responses": result.responses,
        "counted": result.counted,
        "figures": list(result.figures),
        "compared_with": result.compared_with,
        "redacted": [
            {"quote_id": found.quote_id, "kinds": list(found.kinds)} for found in result.redacted
        ],
        "left_out": {reason: count for reason, count in result.left_out},
        "left_out_by_chair": result.left_out_by_chair,
        "warnings": list(result.warnings),
    }
    if result.password is not None:
        data["password"] = result.password
    return data


def run_pack(args: argparse.Namespace) -> int:
    """Make SURVEY's evidence pack at OUT.pdf and print its password once if made up."""
    password = read_password_file(args.password_file)
    statement = _statement(args.statement_file)
    with open_workspace(args) as workspace:
        survey = get_survey(workspace.db, args.survey)
        previous = None
        if args.compare is not None:
            previous = edition_to_compare(workspace.db, survey, args.compare)
        request = PackRequest(
            survey,
            codes=_names(args.codes) or (),
            by_inspection_area=args.by_inspection_area,
            title=args.title,
            contact=args.contact,
            statement=statement,
            attributes=_names(args.attributes),
            questions=_names(args.questions),
            compare=previous,
            leave_out=frozenset(_names(args.leave_out) or ()),
        )
        result = make_pack(workspace, request, args.out, password=password)
    for found in result.redacted:
        warn(
            f"Redaction found {', '.join(found.kinds)} again in quote {found.quote_id}: it is "
            "redacted in the pack; correct the quote's redacted text in the file too."
        )
    if left := describe_left_out(result.left_out):
        warn(left)
    for message in result.warnings:
        warn(message)
    lines = [
        f"Wrote the evidence pack {result.pack_id} to {result.path}: "
        f"{plural(result.quotes, 'quote')} from {plural(result.responses, 'response')}, "
        f"{plural(result.counted, 'response')} counted.",
    ]
    if result.figures:
        against = f", beside {result.compared_with}" if result.compared_with else ""
        lines.append(f"Headline figures: {', '.join(result.figures)}{against}.")
    if result.password is not None:
        lines += [
            "",
            f"Password: {result.password}",
            "",
            "It is shown only now and kept nowhere. Give it to the inspectors by phone, never "
            "in the email that carries the pack.",
        ]
    emit(args, _pack_data(result), "\n".join(lines))
    return 0


def run_packs(args: argparse.Namespace) -> int:
    """List the packs made from FILE (from its audit log)."""
    with open_workspace(args, read_only=True) as workspace:
        records = list_packs(workspace.db)
        titles = {summary.id: summary.form_id for summary in list_surveys(workspace.db)}
    data = {
        "packs": [
            {
                "pack_id": record.pack_id,
                "created": record.created,
                "survey_ids": list(record.survey_ids),
                "quotes": record.quotes,
                "responses": record.responses,
                "counted": record.counted,
            }
            for record in records
        ]
    }
    lines = [
        f"{record.created}  {record.pack_id}  "
        f"{', '.join(titles.get(s, 'a survey since removed') for s in record.survey_ids)}: "
        f"{plural(record.quotes, 'quote')} from {plural(record.responses, 'response')}"
        for record in records
    ]
    emit(args, data, "\n".join(lines) or "No evidence pack has been made from this file.")
    return 0


def run_settings(args: argparse.Namespace) -> int:
    """Show the forum's settings, changing those given first."""
    threshold = args.suppression_threshold
    if threshold is not None:
        check_threshold(threshold)  # refused before the file is opened for writing
    changing = args.pack_title is not None or args.pack_contact is not None
    with open_workspace(args, read_only=not (changing or threshold is not None)) as workspace:
        with (
            workspace.transaction("settings_changed")
            if (changing and threshold is not None)
            else nullcontext()
        ):
            if changing:
                settings = set_pack_settings(
                    workspace, title=args.pack_title, contact=args.pack_contact
                )
            else:
                settings = pack_settings(workspace.db)
            if threshold is not None:
                set_suppression_threshold(workspace, threshold)
        threshold = suppression_threshold(workspace.db)
        forum = workspace.forum
    data = {
        "forum": forum.name,
        "area": forum.area,
        "pack_title": settings.title,
        "pack_contact": settings.contact,
        "suppression_threshold": threshold,
    }
    title = settings.title or f"{default_title(forum.name)} (forumkit's own)"
    contact = settings.contact.replace("\n", "; ") if settings.contact else "(none)"
    text = (
        f"Pack title: {title}\nPack contact: {contact}\nSmall-cell threshold: {threshold} "
        f"(counts from 1 to {threshold - 1} are published as “<{threshold}”)"
    )
    emit(args, data, text)
    return 0
