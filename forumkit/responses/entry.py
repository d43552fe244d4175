"""Capturing a response on a laptop: what data entry, kiosk mode and a correction all do.

A volunteer typing in a paper form and a parent filling in the survey in kiosk mode follow the
same rules, so they live here once:

- :func:`keep_draft` keeps what was typed so far as a draft (when the page is left, the app
  locks, a parent walks away), dropping only the answers a draft cannot hold, so an answer of
  the wrong type never costs the rest;
- :func:`complete_response` saves a finished form, a new response or a draft finished;
- :func:`correct_response` saves a correction to a stored response;
- :func:`stamp_metadata` fills in XLSForm's ``start``, ``end`` and ``today`` questions, which
  the laptop answers (nobody types them), and keeps them as first captured when a response is
  corrected later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from forumkit.responses.errors import ResponseInvalid
from forumkit.responses.model import Response, Status
from forumkit.responses.query import get_response, survey_for_version
from forumkit.responses.saving import (
    UNCHANGED,
    Unchanged,
    add_response,
    check_answers,
    update_response,
)
from forumkit.surveys import Problem, Survey

if TYPE_CHECKING:
    from forumkit.workspace import Workspace


@dataclass(frozen=True)
class KeptDraft:
    """What :func:`keep_draft` kept."""

    response: Response | None
    """The draft as saved; None when nothing readable was typed (then no draft is made)."""
    dropped: tuple[Problem, ...]
    """Why answers were left out (one problem per answer dropped, naming its question)."""


def metadata_names(survey: Survey) -> frozenset[str]:
    """The names of the survey's questions the laptop answers (``start``, ``end``, ``today``)."""
    return frozenset(q.name for q in survey.questions if q.is_metadata)


def _moment(value: dt.datetime) -> str:
    return value.replace(microsecond=0).isoformat()


def _now() -> dt.datetime:
    return dt.datetime.now().astimezone()


def _parse_moment(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None


def stamp_metadata(
    survey: Survey,
    answers: Mapping[str, object],
    *,
    started: dt.datetime,
    finished: dt.datetime | None = None,
    kept: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """``answers`` with the survey's metadata questions answered by the laptop.

    ``start`` is when the form was begun (``started``), ``end`` when it was finished
    (``finished``, now by default) and ``today`` the day it was finished, as XLSForm defines
    them. A metadata answer already in ``kept`` (the response as first captured) wins: a
    correction made next week does not change when the parent answered. Metadata in ``answers``
    itself is ignored; only the laptop answers those questions.
    """
    names = metadata_names(survey)
    stamped = {name: value for name, value in answers.items() if name not in names}
    finished = finished or _now()
    previous = kept or {}
    for question in survey.questions:
        if question.name in previous and question.is_metadata:
            value = previous[question.name]
            stamped[question.name] = value.isoformat() if isinstance(value, dt.date) else value
        elif question.type == "start":
            stamped[question.name] = _moment(started)
        elif question.type == "end":
            stamped[question.name] = _moment(finished)
        elif question.type == "today":
            stamped[question.name] = finished.date().isoformat()
    return stamped


def _kept_metadata(survey: Survey, answers: Mapping[str, object]) -> dict[str, object]:
    names = metadata_names(survey)
    return {name: value for name, value in answers.items() if name in names}


def unreadable_answers(survey: Survey, answers: Mapping[str, object]) -> tuple[Problem, ...]:
    """Why some answers cannot be kept even in a draft (of the wrong type, not one of the
    question's options, or to a question the survey does not have); empty when all can."""
    try:
        check_answers(survey, answers, "draft")
    except ResponseInvalid as invalid:
        return invalid.problems
    return ()


def keep_draft(
    workspace: Workspace,
    survey: Survey,
    answers: Mapping[str, object],
    *,
    draft_id: str | None = None,
    source: str = "entered",
    captured_by: str | None = None,
    started: dt.datetime | None = None,
    respondent: str | None = None,
) -> KeptDraft:
    """Keep what was typed as a draft: a new one, or the draft ``draft_id`` updated.

    Answers a draft cannot hold (see :func:`unreadable_answers`) are left out and reported;
    everything else is kept rather than nothing. A new draft records where it came from
    (``source``), who typed it (``captured_by``) and when it was begun (``started``); a new
    draft with nothing readable in it is not made. ``respondent`` is the contact the parent gave
    for data-protection requests (the form's own field, not a question). One transaction.
    """
    if draft_id is not None:
        current = get_response(workspace.db, draft_id)
        survey = survey_for_version(workspace.db, current.version_id)
    dropped = unreadable_answers(survey, answers)
    unreadable = {problem.question for problem in dropped}
    readable = {name: value for name, value in answers.items() if name not in unreadable}
    if draft_id is not None:
        response = update_response(
            workspace, draft_id, readable, status="draft", respondent=respondent
        )
        return KeptDraft(response, dropped)
    if not readable and not respondent:
        return KeptDraft(None, dropped)
    response = add_response(
        workspace,
        survey,
        readable,
        status="draft",
        source=source,
        captured_by=captured_by,
        started=_moment(started) if started is not None else None,
        respondent=respondent,
    )
    return KeptDraft(response, dropped)


def complete_response(
    workspace: Workspace,
    survey: Survey,
    answers: Mapping[str, object],
    *,
    started: dt.datetime,
    draft_id: str | None = None,
    source: str = "entered",
    captured_by: str | None = None,
    respondent: str | None = None,
) -> Response:
    """Save a finished form as a complete response: a new one, or the draft ``draft_id``
    finished (it keeps its source, volunteer and start time). ``respondent`` is the contact the
    parent gave for data-protection requests, if any.

    The metadata questions are stamped (:func:`stamp_metadata`): ``start`` is when the form (or
    the draft) was begun, ``end`` and ``today`` are now. Raises ResponseInvalid with every
    problem, and then nothing is saved.
    """
    finished = _now()
    if draft_id is None:
        stamped = stamp_metadata(survey, answers, started=started, finished=finished)
        return add_response(
            workspace,
            survey,
            stamped,
            status="complete",
            source=source,
            captured_by=captured_by,
            started=_moment(started),
            finished=_moment(finished),
            respondent=respondent,
        )
    draft = get_response(workspace.db, draft_id)
    version = survey_for_version(workspace.db, draft.version_id)
    begun = _parse_moment(draft.started) or started
    stamped = stamp_metadata(
        version,
        answers,
        started=begun,
        finished=finished,
        kept=_kept_metadata(version, draft.answers),
    )
    return update_response(
        workspace,
        draft_id,
        stamped,
        status="complete",
        finished=_moment(finished),
        respondent=respondent,
    )


def correct_response(
    workspace: Workspace,
    response_id: str,
    answers: Mapping[str, object],
    *,
    status: Status | None = None,
    respondent: str | Unchanged | None = UNCHANGED,
) -> Response:
    """Save a correction: ``answers`` (what a person typed) replace the stored answers, and the
    metadata captured with the response stays as it was (the respondent reference too, unless
    ``respondent`` is given).

    Completing a draft this way stamps the metadata it lacks (begun when the draft was, ended
    now). Raises ResponseInvalid with every problem, and then nothing is saved.
    """
    current = get_response(workspace.db, response_id)
    survey = survey_for_version(workspace.db, current.version_id)
    kept = _kept_metadata(survey, current.answers)
    if (status or current.status) == "complete":
        begun = _parse_moment(current.started) or _now()
        stamped = stamp_metadata(survey, answers, started=begun, kept=kept)
    else:
        names = metadata_names(survey)
        stamped = {k: v for k, v in answers.items() if k not in names} | kept
    return update_response(workspace, response_id, stamped, status=status, respondent=respondent)
