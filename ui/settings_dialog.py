"""Settings for this computer (QSettings): idle lock time, volunteer name, text size.

Settings that belong to the forum (such as the small-cell threshold) live in the forum file.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from forumkit.wording import noun
from ui.context import (
    DEFAULT_IDLE_LOCK_MINUTES,
    DEFAULT_TEXT_SCALE,
    IDLE_LOCK_MINUTES,
    TEXT_SCALE,
    VOLUNTEER_NAME,
    AppContext,
)
from ui.widgets import Heading, labelled

TEXT_SCALES = (80, 90, 100, 115, 130, 150, 175, 200)


class SettingsDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading("Settings for this computer", 2))
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, 120)
        self.idle_minutes.valueChanged.connect(self._say_minutes)
        self.idle_minutes.setValue(
            context.int_setting(IDLE_LOCK_MINUTES, DEFAULT_IDLE_LOCK_MINUTES)
        )
        self._say_minutes(self.idle_minutes.value())
        layout.addWidget(
            labelled(
                "&Lock the forum file after",
                self.idle_minutes,
                "With nobody using forumkit for this long, it closes the file and asks for the "
                "passphrase again. Half-typed answers are kept as drafts.",
            )
        )
        self.volunteer = QLineEdit(context.str_setting(VOLUNTEER_NAME))
        layout.addWidget(
            labelled(
                "&Volunteer name",
                self.volunteer,
                "Recorded with the responses you type in, so the forum knows who entered them.",
            )
        )
        self.text_size = QComboBox()
        current = context.int_setting(TEXT_SCALE, DEFAULT_TEXT_SCALE)
        for scale in TEXT_SCALES:
            label = f"{scale}%" + (" (normal)" if scale == DEFAULT_TEXT_SCALE else "")
            self.text_size.addItem(label, scale)
            if scale == current:
                self.text_size.setCurrentIndex(self.text_size.count() - 1)
        layout.addWidget(
            labelled("&Text size", self.text_size, "Also in View → Text size (Ctrl+ and Ctrl−).")
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _say_minutes(self, minutes: int) -> None:
        self.idle_minutes.setSuffix(f" {noun(minutes, 'minute')}")  # "1 minute", "10 minutes"

    def accept(self) -> None:
        settings = self.context.settings
        settings.setValue(IDLE_LOCK_MINUTES, self.idle_minutes.value())
        settings.setValue(VOLUNTEER_NAME, self.volunteer.text().strip())
        settings.setValue(TEXT_SCALE, int(self.text_size.currentData()))
        settings.sync()
        super().accept()
