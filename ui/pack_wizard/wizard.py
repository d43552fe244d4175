"""The evidence pack wizard: the steps held together, and the request they make up."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from forumkit.packs import PackRequest, PackResult
from forumkit.surveys import get_survey
from ui.context import AppContext
from ui.pack_wizard.choices import ChoicesPage
from ui.pack_wizard.review import ReviewPage
from ui.pack_wizard.saving import DonePage, SavePage
from ui.pack_wizard.writing import PasswordPage, StatementPage


class PackWizard(QWizard):
    """Make an evidence pack, step by step (see ``ui.pack_wizard``).

    ``show_quote_requested(quote_id)``: the chair asked to fix a quote in the Quotes page (the
    wizard has closed). A pack made is in the audit log: pages see it as an ``audit`` change.
    """

    show_quote_requested = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.pack: PackResult | None = None
        self.setWindowTitle("Make an evidence pack")
        self.setAccessibleName("Make an evidence pack")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.choices_page = ChoicesPage(self)
        self.review_page = ReviewPage(self)
        self.statement_page = StatementPage(self)
        self.password_page = PasswordPage(self)
        self.save_page = SavePage(self)
        self.done_page = DonePage(self)
        for page in (
            self.choices_page,
            self.review_page,
            self.statement_page,
            self.password_page,
            self.save_page,
            self.done_page,
        ):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Finish")
        self.review_page.show_quote_requested.connect(self._show_quote)
        self.resize(960, 680)

    def request(self) -> PackRequest:
        """What the chosen steps ask the pack to hold."""
        choices = self.choices_page
        survey = get_survey(self.context.workspace.db, str(choices.survey_box.currentData()))
        return PackRequest(
            survey=survey,
            codes=choices.chosen_keys(),
            by_inspection_area=choices.by_area.isChecked(),
            title=choices.title_edit.text(),
            contact=choices.contact_edit.toPlainText(),
            statement=self.statement_page.statement.toPlainText(),
            leave_out=self.review_page.left_out(),
        )

    @property
    def password(self) -> str:
        return self.password_page.password

    def _show_quote(self, quote_id: str) -> None:
        self.reject()
        self.show_quote_requested.emit(quote_id)

    def done(self, code: int) -> None:
        """Closing (finished, cancelled, or the app locking): forget the quotes read, the
        statement, the preview's pages and the password."""
        self.review_page.forget()
        self.save_page.preview.forget()
        self.password_page.forget()
        self.statement_page.statement.clear()
        super().done(code)
