"""New forum file…: a wizard for the forum's name and area, where to keep the file, the
passphrase (twice, with a strength meter), then the recovery key, shown once."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from forumkit.errors import WeakPassphrase
from forumkit.vault import MIN_PASSPHRASE_CHARS, check_new_passphrase
from forumkit.workspace import SealedNew, Workspace, seal_new
from ui import icons
from ui.context import AppContext
from ui.tasks import Progress
from ui.widgets import Paragraph, ShowTyping, labelled, passphrase_field, recovery_key_label

FILE_SUFFIX = ".forumkit"


def passphrase_strength(passphrase: str) -> tuple[int, str]:
    """A rough guide for the meter (0–100 and a word): length counts most, then variety.

    Only a hint for the person typing; the rule that refuses short passphrases is the core's.
    """
    text = passphrase.strip()
    if len(text) < MIN_PASSPHRASE_CHARS:
        return min(len(text) * 4, 28), f"Too short: at least {MIN_PASSPHRASE_CHARS} characters"
    kinds = sum(
        bool(re.search(pattern, text))
        for pattern in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9\s]", r"\s")
    )
    words = len(text.split())
    score = min(100, len(text) * 3 + kinds * 8 + (10 if words >= 3 else 0))
    if score >= 75:
        return score, "Strong"
    if score >= 50:
        return score, "Good"
    return score, "Fair: longer is better (try three or four unrelated words)"


def suggested_file_name(forum: str) -> str:
    stem = re.sub(r"[^\w\- ]+", "", forum).strip().replace(" ", "-").lower() or "forum"
    return stem + FILE_SUFFIX


class ForumPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Your forum")
        self.setSubTitle("This goes on the title bar and on every evidence pack.")
        layout = QVBoxLayout(self)
        self.forum = QLineEdit()
        self.forum.setPlaceholderText("e.g. Brookfield Parent Carer Forum")
        self.area = QLineEdit()
        self.area.setPlaceholderText("e.g. Brookfield")
        folder = QWidget()
        row = QHBoxLayout(folder)
        row.setContentsMargins(0, 0, 0, 0)
        self.location = QLineEdit()
        self.browse = QPushButton("&Choose…")
        self.browse.setAccessibleName("Choose where to keep the forum file")
        self.browse.clicked.connect(self._choose)
        row.addWidget(self.location, 1)
        row.addWidget(self.browse)
        layout.addWidget(labelled("&Forum name", self.forum))
        layout.addWidget(labelled("Local &area", self.area, "The local authority area you cover."))
        layout.addWidget(
            labelled(
                "&Save the forum file as",
                folder,
                "One file holds everything, encrypted. Keep it where it is backed up.",
            )
        )
        self.location.setAccessibleName("Save the forum file as")
        self.registerField("forum*", self.forum)
        self.registerField("area", self.area)
        self.registerField("location*", self.location)
        self.forum.textEdited.connect(self._suggest)
        self._chosen_by_hand = False
        self._folder = Path.home() / "Documents"
        if not self._folder.is_dir():
            self._folder = Path.home()

    def _suggest(self, forum: str) -> None:
        if not self._chosen_by_hand:
            self.location.setText(str(self._folder / suggested_file_name(forum)))

    def _choose(self) -> None:
        start = self.location.text() or str(self._folder / "forum.forumkit")
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the forum file as", start, f"Forum files (*{FILE_SUFFIX})"
        )
        if name:
            if not name.endswith(FILE_SUFFIX):
                name += FILE_SUFFIX
            self._chosen_by_hand = True
            self.location.setText(name)

    def validatePage(self) -> bool:
        path = Path(self.location.text()).expanduser()
        wizard = self.wizard()
        if path.suffix != FILE_SUFFIX:
            path = path.with_name(path.name + FILE_SUFFIX)
            self.location.setText(str(path))
        if path.exists():
            assert isinstance(wizard, NewForumWizard)
            wizard.context.errors.show_message(
                "That file already exists",
                f"“{path.name}” already exists in {path.parent}. Choose another name, or open "
                "the existing file from the start screen instead.",
                self,
            )
            return False
        if not path.parent.is_dir():
            assert isinstance(wizard, NewForumWizard)
            wizard.context.errors.show_message(
                "Folder not found",
                f"The folder {path.parent} does not exist. Use Choose… to pick a folder.",
                self,
            )
            return False
        return True


class PassphrasePage(QWizardPage):
    def __init__(self, wizard: NewForumWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("Choose a passphrase")
        self.setSubTitle(
            "Everyone who opens this forum file needs it. A few unrelated words are easy to "
            "remember and hard to guess."
        )
        layout = QVBoxLayout(self)
        self.passphrase = passphrase_field("Passphrase")
        self.repeat = passphrase_field("Passphrase again")
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName("Passphrase strength")
        self.meter.setMaximumHeight(10)
        self.strength = QLabel(" ")
        self.strength.setObjectName("hint")
        self.problem = QLabel()
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        layout.addWidget(
            labelled("&Passphrase", self.passphrase, f"At least {MIN_PASSPHRASE_CHARS} characters.")
        )
        layout.addWidget(self.meter)
        layout.addWidget(self.strength)
        layout.addWidget(labelled("Passphrase &again", self.repeat))
        layout.addWidget(ShowTyping(self.passphrase, self.repeat))
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self.passphrase.textChanged.connect(self._update)
        self.repeat.textChanged.connect(self._update)
        self._busy = False

    def _update(self) -> None:
        score, word = passphrase_strength(self.passphrase.text())
        self.meter.setValue(score)
        self.strength.setText(f"Strength: {word}")
        self.meter.setAccessibleDescription(word)
        self.problem.clear()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.passphrase.text()) and bool(self.repeat.text()) and not self._busy

    def validatePage(self) -> bool:
        if self._wizard.workspace is not None:
            return True
        if self.passphrase.text() != self.repeat.text():
            self._show_problem("The two passphrases are not the same. Type them again.")
            return False
        try:
            check_new_passphrase(self.passphrase.text())
        except WeakPassphrase as exc:
            self._show_problem(str(exc))
            return False
        self._create()
        return False  # the wizard moves on by itself once the file is made

    def _show_problem(self, text: str) -> None:
        self.repeat.clear()  # clears any older message too (textChanged)
        self.problem.setText(text)
        self.problem.setAccessibleName(text)
        self.passphrase.setFocus()

    def _create(self) -> None:
        wizard = self._wizard
        path = Path(str(wizard.field("location")))
        passphrase = self.passphrase.text()
        self._busy = True
        self.completeChanged.emit()

        def work(_progress: Progress) -> SealedNew:
            return seal_new(path, passphrase)

        def done(sealed: SealedNew) -> None:
            self._busy = False
            try:
                workspace = Workspace.create_sealed(
                    sealed, forum=str(wizard.field("forum")), area=str(wizard.field("area"))
                )
            except Exception as exc:
                self.completeChanged.emit()
                wizard.context.errors.report(exc, wizard)
                return
            wizard.workspace = workspace
            self.passphrase.clear()
            self.repeat.clear()
            wizard.next()

        def failed(exc: BaseException) -> None:
            self._busy = False
            self.completeChanged.emit()
            wizard.context.errors.report(exc, wizard)

        wizard.context.tasks.run(
            work,
            on_done=done,
            on_error=failed,
            busy_parent=wizard,
            busy_text="Making the forum file…",
            discard=lambda sealed: sealed.vault.close(),
        )


class RecoveryKeyPage(QWizardPage):
    def __init__(self, wizard: NewForumWizard) -> None:
        super().__init__(wizard)
        self._wizard = wizard
        self.setTitle("Your recovery key")
        self.setSubTitle(
            "If the passphrase is ever forgotten, this key is the only way back in. It is shown "
            "now and never again: print it or save it somewhere safe, away from the laptop."
        )
        layout = QVBoxLayout(self)
        self.key = recovery_key_label()
        self.key.setAccessibleName("Recovery key")
        layout.addWidget(self.key)
        self.file_note = Paragraph()
        layout.addWidget(self.file_note)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(icons.icon("print"), "&Print…")
        self.print_button.clicked.connect(self.print_key)
        self.save_button = QPushButton(icons.icon("save"), "&Save…")
        self.save_button.setAccessibleName("Save the recovery key to a file")
        self.save_button.clicked.connect(self.save_key)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.stored = QCheckBox("&I have stored the recovery key somewhere safe")
        self.stored.toggled.connect(self.completeChanged)
        layout.addWidget(self.stored)
        layout.addStretch(1)
        self.status = QLabel(" ")
        self.status.setObjectName("hint")
        layout.addWidget(self.status)

    def initializePage(self) -> None:
        workspace = self._wizard.workspace
        key = (workspace.recovery_key or "") if workspace is not None else ""
        self.key.setText(key)
        if workspace is not None:
            self.file_note.setText(f"Recovery key for “{workspace.path.name}”.")

    def isComplete(self) -> bool:
        return self.stored.isChecked()

    def key_document(self) -> QTextDocument:
        workspace = self._wizard.workspace
        forum = workspace.forum.name if workspace is not None else ""
        name = workspace.path.name if workspace is not None else ""
        document = QTextDocument()
        document.setPlainText(self.key_text(forum, name))
        return document

    def key_text(self, forum: str, file_name: str) -> str:
        return (
            f"forumkit recovery key\n\nForum: {forum}\nForum file: {file_name}\n\n"
            f"{self.key.text()}\n\n"
            "Keep this somewhere safe, away from the laptop. With it, forumkit can open the "
            "forum file if the passphrase is forgotten (Open → wrong passphrase → Use recovery "
            "key…). Anyone holding it and the file can read the forum's data.\n"
        )

    def print_key(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print the recovery key")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.key_document().print_(printer)
            self.status.setText("Sent to the printer.")

    def save_key(self) -> None:
        workspace = self._wizard.workspace
        stem = workspace.path.stem if workspace is not None else "forum"
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save the recovery key",
            str(Path.home() / f"{stem}-recovery-key.txt"),
            "Text files (*.txt)",
        )
        if name:
            self.save_key_to(Path(name))

    def save_key_to(self, path: Path) -> bool:
        """Write the key to ``path``, first warning when that is on the forum file's own disk
        (the key belongs apart from the laptop); True when written."""
        workspace = self._wizard.workspace
        beside = workspace is not None and same_disk(path, workspace.path)
        if beside and not self.confirm_same_disk(path):
            self.status.setText("Not saved: choose a USB stick, or print the key.")
            return False
        forum = workspace.forum.name if workspace is not None else ""
        file_name = workspace.path.name if workspace is not None else ""
        try:
            path.write_text(self.key_text(forum, file_name), encoding="utf-8")
        except OSError as exc:
            self._wizard.context.errors.show_message(
                "Not saved",
                f"The recovery key could not be saved to {path} ({exc.strerror}). Try another "
                "place, such as a USB stick.",
                self,
            )
            return False
        self.status.setText(f"Saved to {path}.")
        return True

    def confirm_same_disk(self, path: Path) -> bool:
        """The key is being saved beside the file it opens: say where it belongs instead."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "The recovery key belongs somewhere else",
            f"“{path.parent}” is on this laptop, like the forum file. Anyone who has the laptop "
            "would then have both the file and the key that opens it. Save it on a USB stick "
            "kept apart from the laptop, or print it instead.",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setAccessibleName("The recovery key belongs somewhere else")
        elsewhere = box.addButton("Choose another place", QMessageBox.ButtonRole.RejectRole)
        anyway = box.addButton("Save here anyway", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(elsewhere)
        self.same_disk_box = box
        box.exec()
        return box.clickedButton() is anyway


def same_disk(path: Path, forum_file: Path) -> bool:
    """Whether ``path`` would be on the same disk as the forum file (same device)."""
    try:
        return path.parent.resolve().stat().st_dev == forum_file.resolve().parent.stat().st_dev
    except OSError:
        return False


class NewForumWizard(QWizard):
    """Makes a new forum file; ``created(Workspace)`` once the recovery key is stored."""

    created = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.workspace: Workspace | None = None
        self.setWindowTitle("New forum file")
        self.setAccessibleName("New forum file")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.forum_page = ForumPage(self)
        self.passphrase_page = PassphrasePage(self)
        self.recovery_page = RecoveryKeyPage(self)
        self.addPage(self.forum_page)
        self.addPage(self.passphrase_page)
        self.addPage(self.recovery_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Finish")
        self.resize(640, 520)

    def accept(self) -> None:
        workspace = self.workspace
        super().accept()
        if workspace is not None:
            self.workspace = None
            self.created.emit(workspace)

    def reject(self) -> None:
        if self.workspace is not None:
            return  # the file exists: leaving means storing the recovery key first (Finish)
        super().reject()
