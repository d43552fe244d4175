"""Reading responses: order by fields and answers, filters by answers, search, rows by number,
and pages by survey id; one search everywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from forumkit.paths import resource_path
from forumkit.responses import (
    Status,
    add_incoming,
    add_response,
    count_responses,
    delete_response,
    get_response,
    list_responses,
    responses_by_id,
)
from forumkit.responses.query import (
    AnswerFilter,
    AnswerText,
    ResponseQuery,
    count_matching,
    response_order,
    responses_by_seq,
)
from forumkit.surveys import Survey, import_xlsform
from forumkit.workspace import Workspace

from .helpers import add_test_survey, incoming_row


@pytest.fixture
def survey(workspace: Workspace) -> Survey:
    return import_xlsform(workspace, resource_path("demo", "parent-survey-2026.xlsx")).survey


def _add(workspace: Workspace, survey: Survey, answers: dict[str, object], **kwargs: object) -> str:
    base: dict[str, object] = {
        "age_phase": "primary",
        "need_areas": ("communication",),
        "support": "none",
        "services_score": 5,
        "waited_for": ("none",),
        "consent_quote": "no",
        "consent_share": "no",
    }
    status = kwargs.pop("status", "complete")
    response = add_response(workspace, survey, {**base, **answers}, status=status, **kwargs)
    return response.id


def _ids(workspace: Workspace, survey: Survey, query: ResponseQuery) -> list[str]:
    order = response_order(workspace.db, survey, query)
    found = responses_by_seq(workspace.db, order)
    return [found[seq].id for seq in order]


@pytest.fixture
def three(workspace: Workspace, survey: Survey) -> list[str]:
    return [
        _add(
            workspace,
            survey,
            {"age_phase": "secondary", "child_age": 14, "experience": "We waited for CAMHS."},
            source="entered",
            captured_by="Asha",
            started="2026-03-02T10:00:00",
        ),
        _add(
            workspace,
            survey,
            {
                "child_age": 7,
                "need_areas": ("semh", "sensory_physical"),
                "support": "ehcp",
                "ehcp_process": "2",
            },
            source="kiosk",
            started="2026-03-01T09:00:00",
        ),
        _add(
            workspace,
            survey,
            {"age_phase": "early_years", "biggest_difference": "A key worker who listens"},
            source="entered",
            captured_by="Ben",
            status="draft",
            started="2026-03-03T11:00:00",
        ),
    ]


def test_default_order_is_the_order_added(
    workspace: Workspace, survey: Survey, three: list[str]
) -> None:
    assert _ids(workspace, survey, ResponseQuery()) == three
    assert _ids(workspace, survey, ResponseQuery(descending=True)) == three[::-1]
    assert count_matching(workspace.db, survey, ResponseQuery()) == 3


def test_sort_by_a_field_keeps_empty_values_last(
    workspace: Workspace, survey: Survey, three: list[str]
) -> None:
    a, b, c = three
    assert _ids(workspace, survey, ResponseQuery(sort_field="started")) == [b, a, c]
    assert _ids(workspace, survey, ResponseQuery(sort_field="captured_by")) == [a, c, b]
    assert _ids(workspace, survey, ResponseQuery(sort_field="captured_by", descending=True)) == [
        c,
        a,
        b,
    ]
    with pytest.raises(ValueError, match="cannot be sorted"):
        response_order(workspace.db, survey, ResponseQuery(sort_field="answers"))


def test_sort_by_an_answer(workspace: Workspace, survey: Survey, three: list[str]) -> None:
    a, b, c = three
    # Numbers sort as numbers; a response without the answer comes last either way.
    assert _ids(workspace, survey, ResponseQuery(sort_question="child_age")) == [b, a, c]
    by_age_desc = ResponseQuery(sort_question="child_age", descending=True)
    assert _ids(workspace, survey, by_age_desc) == [a, b, c]
    # A single choice sorts in the survey's order of choices (early years, primary, secondary).
    assert _ids(workspace, survey, ResponseQuery(sort_question="age_phase")) == [c, b, a]
    with pytest.raises(ValueError, match="no question"):
        response_order(workspace.db, survey, ResponseQuery(sort_question="nope"))


def test_filter_by_answers(workspace: Workspace, survey: Survey, three: list[str]) -> None:
    a, b, c = three

    def where(*filters: AnswerFilter) -> list[str]:
        return _ids(workspace, survey, ResponseQuery(filters=filters))

    assert where(AnswerFilter("age_phase", "primary")) == [b]
    assert where(AnswerFilter("need_areas", "semh")) == [b]  # one of several picked
    assert where(AnswerFilter("need_areas", "communication")) == [a, c]
    assert where(AnswerFilter("child_age", 14)) == [a]
    assert where(AnswerFilter("child_age", "7")) == [b]  # typed text is read as a number
    assert where(AnswerFilter("experience", "camhs")) == [a]  # text contains, any case
    assert where(AnswerFilter("child_age", None)) == [c]  # no answer
    assert where(AnswerFilter("need_areas", "communication"), AnswerFilter("child_age", 14)) == [a]
    with pytest.raises(ValueError, match="not a number"):
        where(AnswerFilter("child_age", "seven"))


def test_status_and_filters_combine(workspace: Workspace, survey: Survey, three: list[str]) -> None:
    a, _b, c = three
    drafts = ResponseQuery(status="draft")
    assert _ids(workspace, survey, drafts) == [c]
    both = ResponseQuery(status="complete", filters=(AnswerFilter("need_areas", "communication"),))
    assert _ids(workspace, survey, both) == [a]


def test_search_finds_answers_labels_and_people_but_not_question_names(
    workspace: Workspace, survey: Survey, three: list[str]
) -> None:
    a, b, c = three

    def search(text: str) -> list[str]:
        return _ids(workspace, survey, ResponseQuery(search=text))

    assert search("camhs") == [a]  # a text answer, any case
    assert search("key worker") == [c]
    assert search("Secondary") == [a]  # the choice's label
    assert search("Social, emotional") == [b]  # a label of one of several choices picked
    assert search("kiosk") == [b]  # the source
    assert search("asha") == [a]  # who captured it
    assert search(a) == [a]  # a response id
    assert search("child_age") == []  # question names are not answers
    assert search('say "hello"') == []  # quotes are searched safely
    assert search("100%") == []


def test_choice_labels_are_searched_by_words_as_answers_are(
    workspace: Workspace, survey: Survey, three: list[str]
) -> None:
    _a, b, _c = three

    def search(text: str) -> list[str]:
        return _ids(workspace, survey, ResponseQuery(search=text))

    # "Social, emotional and mental health": whole words in order, the last one maybe unfinished
    assert search("social emotional") == [b]
    assert search("Social, emo") == [b]
    assert search("MENTAL health") == [b]
    assert search("cial") == []  # not the inside of a word
    assert search("emotional social") == []  # not out of order


def test_a_page_by_survey_id_finds_what_the_table_finds(
    workspace: Workspace, survey: Survey, three: list[str]
) -> None:
    """The command line and an export read pages by survey id; the app's table reads row
    numbers. One query decides for both, so they agree on every status and search."""
    statuses: tuple[Status | None, ...] = (None, "complete", "draft")
    for status in statuses:
        for text in ("", "camhs", "Secondary", "social emo", "kiosk", three[1], "nothing like it"):
            query = ResponseQuery(status=status, search=text)
            table = _ids(workspace, survey, query)
            page = list_responses(workspace.db, survey.id, status=status, search=text, limit=None)
            assert [r.id for r in page] == table, (status, text)
            count = count_responses(workspace.db, survey.id, status=status, search=text)
            assert count == count_matching(workspace.db, survey, query) == len(table)


def test_rows_by_number_skip_deleted_ones(
    workspace: Workspace, survey: Survey, three: list[str]
) -> None:
    order = response_order(workspace.db, survey, ResponseQuery())
    delete_response(workspace, three[1])
    found = responses_by_seq(workspace.db, order)
    assert [found[seq].id for seq in order if seq in found] == [three[0], three[2]]
    assert found[order[0]] == get_response(workspace.db, three[0])


def test_responses_by_id_reads_those_held(
    workspace: Workspace, survey: Survey, three: list[str]
) -> None:
    a, b, c = three
    delete_response(workspace, b)
    missing = "5f0e8a4e-0000-4000-8000-000000000009"
    found = responses_by_id(workspace.db, [c, b, missing, a, c])
    assert found == {a: get_response(workspace.db, a), c: get_response(workspace.db, c)}
    many = responses_by_id(workspace.db, [missing] * 600 + [f"not-{n}" for n in range(600)] + [a])
    assert list(many) == [a]


def test_answer_text_reads_like_the_form(workspace: Workspace, survey: Survey) -> None:
    text = AnswerText(survey)
    assert text("age_phase", "primary") == "Primary school age (5 to 11)"
    assert text("need_areas", ("communication", "semh")).count("; ") == 1
    assert text("child_age", 7) == "7"
    assert text("experience", "line one\nline two") == "line one line two"
    assert text("child_age", None) == ""
    assert text("when", dt.datetime(2026, 3, 1, 9, 30, 12)) == "2026-03-01 09:30"
    assert text("day", dt.date(2026, 3, 1)) == "2026-03-01"


# -- by survey id: a page in the order added -----------------------------------------------


def test_list_pages_filters_and_searches(workspace: Workspace, tmp_path: Path) -> None:
    survey = add_test_survey(workspace, tmp_path)
    add_incoming(
        workspace,
        survey,
        [incoming_row(survey, f"k{n}", f"parent{n}@example.org") for n in range(25)],
    )
    draft = add_response(workspace, survey, {"experience": "Bus never came"})
    db = workspace.db
    assert count_responses(db, survey.id) == 26
    assert count_responses(db, survey.id, status="draft") == 1
    page = list_responses(db, survey.id, offset=10, limit=10)
    assert [r.respondent for r in page] == [f"parent{n}@example.org" for n in range(10, 20)]
    assert list_responses(db, survey.id, search="PARENT7@")[0].respondent == "parent7@example.org"
    assert [r.id for r in list_responses(db, survey.id, search="bus never")] == [draft.id]
    assert count_responses(db, survey.id, search="100%") == 0
    assert len(list_responses(db, survey.id, limit=None)) == 26
