"""The wizard's first page: which survey, which file, and (rarely needed) which format."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from forumkit.importers import FORMATS
from forumkit.surveys import get_survey, list_surveys
from ui.widgets import Paragraph, StatusLabel, labelled

if TYPE_CHECKING:
    from ui.import_wizard.wizard import ImportWizard

SPREADSHEET_FILTER = "Spreadsheets (*.xlsx *.csv);;All files (*)"
AUTO = "auto"


class FilePage(QWizardPage):
    """Which survey, which file, and (rarely needed) which format."""

    def __init__(self, wizard: ImportWizard, survey_id: str | None) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Choose the file to import")
        self.setAccessibleName("Choose the file to import")
        layout = QVBoxLayout(self)
        layout.addWidget(
            Paragraph(
                "Download the responses from the online form as a spreadsheet (.xlsx or .csv), "
                "then choose it here. Nothing is imported until you have seen the check."
            )
        )
        layout.addWidget(self._build_survey_choice(survey_id))
        self._build_file_choice(layout)
        layout.addWidget(self._build_format_choice())
        self.status = StatusLabel("Import status")
        layout.addWidget(self.status)
        if self.survey_box.count() == 0:
            self.say(
                "This forum file has no survey yet: import the survey's XLSForm on the Surveys "
                "page first, then import its responses here."
            )
        layout.addStretch(1)
        self.path_edit.textChanged.connect(self.completeChanged)

    def _build_survey_choice(self, survey_id: str | None) -> QWidget:
        self.survey_box = QComboBox()
        context = self.owner.context
        if context.has_workspace:
            for summary in list_surveys(context.workspace.db):
                self.survey_box.addItem(summary.title, summary.id)
        if survey_id is not None:
            self.survey_box.setCurrentIndex(max(0, self.survey_box.findData(survey_id)))
        return labelled("&Survey the responses answer", self.survey_box)

    def _build_file_choice(self, layout: QVBoxLayout) -> None:
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("Spreadsheet file")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Browse for the spreadsheet file")
        browse.setAutoDefault(False)
        browse.clicked.connect(self.browse)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.path_edit, 1)
        row_layout.addWidget(browse)
        file_label = QLabel("Spreadsheet &file")
        file_label.setBuddy(self.path_edit)
        layout.addWidget(file_label)
        layout.addWidget(row)

    def _build_format_choice(self) -> QWidget:
        self.format_box = QComboBox()
        self.format_box.addItem("Find out from the file", AUTO)
        for name, fmt in FORMATS.items():
            self.format_box.addItem(fmt.title, name)
        return labelled(
            "Online form it came fro&m",
            self.format_box,
            "forumkit recognises Google Forms, Microsoft Forms, SurveyMonkey, KoboToolbox "
            "and its own exports by their headings; choose one only if it guesses wrong.",
        )

    def say(self, text: str) -> None:
        self.status.setText(text)

    def browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose the spreadsheet of responses", str(Path.home()), SPREADSHEET_FILTER
        )
        if name:
            self.path_edit.setText(name)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip()) and self.survey_box.count() > 0

    def validatePage(self) -> bool:
        wizard = self.owner
        context = wizard.context
        if not context.has_workspace or wizard.task is not None:
            return False
        path = Path(self.path_edit.text().strip())
        if not path.is_file():
            self.say(f"There is no file at “{path}”. Check the name, or choose it with Browse.")
            return False
        survey = get_survey(context.workspace.db, str(self.survey_box.currentData()))
        source_format = str(self.format_box.currentData())
        if wizard.plan is not None and wizard.plan_key == (
            survey.version_id,
            str(path),
            source_format,
        ):
            return True
        wizard.read_file(survey, path, source_format)
        return False
