"""Operations on quotes: quote words with their codes, tag and untag, review and redact, delete,
and put a quote back as it was (undo and redo); the forum's deny-list.

Each is one core call (``forumkit.quotes``) run through ``context.change``; each quote change
returns the core's ``QuoteChange`` (the quote before and after), which is what the workbench's
undo stack keeps.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from forumkit import quotes
from forumkit.quotes import DenyListChange, Quote, QuoteChange, QuoteReview
from ui.context import AppContext
from ui.operations import ForumOp


def create_quote(
    context: AppContext,
    parent: QWidget | None,
    response_id: str,
    question: str,
    span: tuple[int, int] | None,
    codes: Sequence[str],
    *,
    by: str | None = None,
) -> ForumOp[QuoteChange]:
    """Quote characters ``span`` (code points; the whole answer when None) of an answer, with
    ``codes`` in the same change (``forumkit.quotes.create_quote``)."""
    start, end = span if span is not None else (None, None)
    return ForumOp(
        context,
        parent,
        lambda workspace: quotes.create_quote(
            workspace, response_id, question, start, end, codes=codes, by=by
        ),
    )


def tag_quote(
    context: AppContext,
    parent: QWidget | None,
    quote_id: str,
    codes: Sequence[str],
    *,
    by: str | None = None,
) -> ForumOp[QuoteChange]:
    """Add codes to a quote (``forumkit.quotes.tag_quote``)."""
    return ForumOp(
        context, parent, lambda workspace: quotes.tag_quote(workspace, quote_id, codes, by=by)
    )


def untag_quote(
    context: AppContext, parent: QWidget | None, quote_id: str, codes: Sequence[str]
) -> ForumOp[QuoteChange]:
    """Take codes off a quote (``forumkit.quotes.untag_quote``)."""
    return ForumOp(
        context, parent, lambda workspace: quotes.untag_quote(workspace, quote_id, codes)
    )


def review_quote(
    context: AppContext,
    parent: QWidget | None,
    quote_id: str,
    *,
    redacted_text: str | None = None,
    reviewed: bool | None = None,
    by: str | None = None,
) -> ForumOp[QuoteReview]:
    """Save a quote's redacted text and/or mark it reviewed (``forumkit.quotes.review_quote``;
    the result says what redaction still finds in the text)."""
    return ForumOp(
        context,
        parent,
        lambda workspace: quotes.review_quote(
            workspace, quote_id, redacted_text=redacted_text, reviewed=reviewed, by=by
        ),
    )


def delete_quote(
    context: AppContext, parent: QWidget | None, quote_id: str
) -> ForumOp[QuoteChange]:
    """Delete a quote and its tags (``forumkit.quotes.delete_quote``)."""
    return ForumOp(context, parent, lambda workspace: quotes.delete_quote(workspace, quote_id))


def restore_quote(
    context: AppContext, parent: QWidget | None, quote: Quote
) -> ForumOp[QuoteChange]:
    """Put a quote back exactly as ``quote`` was (``forumkit.quotes.restore_quote``)."""
    return ForumOp(context, parent, lambda workspace: quotes.restore_quote(workspace, quote))


def add_deny_term(
    context: AppContext, parent: QWidget | None, text: str, kind: str
) -> ForumOp[DenyListChange]:
    """Add a school, person or place to the forum's deny-list; the quotes' redacted texts follow
    (``forumkit.quotes.add_deny_term``)."""
    return ForumOp(context, parent, lambda workspace: quotes.add_deny_term(workspace, text, kind))


def remove_deny_term(
    context: AppContext, parent: QWidget | None, entry_id: str
) -> ForumOp[DenyListChange]:
    """Take an entry off the forum's deny-list (``forumkit.quotes.remove_deny_term``)."""
    return ForumOp(context, parent, lambda workspace: quotes.remove_deny_term(workspace, entry_id))
