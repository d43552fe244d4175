"""The workbench's walk-through: a chair tags a hundred parents' answers by the seven key
messages with the keyboard alone, keystrokes counted and every step timed; every identifying
detail planted in the answers is caught for review, and nothing without consent can leave.

The answers are the first hundred of the labelled quotes in ``../shared/fixtures/quotes/``
(each with its key message and, for a quarter, a second one). Into every ninth one a detail is
planted: a child's name, a phone number, an email address, a postcode, an NHS number, a date of
birth, the name of a school and of a member of staff on the forum's deny-list. Every seventh
parent refused consent to share, every thirteenth did not answer the consent to quote.

Per answer the chair presses F8 (the next answer not yet tagged; not for the first), Ctrl+A (the
whole answer), the key message's number (and the second one's) and Ctrl+R (reviewed). Run with
``-s`` to see the figures.
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from forumkit.quotes import add_deny_term, leaving_quotes, list_quotes
from forumkit.responses import Response
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.quotes.helpers import add_parent, add_quotes_survey
from tests.ui.workbench import CTRL, Keyboard, current_quote, quotes_page
from ui.app import Shell
from ui.pages.quotes import QuotesPage

ANSWERS = 100
KEY_MESSAGES = (
    "listen-early",
    "money",
    "incentives",
    "accountability",
    "workforce",
    "lifelong-outcomes",
    "coproduction",
)
PLANTED = (
    ("Oliver has not been to school since March. ", "a name"),
    ("Ring me on 07700 900123 if you need more. ", "a phone number"),
    ("My email is mum.of.three@example.org. ", "an email address"),
    ("We live in LS6 2AB. ", "a postcode"),
    ("His NHS number is 943 476 5919. ", "an NHS number"),
    ("She was born on 12/03/2014. ", "a date"),
    ("Oakwood Academy refused to assess her. ", "a school"),
    ("Mrs Patel the SENCo said no. ", "a name"),
    ("Amelia cried every morning. ", "a name"),
)
DETAILS = (
    "Oliver",
    "07700 900123",
    "mum.of.three@example.org",
    "LS6 2AB",
    "943 476 5919",
    "12/03/2014",
    "Oakwood Academy",
    "Mrs Patel",
    "Amelia",
)
STEP_TARGET_MS = 100.0


def labelled(shared: Path) -> list[tuple[str, tuple[str, ...]]]:
    with (shared / "fixtures" / "quotes" / "labelled.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        (row["quote"], tuple(key for key in (row["primary"], row["secondary"]) if key))
        for row in rows[:ANSWERS]
    ]


def consent_of(number: int) -> dict[str, object]:
    if number % 7 == 3:
        return {"consent_share": "no"}
    if number % 13 == 5:
        return {"consent_quote": None}
    return {}


@pytest.fixture
def forum(
    tmp_path: Path, shared_dir: Path
) -> Iterator[tuple[Workspace, Survey, list[Response], list[tuple[str, tuple[str, ...]]]]]:
    workspace = Workspace.create(tmp_path / "forum.forumkit", PASSPHRASE, forum="Walk Forum")
    survey = add_quotes_survey(workspace, tmp_path)
    add_deny_term(workspace, "Oakwood Academy", "school")
    add_deny_term(workspace, "Mrs Patel", "person")
    answers = []
    with workspace.transaction("walkthrough_answers"):
        parents = []
        for number, (words, codes) in enumerate(labelled(shared_dir)):
            if number % 9 == 4:
                words = PLANTED[(number // 9) % len(PLANTED)][0] + words
            answers.append((words, codes))
            parents.append(
                add_parent(
                    workspace, survey, experience=words, difference=None, **consent_of(number)
                )
            )
    yield workspace, survey, parents, answers
    workspace.close()


def test_a_hundred_answers_tagged_by_keyboard(
    shell: Shell,
    forum: tuple[Workspace, Survey, list[Response], list[tuple[str, tuple[str, ...]]]],
    qtbot: QtBot,
) -> None:
    workspace, survey, parents, answers = forum
    shell.opened(workspace)
    assert shell.main is not None
    qtbot.waitExposed(shell.main)
    page = quotes_page(shell)
    assert page.progress.text() == f"0 of {ANSWERS} answers tagged"
    keys = Keyboard(qtbot)
    caught: dict[int, str] = {}
    for number, (words, codes) in enumerate(answers):
        if number:
            keys.press(Qt.Key.Key_F8, step="next answer not yet tagged (F8)")
        assert page.panel.answer is not None and page.panel.answer.text == words
        keys.press(Qt.Key.Key_A, CTRL, step="select the whole answer (Ctrl+A)")
        for position, code in enumerate(codes):
            step = "tag (the key message's number)" if not position else "add a second code"
            keys.digit(KEY_MESSAGES.index(code) + 1, step=step)
        if number % 9 == 4:
            caught[number] = review_of_planted(page, number, words)
        keys.press(Qt.Key.Key_R, CTRL, step="mark reviewed (Ctrl+R)")
        assert current_quote(page).reviewed

    assert page.progress.text() == f"{ANSWERS} of {ANSWERS} answers tagged"
    held = {q.response_id: q for q in list_quotes(workspace.db, survey.id)}
    assert len(held) == ANSWERS
    for parent, (_words, codes) in zip(parents, answers, strict=True):
        assert sorted(held[parent.id].references) == sorted(codes)
    assert len(caught) == 11 and set(caught.values()) == set(DETAILS)  # every kind, some twice
    for quote in held.values():
        assert not any(detail in quote.redacted_text for detail in DETAILS), quote.id

    leaving = {q.response_id for q in leaving_quotes(workspace.db, survey.id)}
    consenting = {p.id for n, p in enumerate(parents) if not consent_of(n)}
    assert leaving == consenting and len(consenting) == ANSWERS - 21

    report(keys)
    assert keys.presses / ANSWERS <= 5
    for step, times in keys.steps.items():
        assert statistics.median(times) <= STEP_TARGET_MS, (step, times)


def review_of_planted(page: QuotesPage, number: int, words: str) -> str:
    """What the redaction review shows for an answer with a planted detail: the kind named,
    the detail highlighted in the parent's words, and gone from the redacted words."""
    planted, kind = PLANTED[(number // 9) % len(PLANTED)]
    detail = DETAILS[(number // 9) % len(DETAILS)]
    assert planted.startswith(detail) or detail in planted
    review = page.panel.review
    assert kind in review.detected_label.text(), review.detected_label.text()
    highlighted = [
        selection.cursor.selectedText() for selection in review.detected.extraSelections()
    ]
    assert detail in highlighted, highlighted
    assert detail not in review.redacted.toPlainText()
    assert review.still.text() == "Nothing identifying detected in the redacted words."
    assert words.startswith(planted)
    return detail


def report(keys: Keyboard) -> None:
    print(f"\n{keys.presses} keystrokes for {ANSWERS} answers ({keys.presses / ANSWERS:.2f} each)")
    for step, times in keys.steps.items():
        ordered = sorted(times)
        print(
            f"  {step:36} {len(times):3} times: median {statistics.median(times):5.1f} ms, "
            f"90th percentile {ordered[int(len(ordered) * 0.9) - 1]:5.1f}, most {ordered[-1]:5.1f}"
        )
