"""A chair quotes parents' answers, tags, redacts and reviews the quotes, and can undo each step."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit import audit, codebooks, tombstones
from forumkit.codebooks import CodeInUse, CodeNotFound
from forumkit.quotes import (
    QuoteError,
    QuoteExists,
    QuoteNotFound,
    create_quote,
    delete_quote,
    get_quote,
    list_quotes,
    merge_code,
    quote_id_for,
    quotes_of_response,
    relocate_quote,
    restore_quote,
    review_quote,
    set_quote_codes,
    tag_quote,
    untag_quote,
)
from forumkit.responses import (
    add_response,
    delete_response,
    restore_response,
    update_response,
)
from forumkit.surveys import Survey
from forumkit.workspace import Change, Workspace

from .helpers import EXPERIENCE, add_parent, add_quotes_survey, answers


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_quotes_survey(workspace, tmp_path)


def changes_of(workspace: Workspace) -> list[Change]:
    seen: list[Change] = []
    workspace.subscribe(seen.append)
    return seen


def test_a_whole_answer_becomes_a_quote_with_its_redaction_proposed(
    workspace: Workspace, survey: Survey
) -> None:
    response = add_parent(workspace, survey)
    seen = changes_of(workspace)
    made = create_quote(workspace, response.id, "experience", by="Ann")
    quote = made.after
    assert made.before is None and quote is not None
    assert (quote.start, quote.end, quote.text) == (0, len(EXPERIENCE), EXPERIENCE)
    assert quote.redacted_text == (
        "[name] waited two years for speech therapy at Oakwood Academy. "
        "Call me on [phone] if you need more."
    )
    assert (quote.reviewed, quote.redaction_edited, quote.created_by) == (False, False, "Ann")
    assert (quote.survey_id, quote.state, quote.tags) == (survey.id, "current", ())
    # Two laptops quoting the same words give the quote the same id.
    assert quote.id == quote_id_for(response.id, "experience", 0, len(EXPERIENCE))
    assert seen[0].touched == {"quotes": {quote.id}}
    [entry] = audit.entries(workspace.db, "quote_created")
    assert entry.object_ids == [quote.id, response.id] and entry.counts == {}
    # Its repr carries ids and flags, never the parent's words.
    assert "Jamie" not in repr(quote) and "waited" not in repr(quote)


def test_spans_are_code_points_and_may_overlap(workspace: Workspace, survey: Survey) -> None:
    words = "Café 😀 staff — they never listened, never"
    response = add_parent(workspace, survey, experience=words)
    listened = words.index("never listened")
    first = create_quote(workspace, response.id, "experience", listened, listened + 14).after
    assert first is not None and first.text == "never listened"
    overlapping = create_quote(workspace, response.id, "experience", 0, listened + 5).after
    assert overlapping is not None and overlapping.text == words[: listened + 5]
    assert "😀" in overlapping.text
    whole = create_quote(workspace, response.id, "experience").after
    assert whole is not None and whole.text == words
    assert [q.start for q in quotes_of_response(workspace.db, response.id)] == [0, 0, listened]
    with pytest.raises(QuoteExists):
        create_quote(workspace, response.id, "experience", listened, listened + 14)


@pytest.mark.parametrize(
    ("span", "message"),
    [
        ((5, 5), "hold at least one"),
        ((-1, 4), "within its answer"),
        ((0, 10_000), "within its answer"),
        ((4, 5), "letter or digit"),  # a space
    ],
)
def test_a_span_outside_the_answer_or_without_words_is_refused(
    workspace: Workspace, survey: Survey, span: tuple[int, int], message: str
) -> None:
    response = add_parent(workspace, survey, experience="Long waits, no help.")
    generation = workspace.generation
    with pytest.raises(QuoteError, match=message):
        create_quote(workspace, response.id, "experience", *span)
    assert workspace.generation == generation


def test_only_free_text_answers_of_complete_responses_are_quoted(
    workspace: Workspace, survey: Survey
) -> None:
    response = add_parent(workspace, survey, difference=None)
    with pytest.raises(QuoteError, match="not a free-text question"):
        create_quote(workspace, response.id, "phase")
    with pytest.raises(QuoteError, match="no question “nothing”"):
        create_quote(workspace, response.id, "nothing")
    with pytest.raises(QuoteError, match="gives no answer"):
        create_quote(workspace, response.id, "difference")
    draft = add_response(workspace, survey, {"experience": "Half typed"})
    with pytest.raises(QuoteError, match="unfinished draft"):
        create_quote(workspace, draft.id, "experience")


def test_tags_come_from_any_codebook_with_who_and_when(
    workspace: Workspace, survey: Survey
) -> None:
    response = add_parent(workspace, survey)
    quote = create_quote(workspace, response.id, "experience").after
    assert quote is not None
    sensory = codebooks.resolve_code(workspace.db, "areas-of-need/sensory-physical")
    tagged = tag_quote(
        workspace, quote.id, ["listen-early", "areas-of-need/sensory-physical"], by="Ann"
    )
    after = tagged.after
    assert after is not None and tagged.before == quote
    assert after.references == ("listen-early", "areas-of-need/sensory-physical")
    assert {t.tagged_by for t in after.tags} == {"Ann"}
    assert sensory.id in after.code_ids
    # Tagging again with a code it has keeps the first tagging and saves nothing.
    generation = workspace.generation
    again = tag_quote(workspace, quote.id, [sensory.id], by="Bob")
    assert not again.changed and workspace.generation == generation
    untagged = untag_quote(workspace, quote.id, ["listen-early"]).after
    assert untagged is not None and untagged.references == ("areas-of-need/sensory-physical",)
    exact = set_quote_codes(workspace, quote.id, ["money", "workforce"]).after
    assert exact is not None and set(exact.references) == {"money", "workforce"}
    with pytest.raises(CodeNotFound):
        tag_quote(workspace, quote.id, ["no-such-code"])
    assert get_quote(workspace.db, quote.id) == exact


def test_a_heading_code_cannot_be_used_for_tagging(workspace: Workspace, survey: Survey) -> None:
    book = codebooks.create_codebook(workspace, "Local themes")
    codebooks.add_code(workspace, book.key, "Transport", codable=False)
    quote = create_quote(workspace, add_parent(workspace, survey).id, "experience").after
    assert quote is not None
    with pytest.raises(QuoteError, match="only groups other codes"):
        tag_quote(workspace, quote.id, ["local-themes/transport"])


def test_an_edited_redaction_is_scanned_again_and_must_be_reviewed(
    workspace: Workspace, survey: Survey
) -> None:
    quote = create_quote(workspace, add_parent(workspace, survey).id, "experience").after
    assert quote is not None
    reviewed = review_quote(workspace, quote.id, reviewed=True, by="Chair")
    after = reviewed.change.after
    assert after is not None and after.reviewed and after.reviewed_by == "Chair"
    assert reviewed.still_detected.is_clean
    # The reviewer types a name back in: it is reported, and the quote is unreviewed again.
    edit = review_quote(workspace, quote.id, redacted_text="Ask Jamie's mum. 07700 900123")
    edited = edit.change.after
    assert edited is not None and not edited.reviewed and edited.redaction_edited
    assert [s.kind.value for s in edit.still_detected.spans] == ["name", "phone"]
    assert edited.redacted_text == "Ask Jamie's mum. 07700 900123"
    both = review_quote(
        workspace, quote.id, redacted_text="Ask [name]'s mum.", reviewed=True, by="Chair"
    )
    assert both.still_detected.is_clean and both.change.after is not None
    assert both.change.after.reviewed
    with pytest.raises(QuoteError, match="redacted text is empty"):
        review_quote(workspace, quote.id, redacted_text="  \n")
    entries = audit.entries(workspace.db, "quote_reviewed")
    assert [e.counts["still_detected"] for e in entries] == [0, 2, 0]
    assert "Jamie" not in str(audit.entries(workspace.db))


def test_a_corrected_answer_flags_its_quotes_and_relocating_settles_them(
    workspace: Workspace, survey: Survey
) -> None:
    response = add_parent(workspace, survey, experience="We waited. Nobody listened to us.")
    part = create_quote(workspace, response.id, "experience", 11, 33).after  # Nobody listened…
    whole = create_quote(workspace, response.id, "experience").after
    assert part is not None and whole is not None
    review_quote(workspace, part.id, reviewed=True)
    update_response(
        workspace, response.id, answers(experience="We waited a year. Nobody listened to us.")
    )
    moved = get_quote(workspace.db, part.id)
    assert (moved.state, moved.start, moved.text) == ("moved", 11, "Nobody listened to us.")
    assert get_quote(workspace.db, whole.id).state == "changed"
    with pytest.raises(QuoteError, match="relocate the quote before reviewing"):
        review_quote(workspace, whole.id, reviewed=True)
    settled = relocate_quote(workspace, part.id).after
    assert settled is not None and (settled.state, settled.start) == ("current", 18)
    assert settled.reviewed  # the same words: the review stands
    with pytest.raises(QuoteError, match="no longer holds the words"):
        relocate_quote(workspace, whole.id)
    fresh = relocate_quote(workspace, whole.id, 0).after
    assert fresh is not None and fresh.text == "We waited a year. Nobody listened to us."
    assert (fresh.state, fresh.reviewed) == ("current", False)
    update_response(workspace, response.id, answers(experience=None))
    assert get_quote(workspace.db, part.id).state == "gone"


def test_deleting_and_undoing_puts_the_very_same_quote_back(
    workspace: Workspace, survey: Survey
) -> None:
    quote = create_quote(workspace, add_parent(workspace, survey).id, "experience").after
    assert quote is not None
    tagged = tag_quote(workspace, quote.id, ["money"], by="Ann").after
    assert tagged is not None
    reviewed = review_quote(workspace, quote.id, reviewed=True).change.after
    assert reviewed is not None
    gone = delete_quote(workspace, quote.id)
    assert gone.before == reviewed and gone.after is None
    assert tombstones.reason(workspace.db, quote.id) == "deleted"
    with pytest.raises(QuoteNotFound):
        get_quote(workspace.db, quote.id)
    back = restore_quote(workspace, reviewed).after
    assert back == reviewed
    assert tombstones.reason(workspace.db, quote.id) is None
    # Undoing a tagging puts the quote back as it was before it.
    restore_quote(workspace, quote)
    assert get_quote(workspace.db, quote.id) == quote


def test_a_deleted_response_takes_its_quotes_and_undo_brings_both_back(
    workspace: Workspace, survey: Survey
) -> None:
    response = add_parent(workspace, survey)
    quote = create_quote(workspace, response.id, "experience").after
    assert quote is not None
    tagged = tag_quote(workspace, quote.id, ["money"]).after
    assert tagged is not None
    kept = quotes_of_response(workspace.db, response.id)
    delete_response(workspace, response.id)
    assert list_quotes(workspace.db, survey.id) == []
    assert workspace.db.execute("SELECT COUNT(*) FROM quote_tags").fetchone()[0] == 0
    with pytest.raises(QuoteError, match="not in this forum file"):
        restore_quote(workspace, tagged)
    restore_response(workspace, response)
    for earlier in kept:
        restore_quote(workspace, earlier)
    assert list_quotes(workspace.db, survey.id) == [tagged]


def test_a_used_code_is_merged_into_another_and_the_quotes_hear_of_it(
    workspace: Workspace, survey: Survey
) -> None:
    first = create_quote(workspace, add_parent(workspace, survey).id, "experience").after
    second = create_quote(workspace, add_parent(workspace, survey).id, "experience").after
    assert first is not None and second is not None
    tag_quote(workspace, first.id, ["money"])
    tag_quote(workspace, second.id, ["money", "workforce"])
    with pytest.raises(CodeInUse, match="is used 2 times"):
        codebooks.delete_code(workspace, "money")
    seen = changes_of(workspace)
    merge_code(workspace, "money", "workforce")
    assert get_quote(workspace.db, first.id).references == ("workforce",)
    assert get_quote(workspace.db, second.id).references == ("workforce",)
    assert seen[0].touched["quotes"] == {first.id, second.id}
    assert "codebooks" in seen[0].touched


def test_a_failed_change_leaves_the_file_as_it_was(
    workspace: Workspace, survey: Survey, monkeypatch: pytest.MonkeyPatch
) -> None:
    quote = create_quote(workspace, add_parent(workspace, survey).id, "experience").after
    assert quote is not None
    before = workspace.path.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the audit log refused")

    # The tags are written, then the audit entry fails: the whole change is undone.
    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        tag_quote(workspace, quote.id, ["money"])
    assert workspace.path.read_bytes() == before
    assert get_quote(workspace.db, quote.id).tags == ()
