"""Quotes: parents' own words, quoted from free-text answers, tagged with codes, redacted and
reviewed, and let out of the forum file only with consent.

A quote is a span of one free-text answer (offsets in Unicode code points) or the whole answer;
several per answer, overlapping if need be. It keeps a copy of the words it quoted, so a later
correction of the answer is flagged (``Quote.state``) rather than silently shifting it; a
redacted text (forumkit's proposal, edited by a reviewer, scanned again after every edit),
which is the only text of it that may ever leave the file; a reviewed flag; its tags (codes
from any codebook), each with who tagged it and when.

The public API (the app, the command line, evidence packs and merging use these):

- reading: ``get_quote``, ``find_quote``, ``list_quotes``, ``quotes_of_response``,
  ``count_quotes``; searching: ``QuoteQuery``, ``search_quotes``, ``count_search``
- the answers to quote from (the app's workbench, ``answers``): ``AnswerQuery`` run by
  ``answer_order`` (rows in display order), ``answers_at`` (the answers a screen shows, with
  their responses and quotes), ``answer_row_of`` (a quote's answer), ``tagged_rows``,
  ``tagging_progress``, ``code_counts``
- changing (each one ``workspace.transaction()``, audit-logged by ids, touching ``"quotes"``,
  returning a ``QuoteChange`` for undo): ``create_quote``, ``tag_quote``, ``untag_quote``,
  ``set_quote_codes``, ``review_quote`` (redacted text and reviewed flag, rescanned),
  ``relocate_quote`` (after an answer's correction), ``delete_quote``, ``restore_quote``
  (undo), ``merge_code``
- the one gate: ``quote_may_leave(quote, response)`` (consent to quote and to share through
  ``forumkit.responses.words_may_leave``, reviewed, answer unchanged), ``reasons_to_stay``,
  ``leaving_quotes(db, survey_id)`` (only what may leave, redacted): every path that lets a
  quote out asks here
- the deny-list: ``list_deny_terms``, ``deny_list``, ``add_deny_term``, ``remove_deny_term``
- suggestions: ``train_suggester``, ``suggested_codes``; ``suggester_inputs`` to train in
  a worker
- the spreadsheet round trip (layouts in ``sheet_export`` and ``sheet_import``):
  ``prepare_quotes_export`` / ``export_quotes`` (an export job: in memory, formula-safe,
  optionally encrypted, audit-logged), ``import_quotes`` (all or nothing)
- erasure: ``erase_quotes``, run by ``forumkit.responses.erase_respondent`` and
  ``remove_survey`` (added to ``forumkit.responses.requests.ERASERS`` on import)
- access: ``quotes_held``, gathered by ``forumkit.responses.find_respondent`` (added to
  ``forumkit.responses.requests.ACCESS_PARTS`` on import)
"""

from __future__ import annotations

from forumkit.quotes.access import quotes_held
from forumkit.quotes.answers import (
    ANSWER_PROGRESS,
    AnswerProgress,
    AnswerQuery,
    AnswerRow,
    QuotableAnswer,
    TaggingProgress,
    answer_order,
    answer_row_of,
    answers_at,
    code_counts,
    free_text_questions,
    tagged_rows,
    tagging_progress,
)
from forumkit.quotes.deny import (
    DenyEntry,
    DenyListChange,
    add_deny_term,
    deny_list,
    deny_term_id,
    find_deny_entry,
    list_deny_terms,
    remove_deny_term,
)
from forumkit.quotes.edit import (
    QuoteReview,
    create_quote,
    delete_quote,
    merge_code,
    relocate_quote,
    restore_quote,
    review_quote,
    set_quote_codes,
    tag_quote,
    untag_quote,
)
from forumkit.quotes.erase import erase_quotes
from forumkit.quotes.errors import (
    DenyListError,
    QuoteError,
    QuoteExists,
    QuoteNotFound,
    QuotesSheetError,
    QuotesSheetRejected,
    SheetProblem,
)
from forumkit.quotes.gate import (
    LeavingQuote,
    leaving_quotes,
    may_leave_by_id,
    quote_may_leave,
    reasons_to_stay,
    responses_of,
)
from forumkit.quotes.model import (
    FREE_TEXT_TYPES,
    QUOTE_STATES,
    Quote,
    QuoteChange,
    QuoteState,
    Tag,
    quote_id_for,
)
from forumkit.quotes.search import QuoteQuery, count_search, search_quotes
from forumkit.quotes.sheet_export import (
    QuotesExport,
    build_quotes_table,
    export_quotes,
    prepare_quotes_export,
)
from forumkit.quotes.sheet_import import QuotesImport, import_quotes
from forumkit.quotes.sheet_read import QuotesSheet, SheetRow, read_quotes_sheet
from forumkit.quotes.store import (
    count_quotes,
    find_quote,
    get_quote,
    list_quotes,
    quotes_of_response,
)
from forumkit.quotes.suggestions import suggested_codes, suggester_inputs, train_suggester
from forumkit.responses.requests import ACCESS_PARTS, ERASERS

if erase_quotes not in ERASERS:
    # Derived data goes before the responses it came from (see ERASERS).
    ERASERS.insert(0, erase_quotes)
if quotes_held not in ACCESS_PARTS:
    # What an erasure deletes, an access request shows (see ACCESS_PARTS).
    ACCESS_PARTS.append(quotes_held)

__all__ = [
    "ANSWER_PROGRESS",
    "FREE_TEXT_TYPES",
    "QUOTE_STATES",
    "AnswerProgress",
    "AnswerQuery",
    "AnswerRow",
    "DenyEntry",
    "DenyListChange",
    "DenyListError",
    "LeavingQuote",
    "QuotableAnswer",
    "Quote",
    "QuoteChange",
    "QuoteError",
    "QuoteExists",
    "QuoteNotFound",
    "QuoteQuery",
    "QuoteReview",
    "QuoteState",
    "QuotesExport",
    "QuotesImport",
    "QuotesSheet",
    "QuotesSheetError",
    "QuotesSheetRejected",
    "SheetProblem",
    "SheetRow",
    "Tag",
    "TaggingProgress",
    "add_deny_term",
    "answer_order",
    "answer_row_of",
    "answers_at",
    "build_quotes_table",
    "code_counts",
    "count_quotes",
    "count_search",
    "create_quote",
    "delete_quote",
    "deny_list",
    "deny_term_id",
    "erase_quotes",
    "export_quotes",
    "find_deny_entry",
    "find_quote",
    "free_text_questions",
    "get_quote",
    "import_quotes",
    "leaving_quotes",
    "list_deny_terms",
    "list_quotes",
    "may_leave_by_id",
    "merge_code",
    "prepare_quotes_export",
    "quote_id_for",
    "quote_may_leave",
    "quotes_held",
    "quotes_of_response",
    "read_quotes_sheet",
    "reasons_to_stay",
    "relocate_quote",
    "remove_deny_term",
    "responses_of",
    "restore_quote",
    "review_quote",
    "search_quotes",
    "set_quote_codes",
    "suggested_codes",
    "suggester_inputs",
    "tag_quote",
    "tagged_rows",
    "tagging_progress",
    "train_suggester",
    "untag_quote",
]
