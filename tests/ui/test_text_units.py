"""The core's code points and Qt's UTF-16 positions agree at the answer view's edge: with emoji
and other characters beyond the Basic Multilingual Plane, Windows line breaks and combining
accents, what the chair selects is exactly what the core quotes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from forumkit.quotes import Quote
from ui.pages.answer_view import AnswerView, overlaps
from ui.text_units import display_text, to_code_points, to_utf16

PIECES = st.sampled_from(
    ["a", "é", "e\u0301", "😀", "🧩", "𝔄", "\r\n", "\r", "\n", " ", "Łódź", "中", "\t", "z"]
)
TEXTS = st.lists(PIECES, max_size=30).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXTS, st.data())
def test_offsets_round_trip_and_select_the_same_characters(
    qapp: QApplication, text: str, data: st.DataObject
) -> None:
    shown = display_text(text)
    assert len(shown) == len(text)
    document = QTextDocument()
    document.setPlainText(shown)
    assert document.characterCount() - 1 == len(shown.encode("utf-16-le")) // 2
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for index in (start, end):
        assert to_code_points(text, to_utf16(text, index)) == index
    cursor = QTextCursor(document)
    cursor.setPosition(to_utf16(text, start))
    cursor.setPosition(to_utf16(text, end), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText().replace("\u2029", "\n") == shown[start:end]


def test_a_position_inside_a_surrogate_pair_counts_as_the_characters_start() -> None:
    text = "a😀b"
    assert [to_utf16(text, i) for i in range(4)] == [0, 1, 3, 4]
    assert [to_code_points(text, p) for p in range(5)] == [0, 1, 1, 2, 3]


def test_the_view_gives_selections_in_code_points(qtbot: QtBot) -> None:
    view = AnswerView()
    qtbot.addWidget(view)
    answer = "We waited 😀 two years 🧩\r\nfor speech therapy."
    view.show_answer(answer)
    start = answer.index("two")
    view.select_span(start, start + len("two years 🧩"))
    assert view.textCursor().selectedText() == "two years 🧩"
    assert view.selected_span() == (start, start + len("two years 🧩"))
    view.select_whole()
    assert view.selected_span() == (0, len(answer))
    view.clear_answer()
    assert view.selected_span() is None and view.toPlainText() == ""


def test_overlapping_stretches_are_merged() -> None:
    def quote(start: int, end: int) -> Quote:
        return Quote(
            id=f"{start}-{end}",
            response_id="r",
            survey_id="s",
            question="q",
            start=start,
            end=end,
            text="",
            redacted_text="",
            redaction_edited=False,
            reviewed=False,
            reviewed_by="",
            reviewed_at="",
            created="",
            created_by="",
            modified="",
        )

    assert overlaps([quote(0, 10), quote(5, 20), quote(8, 12), quote(30, 40)]) == [(5, 12)]
    assert overlaps([quote(0, 5), quote(5, 9)]) == []
