"""Capturing on a laptop: drafts keep what can be read, metadata is stamped once and kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forumkit.responses import (
    ResponseInvalid,
    add_response,
    complete_response,
    correct_response,
    count_responses,
    get_response,
    keep_draft,
    stamp_metadata,
)
from forumkit.surveys import Survey, import_xlsform
from forumkit.workspace import Workspace

from .helpers import CHOICE_ROWS, SETTINGS_ROWS, SURVEY_ROWS, complete_answers, write_rows

METADATA_ROWS = [
    ["start", "begun", "", "", "", "", ""],
    ["end", "ended", "", "", "", "", ""],
    ["today", "day", "", "", "", "", ""],
]
BEGUN = dt.datetime(2026, 3, 2, 10, 15, 30, 123456, tzinfo=dt.timezone(dt.timedelta(hours=1)))


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    """The test survey with XLSForm's start, end and today metadata questions."""
    form = write_rows(
        tmp_path / "family_2026.xlsx", [*SURVEY_ROWS, *METADATA_ROWS], CHOICE_ROWS, SETTINGS_ROWS
    )
    return import_xlsform(workspace, form).survey


# -- keeping a draft ----------------------------------------------------------------------------


def test_a_draft_drops_only_what_cannot_be_read_and_keeps_who_typed_it(
    workspace: Workspace, survey: Survey
) -> None:
    kept = keep_draft(
        workspace,
        survey,
        {"rating": "four", "phase": "college", "experience": "Long wait", "services": ["ot"]},
        captured_by="Volunteer A",
        started=BEGUN,
    )
    assert {p.question for p in kept.dropped} == {"rating", "phase"}
    assert kept.response is not None
    stored = get_response(workspace.db, kept.response.id)
    assert stored.status == "draft"
    assert stored.answers == {"experience": "Long wait", "services": ("ot",)}
    # Before, data entry's retry after dropping an answer forgot who typed the draft.
    assert stored.captured_by == "Volunteer A"
    assert stored.source == "entered"
    assert stored.started == "2026-03-02T10:15:30+01:00"


def test_a_kiosk_draft_is_kept_by_the_same_rule(workspace: Workspace, survey: Survey) -> None:
    answers = {"rating": "four", "phase": "college", "experience": "Long wait"}
    typed = keep_draft(workspace, survey, answers)
    kiosk = keep_draft(workspace, survey, answers, source="kiosk")
    assert typed.response is not None and kiosk.response is not None
    assert kiosk.response.source == "kiosk"
    assert kiosk.response.answers == typed.response.answers == {"experience": "Long wait"}
    assert kiosk.dropped == typed.dropped


def test_keeping_again_updates_the_same_draft(workspace: Workspace, survey: Survey) -> None:
    first = keep_draft(workspace, survey, {"experience": "Long wait"}, captured_by="A")
    assert first.response is not None
    again = keep_draft(
        workspace,
        survey,
        {"experience": "Long wait, then a plan", "rating": "seven"},
        draft_id=first.response.id,
    )
    assert again.response is not None and again.response.id == first.response.id
    assert [p.question for p in again.dropped] == ["rating"]
    stored = get_response(workspace.db, first.response.id)
    assert stored.answers == {"experience": "Long wait, then a plan"}
    assert stored.captured_by == "A"
    assert count_responses(workspace.db, survey.id) == 1


def test_nothing_readable_makes_no_draft(workspace: Workspace, survey: Survey) -> None:
    kept = keep_draft(workspace, survey, {"rating": "four"})
    assert kept.response is None and [p.question for p in kept.dropped] == ["rating"]
    assert count_responses(workspace.db, survey.id) == 0


# -- metadata -----------------------------------------------------------------------------------


def test_the_laptop_answers_start_end_and_today(survey: Survey) -> None:
    finished = BEGUN + dt.timedelta(minutes=7)
    stamped = stamp_metadata(
        survey, {"rating": 3, "begun": "typed by someone"}, started=BEGUN, finished=finished
    )
    assert stamped == {
        "rating": 3,
        "begun": "2026-03-02T10:15:30+01:00",
        "ended": "2026-03-02T10:22:30+01:00",
        "day": "2026-03-02",
    }


def test_metadata_already_captured_is_kept(survey: Survey) -> None:
    kept = {"begun": "2026-01-05T09:00:00+00:00", "ended": "2026-01-05T09:10:00+00:00"}
    stamped = stamp_metadata(survey, {"rating": 3}, started=BEGUN, kept=kept)
    assert stamped["begun"] == "2026-01-05T09:00:00+00:00"
    assert stamped["ended"] == "2026-01-05T09:10:00+00:00"
    assert stamped["day"] == dt.date.today().isoformat()  # not captured before: stamped now


def test_completing_stamps_metadata_and_a_correction_keeps_it(
    workspace: Workspace, survey: Survey
) -> None:
    response = complete_response(
        workspace, survey, complete_answers(), started=BEGUN, captured_by="Volunteer B"
    )
    assert response.status == "complete" and response.captured_by == "Volunteer B"
    assert response.answers["begun"] == dt.datetime.fromisoformat("2026-03-02T10:15:30+01:00")
    assert response.started == "2026-03-02T10:15:30+01:00"
    captured = {k: response.answers[k] for k in ("begun", "ended", "day")}

    corrected = correct_response(workspace, response.id, complete_answers(rating=9))
    assert corrected.answers["rating"] == 9
    assert {k: corrected.answers[k] for k in ("begun", "ended", "day")} == captured


def test_finishing_a_draft_keeps_when_it_was_begun_and_who_typed_it(
    workspace: Workspace, survey: Survey
) -> None:
    kept = keep_draft(
        workspace, survey, {"experience": "Long wait"}, captured_by="Volunteer A", started=BEGUN
    )
    assert kept.response is not None
    later = dt.datetime.now().astimezone()
    done = complete_response(
        workspace,
        survey,
        complete_answers(experience="Long wait"),
        started=later,
        draft_id=kept.response.id,
        captured_by="Volunteer C",
    )
    assert done.id == kept.response.id and done.status == "complete"
    assert done.answers["begun"] == dt.datetime.fromisoformat("2026-03-02T10:15:30+01:00")
    assert done.captured_by == "Volunteer A"
    assert done.finished is not None


def test_a_refused_completion_saves_nothing(workspace: Workspace, survey: Survey) -> None:
    kept = keep_draft(workspace, survey, {"experience": "Long wait"})
    assert kept.response is not None
    with pytest.raises(ResponseInvalid):
        complete_response(
            workspace, survey, {"rating": 40}, started=BEGUN, draft_id=kept.response.id
        )
    stored = get_response(workspace.db, kept.response.id)
    assert stored.status == "draft" and stored.answers == {"experience": "Long wait"}


def test_completing_a_draft_in_a_correction_stamps_what_it_lacks(
    workspace: Workspace, survey: Survey
) -> None:
    draft = add_response(workspace, survey, {"experience": "x"}, started="2026-02-01T08:00:00")
    done = correct_response(workspace, draft.id, complete_answers(), status="complete")
    assert done.answers["begun"] == dt.datetime(2026, 2, 1, 8, 0)
    assert "ended" in done.answers and "day" in done.answers
    still_draft = add_response(workspace, survey, {"experience": "y"})
    edited = correct_response(workspace, still_draft.id, {"experience": "y z"})
    assert edited.answers == {"experience": "y z"}  # a draft holds what was typed, no stamps
