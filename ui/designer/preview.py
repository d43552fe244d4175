"""The live preview beside the designer: the survey as a volunteer sees it in data entry, and as
a parent sees it in kiosk mode (larger text, one section a page, Back and Next). Both are the
real form (``ui.form.SurveyForm``), so skip rules and limits can be tried by answering; nothing
typed here is kept."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from forumkit.surveys import Survey
from ui.form import SurveyForm
from ui.widgets import Paragraph

KIOSK_SCALE = 1.6
"""Kiosk mode's text is this much larger than the app's (as ``ui.kiosk`` sets it)."""


class DesignPreview(QTabWidget):
    """Two tabs over the same survey, redrawn a moment after the last edit."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("designPreview")
        self.setAccessibleName("Preview")
        self.survey: Survey | None = None
        self.volunteer_form: SurveyForm | None = None
        self.kiosk_form: SurveyForm | None = None
        self.page = 0
        self.volunteer_area = QScrollArea()
        self.volunteer_area.setWidgetResizable(True)
        self.volunteer_area.setAccessibleName("The form as a volunteer sees it")
        self.addTab(self.volunteer_area, "As a &volunteer sees it")
        self.addTab(self._kiosk_tab(), "As a &parent sees it (kiosk)")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self.redraw)

    def _kiosk_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        self.kiosk_progress = QLabel()
        self.kiosk_progress.setAccessibleName("Kiosk page")
        layout.addWidget(self.kiosk_progress)
        self.kiosk_area = QScrollArea()
        self.kiosk_area.setWidgetResizable(True)
        self.kiosk_area.setAccessibleName("The form as a parent sees it in kiosk mode")
        layout.addWidget(self.kiosk_area, 1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("◀ Back")
        self.back_button.setAccessibleName("Previous kiosk page")
        self.next_button = QPushButton("Next ▶")
        self.next_button.setAccessibleName("Next kiosk page")
        self.back_button.clicked.connect(lambda: self.turn(-1))
        self.next_button.clicked.connect(lambda: self.turn(1))
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout.addLayout(buttons)
        return tab

    def show_survey(self, survey: Survey, *, at_once: bool = False) -> None:
        """Preview ``survey``: now, or after a short pause so typing stays quick."""
        self.survey = survey
        if at_once:
            self.redraw()
        else:
            self.timer.start()

    def redraw(self) -> None:
        self.timer.stop()
        if self.survey is None:
            return
        for form in (self.volunteer_form, self.kiosk_form):
            if form is not None:
                form.dispose()
        self.volunteer_form = self._form(self.volunteer_area, 1.0)
        self.kiosk_form = self._form(self.kiosk_area, KIOSK_SCALE)
        self.kiosk_form.edited.connect(self._show_page)
        self._show_page()

    def _form(self, area: QScrollArea, scale: float) -> SurveyForm:
        assert self.survey is not None
        holder = QWidget()
        layout = QVBoxLayout(holder)
        if not self.survey.questions:
            layout.addWidget(Paragraph("The survey has no questions yet."))
        form = SurveyForm(self.survey)
        if scale != 1.0:
            font = QFont(self.font())
            font.setPointSizeF(font.pointSizeF() * scale)
            holder.setFont(font)
            holder.setStyleSheet(f"QWidget {{ font-size: {font.pointSizeF():.0f}pt; }}")
        layout.addWidget(form)
        layout.addStretch(1)
        area.setWidget(holder)
        return form

    def turn(self, step: int) -> None:
        self.page += step
        self._show_page()

    def _show_page(self) -> None:
        form = self.kiosk_form
        if form is None:
            return
        pages = form.visible_sections()
        self.page = max(0, min(self.page, len(pages) - 1))
        form.show_only(pages[self.page] if pages else None)
        self.kiosk_progress.setText(
            f"Page {self.page + 1} of {len(pages)}" if pages else "No pages yet"
        )
        self.back_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < len(pages) - 1)

    def dispose(self) -> None:
        self.timer.stop()
        for form in (self.volunteer_form, self.kiosk_form):
            if form is not None:
                form.dispose()
        self.volunteer_form = self.kiosk_form = None
