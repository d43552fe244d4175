"""Where to save a file of parents' answers, and the password that protects it.

The responses export and an import's set-aside file both put answers in a file forumkit does not
encrypt with the forum's key, so both ask the same way: a file name (.xlsx or .csv), a password
typed twice for an xlsx (encrypted in memory by the core), and a plain warning when the file
will not be encrypted. The rule of what can work is the core's (``check_export``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forumkit.errors import ForumkitError
from forumkit.responses import check_export
from ui.widgets import Paragraph, ShowTyping, labelled, passphrase_field

SPREADSHEET_FILTER = "Excel workbook (*.xlsx);;Comma-separated values (*.csv)"
NOT_ENCRYPTED = (
    "Without a password this file is not encrypted: anyone who gets a copy can read every "
    "answer. Keep it somewhere safe and delete it when you are done."
)


def documents_folder() -> Path:
    """The user's Documents folder (home when there is none)."""
    documents = QStandardPaths.StandardLocation.DocumentsLocation
    folder = Path(QStandardPaths.writableLocation(documents) or Path.home())
    return folder if folder.is_dir() else Path.home()


@dataclass(frozen=True)
class ProtectedFile:
    """What was chosen: where, as which kind (``xlsx``/``csv``) and the password, if any."""

    path: Path
    kind: str
    password: str | None


class ProtectedFileChooser(QWidget):
    """The file name, "Protect the file with a password" and the password typed twice."""

    def __init__(self, suggested: Path, dialog_title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dialog_title = dialog_title
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.path = QLineEdit(str(suggested))
        row = QHBoxLayout()
        row.addWidget(labelled("Save &as", self.path), 1)
        choose = QPushButton("C&hoose…")
        choose.setAccessibleName("Choose where to save the file")
        choose.setAutoDefault(False)
        choose.clicked.connect(self._choose)
        row.addWidget(choose)
        layout.addLayout(row)
        self.protect = QCheckBox("&Protect the file with a password")
        self.protect.setChecked(True)
        layout.addWidget(self.protect)
        self.password = passphrase_field("Password")
        self.repeat = passphrase_field("Password again")
        layout.addWidget(labelled("Pass&word", self.password))
        layout.addWidget(labelled("Password a&gain", self.repeat))
        self.show_typing = ShowTyping(self.password, self.repeat)
        layout.addWidget(self.show_typing)
        self.warning = Paragraph()
        self.warning.setObjectName("error")
        self.warning.setAccessibleName("Warning")
        layout.addWidget(self.warning)
        self.problem = Paragraph()
        self.problem.setObjectName("error")
        self.problem.setAccessibleName("Problem")
        layout.addWidget(self.problem)
        self.protect.toggled.connect(self._update)
        self.path.textChanged.connect(self._update)
        self._update()

    def _choose(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.dialog_title, self.path.text(), SPREADSHEET_FILTER
        )
        if name:
            self.path.setText(name)

    def _is_csv(self) -> bool:
        return self.path.text().strip().lower().endswith(".csv")

    def _update(self) -> None:
        csv = self._is_csv()
        self.protect.setEnabled(not csv)
        protected = self.protect.isChecked() and not csv
        for field in (self.password, self.repeat):
            field.setEnabled(protected)
        self.show_typing.setEnabled(protected)
        self.warning.setText("" if protected else NOT_ENCRYPTED)

    def chosen(self) -> ProtectedFile | None:
        """The file and password, or None after saying what is wrong (focus on that field)."""
        path = Path(self.path.text().strip()).expanduser()
        password: str | None = None
        if self.protect.isChecked() and not self._is_csv():
            password = self.password.text()
            if not password:
                return self._refuse("Type a password, or untick “Protect the file”.", self.password)
            if password != self.repeat.text():
                return self._refuse("The two passwords are not the same.", self.repeat)
        if not path.parent.is_dir():
            return self._refuse(f"The folder “{path.parent}” does not exist.", self.path)
        try:
            kind = check_export(path, password)
        except ForumkitError as error:
            return self._refuse(str(error), self.path)
        self.problem.setText("")
        return ProtectedFile(path, kind, password)

    def _refuse(self, text: str, field: QWidget) -> ProtectedFile | None:
        self.problem.setText(text)
        field.setFocus()
        return None
