"""Operations of the survey designer: keeping a designed survey in the forum file
(``forumkit.surveys.save_design``: a new survey, or a new version of the one it was opened
from)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from forumkit.surveys import DesignSaved, Survey, save_design
from ui.context import AppContext
from ui.operations import ForumOp


def save_survey_design(
    context: AppContext, parent: QWidget, survey: Survey
) -> ForumOp[DesignSaved]:
    """Check and keep ``survey``; a design with a problem is refused and nothing is saved."""
    return ForumOp(context, parent, lambda workspace: save_design(workspace, survey))
