"""Kiosk mode: parents fill in the survey themselves on the laptop, one after another.

Full screen, large text, one section per page with big Back and Next buttons, no menus; every
button and option at least 44 pixels high (a parent with a tremor, a touch screen), and Enter
presses the button that has the focus. A welcome page names the forum and says how answers are
kept; a thank-you page returns to it by itself. The last page asks, optionally, for a contact
the forum can find the parent's answers by (a data-protection request). Between respondents
nothing of the previous answers survives: the form's widgets (and their undo histories) are
rebuilt and any text the app put on the clipboard is cleared. If a parent walks away, "Are you
still there?" appears with a countdown, then the half-filled response is kept as an unfinished
kiosk draft (for the chair, never shown to the next parent) and the form resets. Leaving kiosk
mode needs the forum file's passphrase; closing the window by accident (Alt+F4) asks for it too,
and Cancel goes back to the same page with the answers as they were.

This locks the app only: locking the operating system itself (Alt+Tab, Ctrl+Alt+Del) needs the
system's own kiosk or assigned-access mode (see the README).
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QCloseEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from forumkit.errors import ForumkitError
from forumkit.surveys import Survey
from ui import icons
from ui.context import AppContext
from ui.form import FORM_WIDTH, Section, SurveyForm
from ui.operations import responses as operations
from ui.restart import scrub_in_place
from ui.tasks import Progress
from ui.widgets import (
    Heading,
    Paragraph,
    ReadingColumn,
    ShowTyping,
    StatusLabel,
    heading_rules,
    passphrase_field,
)

KIOSK_POINT_SIZE = 16.0
KIOSK_SCALE = 1.6
"""Kiosk text is this much larger than the app's (View → Text size reaches it), at least 16 pt."""
TARGET_PX = 44
"""The smallest a button or option may be, high and wide (WCAG 2.2's enhanced target size)."""
IDLE_MS = 120_000
"""No touch or key for this long on a question page: ask "Are you still there?"."""
PROMPT_MS = 60_000
"""No answer to the prompt for this long: keep the answers as a draft and start again."""
THANKS_MS = 10_000

PRIVACY = (
    "Your answers are kept in an encrypted file on this laptop and used only by the forum. "
    "You do not need to give your name, and you can skip any question that is not marked "
    "as required."
)

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.Wheel,
    }
)


def _big(button: QPushButton, icon: str = "") -> QPushButton:
    button.setMinimumHeight(56)
    button.setMinimumWidth(180)
    # Enter presses the button with the focus, as Space does (autoDefault, outside a dialog).
    button.setAutoDefault(True)
    if icon:
        button.setIcon(icons.icon(icon))
    return button


def touch_sized(root: QWidget) -> None:
    """Make every button, option and field under ``root`` at least TARGET_PX high (and a
    button that wide), so a parent with a tremor or a touch screen can hit it."""
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QAbstractButton | QLineEdit | QComboBox | QAbstractSpinBox):
            widget.setMinimumHeight(max(widget.minimumHeight(), TARGET_PX))
        if isinstance(widget, QAbstractButton):
            widget.setMinimumWidth(max(widget.minimumWidth(), TARGET_PX))


class KioskWindow(QWidget):
    """The full-screen kiosk for one survey. ``finished`` is emitted once it has closed."""

    finished = Signal()
    accessible_role = QAccessible.Role.Window  # a window to screen readers (ui.accessibility)

    def __init__(self, context: AppContext, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.context = context
        self.survey = survey
        self.form: SurveyForm | None = None
        self.page: Section | None = None
        self.saved_count = 0
        self._leaving = False
        self._clipboard_used = False
        self._watching_clipboard = False
        self.setObjectName("kiosk")
        self.setWindowTitle(f"{survey.title} — forumkit")
        self.setAccessibleName(self.windowTitle())
        self._return_to: QWidget | None = None
        """The page Cancel on the passphrase page goes back to."""
        self._enlarge()

        self.stack = QStackedWidget()
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        column = QVBoxLayout()
        column.addWidget(self.stack)
        holder = ReadingColumn(FORM_WIDTH // 7 + 20, FORM_WIDTH + 120)
        holder.setLayout(column)
        outer.addWidget(holder, 8)
        outer.addStretch(1)

        self.welcome = self._welcome_page()
        self.questions = self._questions_page()
        self.still_there = self._still_there_page()
        self.thanks = self._thanks_page()
        self.leave = self._leave_page()
        for page in (self.welcome, self.questions, self.still_there, self.thanks, self.leave):
            self.stack.addWidget(page)

        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(IDLE_MS)
        self.idle_timer.timeout.connect(self._ask_still_there)
        self.prompt_timer = QTimer(self)
        self.prompt_timer.setSingleShot(True)
        self.prompt_timer.setInterval(PROMPT_MS)
        self.prompt_timer.timeout.connect(self.walked_away)
        self.thanks_timer = QTimer(self)
        self.thanks_timer.setSingleShot(True)
        self.thanks_timer.setInterval(THANKS_MS)
        self.thanks_timer.timeout.connect(self.next_parent)
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._count_down)
        context.workspace_closed.connect(self._file_closed)
        touch_sized(self)

    def _enlarge(self) -> None:
        """Kiosk text: KIOSK_SCALE times the app's text size, at least KIOSK_POINT_SIZE; set
        again when the app's text size changes."""
        app_font = QApplication.font()
        size = max(KIOSK_POINT_SIZE, app_font.pointSizeF() * KIOSK_SCALE)
        font = QFont(app_font)
        font.setPointSizeF(size)
        self.setFont(font)
        tick = round(QFontMetrics(font).height() * 0.85)
        # The style sheet reaches every child (a font set in code would not reach those with a
        # font of their own); headings keep their larger sizes.
        self.setStyleSheet(
            f"QWidget {{ font-size: {size:.1f}pt; }}\n"
            # Tick boxes and radio buttons as large as the text (in kiosk mode's own sheet, so
            # "em" is kiosk text).
            f"QCheckBox::indicator, QRadioButton::indicator {{ width: {tick}px; "
            f"height: {tick}px; }}\n{heading_rules(size)}"
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc on the passphrase page is Cancel: a parent who pressed Alt+F4 by accident
        # reaches for it first.
        if event.key() == Qt.Key.Key_Escape and self.stack.currentWidget() is self.leave:
            self.cancel_leaving()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ApplicationFontChange:
            self._enlarge()
        super().changeEvent(event)

    # -- pages ----------------------------------------------------------------------------

    def _welcome_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        forum = self.context.workspace.forum.name if self.context.has_workspace else ""
        layout.addWidget(Heading(forum or "Welcome", 1))
        layout.addWidget(Heading(self.survey.title, 2))
        layout.addWidget(Paragraph(PRIVACY))
        self.start_button = _big(QPushButton("&Start the survey"), "next")
        self.start_button.clicked.connect(self.start_respondent)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(2)
        self.volunteer_button = QPushButton(
            icons.icon("lock"), "For the volunteer: end kiosk mode…"
        )
        self.volunteer_button.setAutoDefault(True)
        self.volunteer_button.clicked.connect(self.ask_passphrase)
        layout.addWidget(self.volunteer_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def _questions_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.progress = StatusLabel("Progress")
        self.progress.setObjectName("kioskProgress")
        layout.addWidget(self.progress)
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the questions
        self.form_area.setAccessibleName("Questions")
        layout.addWidget(self.form_area, 1)
        buttons = QHBoxLayout()
        self.back_button = _big(QPushButton("&Back"), "back")
        self.next_button = _big(QPushButton("&Next"), "next")
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        layout.addLayout(buttons)
        return page

    def _still_there_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(Heading("Are you still there?", 1))
        layout.addWidget(
            Paragraph(
                "If nobody carries on, your answers so far will be put away safely and the "
                "survey will start again for the next person."
            )
        )
        self.seconds_left = StatusLabel("Time left")
        self.seconds_left.setObjectName("countdown")
        layout.addWidget(self.seconds_left)
        self.carry_on_button = _big(QPushButton("&Yes, carry on"), "next")
        self.carry_on_button.clicked.connect(self._carry_on)
        layout.addWidget(self.carry_on_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(2)
        return page

    def _thanks_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(Heading("Thank you", 1))
        layout.addWidget(
            Paragraph(
                "Your answers have been saved. They help the forum speak up for families like "
                "yours. This screen will go back to the start by itself."
            )
        )
        self.done_button = _big(QPushButton("&Back to the start"), "back")
        self.done_button.clicked.connect(self.next_parent)
        layout.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(2)
        return page

    def _leave_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(Heading("End kiosk mode", 1))
        layout.addWidget(Paragraph("Type the forum file's passphrase to go back to forumkit."))
        self.passphrase = passphrase_field("Passphrase")
        label = QLabel("&Passphrase")
        label.setBuddy(self.passphrase)
        layout.addWidget(label)
        layout.addWidget(self.passphrase)
        layout.addWidget(ShowTyping(self.passphrase))
        self.leave_message = StatusLabel("Passphrase message")
        self.leave_message.setObjectName("problem")
        layout.addWidget(self.leave_message)
        row = QHBoxLayout()
        self.cancel_leave_button = _big(QPushButton("&Cancel"), "back")
        self.leave_button = _big(QPushButton("&End kiosk mode"), "lock")
        self.cancel_leave_button.clicked.connect(self.cancel_leaving)
        self.leave_button.clicked.connect(self._check_passphrase)
        self.passphrase.returnPressed.connect(self._check_passphrase)
        row.addWidget(self.cancel_leave_button)
        row.addStretch(1)
        row.addWidget(self.leave_button)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    # -- showing --------------------------------------------------------------------------

    def start(self) -> None:
        """Go full screen on the welcome page and start watching for a parent walking away."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        QGuiApplication.clipboard().dataChanged.connect(self._clipboard_changed)
        self._watching_clipboard = True
        shortcut = QShortcut(QKeySequence("Ctrl+Shift+Q"), self)
        shortcut.activated.connect(self.ask_passphrase)
        self.show_welcome()
        # Cover the whole screen even where no window manager honours the full-screen request
        # (some locked-down or minimal desktops); where one does, showFullScreen does the rest.
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.activateWindow()

    def show_welcome(self) -> None:
        self.thanks_timer.stop()
        self.prompt_timer.stop()
        self.countdown.stop()
        self.idle_timer.stop()
        self.passphrase.clear()
        self.leave_message.clear()
        self._forget_respondent()
        self.stack.setCurrentWidget(self.welcome)
        self.start_button.setFocus()

    def _forget_respondent(self) -> None:
        """Remove every trace of the last respondent: widgets, undo histories, clipboard."""
        if self.form is not None:
            taken = self.form_area.takeWidget()
            self.form.dispose()
            if taken is not None:
                taken.deleteLater()
            self.form = None
            self.page = None
        clipboard = QGuiApplication.clipboard()
        if self._clipboard_used or clipboard.ownsClipboard():
            clipboard.clear()
        if clipboard.supportsSelection() and clipboard.ownsSelection():
            clipboard.clear(clipboard.Mode.Selection)
        self._clipboard_used = False

    def _clipboard_changed(self) -> None:
        # Only kiosk mode is on screen, so whatever changed the clipboard was a respondent.
        self._clipboard_used = True

    def start_respondent(self) -> None:
        """A new parent starts: a freshly built form, first page."""
        self._forget_respondent()
        form = SurveyForm(self.survey, contact="parent")
        self.form = form
        self.form_area.setWidget(form)
        touch_sized(form)
        form.edited.connect(self._touched)
        self.stack.setCurrentWidget(self.questions)
        self._go_to(0)

    def _go_to(self, index: int) -> None:
        form = self.form
        if form is None:
            return
        pages = form.visible_sections()
        if not pages:
            return
        index = max(0, min(index, len(pages) - 1))
        self.page = pages[index]
        form.show_only(self.page)
        self.progress.setText(f"Page {index + 1} of {len(pages)}")
        self.back_button.setEnabled(index > 0)
        last = index == len(pages) - 1
        # "Finish", not "Send": nothing is sent anywhere, the answers stay on this laptop.
        self.next_button.setText("&Finish" if last else "&Next")
        self.next_button.setIcon(icons.icon("finish" if last else "next"))
        self.form_area.verticalScrollBar().setValue(0)
        form.focus_first(self.page)
        self.idle_timer.start()

    def _index(self) -> int:
        if self.form is None or self.page is None:
            return 0
        pages = self.form.visible_sections()
        return pages.index(self.page) if self.page in pages else 0

    def back(self) -> None:
        self._go_to(self._index() - 1)

    def next(self) -> None:
        form, page = self.form, self.page
        if form is None or page is None:
            return
        checked = form.check_section(page)
        if any(p.question in {b.question.name for b in page.blocks} for p in checked.problems):
            form.focus_problem()
            return
        pages = form.visible_sections()
        index = pages.index(page) if page in pages else 0
        if index < len(pages) - 1:
            self._go_to(index + 1)
            return
        self._send()

    def _send(self) -> None:
        form = self.form
        if form is None or not self.context.has_workspace:
            return
        checked = form.check(final=True)
        if checked.problems:
            first = next(b for b in form.problem_blocks())
            for i, section in enumerate(form.visible_sections()):
                if first in section.blocks:
                    self._go_to(i)
                    form.check([b.question.name for b in section.blocks], final=True)
                    form.focus_problem()
                    return
            return
        sent = operations.complete_response(
            self.context,
            self,
            self.survey,
            form.typed_answers(),
            started=form.started,
            source="kiosk",
            respondent=form.contact(),
        ).run()
        if not sent:
            return
        self.saved_count += 1
        self._forget_respondent()
        self.idle_timer.stop()
        self.stack.setCurrentWidget(self.thanks)
        self.done_button.setFocus()
        self.thanks_timer.start()

    # -- a parent walking away ------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationFontChange and watched is QApplication.instance():
            self._enlarge()  # View → Text size changed: kiosk text follows
        if event.type() in _INPUT_EVENTS and self.stack.currentWidget() in (
            self.questions,
            self.leave,
        ):
            self.idle_timer.start()
        return False

    def _touched(self) -> None:
        self.idle_timer.start()

    def _ask_still_there(self) -> None:
        """Nobody touched the laptop for a while on a question page (or on the passphrase page
        reached by accident with answers in the form): ask, counting the seconds down."""
        current = self.stack.currentWidget()
        if current is not self.questions and not (current is self.leave and self.form is not None):
            return
        self.passphrase.clear()
        self.stack.setCurrentWidget(self.still_there)
        self.carry_on_button.setFocus()
        self.prompt_timer.start()
        self._count_down()
        self.countdown.start()

    def _count_down(self) -> None:
        seconds = max(0, round(self.prompt_timer.remainingTime() / 1000))
        self.seconds_left.setText(
            f"Starting again in {seconds} second{'' if seconds == 1 else 's'}."
        )

    def _carry_on(self) -> None:
        self.prompt_timer.stop()
        self.countdown.stop()
        self.stack.setCurrentWidget(self.questions)
        self._go_to(self._index())

    def walked_away(self) -> None:
        """Keep the half-filled answers as an unfinished kiosk draft; start again."""
        self.prompt_timer.stop()
        self.countdown.stop()
        form = self.form
        if form is not None and not form.is_empty() and self.context.has_workspace:
            self._keep_draft(form)
        self.next_parent()

    def next_parent(self) -> None:
        """The welcome page again, for the next parent, in a fresh process of the app.

        The last parent's answers are saved; only the forum file's own database still holds
        them. The process that showed them is replaced (``ui.restart``), handing the open file
        to its successor, so no copy of them survives in widgets, undo histories or freed
        memory. Where the process cannot be replaced, the welcome page comes back here with
        every reference dropped and garbage collected.
        """
        self._forget_respondent()
        restarter = self.context.restarter
        if restarter.replaces_process and self.context.has_workspace:
            path = self.context.workspace.path
            try:
                key = self.context.hand_over()
            except ForumkitError:
                key = None  # the disk would not take it: carry on here, the answers in memory
            if key is not None:
                fresh = self.context.fresh_start("kiosk", path=path, survey_id=self.survey.id)
                restarter.restart(fresh, key)  # does not return
        self.show_welcome()
        scrub_in_place()

    def _keep_draft(self, form: SurveyForm) -> None:
        """Keep the parent's answers as an unfinished kiosk draft, by data entry's own rule
        (answers that cannot be read are left out, the rest is kept)."""
        operations.keep_draft(
            self.context,
            self,
            self.survey,
            form.typed_answers(),
            source="kiosk",
            started=form.started,
            respondent=form.contact(),
        ).run()

    # -- leaving --------------------------------------------------------------------------

    def end_now(self) -> None:
        """The system asks the app to end (logging out, shutting down, a SIGTERM): keep the
        parent's answers as an unfinished kiosk draft and close without the passphrase page,
        which nobody would see (it used to refuse, and the parent's answers were lost when the
        system then killed the app)."""
        form = self.form
        if form is not None and not form.is_empty() and self.context.has_workspace:
            self._keep_draft(form)
        self._leaving = True
        self.close()

    def ask_passphrase(self) -> None:
        """The volunteer wants the laptop back (or a parent pressed Alt+F4): ask for the
        passphrase. The parent's answers stay in the form until it is given, so Cancel goes
        back to the very page they were on; nobody typing for a while asks "Are you still
        there?" as a question page does."""
        current = self.stack.currentWidget()
        if current is not self.leave:
            self._return_to = current if current is not self.still_there else self.questions
        self.prompt_timer.stop()
        self.countdown.stop()
        self.thanks_timer.stop()
        if self.form is not None:
            self.idle_timer.start()
        else:
            self.idle_timer.stop()
        self.leave_message.clear()
        self.stack.setCurrentWidget(self.leave)
        self.passphrase.setFocus()

    def cancel_leaving(self) -> None:
        """Back to where kiosk mode was, answers as they were (the form was never cleared)."""
        self.passphrase.clear()
        self.leave_message.clear()
        back = self._return_to
        self._return_to = None
        if back is self.questions and self.form is not None:
            self.stack.setCurrentWidget(self.questions)
            self._go_to(self._index())
        elif back is self.thanks:
            self.stack.setCurrentWidget(self.thanks)
            self.done_button.setFocus()
            self.thanks_timer.start()
        else:
            self.show_welcome()

    def _check_passphrase(self) -> None:
        if not self.context.has_workspace:
            self.end()
            return
        passphrase = self.passphrase.text()
        self.passphrase.clear()
        workspace = self.context.workspace
        self.leave_button.setEnabled(False)
        self.leave_message.setText("Checking the passphrase…")

        def work(_progress: Progress) -> None:
            # Unseals the key slot only: nothing of the file is decrypted or read again.
            workspace.check_passphrase(passphrase)

        def done(_result: None) -> None:
            self.leave_button.setEnabled(True)
            self.end()

        def failed(exc: BaseException) -> None:
            self.leave_button.setEnabled(True)
            if isinstance(exc, ForumkitError):
                self.leave_message.setText(
                    "That passphrase is not right. Check Caps Lock and try again."
                )
            else:
                self.leave_message.setText("")
                self.context.errors.report(exc, self)
            self.passphrase.setFocus()

        self.context.tasks.run(work, on_done=done, on_error=failed)

    def end(self) -> None:
        """Leave kiosk mode (the passphrase was given): a parent's unfinished answers are kept
        as a kiosk draft, for the chair."""
        form = self.form
        if form is not None and not form.is_empty() and self.context.has_workspace:
            self._keep_draft(form)
        self._leaving = True
        self.close()

    def _file_closed(self) -> None:
        self._leaving = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._leaving:
            event.ignore()
            self.ask_passphrase()
            return
        for timer in (self.idle_timer, self.prompt_timer, self.thanks_timer, self.countdown):
            timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._forget_respondent()
        with contextlib.suppress(RuntimeError, TypeError):
            self.context.workspace_closed.disconnect(self._file_closed)
        if self._watching_clipboard:
            QGuiApplication.clipboard().dataChanged.disconnect(self._clipboard_changed)
        super().closeEvent(event)
        self.finished.emit()
        self.deleteLater()
