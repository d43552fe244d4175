"""The Quotes page, the tagging workbench, by keyboard: quotes made and tagged (a span, a whole
answer, two codes), undo and redo, a suggestion accepted, the redaction review of a planted
phone number and child's name, a parent without consent shown as not eligible and never let out,
filters and search, and nothing decrypted left on the page once it locks."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from forumkit.quotes import QuotableAnswer, Quote, leaving_quotes, list_quotes
from forumkit.responses import Response, update_response
from forumkit.suggest import Suggester, TaggedExample
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.quotes.helpers import add_parent, add_quotes_survey, answers
from tests.ui.workbench import CTRL, SHIFT, Keyboard, current_quote, focused, quotes_page
from ui.app import Shell
from ui.pages.quotes import QuotesPage

STORIES = (
    "Nobody listened until we reached a crisis and my son stopped going to school.",
    "We waited eighteen months for speech and language therapy.",
    "The school said there was no money for a teaching assistant.",
    "Staff had no training in autism and treated meltdowns as bad behaviour.",
    "He is nineteen and there is nothing planned for when college ends.",
)


@pytest.fixture
def forum(tmp_path: Path) -> Iterator[tuple[Workspace, Survey, list[Response]]]:
    workspace = Workspace.create(tmp_path / "forum.forumkit", PASSPHRASE, forum="Quotes Forum")
    survey = add_quotes_survey(workspace, tmp_path)
    parents = [add_parent(workspace, survey, experience=story) for story in STORIES]
    yield workspace, survey, parents
    workspace.close()


@pytest.fixture
def page(shell: Shell, forum: tuple[Workspace, Survey, list[Response]], qtbot: QtBot) -> QuotesPage:
    workspace, _survey, _parents = forum
    shell.opened(workspace)
    assert shell.main is not None
    qtbot.waitExposed(shell.main)
    shown = quotes_page(shell)
    shown.filters.question_box.setCurrentIndex(shown.filters.question_box.findData("experience"))
    shown.apply_filters()
    shown.panel.view.setFocus()
    return shown


def quotes_of(page: QuotesPage, survey: Survey) -> list[Quote]:
    return list_quotes(page.context.workspace.db, survey.id)


def test_five_quotes_by_keyboard_with_a_span_and_two_codes_then_undo_and_redo(
    page: QuotesPage, forum: tuple[Workspace, Survey, list[Response]], qtbot: QtBot
) -> None:
    _workspace, survey, parents = forum
    keys = Keyboard(qtbot)
    assert page.progress.text() == "0 of 5 answers tagged"
    keys.press(Qt.Key.Key_A, CTRL)  # the whole first answer
    keys.digit(1)
    keys.press(Qt.Key.Key_F8)
    keys.right(len("We waited "))  # a span: "eighteen months"
    keys.select_right(len("eighteen months"))
    keys.digit(1)
    keys.press(Qt.Key.Key_F8)
    keys.press(Qt.Key.Key_A, CTRL)
    keys.digit(2)
    keys.digit(3)  # a second code on the same quote
    for code in (5, 6):
        keys.press(Qt.Key.Key_F8)
        keys.press(Qt.Key.Key_A, CTRL)
        keys.digit(code)
    assert keys.presses == 39  # 10 arrows to the span's start and 15 to select it
    held = quotes_of(page, survey)
    assert [(q.response_id, q.text[:30], q.references) for q in held] == [
        (parents[0].id, STORIES[0][:30], ("listen-early",)),
        (parents[1].id, "eighteen months", ("listen-early",)),
        (parents[2].id, STORIES[2][:30], ("money", "incentives")),
        (parents[3].id, STORIES[3][:30], ("workforce",)),
        (parents[4].id, STORIES[4][:30], ("lifelong-outcomes",)),
    ]
    assert page.progress.text() == "5 of 5 answers tagged"
    assert page.panel.at_cursor.text().startswith("Quote 1: 6 Lifelong outcomes")

    keys.press(Qt.Key.Key_Z, CTRL)  # the last quote goes
    keys.press(Qt.Key.Key_Z, CTRL)  # and the one before
    assert [q.response_id for q in quotes_of(page, survey)] == [p.id for p in parents[:3]]
    assert page.progress.text() == "3 of 5 answers tagged"
    keys.press(Qt.Key.Key_Z, CTRL)  # the second code of the third quote
    assert quotes_of(page, survey)[2].references == ("money",)
    keys.press(Qt.Key.Key_Z, SHIFT | CTRL)
    keys.press(Qt.Key.Key_Z, SHIFT | CTRL)
    back = quotes_of(page, survey)
    assert back[2].references == ("money", "incentives")
    assert back[3].id == held[3].id and back[3].tags == held[3].tags  # the very same quote
    assert page.progress.text() == "4 of 5 answers tagged"
    assert page.panel.answer is not None and page.panel.answer.response.id == parents[3].id


def test_pressing_a_code_again_takes_it_off_and_a_bare_key_asks_for_words(
    page: QuotesPage, qtbot: QtBot
) -> None:
    keys = Keyboard(qtbot)
    keys.digit(4)
    assert "Select the words to quote first" in page.message.text()
    keys.press(Qt.Key.Key_A, CTRL)
    keys.digit(4)
    assert current_quote(page).references == ("accountability",)
    assert page.tags.buttons[current_quote(page).tags[0].code_id].isChecked()
    keys.digit(4)
    assert current_quote(page).references == ()
    assert "no code yet" in page.panel.quotes.item(0).text()
    assert page.progress.text() == "0 of 5 answers tagged"
    keys.press(Qt.Key.Key_Delete)
    assert page.panel.current is None and page.panel.quotes.count() == 0


def test_the_first_suggestion_is_accepted_with_enter(page: QuotesPage, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: page.suggester is not None, timeout=10_000)
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_F8, SHIFT)  # nothing above the first answer
    assert "No answer above" in page.message.text()
    keys.press(Qt.Key.Key_PageDown, CTRL)  # the second answer: waiting for therapy
    qtbot.waitUntil(lambda: bool(page.tags.suggested), timeout=5_000)
    first = page.tags.suggested[0][0]
    assert first.key == "listen-early"
    assert "(Enter accepts it)" in page.tags.suggestions.item(0).text()
    keys.press(Qt.Key.Key_Return)
    quote = current_quote(page)
    assert quote.references == ("listen-early",) and quote.text == STORIES[1]


def test_redaction_review_of_a_planted_phone_number_and_childs_name(
    page: QuotesPage, forum: tuple[Workspace, Survey, list[Response]], qtbot: QtBot
) -> None:
    _workspace, survey, _parents = forum
    story = "Oliver waited two years for speech therapy. Call me on 07700 900123 any time."
    page.context.change(lambda: add_parent(page.context.workspace, survey, experience=story))
    keys = Keyboard(qtbot)
    page.select_row(page.model.rowCount() - 1)
    page.panel.view.setFocus()
    keys.press(Qt.Key.Key_A, CTRL)
    keys.digit(1)
    review = page.panel.review
    assert review.detected_label.text() == "Found in the parent's words: a name and a phone number."
    assert [s.format.background().color().name() for s in review.detected.extraSelections()] == [
        "#ffe08a",
        "#ffe08a",
    ]
    redacted = review.redacted.toPlainText()
    assert redacted == "[name] waited two years for speech therapy. Call me on [phone] any time."
    assert review.eligibility.text().startswith("✗ Not eligible for evidence packs: not reviewed")
    review.redacted.setFocus()
    qtbot.keyClick(review.redacted, Qt.Key.Key_End, CTRL)
    qtbot.keyClicks(review.redacted, " Ask Jamie.")
    assert review.still.text().startswith("Still looks identifying: a name (highlighted)")
    for _ in " Ask Jamie.":
        qtbot.keyClick(review.redacted, Qt.Key.Key_Backspace)
    qtbot.keyClicks(review.redacted, " Thank you.")
    assert review.still.text() == "Nothing identifying detected in the redacted words."
    qtbot.keyClick(focused(), Qt.Key.Key_R, CTRL)  # mark reviewed, with the edit
    quote = current_quote(page)
    assert quote.reviewed and quote.redaction_edited
    assert review.eligibility.text().startswith("✓ May leave")
    leaving = {
        q.quote_id: q.redacted_text for q in leaving_quotes(page.context.workspace.db, survey.id)
    }
    assert leaving == {quote.id: redacted + " Thank you."}
    assert "Oliver" not in leaving[quote.id] and "07700" not in leaving[quote.id]


def test_a_parent_without_consent_is_shown_as_not_eligible_and_never_leaves(
    page: QuotesPage, forum: tuple[Workspace, Survey, list[Response]], qtbot: QtBot
) -> None:
    _workspace, survey, _parents = forum
    words = "The annual review was cancelled twice and nobody told us why."
    page.context.change(
        lambda: add_parent(page.context.workspace, survey, experience=words, consent_share="no")
    )
    page.filters.consent_box.setCurrentIndex(page.filters.consent_box.findData(False))
    page.apply_filters()
    assert page.model.rowCount() == 1
    consent = [c.key for c in page.model.columns].index("consent")
    assert page.model.index(0, consent).data() == "No"
    page.panel.view.setFocus()
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_A, CTRL)
    keys.digit(4)
    keys.press(Qt.Key.Key_R, CTRL)
    quote = current_quote(page)
    assert quote.reviewed
    review = page.panel.review
    assert review.eligibility.text() == (
        "✗ Not eligible for evidence packs: no consent to quote and share."
    )
    assert review.consent.text() == "Consent to quote: yes. Consent to share with inspectors: no."
    assert "no consent to quote and share" in page.panel.attributes.text()
    assert quote.id not in {
        q.quote_id for q in leaving_quotes(page.context.workspace.db, survey.id)
    }


def test_filters_and_search_choose_the_answers_to_work_through(
    page: QuotesPage, forum: tuple[Workspace, Survey, list[Response]], qtbot: QtBot
) -> None:
    _workspace, _survey, parents = forum
    filters = page.filters
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_A, CTRL)
    keys.digit(1)  # the first answer is tagged

    def shown() -> list[str]:
        rows = [page.model.answer_at(n) for n in range(page.model.rowCount())]
        return [answer.response.id for answer in rows if isinstance(answer, QuotableAnswer)]

    keys.press(Qt.Key.Key_F, CTRL)
    assert focused() is filters.search
    qtbot.keyClicks(filters.search, "speech and lang")
    qtbot.waitUntil(lambda: shown() == [parents[1].id], timeout=3_000)
    filters.search.clear()
    qtbot.waitUntil(lambda: len(shown()) == 5, timeout=3_000)
    filters.show_only("untagged")
    assert shown() == [p.id for p in parents[1:]]
    filters.show_only("tagged")
    assert shown() == [parents[0].id]
    filters.clear_filters()
    filters.code_box.setCurrentIndex(filters.code_box.findText("1 ", Qt.MatchFlag.MatchStartsWith))
    filters.changed.emit()
    assert shown() == [parents[0].id]
    filters.clear_filters()
    filters.attribute_box.setCurrentIndex(
        filters.attribute_box.findText("Child's phase of education: Early years")
    )
    filters.changed.emit()
    assert shown() == []
    assert page.message.text() == "No answers match: change or clear the filters."
    filters.clear_filters()
    filters.question_box.setCurrentIndex(0)  # all free-text questions: the differences too
    filters.changed.emit()
    assert len(shown()) == 10
    assert page.progress.text() == "1 of 10 answers tagged"
    question = [c.key for c in page.model.columns].index("question")
    assert page.model.index(1, question).data() == "What would make the biggest difference?"


def alive(kinds: tuple[type, ...]) -> set[int]:
    gc.collect()
    return {id(o) for o in gc.get_objects() if isinstance(o, kinds)}


def test_locking_drops_every_decrypted_value_the_page_holds(
    shell: Shell, page: QuotesPage, qtbot: QtBot
) -> None:
    decrypted = (QuotableAnswer, Quote, Suggester, TaggedExample)
    before = alive(decrypted)  # earlier tests' windows may linger until Qt deletes them
    qtbot.waitUntil(lambda: page.suggester is not None, timeout=10_000)
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_A, CTRL)
    keys.digit(2)
    qtbot.keyClicks(page.filters.search, "waited")
    main = shell.main
    assert main is not None and page.undo_stack.count() == 1
    assert alive(decrypted) - before  # the page holds answers, quotes, the suggester
    main.lock()
    assert main.is_locked
    assert page.suggester is None and page.undo_stack.count() == 0
    assert page.model.rowCount() == 0 and page.model.held_answers == 0
    assert page.panel.answer is None and page.panel.view.toPlainText() == ""
    review = page.panel.review
    assert review.quote is None and review.redacted.toPlainText() == ""
    assert review.detected.toPlainText() == "" and page.filters.search.text() == ""
    assert page.tags.suggestions.item(0).text().startswith("No suggestions")
    assert alive(decrypted) - before == set()
    QApplication.processEvents()
    qtbot.keyClicks(main.lock_screen.passphrase, PASSPHRASE)
    qtbot.keyClick(main.lock_screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not main.is_locked, timeout=10_000)
    # The filters chosen stay (no parent's words in them); the words searched for do not.
    assert page.filters.search.text() == ""
    assert page.model.rowCount() == 5 and page.progress.text() == "1 of 5 answers tagged"
    assert page.panel.answer is not None and page.undo_stack.count() == 0


def test_a_quote_of_an_answer_corrected_since_is_flagged_and_kept_in(
    page: QuotesPage,
    forum: tuple[Workspace, Survey, list[Response]],
    qtbot: QtBot,
) -> None:
    _workspace, _survey, parents = forum
    keys = Keyboard(qtbot)
    keys.press(Qt.Key.Key_A, CTRL)
    keys.digit(1)
    page.context.change(
        lambda: update_response(
            page.context.workspace, parents[0].id, answers(experience="Nobody listened.")
        )
    )
    page.select_row(0)
    page.panel.view.setFocus()
    keys.press(Qt.Key.Key_Home)
    assert "the answer was corrected since" in page.panel.quotes.item(0).text()
    review = page.panel.review
    assert "the answer was corrected after the quote was made" in review.eligibility.text()
    assert len(page.panel.view.extraSelections()) == 1  # still shown, within the shorter answer


def test_a_search_typed_just_before_the_file_closes_reads_nothing(
    page: QuotesPage, qtbot: QtBot
) -> None:
    """The search waits a moment after each key; if the file closes meanwhile (without the
    page's lock step, as closing from code does), the search finds no file and reads nothing."""
    qtbot.keyClicks(page.filters.search, "waited")
    assert page.filters.search_timer.isActive()
    page.context.close_workspace()
    qtbot.waitUntil(lambda: not page.filters.search_timer.isActive(), timeout=5_000)
    QApplication.processEvents()
    assert not page.context.has_workspace
