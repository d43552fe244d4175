"""Responses: parents' answers to a survey, captured on a laptop or imported, and the
data-protection requests (access and erasure) on them.

The public API other parts of forumkit use (the importers, analysis, the UI, the CLI), by module:

- ``query``, the one way responses are read: ``get_response``, ``responses_by_id``,
  ``respondent_responses``,
  ``list_responses`` / ``count_responses`` (a survey's, in the order added, by status and
  words), and for a table of 100,000 one ``ResponseQuery`` (status, words, answer filters,
  sort) run by ``response_order`` (row numbers in display order), ``responses_by_seq`` (the rows
  a screen shows) and ``count_matching``; ``holds_words`` (which answer of a found response
  holds the words); ``choice_counts`` from the chosen-options index;
  ``AnswerText`` (answers as a person reads them)
- ``saving``, one response at a time: ``add_response``, ``update_response``,
  ``delete_response``, ``restore_response`` (deleting leaves a tombstone, restoring keeps the
  id) and ``check_answers`` (what a draft or a complete response may hold)
- ``incoming``, many at once for imports: ``sort_incoming`` (the one duplicate detector, for dry
  runs and imports alike: new rows, rows that change a response held, held ones),
  ``add_incoming`` (all or nothing; a change purges what it replaces), ``existing_source_keys``;
  ``identity``: source keys, submissions (time and respondent) and the tombstones of replaced
  versions (``replaced_version_id``; ``holds_replaced_version``, for merge)
- ``entry``, capturing on a laptop (data entry and kiosk mode alike): ``keep_draft``,
  ``complete_response``, ``correct_response`` and ``stamp_metadata``
- ``model``: ``Response`` and ``words_may_leave(response)``, the one consent gate for anything
  that lets words out
- ``export``: ``prepare_responses_export`` / ``export_responses`` (xlsx/csv); ``requests``:
  ``find_respondent`` / ``export_respondent`` / ``erase_respondent``; ``survey_removal``:
  ``remove_survey(workspace, survey, with_responses=...)``, a survey gone for good
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
from forumkit.responses.identity import holds_replaced_version
from forumkit.responses.incoming import (
    AddedResponses,
    ChangedResponse,
    IncomingResponse,
    SortedIncoming,
    add_incoming,
    existing_source_keys,
    sort_incoming,
)
from forumkit.responses.model import STATUSES, Response, Status, words_may_leave
from forumkit.responses.query import (
    CHOICE_TYPES,
    FIELDS,
    AnswerFilter,
    AnswerText,
    ResponseQuery,
    choice_counts,
    count_matching,
    count_responses,
    get_response,
    holds_words,
    list_responses,
    respondent_responses,
    response_order,
    responses_by_id,
    responses_by_seq,
    survey_for_version,
)
from forumkit.responses.requests import (
    PACK_CREATED,
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
from forumkit.responses.saving import (
    UNCHANGED,
    add_response,
    check_answers,
    delete_response,
    restore_response,
    update_response,
)
from forumkit.responses.survey_removal import SurveyRemoval, remove_survey

__all__ = [
    "CHOICE_TYPES",
    "FIELDS",
    "INCLUDE_DRAFTS",
    "PACK_CREATED",
    "STATUSES",
    "UNCHANGED",
    "AccessExport",
    "AddedResponses",
    "AnswerFilter",
    "AnswerText",
    "ChangedResponse",
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
    "check_answers",
    "check_export",
    "choice_counts",
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
    "holds_replaced_version",
    "holds_words",
    "keep_draft",
    "list_responses",
    "metadata_names",
    "prepare_responses_export",
    "remove_survey",
    "respondent_responses",
    "response_order",
    "responses_by_id",
    "responses_by_seq",
    "restore_response",
    "sort_incoming",
    "stamp_metadata",
    "survey_for_version",
    "unreadable_answers",
    "update_response",
    "words_may_leave",
]
