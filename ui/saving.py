"""When the forum file cannot be saved: what the status bar says and what the user may do.

The core never drops a change the disk refused (``forumkit.workspace``): it keeps it in memory
and the writer tries again. This module turns that into words and choices: try again now, save
everything as a new file, merge the newer file in (when another program saved the file
meanwhile: its changes and these are brought together, as ``forumkit merge`` would, and saved
over it), discard the changes (that program's version wins), carry on with an older copy of the
file (once the user says so), or leave anyway.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QMessageBox, QWidget

from forumkit.errors import FileChangedOnDisk, ForumkitError, OlderCopyNotConfirmed, SaveFailed
from forumkit.workspace import Workspace
from ui.context import AppContext
from ui.merging.actions import show_merge_summary
from ui.operations.merging import merge_newer_file

FILE_FILTER = "Forum files (*.forumkit)"


def status_text(workspace: Workspace) -> str:
    """The status bar's words for where saving stands."""
    if workspace.read_only:
        return "Read-only: changes cannot be saved"
    state = workspace.save_state
    if isinstance(state.error, OlderCopyNotConfirmed):
        return "Not saved: this is an older copy of the file"
    if isinstance(state.error, FileChangedOnDisk):
        return "Not saved: the file was changed by another program"
    if isinstance(state.error, SaveFailed):
        return f"Not saved ({state.error.reason}): your changes are kept; trying again"
    if state.error is not None:
        return "Not saved: your changes are kept"
    if state.saving:
        return "Saving…"
    saved_at = state.saved_at
    if saved_at is None and workspace.path.exists():
        saved_at = datetime.fromtimestamp(workspace.path.stat().st_mtime)
    return "All changes saved" + (f" {saved_at:%H:%M}" if saved_at is not None else "")


def save_as_new_file(context: AppContext, parent: QWidget | None) -> bool:
    """Ask where, then write everything to a new forum file and carry on there."""
    workspace = context.workspace
    suggested = workspace.path.with_name(f"{workspace.path.stem} (my changes).forumkit")
    name, _ = QFileDialog.getSaveFileName(
        parent, "Save as a new forum file", str(suggested), FILE_FILTER
    )
    if not name:
        return False
    try:
        workspace.save_as(Path(name))
    except Exception as exc:
        context.errors.report(exc, parent)
        return False
    context.save_state_changed.emit()
    return True


def carry_on_with_older_copy(context: AppContext) -> ForumkitError | None:
    """The user chose to carry on with an older copy: save its changes from now on (numbered
    on from the newer copy's, which is then the one called older). What still stops the save,
    if anything."""
    context.workspace.accept_older_copy()
    problem = context.flush()
    context.save_state_changed.emit()
    return problem


def discard_changes(context: AppContext, parent: QWidget | None) -> bool:
    """Drop the changes not yet saved and carry on from the file as it is on disk now."""
    workspace = context.workspace
    try:
        workspace.reload_from_disk()
    except Exception as exc:
        context.errors.report(exc, parent)
        return False
    context.save_state_changed.emit()
    context.workspace_opened.emit(workspace)  # every page shows the file afresh
    return True


class SaveProblemBox(QMessageBox):
    """Why the latest changes are not on disk, and what can be done about it.

    With ``leaving`` ("Close", "Quit") it also offers to go on without saving.
    """

    RETRY, SAVE_AS, DISCARD, LEAVE, LATER = "retry", "save as", "discard", "leave", "later"
    CARRY_ON = "carry on"
    MERGE = "merge"

    def __init__(self, problem: ForumkitError, parent: QWidget | None, leaving: str = "") -> None:
        changed = isinstance(problem, FileChangedOnDisk)
        older = isinstance(problem, OlderCopyNotConfirmed)
        if older:
            advice = (
                "Carry on with this copy (its saves then count as the newest, and the other "
                "copy is the one forumkit calls older), save your changes as a new file, or "
                "discard them."
            )
        elif changed:
            advice = (
                "Merge the newer file in: its changes and yours are kept together and saved (a "
                "record changed in both keeps the later change and the other for review). Or "
                "save your changes as a new file, or discard them and carry on from the file as "
                "it is now."
            )
        else:
            advice = (
                "forumkit still has your changes. Try again (plug the stick back in, or make "
                "room on the disk), or save them as a new file somewhere else."
            )
        super().__init__(
            QMessageBox.Icon.Warning,
            "Not saved",
            f"{problem}\n\n{advice}",
            QMessageBox.StandardButton.NoButton,
            parent,
        )
        self.setAccessibleName("Not saved")
        self.setAccessibleDescription(f"{problem} {advice}")
        role = QMessageBox.ButtonRole
        self._choices: dict[QAbstractButton, str] = {}
        if older:
            carry_on = self.addButton("Carry on with this copy", role.AcceptRole)
            self._choices[carry_on] = self.CARRY_ON
        if not changed:
            self._choices[self.addButton("Try again", role.AcceptRole)] = self.RETRY
        merge = self.addButton("Merge the newer file in", role.AcceptRole) if changed else None
        if merge is not None:
            self._choices[merge] = self.MERGE
        save_as = self.addButton("Save as a new file…", role.ActionRole)
        self._choices[save_as] = self.SAVE_AS
        if changed:
            self._choices[self.addButton("Discard my changes", role.DestructiveRole)] = self.DISCARD
        if leaving:
            self._choices[self.addButton(f"{leaving} without saving", role.DestructiveRole)] = (
                self.LEAVE
            )
        later = self.addButton("Cancel" if leaving else "Decide later", role.RejectRole)
        self._choices[later] = self.LATER
        self.setDefaultButton(merge if merge is not None else save_as)
        self.setEscapeButton(later)

    def button_for(self, choice: str) -> QAbstractButton:
        """The button of a choice (for keyboard users' tests and screenshots)."""
        return next(b for b, c in self._choices.items() if c == choice)

    @property
    def choice(self) -> str:
        return self._choices.get(self.clickedButton(), self.LATER)


def settle_before_leaving(context: AppContext, parent: QWidget | None, leaving: str) -> bool:
    """Before closing the file or quitting: write everything; if that fails, ask until it is
    settled. True when it is fine to go on (everything saved, saved elsewhere, discarded, or
    the user chose to leave without saving)."""
    problem = context.flush()
    while problem is not None:
        box = SaveProblemBox(problem, parent, leaving)
        box.exec()
        choice = box.choice
        box.deleteLater()
        if choice == SaveProblemBox.RETRY:
            problem = context.flush()
        elif choice == SaveProblemBox.CARRY_ON:
            problem = carry_on_with_older_copy(context)
        elif choice == SaveProblemBox.MERGE:
            if merge_newer_file(context, parent) is not None:
                problem = context.flush()
        elif choice == SaveProblemBox.SAVE_AS:
            if save_as_new_file(context, parent):
                return True
        elif choice == SaveProblemBox.DISCARD:
            return discard_changes(context, parent)
        else:
            return choice == SaveProblemBox.LEAVE
    return True


def offer_choices(context: AppContext, problem: ForumkitError, parent: QWidget | None) -> None:
    """After a save failed with nobody leaving (the file changed on disk, or opened again with
    changes that could not be saved before it locked): ask, without blocking the window."""
    box = SaveProblemBox(problem, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def chosen() -> None:
        choice = box.choice
        if not context.has_workspace:
            return
        if choice in (SaveProblemBox.RETRY, SaveProblemBox.CARRY_ON):
            if choice == SaveProblemBox.CARRY_ON:
                again = carry_on_with_older_copy(context)
            else:
                again = context.flush()
            if again is not None:
                offer_choices(context, again, parent)
        elif choice == SaveProblemBox.MERGE:
            merged = merge_newer_file(context, parent)
            if merged is None:
                offer_choices(context, problem, parent)
            else:
                show_merge_summary(context, merged, parent)
        elif choice == SaveProblemBox.SAVE_AS:
            if not save_as_new_file(context, parent):
                offer_choices(context, problem, parent)
        elif choice == SaveProblemBox.DISCARD:
            discard_changes(context, parent)

    box.finished.connect(chosen)
    box.open()
