"""Responses: parents' answers to a survey, captured on a laptop or imported, and the
data-protection requests (access and erasure) on them.

The public API other parts of forumkit use (the importers, analysis, the UI, the CLI):

- ``add_response``, ``update_response``, ``delete_response``, ``restore_response`` (drafts and
  complete responses; deleting leaves a tombstone, restoring keeps the id)
- ``remove_survey(workspace, survey, with_responses=...)``: a survey gone for good
- ``words_may_leave(response)``: the one consent gate for anything that lets words out
- ``add_incoming(workspace, survey, incoming)`` and ``existing_source_keys`` for imports
- ``get_response``, ``list_responses``, ``count_responses`` for views
- ``export.export_responses`` (xlsx/csv), ``requests.find_respondent`` / ``erase_respondent``
"""

from __future__ import annotations

from forumkit.responses.errors import (
    ExportError,
    ResponseAlreadyHeld,
    ResponseErased,
    ResponseInvalid,
    ResponseNotFound,
    ResponseSurveyMismatch,
)
from forumkit.responses.model import STATUSES, Response, Status, words_may_leave
from forumkit.responses.requests import erasure_summary
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
    "STATUSES",
    "UNCHANGED",
    "AddedResponses",
    "ExportError",
    "IncomingResponse",
    "Response",
    "ResponseAlreadyHeld",
    "ResponseErased",
    "ResponseInvalid",
    "ResponseNotFound",
    "ResponseSurveyMismatch",
    "SortedIncoming",
    "Status",
    "SurveyRemoval",
    "add_incoming",
    "add_response",
    "count_responses",
    "delete_response",
    "erasure_summary",
    "existing_source_keys",
    "get_response",
    "list_responses",
    "remove_survey",
    "restore_response",
    "sort_incoming",
    "survey_for_version",
    "update_response",
    "words_may_leave",
]
