"""Quotes → Codebooks…: the forum's codebooks and the deny-list for redaction.

Pick a codebook (the seven key messages, the inspection areas, the areas of need, the forum's
own), see its codes as a tree, and edit one code at a time (``ui.code_form``): label, scope
note, colour with its contrast check, shortcut, keywords, parent, and which of the five
inspection areas it speaks to. Add codes and sub-codes, add a codebook of the forum's own,
import and export REFI-QDA ``.qdc`` files. A code in use is never deleted: the editor offers to
merge it into another code of its codebook, its quotes with it. The second tab is the forum's
deny-list (``ui.deny_list_editor``).

Every change is a codebook op (``ui.operations.codebooks``); the core checks every value.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forumkit.codebooks import (
    INSPECTION_AREAS_ID,
    Code,
    Codebook,
    QdcImport,
    code_uses,
    get_codebook,
    inspection_areas_of,
    list_codebooks,
)
from forumkit.wording import listed, plural
from ui.code_form import CodeForm
from ui.context import AppContext
from ui.deny_list_editor import DenyListEditor
from ui.operations import codebooks as operations
from ui.pages.tag_panel import chip_icon
from ui.widgets import Heading, Paragraph

QDC_FILTER = "REFI-QDA codebook (*.qdc)"


def imported_words(result: QdcImport) -> str:
    """What importing a .qdc did, in words."""
    made = "a new codebook" if result.created else f"the codebook “{result.codebook.name}”"
    text = (
        f"Imported into {made}: {plural(result.added, 'code')} added, {result.updated:,} "
        f"updated, {result.unchanged:,} unchanged."
    )
    if result.warnings:
        text += " " + " ".join(result.warnings)
    return text


class CodebookEditor(QDialog):
    """The forum's codebooks, one code at a time, and the deny-list."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.book: Codebook | None = None
        self.setWindowTitle("Codebooks")
        self.setAccessibleName("Codebooks")
        self.resize(980, 800)
        layout = QVBoxLayout(self)
        layout.addWidget(Heading("Codebooks", 1))
        layout.addLayout(self._build_book_row())
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Codes or deny-list")
        self.tabs.addTab(self._build_codes_tab(), "&Codes")
        self.deny = DenyListEditor(context)
        self.tabs.addTab(self.deny, "&Deny-list for redaction")
        layout.addWidget(self.tabs, 1)
        self.message = Paragraph()
        self.message.setAccessibleName("Codebook messages")
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()
        self.deny.reload()

    # -- building -----------------------------------------------------------------------------

    def _build_book_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel("Code&book")
        self.book_box = QComboBox()
        self.book_box.setAccessibleName("Codebook")
        self.book_box.setMinimumContentsLength(28)
        label.setBuddy(self.book_box)
        self.new_book_button = QPushButton("&New codebook…")
        self.import_button = QPushButton("&Import .qdc…")
        self.export_button = QPushButton("E&xport .qdc…")
        row.addWidget(label)
        row.addWidget(self.book_box, 1)
        for button in (self.new_book_button, self.import_button, self.export_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        self.book_box.activated.connect(lambda _index: self._show_book())
        self.new_book_button.clicked.connect(self.ask_new_codebook)
        self.import_button.clicked.connect(self.choose_import)
        self.export_button.clicked.connect(self.choose_export)
        return row

    def _build_codes_tab(self) -> QWidget:
        tab = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        tree_label = QLabel("Code&s in this codebook")
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Codes in this codebook")
        tree_label.setBuddy(self.tree)
        self.add_button = QPushButton("&Add code")
        self.add_child_button = QPushButton("Add s&ub-code")
        self.delete_button = QPushButton("Delete or &merge…")
        left_layout.addWidget(tree_label)
        left_layout.addWidget(self.tree, 1)
        for button in (self.add_button, self.add_child_button, self.delete_button):
            button.setAutoDefault(False)
            left_layout.addWidget(button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        self.form = CodeForm()
        self.save_button = QPushButton("Sa&ve changes")
        self.save_button.setAutoDefault(False)
        form_area = QScrollArea()
        form_area.setWidgetResizable(True)
        form_area.setWidget(self.form)
        form_area.setAccessibleName("The code")
        right_layout.addWidget(form_area, 1)
        right_layout.addWidget(self.save_button)
        tab.addWidget(left)
        tab.addWidget(right)
        tab.setStretchFactor(1, 2)
        self.tree.currentItemChanged.connect(lambda _item, _old: self._show_code())
        self.add_button.clicked.connect(lambda: self.ask_new_code(under=False))
        self.add_child_button.clicked.connect(lambda: self.ask_new_code(under=True))
        self.delete_button.clicked.connect(self.delete_or_merge)
        self.save_button.clicked.connect(self.save_code)
        return tab

    # -- showing ------------------------------------------------------------------------------

    def reload(self, book_id: str | None = None, code_id: str | None = None) -> None:
        """Read the codebooks again, showing ``book_id`` (else the one shown) and ``code_id``."""
        if not self.context.has_workspace:
            return
        wanted = book_id or (self.book.id if self.book is not None else None)
        self.book_box.blockSignals(True)
        self.book_box.clear()
        for book in list_codebooks(self.context.workspace.db):
            self.book_box.addItem(book.name, book.id)
        self.book_box.setCurrentIndex(max(0, self.book_box.findData(wanted)) if wanted else 0)
        self.book_box.blockSignals(False)
        self._show_book(code_id)

    def _show_book(self, code_id: str | None = None) -> None:
        book_id = self.book_box.currentData()
        if book_id is None:
            return
        self.book = get_codebook(self.context.workspace.db, str(book_id))
        wanted = code_id or self._current_code_id()
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for _depth, code in self.book.walk():
            parent = items.get(code.parent_id) if code.parent_id else None
            shortcut = f"{code.shortcut}  " if code.shortcut else ""
            item = QTreeWidgetItem([f"{shortcut}{code.label}"])
            item.setIcon(0, chip_icon(code, 18))
            item.setData(0, Qt.ItemDataRole.UserRole, code.id)
            if parent is None:
                self.tree.addTopLevelItem(item)
            else:
                parent.addChild(item)
            items[code.id] = item
        chosen = items.get(wanted or "") or next(iter(items.values()), None)
        self.tree.expandAll()
        self.tree.blockSignals(False)
        if chosen is not None:
            self.tree.setCurrentItem(chosen)
        self._show_code()

    def _current_code_id(self) -> str | None:
        item = self.tree.currentItem()
        value = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return None if value is None else str(value)

    def current_code(self) -> Code | None:
        code_id = self._current_code_id()
        if self.book is None or code_id is None:
            return None
        return next((code for code in self.book.codes if code.id == code_id), None)

    def _show_code(self) -> None:
        code = self.current_code()
        db = self.context.workspace.db
        areas: list[Code] = []
        mapped: set[str] = set()
        if code is not None and code.codebook_id != INSPECTION_AREAS_ID:
            areas = list(get_codebook(db, INSPECTION_AREAS_ID).codes)
            mapped = {area.id for area in inspection_areas_of(db, code.id)}
        self.form.show_code(code, self.book, areas, mapped)
        for widget in (self.save_button, self.delete_button, self.add_child_button):
            widget.setEnabled(code is not None)

    def select_code(self, code_id: str) -> None:
        """Show the code ``code_id`` of the codebook shown (for tests and after adding)."""
        stack = [self.tree.topLevelItem(n) for n in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            if item.data(0, Qt.ItemDataRole.UserRole) == code_id:
                self.tree.setCurrentItem(item)
                return
            stack.extend(item.child(n) for n in range(item.childCount()))

    # -- changing -----------------------------------------------------------------------------

    def save_code(self) -> None:
        """Save the form: the code's fields, then (if they changed) its inspection areas."""
        code = self.current_code()
        if code is None:
            return
        form = self.form
        saved = operations.edit_code(
            self.context,
            self,
            code.id,
            label=form.label_edit.text(),
            description=form.description_edit.toPlainText(),
            colour=form.colour_edit.text(),
            shortcut=form.shortcut_edit.text().strip().lower(),
            keywords=form.keywords(),
            under=form.parent_id(),
        ).run()
        if not saved:
            return
        if form.area_checks:
            db = self.context.workspace.db
            held = {area.id for area in inspection_areas_of(db, code.id)}
            if held != set(form.areas()):
                operations.set_inspection_areas(self.context, self, code.id, form.areas()).run()
        self.message.setText(f"Saved “{form.label_edit.text().strip()}”.")
        self.reload(code_id=code.id)

    def ask_new_code(self, *, under: bool) -> None:
        label, ok = QInputDialog.getText(self, "New code", "The new code's label:")
        if ok and label.strip():
            self.add_code(label, under=under)

    def add_code(self, label: str, *, under: bool = False) -> Code | None:
        """Add a code to the codebook shown (under the code shown, with ``under``)."""
        if self.book is None:
            return None
        parent = self._current_code_id() if under else None
        op = operations.add_code(self.context, self, self.book.id, label, under=parent)
        if not op.run():
            return None
        self.message.setText(f"Added “{op.result.label}”: give it a colour and a shortcut.")
        self.reload(code_id=op.result.id)
        return op.result

    def delete_or_merge(self) -> None:
        """Delete the code shown after asking once, or, when it is used, offer to merge it
        into another code of its codebook (nothing tagged loses its tag)."""
        code = self.current_code()
        if code is None or self.book is None:
            return
        uses = sum(code_uses(self.context.workspace.db, code.id).values())
        if not uses:
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Question)
            box.setWindowTitle("Delete this code?")
            box.setText(f"The code “{code.label}” is not used by any quote. Delete it?")
            delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
            box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is delete:
                self.delete_code(code)
            return
        targets = [c for c in self.book.codes if c.id != code.id and c.codable]
        if not targets:
            self.message.setText(
                f"“{code.label}” is used by {plural(uses, 'quote')} and its codebook has no "
                "other code to merge it into: add one first."
            )
            return
        names = [target.label for target in targets]
        chosen, ok = QInputDialog.getItem(
            self,
            "Merge this code",
            f"“{code.label}” is used by {plural(uses, 'quote')}, so it cannot simply be deleted.\n"
            "Merge it into (its quotes get that code instead):",
            names,
            0,
            False,
        )
        if ok:
            self.merge_code(code, targets[names.index(chosen)])

    def delete_code(self, code: Code) -> bool:
        if operations.delete_code(self.context, self, code.id).run():
            self.message.setText(f"Deleted “{code.label}”.")
            self.reload()
            return True
        return False

    def merge_code(self, code: Code, into: Code) -> bool:
        op = operations.merge_code(self.context, self, code.id, into.id)
        if not op.run():
            return False
        moved = sum(op.result.moved.values())
        self.message.setText(
            f"Merged “{code.label}” into “{into.label}”: {plural(moved, 'tag')} moved."
        )
        self.reload(code_id=into.id)
        return True

    def ask_new_codebook(self) -> None:
        name, ok = QInputDialog.getText(self, "New codebook", "The forum's new codebook's name:")
        if ok and name.strip():
            self.new_codebook(name)

    def new_codebook(self, name: str) -> Codebook | None:
        op = operations.create_codebook(self.context, self, name)
        if not op.run():
            return None
        self.message.setText(f"Made the codebook “{op.result.name}”: add its codes.")
        self.reload(book_id=op.result.id)
        return op.result

    # -- .qdc files ---------------------------------------------------------------------------

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a codebook", "", QDC_FILTER)
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> QdcImport | None:
        op = operations.import_qdc(self.context, self, path)
        if not op.run():
            return None
        self.message.setText(imported_words(op.result))
        self.reload(book_id=op.result.codebook.id)
        return op.result

    def choose_export(self) -> None:
        if self.book is None:
            return
        suggested = f"{self.book.key}.qdc"
        path, _ = QFileDialog.getSaveFileName(self, "Export the codebook", suggested, QDC_FILTER)
        if path:
            self.export_file(Path(path))

    def export_file(self, path: Path) -> bool:
        if self.book is None:
            return False
        if not operations.export_qdc(self.context, self, self.book.id, path):
            return False
        codes = listed(code.label for code in self.book.codes[:3])
        self.message.setText(
            f"Exported “{self.book.name}” ({plural(len(self.book.codes), 'code')}: {codes}) to "
            f"{path.name}."
        )
        return True
