"""Responses: parents' answers to a survey, captured on a laptop or imported, and the
data-protection requests (access and erasure) on them.

The public API other parts of forumkit use (the importers, analysis, the UI, the CLI):

- capturing on a laptop (data entry and kiosk mode alike): ``keep_draft``,
  ``complete_response``, ``correct_response`` and ``stamp_metadata`` (``entry``)
- ``add_response``, ``update_response``, ``delete_response``, ``restore_response`` (drafts and
  complete responses; deleting leaves a tombstone, restoring keeps the id)
- ``remove_survey(workspace, survey, with_responses=...)``: a survey gone for good
- ``words_may_leave(response)``: the one consent gate for anything that lets words out
- ``add_incoming(workspace, survey, incoming)`` and ``existing_source_keys`` for imports
- ``get_response``, ``list_responses``, ``count_responses`` for views; ``ResponseQuery``,
  ``response_order`` and ``responses_by_seq`` for a table of 100,000 (``query``)
- ``prepare_responses_export`` / ``export_responses`` (xlsx/csv, ``export``);
  ``find_respondent`` / ``export_respondent`` / ``erase_respondent`` (``requests``)
"""

from __future__ import annotations

from forumkit.responses.entry import (
    KeptDraft,
    complete_response,
    correct_response,
    keep_draft,
    metadata_names,
    stamp_metadata,
    unreadable_answers,
)
from forumkit.responses.errors import (
    ExportError,
    ResponseAlreadyHeld,
    ResponseErased,
    ResponseInvalid,
    ResponseNotFound,
    ResponseSurveyMismatch,
)
from forumkit.responses.export import (
    INCLUDE_DRAFTS,
    ExportResult,
    check_export,
    export_responses,
    prepare_responses_export,
)
from forumkit.responses.model import STATUSES, Response, Status, words_may_leave
from forumkit.responses.query import (
    CHOICE_TYPES,
    FIELDS,
    AnswerFilter,
    AnswerText,
    ResponseQuery,
    count_matching,
    response_order,
    responses_by_seq,
)
from forumkit.responses.requests import (
    AccessExport,
    Disclosure,
    Erasure,
    RespondentData,
    access_text,
    disclosures_of,
    erase_respondent,
    erasure_entry,
    erasure_summary,
    erasure_text,
    export_respondent,
    find_respondent,
)
from forumkit.responses.store import (
    UNCHANGED,
    AddedResponses,
    IncomingResponse,
    SortedIncoming,
    add_incoming,
    add_response,
    count_responses,
    delete_response,
    existing_source_keys,
    get_response,
    list_responses,
    restore_response,
    sort_incoming,
    survey_for_version,
    update_response,
)
from forumkit.responses.survey_removal import SurveyRemoval, remove_survey

__all__ = [
    "CHOICE_TYPES",
    "FIELDS",
    "INCLUDE_DRAFTS",
    "STATUSES",
    "UNCHANGED",
    "AccessExport",
    "AddedResponses",
    "AnswerFilter",
    "AnswerText",
    "Disclosure",
    "Erasure",
    "ExportError",
    "ExportResult",
    "IncomingResponse",
    "KeptDraft",
    "RespondentData",
    "Response",
    "ResponseAlreadyHeld",
    "ResponseErased",
    "ResponseInvalid",
    "ResponseNotFound",
    "ResponseQuery",
    "ResponseSurveyMismatch",
    "SortedIncoming",
    "Status",
    "SurveyRemoval",
    "access_text",
    "add_incoming",
    "add_response",
    "check_export",
    "complete_response",
    "correct_response",
    "count_matching",
    "count_responses",
    "delete_response",
    "disclosures_of",
    "erase_respondent",
    "erasure_entry",
    "erasure_summary",
    "erasure_text",
    "existing_source_keys",
    "export_respondent",
    "export_responses",
    "find_respondent",
    "get_response",
    "keep_draft",
    "list_responses",
    "metadata_names",
    "prepare_responses_export",
    "remove_survey",
    "response_order",
    "responses_by_seq",
    "restore_response",
    "sort_incoming",
    "stamp_metadata",
    "survey_for_version",
    "unreadable_answers",
    "update_response",
    "words_may_leave",
]
