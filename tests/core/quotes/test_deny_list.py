"""The forum's deny-list lives in its file, is editable, and reaches every quote's redaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit import audit
from forumkit.quotes import (
    DenyListError,
    add_deny_term,
    create_quote,
    deny_term_id,
    get_quote,
    list_deny_terms,
    remove_deny_term,
    review_quote,
)
from forumkit.redaction import DenyKind
from forumkit.surveys import Survey
from forumkit.workspace import Workspace

from .helpers import add_parent, add_quotes_survey

WORDS = "Mrs Patel at Hillside Primary said no. Hillside never replied."


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_quotes_survey(workspace, tmp_path)


def test_terms_are_kept_in_the_file_and_redact_new_quotes(
    workspace: Workspace, survey: Survey
) -> None:
    add_deny_term(workspace, "  Hillside   Primary ", "school")
    add_deny_term(workspace, "Patel", "person")
    with pytest.raises(DenyListError, match="already has"):
        add_deny_term(workspace, "hillside primary", "place")
    with pytest.raises(DenyListError, match="school, person or place"):
        add_deny_term(workspace, "Leeds", "city")
    with pytest.raises(DenyListError, match="letter or a digit"):
        add_deny_term(workspace, " -- ", "place")
    entries = list_deny_terms(workspace.db)
    assert [(e.text, e.kind) for e in entries] == [
        ("Hillside Primary", DenyKind.SCHOOL),
        ("Patel", DenyKind.PERSON),
    ]
    assert entries[0].id == deny_term_id("HILLSIDE primary")  # every copy agrees on the id
    parent = add_parent(workspace, survey, experience=WORDS)
    quote = create_quote(workspace, parent.id, "experience")
    assert quote.after is not None
    assert quote.after.redacted_text == "Mrs [name] at [school] said no. Hillside never replied."
    log = str(audit.entries(workspace.db))
    assert "Patel" not in log and "Hillside" not in log


def test_a_new_term_reaches_every_quote_and_reviewed_ones_are_reviewed_again(
    workspace: Workspace, survey: Survey
) -> None:
    untouched = create_quote(
        workspace, add_parent(workspace, survey, experience=WORDS).id, "experience"
    ).after
    reviewed = create_quote(
        workspace, add_parent(workspace, survey, experience=WORDS).id, "experience"
    ).after
    unrelated = create_quote(workspace, add_parent(workspace, survey).id, "difference").after
    assert untouched is not None and reviewed is not None and unrelated is not None
    review_quote(
        workspace,
        reviewed.id,
        redacted_text="A teacher at Hillside said no. Hillside never replied.",
        reviewed=True,
    )
    change = add_deny_term(workspace, "Hillside", "school")
    assert change.reproposed == (untouched.id,)
    assert (change.redacted, change.unreviewed) == ((reviewed.id,), (reviewed.id,))
    assert get_quote(workspace.db, untouched.id).redacted_text == (
        "Mrs Patel at [school] Primary said no. [school] never replied."
    )
    now = get_quote(workspace.db, reviewed.id)
    assert now.redacted_text == "A teacher at [school] said no. [school] never replied."
    assert not now.reviewed
    assert get_quote(workspace.db, unrelated.id) == unrelated

    # Taking the term off again re-proposes only what nobody edited.
    removed = remove_deny_term(workspace, "hillside")
    assert removed.reproposed == (untouched.id,)
    assert get_quote(workspace.db, untouched.id).redacted_text == untouched.redacted_text
    assert get_quote(workspace.db, reviewed.id).redacted_text == now.redacted_text
    assert list_deny_terms(workspace.db) == []
    with pytest.raises(DenyListError, match="no such entry"):
        remove_deny_term(workspace, "Hillside")
