"""A quote leaves the forum file only with both consents, reviewed, and unchanged since: the rule
lives in one core function, and withdrawing consent later withdraws the quote at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit.quotes import (
    create_quote,
    get_quote,
    leaving_quotes,
    quote_may_leave,
    reasons_to_stay,
    review_quote,
    tag_quote,
)
from forumkit.responses import get_response, update_response
from forumkit.surveys import Survey, set_consent_questions
from forumkit.workspace import Workspace

from .helpers import add_parent, add_quotes_survey, answers


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_quotes_survey(workspace, tmp_path)


def reviewed_quote(workspace: Workspace, survey: Survey, **changes: object) -> tuple[str, str]:
    """(response id, quote id) of a reviewed, tagged whole-answer quote."""
    response = add_parent(workspace, survey, **changes)
    made = create_quote(workspace, response.id, "experience").after
    assert made is not None
    tag_quote(workspace, made.id, ["listen-early"])
    review_quote(workspace, made.id, reviewed=True)
    return response.id, made.id


@pytest.mark.parametrize(
    ("quote_consent", "share_consent", "leaves"),
    [
        ("yes", "yes", True),
        ("yes", "no", False),
        ("no", "yes", False),
        (None, "yes", False),  # not answered is no
        ("yes", None, False),
    ],
)
def test_both_consents_are_needed(
    workspace: Workspace,
    survey: Survey,
    quote_consent: str | None,
    share_consent: str | None,
    leaves: bool,
) -> None:
    response_id, quote_id = reviewed_quote(
        workspace, survey, consent_quote=quote_consent, consent_share=share_consent
    )
    quote = get_quote(workspace.db, quote_id)
    response = get_response(workspace.db, response_id)
    assert quote_may_leave(quote, response) is leaves
    assert [q.quote_id for q in leaving_quotes(workspace.db, survey.id)] == (
        [quote_id] if leaves else []
    )
    assert ("no consent to quote and share" in reasons_to_stay(quote, response)) is not leaves


def test_an_unreviewed_or_outdated_quote_stays(workspace: Workspace, survey: Survey) -> None:
    response = add_parent(workspace, survey)
    quote = create_quote(workspace, response.id, "difference").after
    assert quote is not None
    assert reasons_to_stay(quote, response) == ("not reviewed",)
    review_quote(workspace, quote.id, reviewed=True)
    assert [q.quote_id for q in leaving_quotes(workspace.db, survey.id)] == [quote.id]
    # The parent's answer is corrected: what was reviewed is no longer what they say.
    update_response(workspace, response.id, answers(difference="Being listened to, early."))
    now = get_quote(workspace.db, quote.id)
    assert reasons_to_stay(now, get_response(workspace.db, response.id)) == (
        "the answer was corrected after the quote was made",
    )
    assert leaving_quotes(workspace.db, survey.id) == []


def test_withdrawing_consent_later_removes_the_quote_from_what_leaves(
    workspace: Workspace, survey: Survey
) -> None:
    response_id, quote_id = reviewed_quote(workspace, survey)
    _, other_id = reviewed_quote(workspace, survey)
    assert {q.quote_id for q in leaving_quotes(workspace.db, survey.id)} == {quote_id, other_id}
    # The parent withdraws consent to share: their consent answer is corrected.
    update_response(workspace, response_id, answers(consent_share="no"))
    assert [q.quote_id for q in leaving_quotes(workspace.db, survey.id)] == [other_id]
    # The chair points share consent at a question nobody answered: nothing may leave.
    set_consent_questions(workspace, survey.id, share="")
    assert leaving_quotes(workspace.db, survey.id) == []


def test_only_the_redacted_words_leave(workspace: Workspace, survey: Survey) -> None:
    _, quote_id = reviewed_quote(workspace, survey)
    [leaving] = leaving_quotes(workspace.db, survey.id)
    assert leaving.redacted_text.startswith("[name] waited two years")
    assert "Jamie" not in repr(leaving) + leaving.redacted_text
    assert leaving.codes == ("listen-early",)
    money = leaving_quotes(
        workspace.db, survey.id, code_ids=[get_quote(workspace.db, quote_id).tags[0].code_id]
    )
    assert [q.quote_id for q in money] == [quote_id]


def test_the_gate_refuses_a_quote_judged_with_another_response(
    workspace: Workspace, survey: Survey
) -> None:
    _, quote_id = reviewed_quote(workspace, survey)
    other = add_parent(workspace, survey)
    with pytest.raises(ValueError, match="its own response"):
        quote_may_leave(get_quote(workspace.db, quote_id), other)
