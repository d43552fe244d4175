"""Making and changing quotes: quote an answer, tag, review and redact, relocate, delete, undo.

Every change is one ``workspace.transaction()``: saved whole or not at all, logged in the audit
log by ids only (never words), marking ``"quotes"`` in the change record with the quote's id.
Each returns a :class:`~forumkit.quotes.model.QuoteChange` (the quote before and after), so the
app can undo it with :func:`restore_quote` or :func:`delete_quote`. A call that would change
nothing saves nothing.

``by`` is who did it, as the app or the command line knows them (a volunteer's name, or
``spreadsheet:FILE``); it is kept with the quote, its tags and its review.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlite_utils

from forumkit import audit, tombstones
from forumkit.codebooks import Code, CodeDeletion, delete_code, resolve_code
from forumkit.quotes.deny import deny_list
from forumkit.quotes.errors import QuoteError, QuoteExists
from forumkit.quotes.model import FREE_TEXT_TYPES, Quote, QuoteChange, quote_id_for
from forumkit.quotes.store import find_quote, get_quote
from forumkit.redaction import Redaction, propose, rescan
from forumkit.responses import (
    Response,
    ResponseErased,
    ResponseNotFound,
    get_response,
    survey_for_version,
)
from forumkit.surveys import Survey
from forumkit.workspace import Workspace

MAX_REDACTED = 20_000
"""The longest redacted text (in characters) a quote may have."""


# -- making a quote -----------------------------------------------------------------------------


def quotable_answer(
    db: sqlite_utils.Database, response: Response, question: str, version: Survey | None = None
) -> str:
    """The free-text answer ``response`` gives to ``question``; QuoteError when it has none.
    ``version`` is the survey version the response answers, when the caller has it already."""
    survey = version if version is not None else survey_for_version(db, response.version_id)
    try:
        asked = survey.question(question)
    except KeyError:
        raise QuoteError(
            f"The survey “{survey.form_id}” has no question “{question}”, so there is nothing "
            "to quote."
        ) from None
    if asked.type not in FREE_TEXT_TYPES:
        raise QuoteError(
            f"The question “{question}” is not a free-text question ({asked.type}); quotes are "
            "made from parents' own words."
        )
    answer = response.answers.get(question)
    if not isinstance(answer, str) or not answer.strip():
        raise QuoteError(f"Response {response.id} gives no answer to “{question}” to quote.")
    return answer


def check_span(answer: str, start: int, end: int) -> None:
    """Refuse a span outside the answer, empty, or of spaces and punctuation only."""
    if not 0 <= start < end <= len(answer):
        raise QuoteError(
            f"A quote must lie within its answer of {len(answer)} characters and hold at least "
            f"one; {start}–{end} does not."
        )
    if not any(character.isalnum() for character in answer[start:end]):
        raise QuoteError("A quote must hold at least one letter or digit.")


def create_quote(
    workspace: Workspace,
    response_id: str,
    question: str,
    start: int | None = None,
    end: int | None = None,
    *,
    codes: Sequence[str] = (),
    by: str | None = None,
) -> QuoteChange:
    """Quote characters ``start``–``end`` (code points) of a response's free-text answer, or
    the whole answer when both are None, tagged with ``codes`` (see :func:`codes_for_tagging`)
    in the same change, so one undo takes the quote and its tags away together. Its redacted
    text is forumkit's proposal.

    Quotes may overlap; the very same span twice is refused (:class:`QuoteExists`). Only a
    complete response is quoted: a draft is unfinished, its consent perhaps not yet given.
    """
    db = workspace.db
    tagging = codes_for_tagging(db, codes)
    response = get_response(db, response_id)
    if response.status != "complete":
        raise QuoteError(
            f"Response {response.id} is an unfinished draft; complete it before quoting it."
        )
    answer = quotable_answer(db, response, question)
    span_start = 0 if start is None else start
    span_end = len(answer) if end is None else end
    check_span(answer, span_start, span_end)
    if same_span(db, response.id, question, span_start, span_end) is not None:
        raise QuoteExists(
            f"Those words of response {response.id} (“{question}”, {span_start}–{span_end}) are "
            "a quote already."
        )
    quote_id = new_quote_id(db, response.id, question, span_start, span_end)
    text = answer[span_start:span_end]
    with workspace.transaction("quote_created") as change:
        insert_quote(
            db,
            NewQuote(quote_id, response.id, question, span_start, span_end, text),
            propose(text, deny_list(db)).redacted_text,
            by=by,
        )
        if tagging:
            write_tags(db, quote_id, tagging, [], by)
        audit.record(
            db,
            "quote_created",
            {"tags": len(tagging)} if tagging else None,
            [quote_id, response.id, *(code.id for code in tagging)],
        )
        change.touch("quotes", quote_id)
    return QuoteChange(None, get_quote(db, quote_id))


@dataclass(frozen=True)
class NewQuote:
    """A quote about to be stored: where it is and the words it quotes."""

    id: str
    response_id: str
    question: str
    start: int
    end: int
    text: str = field(repr=False)


def new_quote_id(
    db: sqlite_utils.Database, response_id: str, question: str, start: int, end: int
) -> str:
    """The id a new quote of this span gets: the derived one (``quote_id_for``), unless a quote
    relocated there from elsewhere holds it already."""
    quote_id = quote_id_for(response_id, question, start, end)
    if db.execute("SELECT 1 FROM quotes WHERE id = ?", [quote_id]).fetchone() is not None:
        return str(uuid.uuid4())
    return quote_id


def insert_quote(
    db: sqlite_utils.Database,
    quote: NewQuote,
    redacted_text: str,
    *,
    edited: bool = False,
    reviewed: bool = False,
    by: str | None = None,
) -> None:
    """Store a new quote inside the caller's transaction (no audit, no checks)."""
    now = audit.now_iso()
    tombstones.raise_from_grave(db, quote.id)
    db.execute(
        "INSERT INTO quotes (id, response_id, question, span_start, span_end, text, "
        "redacted_text, redaction_edited, reviewed, reviewed_by, reviewed_at, created, "
        "created_by, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            quote.id,
            quote.response_id,
            quote.question,
            quote.start,
            quote.end,
            quote.text,
            redacted_text,
            int(edited),
            int(reviewed),
            (by or "") if reviewed else "",
            now if reviewed else "",
            now,
            by or "",
            now,
        ],
    )


def same_span(
    db: sqlite_utils.Database, response_id: str, question: str, start: int, end: int
) -> str | None:
    """The id of the quote of exactly this span, if there is one."""
    row = db.execute(
        "SELECT id FROM quotes WHERE response_id = ? AND question = ? AND span_start = ? "
        "AND span_end = ?",
        [response_id, question, start, end],
    ).fetchone()
    return None if row is None else str(row[0])


# -- tags ---------------------------------------------------------------------------------------


def codes_for_tagging(db: sqlite_utils.Database, references: Sequence[str]) -> list[Code]:
    """The codes meant by ``references`` (ids, keys of the default codebook, ``codebook/key``),
    each once; CodeNotFound for an unknown one, QuoteError for a heading-only code."""
    found: dict[str, Code] = {}
    for reference in references:
        code = resolve_code(db, reference)
        if not code.codable:
            raise QuoteError(
                f"The code “{code.label}” only groups other codes and cannot be used for tagging."
            )
        found.setdefault(code.id, code)
    return list(found.values())


def tag_quote(
    workspace: Workspace, quote_id: str, codes: Sequence[str], *, by: str | None = None
) -> QuoteChange:
    """Add codes (see :func:`codes_for_tagging`) to a quote; codes it has already stay as
    they were tagged."""
    db = workspace.db
    before = get_quote(db, quote_id)
    adding = [code for code in codes_for_tagging(db, codes) if code.id not in before.code_ids]
    return _retag(workspace, before, adding, [], by)


def untag_quote(workspace: Workspace, quote_id: str, codes: Sequence[str]) -> QuoteChange:
    """Take codes off a quote (codes it does not have are ignored)."""
    db = workspace.db
    before = get_quote(db, quote_id)
    removing = [resolve_code(db, reference).id for reference in codes]
    return _retag(workspace, before, [], [c for c in removing if c in before.code_ids], None)


def set_quote_codes(
    workspace: Workspace, quote_id: str, codes: Sequence[str], *, by: str | None = None
) -> QuoteChange:
    """Give a quote exactly these codes: codes it keeps stay as they were tagged."""
    db = workspace.db
    before = get_quote(db, quote_id)
    wanted = codes_for_tagging(db, codes)
    wanted_ids = {code.id for code in wanted}
    adding = [code for code in wanted if code.id not in before.code_ids]
    removing = [code_id for code_id in before.code_ids if code_id not in wanted_ids]
    return _retag(workspace, before, adding, removing, by)


def _retag(
    workspace: Workspace,
    before: Quote,
    adding: Sequence[Code],
    removing: Sequence[str],
    by: str | None,
) -> QuoteChange:
    if not adding and not removing:
        return QuoteChange(before, before)
    db = workspace.db
    with workspace.transaction("quote_tagged") as change:
        write_tags(db, before.id, adding, removing, by)
        audit.record(
            db,
            "quote_tagged",
            {"added": len(adding), "removed": len(removing)},
            [before.id, *(code.id for code in adding), *removing],
        )
        change.touch("quotes", before.id)
    return QuoteChange(before, get_quote(db, before.id))


def write_tags(
    db: sqlite_utils.Database,
    quote_id: str,
    adding: Sequence[Code],
    removing: Sequence[str],
    by: str | None,
) -> None:
    """Add and remove a quote's tags inside the caller's transaction (no audit, no checks)."""
    now = audit.now_iso()
    db.conn.executemany(
        "DELETE FROM quote_tags WHERE quote_id = ? AND code_id = ?",
        [(quote_id, code_id) for code_id in removing],
    )
    db.conn.executemany(
        "INSERT INTO quote_tags (quote_id, code_id, tagged_by, tagged_at) VALUES (?, ?, ?, ?)",
        [(quote_id, code.id, by or "", now) for code in adding],
    )
    db.execute("UPDATE quotes SET modified = ? WHERE id = ?", [now, quote_id])


# -- review and redaction -----------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteReview:
    """What a review did, and what redaction still finds in the redacted text as it now is
    (``still_detected.is_clean`` when nothing): to show the reviewer, who decides."""

    change: QuoteChange
    still_detected: Redaction


def clean_redacted_text(text: str) -> str:
    """A redacted text as stored: as typed, line breaks as LF; refused when empty or too long."""
    value = text.replace("\r\n", "\n").replace("\r", "\n")
    if not value.strip():
        raise QuoteError(
            "A quote's redacted text is empty: write the words that may leave the forum file."
        )
    if len(value) > MAX_REDACTED:
        raise QuoteError(
            f"A quote's redacted text may be at most {MAX_REDACTED:,} characters; this one has "
            f"{len(value):,}."
        )
    return value


def review_quote(
    workspace: Workspace,
    quote_id: str,
    *,
    redacted_text: str | None = None,
    reviewed: bool | None = None,
    by: str | None = None,
) -> QuoteReview:
    """Edit a quote's redacted text and/or mark it reviewed (or not).

    Any edit is scanned again (``forumkit.redaction.rescan``) and what is still detected comes
    back in the result. An edit without ``reviewed`` leaves the quote unreviewed: the new words
    have not been approved. Marking reviewed a quote whose answer was corrected since it was
    made is refused: relocate it first, so what is reviewed is what the parent now says.
    """
    db = workspace.db
    before = get_quote(db, quote_id)
    text = before.redacted_text if redacted_text is None else clean_redacted_text(redacted_text)
    edited = text != before.redacted_text
    review = (False if edited else before.reviewed) if reviewed is None else reviewed
    if review and before.state != "current":
        raise QuoteError(
            f"The answer quoted by {before.id} was corrected after the quote was made; relocate "
            "the quote before reviewing it."
        )
    still = rescan(text, deny_list(db))
    if not edited and review == before.reviewed:
        return QuoteReview(QuoteChange(before, before), still)
    with workspace.transaction("quote_reviewed") as change:
        write_review(db, before, text, review, by)
        audit.record(
            db,
            "quote_reviewed",
            {"edited": int(edited), "reviewed": int(review), "still_detected": len(still.spans)},
            [before.id],
        )
        change.touch("quotes", before.id)
    return QuoteReview(QuoteChange(before, get_quote(db, before.id)), still)


def write_review(
    db: sqlite_utils.Database, before: Quote, redacted_text: str, reviewed: bool, by: str | None
) -> None:
    """Store a quote's redacted text and reviewed flag inside the caller's transaction.

    A text that differs from the stored one counts as edited by a person; a review that stands
    (same words, still reviewed) keeps its reviewer and time.
    """
    now = audit.now_iso()
    edited = redacted_text != before.redacted_text
    reviewer = (by or "", now) if reviewed else ("", "")
    if reviewed and before.reviewed and not edited:
        reviewer = (before.reviewed_by, before.reviewed_at)
    db.execute(
        "UPDATE quotes SET redacted_text = ?, redaction_edited = ?, reviewed = ?, "
        "reviewed_by = ?, reviewed_at = ?, modified = ? WHERE id = ?",
        [
            redacted_text,
            int(before.redaction_edited or edited),
            int(reviewed),
            *reviewer,
            now,
            before.id,
        ],
    )


# -- after an answer is corrected ---------------------------------------------------------------


def relocate_quote(
    workspace: Workspace, quote_id: str, start: int | None = None, end: int | None = None
) -> QuoteChange:
    """Put a quote back on its answer after the answer was corrected.

    Without a span, the quote's own words are found again in the answer (``moved``; the place
    nearest the old one when they occur more than once): only the offsets change, and its
    redaction and review stand. With ``start`` and/or ``end`` (the answer's start and end when
    left out), the quote takes the words there: its redaction is proposed afresh and it must be
    reviewed again.
    """
    db = workspace.db
    before = get_quote(db, quote_id)
    answer = quotable_answer(db, get_response(db, before.response_id), before.question)
    if start is None and end is None:
        if before.state == "current":
            return QuoteChange(before, before)
        found = nearest(answer, before.text, before.start)
        if found is None:
            raise QuoteError(
                f"The corrected answer no longer holds the words of quote {before.id}; give the "
                "part of the answer it should quote now."
            )
        new_start, new_end = found, found + len(before.text)
        fresh = False
    else:
        new_start = 0 if start is None else start
        new_end = len(answer) if end is None else end
        check_span(answer, new_start, new_end)
        fresh = True
    other = same_span(db, before.response_id, before.question, new_start, new_end)
    if other is not None and other != before.id:
        raise QuoteExists(
            f"Those words of response {before.response_id} are quote {other} already; delete "
            f"one of the two instead."
        )
    text = answer[new_start:new_end]
    with workspace.transaction("quote_relocated") as change:
        write_span(db, before.id, new_start, new_end, text if fresh else None)
        audit.record(db, "quote_relocated", {"reset": int(fresh)}, [before.id])
        change.touch("quotes", before.id)
    return QuoteChange(before, get_quote(db, before.id))


def write_span(
    db: sqlite_utils.Database, quote_id: str, start: int, end: int, fresh_text: str | None
) -> None:
    """Move a quote inside the caller's transaction: to the same words elsewhere
    (``fresh_text`` None), or onto other words, whose redaction is proposed afresh and which
    must be reviewed again."""
    now = audit.now_iso()
    if fresh_text is None:
        db.execute(
            "UPDATE quotes SET span_start = ?, span_end = ?, modified = ? WHERE id = ?",
            [start, end, now, quote_id],
        )
        return
    db.execute(
        "UPDATE quotes SET span_start = ?, span_end = ?, text = ?, redacted_text = ?, "
        "redaction_edited = 0, reviewed = 0, reviewed_by = '', reviewed_at = '', "
        "modified = ? WHERE id = ?",
        [start, end, fresh_text, propose(fresh_text, deny_list(db)).redacted_text, now, quote_id],
    )


def nearest(answer: str, words: str, old_start: int) -> int | None:
    """Where ``words`` stand in ``answer``, the place nearest ``old_start`` when several."""
    places: list[int] = []
    at = answer.find(words)
    while at != -1:
        places.append(at)
        at = answer.find(words, at + 1)
    return min(places, key=lambda place: (abs(place - old_start), place)) if places else None


# -- deleting and undoing -----------------------------------------------------------------------


def delete_quote(workspace: Workspace, quote_id: str) -> QuoteChange:
    """Delete a quote and its tags. Its tombstone keeps a merge from bringing it back from
    another laptop's copy; :func:`restore_quote` (undo) can."""
    db = workspace.db
    before = get_quote(db, quote_id)
    with workspace.transaction("quote_deleted") as change:
        remove_quotes(db, [before.id])
        tombstones.bury(db, "quote", "deleted", [before.id])
        audit.record(db, "quote_deleted", object_ids=[before.id, before.response_id])
        change.touch("quotes", before.id)
    return QuoteChange(before, None)


def remove_quotes(db: sqlite_utils.Database, quote_ids: Sequence[str]) -> int:
    """Delete quotes and their tags inside the caller's transaction; how many went."""
    gone = 0
    for quote_id in quote_ids:
        db.execute("DELETE FROM quote_tags WHERE quote_id = ?", [quote_id])
        gone += db.execute("DELETE FROM quotes WHERE id = ?", [quote_id]).rowcount
    return gone


def restore_quote(workspace: Workspace, quote: Quote) -> QuoteChange:
    """Put a quote back exactly as ``quote`` was, with the same id and tags (undo of any
    change, or of a deletion; also after undoing a response's deletion).

    Refused when its response is not in the file, or when it was erased.
    """
    db = workspace.db
    if tombstones.reason(db, quote.id) == "erased":
        raise ResponseErased(quote.response_id)
    try:
        get_response(db, quote.response_id)
    except ResponseNotFound:
        raise QuoteError(
            f"Quote {quote.id} cannot be put back: its response {quote.response_id} is not in "
            "this forum file."
        ) from None
    before = find_quote(db, quote.id)
    codes = codes_for_tagging(db, [tag.code_id for tag in quote.tags])
    with workspace.transaction("quote_restored") as change:
        if before is not None:
            remove_quotes(db, [quote.id])
        tombstones.raise_from_grave(db, quote.id)
        db.execute(
            "INSERT INTO quotes (id, response_id, question, span_start, span_end, text, "
            "redacted_text, redaction_edited, reviewed, reviewed_by, reviewed_at, created, "
            "created_by, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                quote.id,
                quote.response_id,
                quote.question,
                quote.start,
                quote.end,
                quote.text,
                quote.redacted_text,
                int(quote.redaction_edited),
                int(quote.reviewed),
                quote.reviewed_by,
                quote.reviewed_at,
                quote.created,
                quote.created_by,
                quote.modified,
            ],
        )
        by_code = {tag.code_id: tag for tag in quote.tags}
        db.conn.executemany(
            "INSERT INTO quote_tags (quote_id, code_id, tagged_by, tagged_at) VALUES (?, ?, ?, ?)",
            [
                (quote.id, code.id, by_code[code.id].tagged_by, by_code[code.id].tagged_at)
                for code in codes
            ],
        )
        audit.record(db, "quote_restored", object_ids=[quote.id, quote.response_id])
        change.touch("quotes", quote.id)
    return QuoteChange(before, get_quote(db, quote.id))


# -- codes merged -------------------------------------------------------------------------------


def merge_code(workspace: Workspace, code: str, into: str) -> CodeDeletion:
    """Merge a code into another of its codebook (``forumkit.codebooks.delete_code``), marking
    the quotes that carried it as changed, so views of quotes refresh too."""
    db = workspace.db
    gone = resolve_code(db, code)
    tagged = [
        str(row[0])
        for row in db.execute(
            "SELECT quote_id FROM quote_tags WHERE code_id = ?", [gone.id]
        ).fetchall()
    ]
    with workspace.transaction("code_merged") as change:
        merged = delete_code(workspace, gone.id, merge_into=into)
        now = audit.now_iso()
        db.conn.executemany(
            "UPDATE quotes SET modified = ? WHERE id = ?", [(now, quote_id) for quote_id in tagged]
        )
        change.touch("quotes", *tagged)
    return merged
