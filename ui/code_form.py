"""One code as the codebook editor shows it: label, scope note, colour (with the contrast of the
label written on it), shortcut, keywords, the code it sits under, and the inspection areas it
speaks to.

The form only holds what is typed; the editor saves it through the codebook ops, and the core
checks every value (``forumkit.codebooks.edit_code`` refuses a shortcut another code has, a
colour that is not one, a code under itself).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forumkit.codebooks import Code, Codebook, contrast_ratio, text_colour_for
from ui.widgets import StatusLabel

WCAG_AA = 4.5


def normalised_colour(text: str) -> str | None:
    """``#RRGGBB`` for what was typed (``#RGB`` or ``#RRGGBB``), else None."""
    colour = QColor(text.strip())
    if not text.strip().startswith("#") or not colour.isValid():
        return None
    return colour.name().upper()


def contrast_words(colour_text: str) -> str:
    """What the chip's label looks like on this colour: its text colour and contrast ratio."""
    colour = normalised_colour(colour_text)
    if colour is None:
        return "Not a colour: write it as # and six hexadecimal digits, such as #E69F00."
    text = text_colour_for(colour)
    ratio = contrast_ratio(colour, text)
    verdict = "meets WCAG AA" if ratio >= WCAG_AA else "below WCAG AA: choose another colour"
    name = "black" if text == "#000000" else "white"
    return (
        f"The label is written in {name} on this colour: contrast {ratio:.1f} : 1 ({verdict}, "
        f"which needs {WCAG_AA} : 1)."
    )


class CodeForm(QWidget):
    """The fields of one code (``show_code``), read back by the editor to save."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code: Code | None = None
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.label_edit = QLineEdit()
        self.description_edit = QPlainTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(80)
        self.colour_edit = QLineEdit()
        self.colour_edit.setMaxLength(7)
        self.colour_button = QPushButton("Choose a colour…")
        self.colour_button.setAutoDefault(False)
        # Status lines: a screen reader says what they show, not only what they are for.
        self.chip = StatusLabel("The chip as tagging shows it")
        self.chip.setWordWrap(False)
        self.chip.setMinimumWidth(120)
        self.contrast = StatusLabel("Contrast check")
        self.shortcut_edit = QLineEdit()
        self.shortcut_edit.setMaxLength(1)
        self.shortcut_edit.setMaximumWidth(60)
        self.keywords_edit = QPlainTextEdit()
        self.keywords_edit.setTabChangesFocus(True)
        self.keywords_edit.setFixedHeight(96)
        self.parent_box = QComboBox()
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour_edit)
        colour_row.addWidget(self.colour_button)
        colour_row.addWidget(self.chip, 1)
        self.areas_box = QGroupBox("Inspection areas this code speaks to")
        self.areas_layout = QVBoxLayout(self.areas_box)
        self.area_checks: dict[str, QCheckBox] = {}

        for text, field in (
            ("&Label", self.label_edit),
            ("Scope no&te: what belongs under this code", self.description_edit),
        ):
            form.addRow(self._label(text, field), field)
        form.addRow(self._label("C&olour (#RRGGBB)", self.colour_edit), colour_row)
        form.addRow(self.contrast)
        form.addRow(
            self._label(
                "S&hortcut: one digit or letter, pressed in the answer", self.shortcut_edit
            ),
            self.shortcut_edit,
        )
        form.addRow(
            self._label("&Keywords that suggest it, one a line", self.keywords_edit),
            self.keywords_edit,
        )
        form.addRow(self._label("&Parent code", self.parent_box), self.parent_box)
        form.addRow(self.areas_box)
        for edit in (self.colour_edit, self.shortcut_edit, self.label_edit):
            edit.textChanged.connect(self._show_contrast)
        self.colour_button.clicked.connect(self.choose_colour)

    @staticmethod
    def _label(text: str, field: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(field)
        field.setAccessibleName(text.replace("&", "").split(":")[0].split(" (")[0])
        return label

    # -- showing ------------------------------------------------------------------------------

    def show_code(
        self, code: Code | None, book: Codebook | None, areas: Sequence[Code], mapped: set[str]
    ) -> None:
        """Fill the fields from ``code`` of ``book``; ``areas`` are the inspection areas (empty
        for the inspection areas' own codebook) and ``mapped`` the ids ``code`` speaks to."""
        self.code = code
        self.setEnabled(code is not None)
        self.label_edit.setText(code.label if code else "")
        self.description_edit.setPlainText(code.description if code else "")
        self.colour_edit.setText(code.colour if code else "")
        self.shortcut_edit.setText(code.shortcut if code else "")
        self.keywords_edit.setPlainText("\n".join(code.keywords) if code else "")
        self.parent_box.clear()
        self.parent_box.addItem("Top level (no parent code)", None)
        if code is not None and book is not None:
            for depth, other in book.walk():
                if other.id != code.id:
                    self.parent_box.addItem(f"{'   ' * depth}{other.label}", other.id)
            self.parent_box.setCurrentIndex(max(0, self.parent_box.findData(code.parent_id)))
        for check in self.area_checks.values():
            self.areas_layout.removeWidget(check)
            check.hide()
            check.deleteLater()
        self.area_checks = {}
        for area in areas:
            check = QCheckBox(area.label)
            check.setChecked(area.id in mapped)
            self.areas_layout.addWidget(check)
            self.area_checks[area.id] = check
        self.areas_box.setVisible(bool(areas))
        self._show_contrast()

    def _show_contrast(self) -> None:
        self.contrast.setText(contrast_words(self.colour_edit.text()))
        colour = normalised_colour(self.colour_edit.text())
        if colour is None:
            self.chip.setStyleSheet("")
            self.chip.setText("")
            return
        self.chip.setStyleSheet(
            f"background-color: {colour}; color: {text_colour_for(colour)}; padding: 4px;"
        )
        self.chip.setText(f" {self.shortcut_edit.text() or '■'}  {self.label_edit.text()[:40]}")

    def choose_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.colour_edit.text()), self, "Code colour")
        if chosen.isValid():
            self.colour_edit.setText(chosen.name().upper())

    # -- reading back -------------------------------------------------------------------------

    def keywords(self) -> list[str]:
        return [line.strip() for line in self.keywords_edit.toPlainText().splitlines() if line]

    def parent_id(self) -> str | None:
        value = self.parent_box.currentData()
        return None if value is None else str(value)

    def areas(self) -> list[str]:
        return [area_id for area_id, check in self.area_checks.items() if check.isChecked()]
