"""The workbench's answers: every free-text answer of a survey, one row each, filtered by words,
the parent's other answers, codes, how far tagging got and consent; quotes made with their codes
in one change."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit import codebooks
from forumkit.codebooks import CodeNotFound
from forumkit.quotes import (
    AnswerQuery,
    AnswerRow,
    QuoteNotFound,
    answer_order,
    answer_row_of,
    answers_at,
    code_counts,
    count_quotes,
    create_quote,
    delete_quote,
    review_quote,
    tag_quote,
    tagged_rows,
    tagging_progress,
)
from forumkit.responses import (
    Response,
    add_response,
    delete_response,
    get_response,
    responses_by_id,
    words_may_leave,
)
from forumkit.surveys import Survey
from forumkit.workspace import Change, Workspace

from .helpers import add_parent, add_quotes_survey, answers


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_quotes_survey(workspace, tmp_path)


def seq_of(workspace: Workspace, response: Response) -> int:
    row = workspace.db.execute("SELECT seq FROM responses WHERE id = ?", [response.id]).fetchone()
    return int(row[0])


def rows_of(workspace: Workspace, query: AnswerQuery) -> list[tuple[str, str]]:
    """The query's rows as (response id, question), for readable assertions."""
    ids = {
        int(seq): str(rid)
        for seq, rid in workspace.db.execute("SELECT seq, id FROM responses").fetchall()
    }
    return [(ids[row.seq], row.question) for row in answer_order(workspace.db, query)]


def test_every_complete_answer_is_a_row_in_response_then_form_order(
    workspace: Workspace, survey: Survey
) -> None:
    first = add_parent(workspace, survey)
    add_response(workspace, survey, answers(), status="draft")  # unfinished: not quotable
    blank = add_parent(workspace, survey, experience="   ", difference=None)
    second = add_parent(workspace, survey, experience=None)
    assert rows_of(workspace, AnswerQuery(survey.id)) == [
        (first.id, "experience"),
        (first.id, "difference"),
        (second.id, "difference"),
    ]
    assert blank.id not in {rid for rid, _ in rows_of(workspace, AnswerQuery(survey.id))}
    only = AnswerQuery(survey.id, questions=("difference",))
    assert rows_of(workspace, only) == [(first.id, "difference"), (second.id, "difference")]
    with pytest.raises(ValueError, match="rating"):
        answer_order(workspace.db, AnswerQuery(survey.id, questions=("rating",)))


def test_words_are_found_in_the_answer_itself_not_elsewhere_in_the_response(
    workspace: Workspace, survey: Survey
) -> None:
    parent = add_parent(
        workspace,
        survey,
        experience="The Speech therapist was wonderful, but we waited.",
        difference="Café opening hours for parents.",
    )
    add_parent(workspace, survey, experience="Nothing to add.", difference="Nothing.")
    found = rows_of(workspace, AnswerQuery(survey.id, text="speech ther"))
    assert found == [(parent.id, "experience")]  # the difference does not mention it
    assert rows_of(workspace, AnswerQuery(survey.id, text="cafe")) == [(parent.id, "difference")]
    assert rows_of(workspace, AnswerQuery(survey.id, text="waited speech")) == []  # in order
    assert len(rows_of(workspace, AnswerQuery(survey.id, text="  "))) == 4  # no words: all


def test_filtered_by_the_parents_other_answers(workspace: Workspace, survey: Survey) -> None:
    primary = add_parent(workspace, survey, phase="primary")
    add_parent(workspace, survey, phase="secondary")
    early = add_parent(workspace, survey, phase="early", plan_date=None)
    query = AnswerQuery(
        survey.id, questions=("experience",), attributes={"phase": ("primary", "early")}
    )
    assert rows_of(workspace, query) == [(primary.id, "experience"), (early.id, "experience")]


def test_filtered_by_code_with_its_sub_codes_and_by_progress(
    workspace: Workspace, survey: Survey
) -> None:
    book = codebooks.create_codebook(workspace, "Our themes")
    transport = codebooks.add_code(workspace, book.key, "Transport")
    taxis = codebooks.add_code(workspace, book.key, "School taxis", parent=transport.key)
    tagged, reviewed, quoted, untouched = (add_parent(workspace, survey) for _ in range(4))
    create_quote(workspace, tagged.id, "experience", 0, 5, codes=["money"])
    made = create_quote(workspace, reviewed.id, "experience", codes=[taxis.id]).after
    assert made is not None
    review_quote(workspace, made.id, reviewed=True)
    create_quote(workspace, quoted.id, "experience", 0, 5)  # a quote without a code yet

    def experience(progress: str | None = None, codes: tuple[str, ...] = ()) -> list[str]:
        query = AnswerQuery(
            survey.id,
            questions=("experience",),
            codes=codes,
            progress=progress,  # type: ignore[arg-type]
        )
        return [rid for rid, _ in rows_of(workspace, query)]

    assert experience(codes=("money",)) == [tagged.id]
    assert experience(codes=(transport.id,)) == [reviewed.id]  # tagged with its sub-code
    assert experience("tagged") == [tagged.id, reviewed.id]
    assert experience("untagged") == [quoted.id, untouched.id]
    assert experience("unreviewed") == [tagged.id, quoted.id]
    assert experience("reviewed") == [reviewed.id]
    with pytest.raises(CodeNotFound):
        experience(codes=("no-such-code",))


def test_consent_filter_is_the_gates_judgement(workspace: Workspace, survey: Survey) -> None:
    given = add_parent(workspace, survey)
    share_refused = add_parent(workspace, survey, consent_share="no")
    unanswered = add_parent(workspace, survey, consent_quote=None)
    consenting = {rid for rid, _ in rows_of(workspace, AnswerQuery(survey.id, consent=True))}
    refusing = {rid for rid, _ in rows_of(workspace, AnswerQuery(survey.id, consent=False))}
    assert consenting == {given.id}
    assert refusing == {share_refused.id, unanswered.id}
    everyone = responses_by_id(workspace.db, [given.id, share_refused.id, unanswered.id])
    assert {rid for rid, r in everyone.items() if words_may_leave(r)} == consenting


def test_answers_at_reads_words_quotes_and_consent_for_a_screen(
    workspace: Workspace, survey: Survey
) -> None:
    text = "We waited 😀 two years 🧩 for speech therapy."
    parent = add_parent(workspace, survey, experience=text, consent_share="no")
    other = add_parent(workspace, survey)
    start = text.index("two")
    quote = create_quote(
        workspace, parent.id, "experience", start, start + 9, codes=["listen-early"]
    ).after
    assert quote is not None and quote.text == "two years"
    rows = answer_order(workspace.db, AnswerQuery(survey.id, questions=("experience",)))
    found = answers_at(workspace.db, rows)
    shown = found[AnswerRow(seq_of(workspace, parent), "experience")]
    assert shown.text == text and shown.tagged and not shown.consent
    assert shown.quotes == (quote,)
    assert shown.quote_at(start, start + 9) == quote
    assert shown.quotes_around(start + 3) == (quote,)
    assert shown.quotes_around(start - 1) == ()
    assert shown.reasons_to_stay(quote) == ("no consent to quote and share", "not reviewed")
    assert not found[AnswerRow(seq_of(workspace, other), "experience")].quotes
    delete_response(workspace, other.id)
    assert set(answers_at(workspace.db, rows)) == {rows[0]}  # deleted since: left out


def test_progress_and_counts(workspace: Workspace, survey: Survey) -> None:
    first, second = add_parent(workspace, survey), add_parent(workspace, survey)
    assert tagging_progress(workspace.db, survey.id).answers == 4
    create_quote(workspace, first.id, "experience", codes=["listen-early", "money"])
    made = create_quote(workspace, second.id, "difference", 0, 7).after
    assert made is not None
    assert tagging_progress(workspace.db, survey.id).tagged == 1
    tag_quote(workspace, made.id, ["money"])
    progress = tagging_progress(workspace.db, survey.id)
    assert (progress.tagged, progress.answers) == (2, 4)
    only = tagging_progress(workspace.db, survey.id, ("difference",))
    assert (only.tagged, only.answers) == (1, 2)
    assert tagged_rows(workspace.db, survey.id) == {
        AnswerRow(seq_of(workspace, first), "experience"),
        AnswerRow(seq_of(workspace, second), "difference"),
    }
    book = codebooks.default_codebook(workspace.db)
    by_key = {code.id: code.key for code in book.codes}
    counts = {by_key[code_id]: n for code_id, n in code_counts(workspace.db, survey.id).items()}
    assert counts == {"listen-early": 1, "money": 2}


def test_a_quote_made_with_its_codes_is_one_change_undone_at_once(
    workspace: Workspace, survey: Survey
) -> None:
    parent = add_parent(workspace, survey)
    changes: list[Change] = []
    workspace.subscribe(changes.append)
    made = create_quote(
        workspace, parent.id, "experience", 0, 5, codes=["listen-early", "accountability"]
    )
    assert made.after is not None
    assert [tag.key for tag in made.after.tags] == ["listen-early", "accountability"]
    assert len(changes) == 1 and changes[0].touches("quotes")
    delete_quote(workspace, made.after.id)
    assert workspace.db.execute("SELECT COUNT(*) FROM quote_tags").fetchone()[0] == 0
    with pytest.raises(CodeNotFound):
        create_quote(workspace, parent.id, "experience", 0, 5, codes=["money", "nonsense"])
    assert count_quotes(workspace.db) == 0  # refused before anything was written
    assert get_response(workspace.db, parent.id).answers["experience"]


def test_a_quote_leads_back_to_its_answers_row(workspace: Workspace, survey: Survey) -> None:
    add_parent(workspace, survey)
    parent = add_parent(workspace, survey, experience="We waited two years.")
    quote = create_quote(workspace, parent.id, "experience", 3, 9).after
    assert quote is not None
    survey_id, row = answer_row_of(workspace.db, quote.id)
    assert survey_id == survey.id
    assert row == AnswerRow(seq_of(workspace, parent), "experience")
    assert row in answer_order(workspace.db, AnswerQuery(survey.id))
    with pytest.raises(QuoteNotFound):
        answer_row_of(workspace.db, "no such quote")
