"""File → Make a volunteer copy…: a forum file for a volunteer's laptop.

The copy holds the forum's surveys, codebooks, deny-list and pack settings, and none of its
parents' data (``forumkit.merge.volunteer_copy``), under its own passphrase and its own recovery
key, shown once here. Its key derivation runs in a worker (``forumkit.workspace.seal_new``); the
copying runs on the database thread (``volunteer_copy_sealed``), which only reads the open file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from forumkit.errors import WeakPassphrase
from forumkit.merge import VolunteerCopy, volunteer_copy_sealed
from forumkit.vault import MIN_PASSPHRASE_CHARS, check_new_passphrase
from forumkit.wording import plural
from forumkit.workspace import SealedNew, seal_new
from ui.context import AppContext
from ui.new_forum import FILE_SUFFIX, passphrase_strength
from ui.tasks import Progress
from ui.widgets import Heading, Paragraph, labelled, passphrase_field, recovery_key_label


class VolunteerCopyDialog(QDialog):
    """Where to make the copy and its passphrase; then its recovery key, shown once."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.made: VolunteerCopy | None = None
        self.setWindowTitle("Make a volunteer copy")
        self.setAccessibleName("Make a volunteer copy")
        layout = QVBoxLayout(self)
        self.steps = QStackedWidget()
        self.steps.addWidget(self._build_choose_step())
        self.steps.addWidget(self._build_key_step())
        layout.addWidget(self.steps, 1)
        self.buttons = QDialogButtonBox()
        self.make_button = self.buttons.addButton(
            "&Make the copy", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.make_button.setDefault(True)
        self.make_button.clicked.connect(self.make)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.clicked.connect(self.reject)
        self.done_button = self.buttons.addButton("&Done", QDialogButtonBox.ButtonRole.AcceptRole)
        self.done_button.clicked.connect(self.accept)
        self.done_button.hide()
        layout.addWidget(self.buttons)
        self.resize(640, 560)

    # -- step 1: where and which passphrase ---------------------------------------------------

    def _build_choose_step(self) -> QWidget:
        step = QWidget()
        layout = QVBoxLayout(step)
        layout.addWidget(Heading("Make a volunteer copy", 1))
        layout.addWidget(
            Paragraph(
                "A forum file for a volunteer's laptop: the same forum, surveys and codebooks, "
                "and none of the responses, quotes or history in this file. Responses captured "
                "on it come back here through “Merge a volunteer's file…” in the File menu."
            )
        )
        row_widget = QWidget()
        row = QHBoxLayout(row_widget)
        row.setContentsMargins(0, 0, 0, 0)
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Save the volunteer copy as")
        choose = QPushButton("&Choose…")
        choose.setAccessibleName("Choose where to save the volunteer copy")
        choose.setAutoDefault(False)
        choose.clicked.connect(self._choose)
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        layout.addWidget(labelled("&Save the copy as", row_widget, "e.g. on a USB stick."))
        self.passphrase = passphrase_field("The copy's passphrase")
        self.repeat = passphrase_field("The copy's passphrase again")
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(10)
        self.meter.setAccessibleName("Passphrase strength")
        self.strength = QLabel(" ")
        self.strength.setObjectName("hint")
        layout.addWidget(
            labelled(
                "The copy's &passphrase",
                self.passphrase,
                f"Its own, for the volunteer: at least {MIN_PASSPHRASE_CHARS} characters. "
                "You type it again when you merge the copy back.",
            )
        )
        layout.addWidget(self.meter)
        layout.addWidget(self.strength)
        layout.addWidget(labelled("Passphrase &again", self.repeat))
        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.passphrase.textChanged.connect(self._update_strength)
        return step

    def showEvent(self, event: QShowEvent) -> None:
        if not self.path_edit.text() and self.context.has_workspace:
            path = self.context.workspace.path
            self.path_edit.setText(
                str(path.with_name(f"{path.stem} (volunteer copy){FILE_SUFFIX}"))
            )
        super().showEvent(event)

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save the volunteer copy as",
            self.path_edit.text(),
            f"Forum files (*{FILE_SUFFIX})",
        )
        if name:
            self.path_edit.setText(name if name.endswith(FILE_SUFFIX) else name + FILE_SUFFIX)

    def _update_strength(self) -> None:
        score, word = passphrase_strength(self.passphrase.text())
        self.meter.setValue(score)
        self.meter.setAccessibleDescription(word)
        self.strength.setText(f"Strength: {word}")

    def _show_problem(self, text: str, focus: QWidget) -> None:
        self.problem.setText(text)
        self.problem.setAccessibleName(text)
        focus.setFocus()

    def _target(self) -> Path | None:
        text = self.path_edit.text().strip()
        if not text:
            self._show_problem("Choose where to save the copy.", self.path_edit)
            return None
        path = Path(text).expanduser()
        if path.suffix != FILE_SUFFIX:
            path = path.with_name(path.name + FILE_SUFFIX)
            self.path_edit.setText(str(path))
        if path.exists():
            self._show_problem(
                f"“{path.name}” already exists; choose another name.", self.path_edit
            )
            return None
        if not path.parent.is_dir():
            self._show_problem(f"The folder {path.parent} does not exist.", self.path_edit)
            return None
        return path

    def make(self) -> None:
        """Check the choices, derive the copy's key in a worker, then copy (``_sealed``)."""
        self.problem.clear()
        path = self._target()
        if path is None:
            return
        if self.passphrase.text() != self.repeat.text():
            self.repeat.clear()
            self._show_problem(
                "The two passphrases are not the same. Type them again.", self.passphrase
            )
            return
        try:
            check_new_passphrase(self.passphrase.text())
        except WeakPassphrase as exc:
            self._show_problem(str(exc), self.passphrase)
            return
        passphrase = self.passphrase.text()
        self.make_button.setEnabled(False)

        def work(_progress: Progress) -> SealedNew:
            return seal_new(path, passphrase)

        def failed(error: BaseException) -> None:
            self.make_button.setEnabled(True)
            self.context.errors.report(error, self)

        self.context.tasks.run(
            work,
            on_done=self._sealed,
            on_error=failed,
            busy_parent=self,
            busy_text="Making the volunteer copy…",
            discard=lambda sealed: sealed.vault.close(),
        )

    def _sealed(self, sealed: SealedNew) -> None:
        self.make_button.setEnabled(True)
        if not self.context.has_workspace or not self.isVisible():
            sealed.vault.close()
            return
        try:
            made = volunteer_copy_sealed(self.context.workspace, sealed)
        except Exception as exc:
            self.context.errors.report(exc, self)
            return
        self.made = made
        self.passphrase.clear()
        self.repeat.clear()
        self._show_key(made)

    # -- step 2: the recovery key, once --------------------------------------------------------

    def _build_key_step(self) -> QWidget:
        step = QWidget()
        layout = QVBoxLayout(step)
        layout.addWidget(Heading("The copy's recovery key", 1))
        self.made_note = Paragraph()
        layout.addWidget(self.made_note)
        layout.addWidget(
            Paragraph(
                "If the volunteer forgets the copy's passphrase, this key is the only way into "
                "it. It is shown now and never again: save it to a file or copy it somewhere "
                "safe, and keep it apart from the laptop."
            )
        )
        self.key = recovery_key_label()
        self.key.setAccessibleDescription("The recovery key of the volunteer copy")
        layout.addWidget(self.key)
        row = QHBoxLayout()
        self.copy_button = QPushButton("C&opy")
        self.copy_button.setAccessibleName("Copy the recovery key")
        self.copy_button.clicked.connect(self._copy_key)
        self.save_button = QPushButton("&Save…")
        self.save_button.setAccessibleName("Save the recovery key to a file")
        self.save_button.clicked.connect(self._save_key)
        for button in (self.copy_button, self.save_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.stored = QCheckBox("I have &kept the recovery key somewhere safe")
        self.stored.toggled.connect(lambda on: self.done_button.setEnabled(on))
        layout.addWidget(self.stored)
        self.key_status = QLabel(" ")
        self.key_status.setObjectName("hint")
        layout.addWidget(self.key_status)
        layout.addStretch(1)
        return step

    def _show_key(self, made: VolunteerCopy) -> None:
        self.made_note.setText(
            f"“{made.path.name}” is made, with {plural(made.surveys, 'survey')} and "
            f"{plural(made.codebooks, 'codebook')}. Give it to the volunteer with its passphrase."
        )
        self.key.setText(made.recovery_key)
        self.steps.setCurrentIndex(1)
        self.make_button.hide()
        self.cancel_button.hide()
        self.done_button.show()
        self.done_button.setEnabled(False)
        self.key.setFocus()

    def key_text(self) -> str:
        made = self.made
        name = made.path.name if made is not None else ""
        forum = self.context.workspace.forum.name if self.context.has_workspace else ""
        return (
            f"forumkit recovery key\n\nForum: {forum}\nForum file: {name} (a volunteer copy)\n\n"
            f"{self.key.text()}\n\nKeep this somewhere safe, away from the laptop. With it, "
            "forumkit can open the file if its passphrase is forgotten.\n"
        )

    def _copy_key(self) -> None:
        QGuiApplication.clipboard().setText(self.key.text())
        self.key_status.setText("Copied. Paste it somewhere safe, then clear the clipboard.")

    def _save_key(self) -> None:
        made = self.made
        stem = made.path.stem if made is not None else "volunteer copy"
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save the recovery key",
            str(Path.home() / f"{stem}-recovery-key.txt"),
            "Text files (*.txt)",
        )
        if not name:
            return
        try:
            Path(name).write_text(self.key_text(), encoding="utf-8")
        except OSError as exc:
            self.context.errors.show_message(
                "Not saved",
                f"The recovery key could not be saved to {name} ({exc.strerror}). Try another "
                "place, such as a USB stick.",
                self,
            )
            return
        self.key_status.setText(f"Saved to {name}.")

    def done(self, code: int) -> None:
        self.passphrase.clear()
        self.repeat.clear()
        self.key.clear()
        super().done(code)
