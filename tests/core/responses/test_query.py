"""Browsing responses: order by fields and answers, filters by answers, search, rows by number."""

from __future__ import annotations

import datetime as dt

import pytest

from forumkit.paths import resource_path
from forumkit.responses import add_response, delete_response, get_response
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
    response = add_response(workspace, survey, {**base, **answers}, status=status, **kwargs)  # type: ignore[arg-type]
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


def test_rows_by_number_skip_deleted_ones(
    workspace: Workspace, survey: Survey, three: list[str]
) -> None:
    order = response_order(workspace.db, survey, ResponseQuery())
    delete_response(workspace, three[1])
    found = responses_by_seq(workspace.db, order)
    assert [found[seq].id for seq in order if seq in found] == [three[0], three[2]]
    assert found[order[0]] == get_response(workspace.db, three[0])


def test_answer_text_reads_like_the_form(workspace: Workspace, survey: Survey) -> None:
    text = AnswerText(survey)
    assert text("age_phase", "primary") == "Primary school age (5 to 11)"
    assert text("need_areas", ("communication", "semh")).count("; ") == 1
    assert text("child_age", 7) == "7"
    assert text("experience", "line one\nline two") == "line one line two"
    assert text("child_age", None) == ""
    assert text("when", dt.datetime(2026, 3, 1, 9, 30, 12)) == "2026-03-01 09:30"
    assert text("day", dt.date(2026, 3, 1)) == "2026-03-01"
