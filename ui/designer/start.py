"""Where a new survey starts: a copy of last year's (the usual way), the shipped template, or a
blank page. The dialog only gathers the choice; the core makes the survey
(``next_edition``, ``from_template``, ``blank_survey``) and the designer opens on it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from forumkit.surveys import (
    TEMPLATES,
    Survey,
    blank_survey,
    from_template,
    get_survey,
    list_surveys,
    next_edition,
    next_year,
    taken_form_ids,
)
from ui.context import AppContext
from ui.widgets import Heading, Paragraph, labelled


class NewSurveyDialog(QDialog):
    """Choose how to start a survey and what it is called."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("New survey")
        self.setAccessibleName("New survey")
        db = context.workspace.db
        self.summaries = [s for s in list_surveys(db) if not s.archived] or list_surveys(db)
        layout = QVBoxLayout(self)
        layout.addWidget(Heading("Start a new survey", 1))
        self.group = QButtonGroup(self)
        self.copy_button = QRadioButton("A &copy of an earlier survey (last year's)")
        self.copy_button.setAccessibleDescription(
            "The copy is a new survey, linked to the earlier one so the years can be compared."
        )
        self.template_button = QRadioButton("The &template: a short parent-experience survey")
        self.blank_button = QRadioButton("A &blank survey")
        self.earlier_box = QComboBox()
        for summary in sorted(self.summaries, key=lambda s: s.title, reverse=True):
            self.earlier_box.addItem(summary.title, summary.id)
        self.template_box = QComboBox()
        for shipped in TEMPLATES:
            self.template_box.addItem(shipped.title, shipped.key)
        for number, button in enumerate(
            (self.copy_button, self.template_button, self.blank_button)
        ):
            self.group.addButton(button, number)
            layout.addWidget(button)
            if button is self.copy_button:
                layout.addWidget(labelled("&Earlier survey", self.earlier_box))
            if button is self.template_button:
                layout.addWidget(
                    labelled(
                        "Te&mplate",
                        self.template_box,
                        TEMPLATES[0].description if TEMPLATES else "",
                    )
                )
        self.title_edit = QLineEdit()
        layout.addWidget(labelled("&Title of the new survey", self.title_edit))
        layout.addWidget(Paragraph("Nothing is saved until you save in the designer."))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("&Open the designer")
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        has_earlier = bool(self.summaries)
        self.copy_button.setEnabled(has_earlier)
        self.earlier_box.setEnabled(has_earlier)
        (self.copy_button if has_earlier else self.template_button).setChecked(True)
        self.group.idToggled.connect(self._kind_toggled)
        self.earlier_box.currentIndexChanged.connect(lambda _i: self._suggest_title())
        self._suggest_title()
        self.setMinimumWidth(560)

    def _kind_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._suggest_title()

    def _suggest_title(self) -> None:
        if self.copy_button.isChecked() and self.earlier_box.count():
            self.title_edit.setText(next_year(self.earlier_box.currentText()))
        elif self.template_button.isChecked():
            self.title_edit.setText(self.template_box.currentText())
        else:
            self.title_edit.setText("")

    def chosen_survey(self) -> Survey:
        """The survey to design, made by the core from the choice."""
        db = self.context.workspace.db
        taken = taken_form_ids(db)
        title = " ".join(self.title_edit.text().split())
        if self.copy_button.isChecked():
            last = get_survey(db, str(self.earlier_box.currentData()))
            return next_edition(last, title or None, taken)
        if self.template_button.isChecked():
            key = str(self.template_box.currentData())
            return from_template(key, title or self.template_box.currentText(), taken)
        return blank_survey(title or "New survey", taken)
