"""The wizard's second page: the detected format and each column's question, editable; save a
mapping for next week's export, or use a saved one."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from forumkit.errors import ForumkitError
from forumkit.importers import (
    ColumnPlan,
    ImportPlan,
    MappingTarget,
    load_mapping,
    save_mapping,
)
from forumkit.wording import plural
from ui.import_wizard.file_page import AUTO
from ui.import_wizard.targets import (
    FORMAT_ROLE_TEXT,
    KEEP,
    NOT_IMPORTED,
    ROLE_TARGETS,
    column_choice,
    decode_target,
    encode_target,
    question_targets,
)
from ui.tasks import Task
from ui.widgets import Heading, Paragraph, StatusLabel

if TYPE_CHECKING:
    from ui.import_wizard.wizard import ImportWizard

MAPPING_FILTER = "Mapping files (*.json)"
MAPPING_ROW_GAP = 12
"""Pixels between two columns' rows in the mapping table."""


class MappingPage(QWizardPage):
    """The detected format and each column's question, editable; save or load a mapping."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Check which column answers which question")
        self.setAccessibleName("Check which column answers which question")
        self.combos: list[tuple[ColumnPlan, QComboBox]] = []
        self.settled = True
        layout = QVBoxLayout(self)
        self.detected = Heading("", 3)
        layout.addWidget(self.detected)
        self.about = Paragraph()
        layout.addWidget(self.about)
        self.columns_area = QScrollArea()
        self.columns_area.setWidgetResizable(True)
        self.columns_area.setAccessibleName("Columns of the file and the questions they answer")
        layout.addWidget(self.columns_area, 1)
        self.unmapped = Paragraph()
        self.unmapped.setObjectName("hint")
        self.unmapped.setAccessibleName("Columns not imported")
        layout.addWidget(self.unmapped)
        layout.addLayout(self._build_mapping_buttons())
        self.status = StatusLabel("Mapping status")
        layout.addWidget(self.status)

    def _build_mapping_buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save this mapping…")
        self.save_button.setToolTip("Keep these choices in a file, to use with next week's export")
        self.load_button = QPushButton("&Use a saved mapping…")
        for button in (self.save_button, self.load_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.save_button.clicked.connect(self.choose_save)
        self.load_button.clicked.connect(self.choose_load)
        return buttons

    def show_plan(self, plan: ImportPlan) -> None:
        survey = self.owner.survey
        if survey is None:
            return
        how = "Detected" if self.owner.file_page.format_box.currentData() == AUTO else "Chosen"
        self.detected.setText(f"{how} format: {plan.format_title}")
        encoding = f", {plan.encoding} text" if plan.encoding else ""
        self.about.setText(
            f"“{plan.file_name}”: {plural(plan.row_count, 'row')}, "
            f"{plural(len(plan.columns), 'column')}{encoding}. "
            "forumkit matched the columns to the survey's questions by their headings. Change "
            "any that are wrong; choose “(not imported)” for a column to leave out."
        )
        old = self.columns_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.columns_area.setWidget(self._build_columns_grid(plan, question_targets(survey)))
        self.settled = True
        self.status.setText("")
        self._show_unmapped()

    def _build_columns_grid(self, plan: ImportPlan, targets: list[tuple[str, str]]) -> QWidget:
        """One row per column of the file: its letter, its heading, and what it is imported as."""
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        # Room between rows and columns: a row is a heading and a drop-down, read one by one.
        grid.setContentsMargins(8, 8, 8, 8)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(MAPPING_ROW_GAP)
        for col, text in enumerate(("Column", "Heading in the file", "Imported as")):
            title = QLabel(text)
            title.setObjectName("questionLabel")  # bold, by the style sheet
            grid.addWidget(title, 0, col)
        self.combos = []
        for row, column in enumerate(plan.columns, start=1):
            letter = QLabel(column.letter)
            heading = QLabel(column.header)
            heading.setWordWrap(True)
            heading.setTextFormat(Qt.TextFormat.PlainText)
            combo = self._build_column_combo(plan, column, targets)
            heading.setBuddy(combo)
            grid.addWidget(letter, row, 0)
            grid.addWidget(heading, row, 1)
            grid.addWidget(combo, row, 2)
            self.combos.append((column, combo))
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(plan.columns) + 1, 1)
        return grid_box

    def _build_column_combo(
        self, plan: ImportPlan, column: ColumnPlan, targets: list[tuple[str, str]]
    ) -> QComboBox:
        combo = QComboBox()
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(30)
        combo.setAccessibleName(f"Column {column.letter}, “{column.header}”, is imported as")
        chosen = column_choice(column)
        combo.addItem("(not imported)", NOT_IMPORTED)
        if chosen == KEEP:
            text = FORMAT_ROLE_TEXT.get(column.role, column.role)
            combo.addItem(f"{text}, as {plan.format_title} gives it", KEEP)
        for data, text in (*ROLE_TARGETS, *targets):
            combo.addItem(text, data)
        combo.setCurrentIndex(max(0, combo.findData(chosen)))
        combo.currentIndexChanged.connect(self._edited)
        return combo

    def _edited(self) -> None:
        self.settled = False
        self._show_unmapped()

    def _show_unmapped(self) -> None:
        left = [
            f"{column.letter} “{column.header}”"
            for column, combo in self.combos
            if combo.currentData() == NOT_IMPORTED
        ]
        self.unmapped.setText(
            "Not imported: " + ", ".join(left) + "." if left else "Every column is imported."
        )

    def mapping(self) -> dict[str, MappingTarget]:
        """The mapping the table shows, in the mapping file's terms."""
        mapping: dict[str, MappingTarget] = {}
        for column, combo in self.combos:
            data = str(combo.currentData())
            if data != KEEP:
                mapping[column.header] = decode_target(data)
        return mapping

    def choose(self, header: str, target: MappingTarget) -> None:
        """Set one column's question (as a chair would in its list)."""
        for column, combo in self.combos:
            if column.header == header:
                index = combo.findData(encode_target(target))
                if index < 0:
                    raise KeyError(target)
                combo.setCurrentIndex(index)
                return
        raise KeyError(header)

    def save_mapping_to(self, path: Path) -> None:
        """Write the mapping file (the shape ``forumkit.importers.mapping`` documents)."""
        try:
            save_mapping(self.mapping(), path)
        except ForumkitError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(
            f"Mapping saved to “{path.name}”. Use it next time with “Use a saved mapping…”."
        )

    def choose_save(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the mapping", str(Path.home() / "import-mapping.json"), MAPPING_FILTER
        )
        if name:
            self.save_mapping_to(Path(name if name.endswith(".json") else name + ".json"))

    def load_mapping_from(self, path: Path) -> Task[ImportPlan] | None:
        """Check the rows again with a mapping file settling the columns it names."""
        try:
            mapping = load_mapping(path)
        except Exception as exc:
            self.owner.context.errors.report(exc, self)
            return None

        def then(_plan: ImportPlan) -> None:
            self.status.setText(f"Columns matched with the mapping “{path.name}”.")

        return self.owner.remap(mapping, then)

    def choose_load(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Use a saved mapping", str(Path.home()), MAPPING_FILTER
        )
        if name:
            self.load_mapping_from(Path(name))

    def validatePage(self) -> bool:
        if self.owner.task is not None:
            return False
        if self.settled:
            return True
        self.owner.remap(self.mapping(), lambda _plan: self.owner.next())
        return False
