"""The survey designer: build or change a survey in the app, without a spreadsheet.

Three columns: the question list with the problems still to put right (left), the editor for
the chosen question (centre), the live preview (right). The survey being designed is a plain
``forumkit.surveys.Survey``; each edit is a core function giving the next one, kept for Undo and
Redo. Nothing reaches the forum file until Save, which runs ``save_design`` as an operation
(through ``context.change``): a survey with problems is never saved, and a survey that already
has responses is saved as a new version, which the designer says before saving.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAction,
    QCloseEvent,
    QKeyEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMenuBar,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from forumkit.surveys import (
    QUESTION_KINDS,
    DesignSaved,
    Survey,
    SurveyDesignError,
    add_question,
    add_section,
    check_design,
    design_problems,
    export_xlsform,
    get_survey,
    language_name,
    move_by,
    move_to,
    remove,
    response_count,
)
from ui.context import AppContext
from ui.designer.editor import QuestionEditor
from ui.designer.preview import DesignPreview
from ui.designer.question_list import QuestionList
from ui.operations.survey_design import save_survey_design
from ui.tasks import Progress
from ui.widgets import Heading, Paragraph, labelled

XLSFORM_FILTER = "XLSForm spreadsheets (*.xlsx)"
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 1


class SurveyDesigner(QDialog):
    """Design ``survey`` (new, or opened from the forum file when it has an id)."""

    def __init__(self, context: AppContext, survey: Survey, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.context = context
        self.setObjectName("surveyDesigner")
        self.setAccessibleName("Survey designer")
        self.history: list[Survey] = [survey]
        self.position = 0
        self._leaving = False
        self._problems_said: set[str] = set()
        self.last_dialog: QDialog | None = None
        self.saved_survey: Survey | None = survey if survey.id else None
        self.selected: str | None = next(
            (e.name for e in survey.elements if e.type != "end_group"), None
        )
        layout = QVBoxLayout(self)
        layout.setMenuBar(self._build_menus())
        layout.addLayout(self._build_title_row())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_list_column())
        splitter.addWidget(self._build_editor_column())
        self.preview = DesignPreview()
        splitter.addWidget(self.preview)
        splitter.setSizes([340, 560, 440])
        layout.addWidget(splitter, 1)
        self.status = QLabel()
        self.status.setObjectName("designerStatus")
        self.status.setAccessibleName("Designer messages")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.resize(1340, 760)
        self.show_survey(at_once=True)
        self.question_list.setFocus()
        context.workspace_closed.connect(self._file_closed)

    # -- building ---------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: str | QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> QMenuBar:
        bar = QMenuBar()
        survey_menu = bar.addMenu("&Survey")
        self.save_action = self._action("&Save", self.save, QKeySequence.StandardKey.Save)
        self.export_action = self._action("&Export XLSForm…", self.choose_and_export, "Ctrl+E")
        self.close_action = self._action("&Close the designer", self.close, "Ctrl+W")
        for action in (self.save_action, self.export_action, self.close_action):
            survey_menu.addAction(action)
        edit = bar.addMenu("&Edit")
        self.undo_action = self._action("&Undo", self.undo, QKeySequence.StandardKey.Undo)
        self.redo_action = self._action("&Redo", self.redo, QKeySequence.StandardKey.Redo)
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        self.add_menu = QMenu("&Add a question", self)
        for kind in QUESTION_KINDS:
            self.add_menu.addAction(
                self._action(kind.words, lambda _=False, k=kind.key: self.add_question(k))
            )
        edit.addMenu(self.add_menu)
        self.add_action = self._action(
            "Add a &question", lambda: self.add_question("text"), "Ctrl+Shift+Q"
        )
        self.section_action = self._action("Add a s&ection", self.add_section, "Ctrl+Shift+E")
        self.remove_action = self._action("Re&move the selected question", self.remove, "Ctrl+Del")
        self.language_action = self._action("Add a &language…", self.ask_language)
        self.up_action = self._action("Move &up", lambda: self.step(-1), "Alt+Up")
        self.down_action = self._action("Move &down", lambda: self.step(1), "Alt+Down")
        edit.addActions(
            [
                self.add_action,
                self.section_action,
                self.remove_action,
                self.up_action,
                self.down_action,
            ]
        )
        edit.addSeparator()
        edit.addAction(self.language_action)
        return bar

    def _build_title_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.title_edit = QLineEdit()
        self.title_edit.editingFinished.connect(self._title_edited)
        row.addWidget(labelled("Survey &title", self.title_edit), 2)
        self.form_id_label = Paragraph()
        self.form_id_label.setObjectName("hint")
        row.addWidget(self.form_id_label, 1)
        return row

    def _build_list_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(Heading("Questions", 2))
        self.question_list = QuestionList()
        self.question_list.currentItemChanged.connect(self._list_selected)
        self.question_list.move_requested.connect(self._move_to)
        self.question_list.step_requested.connect(lambda name, step: self.step(step, name))
        label = QLabel("&Questions (Alt+Up, Alt+Down or drag to move)")
        label.setBuddy(self.question_list)
        layout.addWidget(label)
        layout.addWidget(self.question_list, 3)
        buttons = QHBoxLayout()
        for action, words in (
            (self.add_action, "Add question"),
            (self.section_action, "Add section"),
            (self.remove_action, "Remove"),
        ):
            button = _button(action, words)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.problems_heading = Heading("Problems to put right", 3)
        layout.addWidget(self.problems_heading)
        self.problems = QListWidget()
        self.problems.setObjectName("designProblems")
        self.problems.setAccessibleName("Problems to put right before saving")
        self.problems.setWordWrap(True)
        self.problems.itemActivated.connect(self._problem_activated)
        layout.addWidget(self.problems, 1)
        return column

    def _build_editor_column(self) -> QWidget:
        self.editor = QuestionEditor()
        self.editor.changed.connect(self.apply)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        scroll.setAccessibleName("The selected question")
        return scroll

    # -- the survey and its history -------------------------------------------------------

    @property
    def survey(self) -> Survey:
        return self.history[self.position]

    def apply(self, survey: Survey, selected: str | None = None) -> None:
        """Take ``survey`` as the next state (Undo goes back to the one before)."""
        if survey == self.survey and selected is None:
            return
        del self.history[self.position + 1 :]
        self.history.append(survey)
        self.position += 1
        if selected is not None:
            self.selected = selected
        elif self.editor.name:
            self.selected = self.editor.name
        self.show_survey()

    def undo(self) -> None:
        if self.position > 0:
            self.position -= 1
            self.show_survey()

    def redo(self) -> None:
        if self.position < len(self.history) - 1:
            self.position += 1
            self.show_survey()

    @property
    def dirty(self) -> bool:
        """Whether the design differs from what the forum file holds (a new one always)."""
        return self.saved_survey is None or self.survey != self.saved_survey

    def show_survey(self, *, at_once: bool = False) -> None:
        survey = self.survey
        names = [e.name for e in survey.elements if e.type != "end_group"]
        if self.selected not in names:
            self.selected = names[0] if names else None
        self.setWindowTitle(f"Designing “{survey.title}” — forumkit")
        if self.title_edit.text() != survey.title:
            self.title_edit.setText(survey.title)
        linked = (
            f" · next edition of “{survey.previous_form_id}”" if survey.previous_form_id else ""
        )
        self.form_id_label.setText(f"Form id: {survey.form_id}{linked}")
        self.question_list.show_survey(survey, self.selected)
        self.editor.load(survey, self.selected, *self._kept_names())
        self._show_problems()
        self.preview.show_survey(survey, at_once=at_once)
        self.undo_action.setEnabled(self.position > 0)
        self.redo_action.setEnabled(self.position < len(self.history) - 1)
        has = self.selected is not None
        for action in (self.remove_action, self.up_action, self.down_action):
            action.setEnabled(has)

    def _kept_names(self) -> tuple[set[str], set[tuple[str, str]]]:
        """The question names and (list, choice) names the survey started with or was saved
        with: they stay as they are when the words change (last year's answers, skip rules and
        exports know them by these names); only what was added here follows its words."""
        surveys = [self.history[0], *([self.saved_survey] if self.saved_survey else [])]
        questions = {e.name for s in surveys for e in s.elements}
        choices = {
            (name, choice.name)
            for s in surveys
            for name, choice_list in s.choice_lists.items()
            for choice in choice_list.choices
        }
        return questions, choices

    def _show_problems(self) -> None:
        problems = design_problems(self.survey)
        self.problems.clear()
        for problem in problems:
            item = QListWidgetItem(problem.message)
            item.setData(PROBLEM_ROLE, problem.question)
            self.problems.addItem(item)
        self.problems_heading.setText(
            f"Problems to put right ({len(problems)})" if problems else "No problems"
        )
        self.save_action.setEnabled(not problems)
        messages = [p.message for p in problems]
        new = [m for m in messages if m not in self._problems_said]
        if new:
            # A problem the last edit caused is read out, as data entry reads out its own.
            self.announce(new[0])
        self._problems_said = set(messages)

    def announce(self, text: str) -> None:
        """Say ``text`` on the designer's message line and to screen readers."""
        self.status.setText(text)
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.status, text))

    # -- edits --------------------------------------------------------------------------------

    def _list_selected(self, current: QListWidgetItem | None, _previous: object) -> None:
        name = self.question_list.selected_name() if current is not None else None
        if name and name != self.selected:
            self.selected = name
            self.editor.load(self.survey, name)
            for action in (self.remove_action, self.up_action, self.down_action):
                action.setEnabled(True)

    def add_question(self, kind: str) -> None:
        words = next(k.words for k in QUESTION_KINDS if k.key == kind)
        survey, name = add_question(self.survey, kind, "New question", after=self.selected)
        self.apply(survey, name)
        self.status.setText(f"Added a question ({words}): type its words.")
        edit = (
            self.editor.label_edits.get(self.editor.languages[0]) if self.editor.languages else None
        )
        if edit is not None:
            edit.setFocus()
            edit.selectAll()

    def add_section(self) -> None:
        survey, name = add_section(self.survey, "New section", after=self.selected)
        self.apply(survey, name)
        self.status.setText("Added a section: type its heading, then add questions to it.")
        if self.editor.languages:
            edit = self.editor.label_edits[self.editor.languages[0]]
            edit.setFocus()
            edit.selectAll()

    def remove(self) -> None:
        name = self.question_list.selected_name() or self.selected
        if not name:
            return
        label = self.survey.label(self.survey.question(name))
        self.apply(remove(self.survey, name))
        self.status.setText(f"Removed “{label}”. Undo (Ctrl+Z) brings it back.")
        self.question_list.setFocus()

    def step(self, step: int, name: str | None = None) -> None:
        name = name or self.selected
        if name:
            self.apply(move_by(self.survey, name, step), name)
            self.question_list.setFocus()

    def _move_to(self, name: str, position: int) -> None:
        self.apply(move_to(self.survey, name, position), name)

    def ask_language(self) -> None:
        name, ok = QInputDialog.getText(
            self,
            "Add a language",
            "The language's name and code, as parents would choose it (for example Polski (pl)):",
        )
        if ok:
            self.add_language(name)

    def add_language(self, name: str) -> bool:
        """Show fields for the words in another language (they are kept once written)."""
        try:
            language = language_name(self.survey, name)
        except SurveyDesignError as problem:
            self.status.setText(str(problem))
            return False
        self.editor.extra_languages.append(language)
        self.show_survey()
        self.status.setText(
            f"Write the words in {language} beside each question and answer; the form lets "
            "parents choose the language."
        )
        return True

    def _title_edited(self) -> None:
        title = " ".join(self.title_edit.text().split())
        if title != self.survey.title:
            self.apply(replace(self.survey, title=title))

    def _problem_activated(self, item: QListWidgetItem) -> None:
        name = str(item.data(PROBLEM_ROLE) or "")
        if name:
            self.selected = name
            self.show_survey()
            self.question_list.setFocus()

    # -- saving and exporting -------------------------------------------------------------

    def save(self) -> bool:
        """Keep the design in the forum file; True when it was saved."""
        survey = self.survey
        if design_problems(survey):
            self.status.setText("Put the problems listed right first; nothing was saved.")
            return False
        if survey.id and not self._confirm_new_version(survey):
            return False
        op = save_survey_design(self.context, self, survey).success(self._saved)
        return op.run()

    def _confirm_new_version(self, survey: Survey) -> bool:
        db = self.context.workspace.db
        held = response_count(db, survey.id)
        stored = get_survey(db, survey.id)
        if not held or stored == survey:
            return True
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Save as a new version",
            f"“{stored.title}” already has {held} response{'s' if held != 1 else ''}. Saving "
            f"makes version {stored.version + 1}; the responses keep version {stored.version}, "
            "so what they mean does not change.",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setAccessibleName("Save as a new version")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        self.last_dialog = box
        return box.exec() == QMessageBox.StandardButton.Save

    def _saved(self, result: DesignSaved) -> None:
        self.saved_survey = result.survey
        self.history[self.position] = result.survey
        words = {
            "added": f"Saved “{result.survey.title}” as a new survey.",
            "new_version": f"Saved “{result.survey.title}” as version {result.survey.version}.",
            "updated": f"Saved “{result.survey.title}”.",
            "unchanged": "Nothing had changed since the last save.",
        }
        self.status.setText(words.get(result.status, ""))
        self.show_survey()

    def choose_and_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export the survey as an XLSForm",
            str(Path.home() / f"{self.survey.form_id}.xlsx"),
            XLSFORM_FILTER,
        )
        if name:
            self.export_to(Path(name if name.endswith(".xlsx") else name + ".xlsx"))

    def export_to(self, path: Path) -> None:
        """Write the design as an XLSForm in a worker (it is plain data: no database needed)."""
        survey = self.survey
        try:
            check_design(survey)
        except Exception as exc:
            self.context.errors.report(exc, self)
            return

        def work(_progress: Progress) -> Path:
            export_xlsform(survey, path)
            return path

        self.context.tasks.run(
            work,
            on_done=lambda written: self.status.setText(f"Exported the survey to {written.name}."),
            on_error=lambda exc: self.context.errors.report(exc, self),
            busy_parent=self,
            busy_text=f"Writing “{path.name}”…",
        )

    # -- leaving --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Escape must not throw a chair's work away (the designer closes with Ctrl+W), and
        # Enter finishes a field, never presses a dialog's default button (Remove, say).
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing with changes not saved asks first (without blocking: the question is a
        window of its own), unless the forum file itself is closing."""
        if self.dirty and len(self.history) > 1 and not self._leaving:
            event.ignore()
            self.ask_to_discard()
            return
        self._leaving = True
        self.preview.dispose()
        super().closeEvent(event)

    def ask_to_discard(self) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Close the designer",
            "The changes to this survey are not saved. Close the designer and lose them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setAccessibleName("Close the designer")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: int) -> None:
            if button == QMessageBox.StandardButton.Discard:
                self._leaving = True
                self.close()

        box.finished.connect(answered)
        self.last_dialog = box
        box.open()
        return box

    def _file_closed(self) -> None:
        """The forum file closed or locked: the designer goes with it (``MainWindow.lock``
        rejects it the same way), asking nothing."""
        self._leaving = True
        self.close()

    def reject(self) -> None:
        self._leaving = True
        self.preview.dispose()
        super().reject()


def _button(action: QAction, words: str) -> QWidget:
    from ui.widgets import action_button

    button = action_button(action)
    button.setText(words)
    button.setAccessibleName(words)
    return button
