"""Dialogs of the Surveys page: consent questions, the preview, rename and remove."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from forumkit.surveys import Question, Survey
from forumkit.wording import plural
from ui.form import SurveyForm
from ui.widgets import Heading, Paragraph, StatusLabel, labelled, reading_width


class ConsentDialog(QDialog):
    """Which yes/no questions record consent to quote a parent and to share with inspectors."""

    def __init__(self, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Consent questions")
        self.setAccessibleName("Consent questions")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(f"Consent questions of “{survey.title}”", 2))
        layout.addWidget(
            Paragraph(
                "Parents' words leave the forum file only with their consent. Choose the "
                "questions where parents said yes or no."
            )
        )
        candidates = [q for q in survey.questions if q.type in ("select_one", "acknowledge")]
        self.quote = self._combo(survey, candidates, survey.consent_quote)
        self.share = self._combo(survey, candidates, survey.consent_share)
        layout.addWidget(labelled("May we &quote you anonymously?", self.quote))
        layout.addWidget(
            labelled("May your anonymised words be &shared with inspectors?", self.share)
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    @staticmethod
    def _combo(survey: Survey, candidates: list[Question], current: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem("(no consent question)", "")
        for question in candidates:
            label = survey.label(question)
            combo.addItem(label, question.name)
            if question.name == current:
                combo.setCurrentIndex(combo.count() - 1)
        return combo

    def choices(self) -> tuple[str, str]:
        return str(self.quote.currentData()), str(self.share.currentData())


class SurveyPreview(QDialog):
    """The survey as a parent sees it in kiosk mode: live, skip logic and checks working, the
    contact field at the end; nothing typed here is saved."""

    def __init__(self, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Preview: {survey.title}")
        self.setAccessibleName(f"Preview of {survey.title}")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(survey.title, 1))
        layout.addWidget(
            Paragraph(
                "This is the survey as a parent sees it. Try it: answer the questions to see "
                "which appear, and leave one to see what is wrong with it. Nothing typed here "
                "is saved."
            )
        )
        self.form = SurveyForm(survey, contact="parent")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setAccessibleName("Survey questions")
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.finished.connect(lambda _result: self.form.dispose())
        self.resize(reading_width(self, 110, 780), 680)


class RenameDialog(QDialog):
    """The name the forum knows a survey by (kept when its XLSForm is imported again)."""

    def __init__(self, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rename the survey")
        self.setAccessibleName("Rename the survey")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(f"Rename “{survey.title}”", 2))
        self.name = QLineEdit(survey.title)
        self.name.selectAll()
        layout.addWidget(
            labelled(
                "&New name",
                self.name,
                "The forum's own name for the survey; importing its XLSForm again keeps it. "
                "Leave it empty to use the title the form has.",
            )
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(reading_width(self, 70, 480), self.sizeHint().height())


class RemoveDialog(QDialog):
    """Remove a survey for good. With responses, they go too, as an erasure goes, so the chair
    types the survey's name to confirm; without, one question is enough."""

    def __init__(
        self, survey: Survey, responses: int, drafts: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.survey = survey
        self.responses = responses
        self.setWindowTitle("Remove the survey")
        self.setAccessibleName("Remove the survey")
        layout = QVBoxLayout(self)
        layout.addWidget(Heading(f"Remove “{survey.title}” for good?", 2))
        if responses:
            unfinished = f", {plural(drafts, 'of them')} unfinished" if drafts else ""
            what = (
                f"It holds {plural(responses, 'response')}{unfinished}. They will be erased "
                "with it: the forum file and its backup are rewritten without them, and "
                "nothing brings them back (not Undo, not importing them again). To keep them "
                "out of the way instead, choose Archive."
            )
        else:
            what = (
                "It holds no responses. Its form and every version of it leave the forum file; "
                "importing the XLSForm again later needs the command line's --restore-removed."
            )
        layout.addWidget(Paragraph(what))
        self.typed = QLineEdit()
        if responses:
            layout.addWidget(labelled("&Type the survey's name to confirm", self.typed))
            self.typed.setPlaceholderText(survey.title)
        else:
            self.typed.hide()
        self.status = StatusLabel("Remove status")
        layout.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.remove_button = buttons.addButton(
            "Re&move for good", QDialogButtonBox.ButtonRole.DestructiveRole
        )
        keep = buttons.addButton("&Keep it", QDialogButtonBox.ButtonRole.RejectRole)
        keep.setDefault(True)
        self.remove_button.clicked.connect(self.accept)
        keep.clicked.connect(self.reject)
        layout.addWidget(buttons)
        self.typed.textChanged.connect(self._update)
        self._update()
        self.resize(reading_width(self, 80, 520), self.sizeHint().height())

    def confirmed(self) -> bool:
        """Whether the name typed is the survey's (spacing and case aside)."""
        if not self.responses:
            return True
        typed = " ".join(self.typed.text().split()).casefold()
        return typed == " ".join(self.survey.title.split()).casefold()

    def _update(self) -> None:
        self.remove_button.setEnabled(self.confirmed())
