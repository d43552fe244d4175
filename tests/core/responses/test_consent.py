"""Consent is always current: it follows the survey's consent questions and the answers as
they are now, and only both parts together let a parent's words leave the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit.responses import (
    add_response,
    get_response,
    list_responses,
    update_response,
    words_may_leave,
)
from forumkit.surveys import (
    ConsentQuestionError,
    Survey,
    get_survey,
    import_xlsform,
    set_consent_questions,
)
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE

from .helpers import CHOICE_ROWS, SETTINGS_ROWS, SURVEY_ROWS, complete_answers, write_rows

# The test survey with a second yes/no question a chair might point consent at by mistake.
ROWS = [
    *SURVEY_ROWS,
    ["select_one yes_no", "follow_up", "May we contact you again?", "", "", "", ""],
]


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    form = write_rows(tmp_path / "form.xlsx", ROWS, CHOICE_ROWS, SETTINGS_ROWS)
    return import_xlsform(workspace, form).survey


def _answers(quote: str, share: str, follow_up: str) -> dict[str, object]:
    return {
        **complete_answers(),
        "consent_quote": quote,
        "consent_share": share,
        "follow_up": follow_up,
    }


def test_pointing_quote_consent_at_a_question_answered_no_withdraws_it(
    workspace: Workspace, survey: Survey
) -> None:
    """The reproduction: the stored flag used to stay True."""
    saved = add_response(workspace, survey, _answers("yes", "yes", "no"), status="complete")
    assert (saved.consent_quote, saved.consent_share) == (True, True)
    assert words_may_leave(saved)

    set_consent_questions(workspace, survey.id, quote="follow_up")
    now = get_response(workspace.db, saved.id)
    assert (now.consent_quote, now.consent_share) == (False, True)
    assert not words_may_leave(now)

    # And back: pointing it at the question the parent said yes to gives consent again.
    set_consent_questions(workspace, survey.id, quote="consent_quote")
    assert words_may_leave(get_response(workspace.db, saved.id))


def test_pointing_consent_at_a_question_answered_yes_gives_it(
    workspace: Workspace, survey: Survey
) -> None:
    saved = add_response(workspace, survey, _answers("no", "yes", "yes"), status="complete")
    assert not words_may_leave(saved)
    set_consent_questions(workspace, survey.id, quote="follow_up")
    assert words_may_leave(get_response(workspace.db, saved.id))


def test_consent_follows_a_corrected_answer_both_ways(workspace: Workspace, survey: Survey) -> None:
    saved = add_response(workspace, survey, _answers("yes", "yes", "no"), status="complete")
    withdrawn = update_response(workspace, saved.id, _answers("yes", "no", "no"))
    assert (withdrawn.consent_quote, withdrawn.consent_share) == (True, False)
    assert not words_may_leave(get_response(workspace.db, saved.id))
    given = update_response(workspace, saved.id, _answers("yes", "yes", "no"))
    assert words_may_leave(given)


def test_both_parts_count_and_unanswered_is_not_consent(
    workspace: Workspace, survey: Survey
) -> None:
    cases = {
        ("yes", "yes"): (True, True, True),
        ("yes", "no"): (True, False, False),
        ("no", "yes"): (False, True, False),
        ("yes", ""): (True, None, False),
        ("", ""): (None, None, False),
    }
    for (quote, share), expected in cases.items():
        answers = _answers(quote, share, "no")
        answers = {k: v for k, v in answers.items() if v != ""}
        saved = add_response(workspace, survey, answers, status="complete")
        assert (saved.consent_quote, saved.consent_share, words_may_leave(saved)) == expected


def test_clearing_a_consent_question_means_no_consent(workspace: Workspace, survey: Survey) -> None:
    add_response(workspace, survey, _answers("yes", "yes", "yes"), status="complete")
    set_consent_questions(workspace, survey.id, share="")
    [response] = list_responses(workspace.db, survey.id)
    assert (response.consent_quote, response.consent_share) == (True, None)
    assert not words_may_leave(response)


def test_setting_both_questions_is_one_change_and_keeps_the_version(
    workspace: Workspace, survey: Survey
) -> None:
    generation = workspace.generation
    updated = set_consent_questions(workspace, survey.id, quote="follow_up", share="consent_quote")
    assert workspace.generation == generation + 1
    stored = get_survey(workspace.db, survey.id)
    assert (stored.consent_quote, stored.consent_share) == ("follow_up", "consent_quote")
    assert (updated.consent_quote, updated.consent_share) == ("follow_up", "consent_quote")
    # Consent is a setting of the survey, not a new version of the form.
    assert (stored.version, stored.version_id) == (survey.version, survey.version_id)
    assert stored.elements == survey.elements


def test_a_refused_consent_question_changes_nothing(workspace: Workspace, survey: Survey) -> None:
    generation = workspace.generation
    with pytest.raises(ConsentQuestionError, match="not a yes/no question"):
        set_consent_questions(workspace, survey.id, quote="follow_up", share="rating")
    with pytest.raises(ConsentQuestionError, match="no question “nothing”"):
        set_consent_questions(workspace, survey.id, quote="nothing")
    assert workspace.generation == generation
    assert get_survey(workspace.db, survey.id).consent_quote == "consent_quote"


def test_the_forums_choice_outlives_reimporting_the_form(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    set_consent_questions(workspace, survey.id, quote="follow_up")
    form = write_rows(tmp_path / "again.xlsx", ROWS, CHOICE_ROWS, SETTINGS_ROWS)
    result = import_xlsform(workspace, form)
    assert result.status == "unchanged"
    assert get_survey(workspace.db, survey.id).consent_quote == "follow_up"
    changed = write_rows(
        tmp_path / "v2.xlsx",
        [*ROWS, ["text", "more", "Anything else?", "", "", "", ""]],
        CHOICE_ROWS,
        SETTINGS_ROWS,
    )
    result = import_xlsform(workspace, changed)
    assert result.status == "new_version"
    assert result.survey.consent_quote == "follow_up"
    assert any("consent questions" in warning for warning in result.warnings)


def test_consent_applies_to_every_version_and_survives_reopening(
    workspace: Workspace, survey: Survey, forum_path: Path, tmp_path: Path
) -> None:
    first = add_response(workspace, survey, _answers("yes", "yes", "no"), status="complete")
    changed = write_rows(
        tmp_path / "v2.xlsx",
        [*ROWS, ["text", "more", "Anything else?", "", "", "", ""]],
        CHOICE_ROWS,
        SETTINGS_ROWS,
    )
    import_xlsform(workspace, changed)
    set_consent_questions(workspace, survey.id, quote="follow_up")
    workspace.close()
    with Workspace.open(forum_path, PASSPHRASE) as reopened:
        old = get_response(reopened.db, first.id)
        assert old.version_id == survey.version_id
        assert (old.consent_quote, words_may_leave(old)) == (False, False)
