"""The live preview beside the designer: the survey as a volunteer sees it in data entry, and as
a parent sees it in kiosk mode (larger text, one section a page, Back and Next). Both are the
real form (``ui.form.SurveyForm``) built as data entry and kiosk mode build it, the optional
contact field included (a page of its own in kiosk mode), so skip rules, limits and the number of
pages can be tried by answering; nothing typed here is kept."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from forumkit.surveys import Survey
from ui.form import SurveyForm
from ui.form.contact import Audience
from ui.kiosk import KIOSK_POINT_SIZE, KIOSK_SCALE, touch_sized
from ui.widgets import Paragraph, StatusLabel, heading_rules


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
        self.volunteer_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the questions
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
        self.kiosk_progress = StatusLabel("Kiosk page")
        layout.addWidget(self.kiosk_progress)
        self.kiosk_area = QScrollArea()
        self.kiosk_area.setWidgetResizable(True)
        self.kiosk_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the questions
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
        self.volunteer_form = self._form(self.volunteer_area, "volunteer")
        self.kiosk_form = self._form(self.kiosk_area, "parent")
        self.kiosk_form.edited.connect(self._show_page)
        self._show_page()

    def _form(self, area: QScrollArea, audience: Audience) -> SurveyForm:
        """The form in ``area`` as data entry ("volunteer") or kiosk mode ("parent") shows it."""
        assert self.survey is not None
        holder = QWidget()
        layout = QVBoxLayout(holder)
        if not self.survey.questions:
            layout.addWidget(Paragraph("The survey has no questions yet."))
        form = SurveyForm(self.survey, contact=audience)
        if audience == "parent":
            # Kiosk mode's text size (KIOSK_SCALE times the app's, at least KIOSK_POINT_SIZE)
            # and its touch-sized buttons and options.
            size = max(KIOSK_POINT_SIZE, self.font().pointSizeF() * KIOSK_SCALE)
            font = QFont(self.font())
            font.setPointSizeF(size)
            holder.setFont(font)
            holder.setStyleSheet(f"QWidget {{ font-size: {size:.1f}pt; }}\n{heading_rules(size)}")
            touch_sized(form)
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
