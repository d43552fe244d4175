"""Responses: parents' answers to a survey, captured on a laptop or imported, and the
data-protection requests (access and erasure) on them.

The public API other parts of forumkit use (the importers, analysis, the UI, the CLI):

- ``add_response``, ``update_response``, ``delete_response`` (drafts and complete responses)
- ``add_incoming(workspace, survey, incoming)`` and ``existing_source_keys`` for imports
- ``get_response``, ``list_responses``, ``count_responses`` for views
- ``export.export_responses`` (xlsx/csv), ``requests.find_respondent`` / ``erase_respondent``
"""

from __future__ import annotations

from forumkit.responses.errors import (
    ExportError,
    ResponseInvalid,
    ResponseNotFound,
    ResponseSurveyMismatch,
)
from forumkit.responses.model import STATUSES, Response, Status
from forumkit.responses.store import (
    UNCHANGED,
    AddedResponses,
    IncomingResponse,
    add_incoming,
    add_response,
    count_responses,
    delete_response,
    existing_source_keys,
    get_response,
    list_responses,
    survey_for_version,
    update_response,
)

__all__ = [
    "STATUSES",
    "UNCHANGED",
    "AddedResponses",
    "ExportError",
    "IncomingResponse",
    "Response",
    "ResponseInvalid",
    "ResponseNotFound",
    "ResponseSurveyMismatch",
    "Status",
    "add_incoming",
    "add_response",
    "count_responses",
    "delete_response",
    "existing_source_keys",
    "get_response",
    "list_responses",
    "survey_for_version",
    "update_response",
]
