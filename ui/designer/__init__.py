"""The survey designer: a survey built in the app, from last year's, the template or a blank
page (``start.NewSurveyDialog``), edited question by question with a live preview
(``window.SurveyDesigner``). The Surveys page opens it with :func:`design_new_survey` and
:func:`design_survey`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from forumkit.surveys import get_survey
from ui.context import AppContext
from ui.designer.start import NewSurveyDialog
from ui.designer.window import SurveyDesigner

__all__ = ["NewSurveyDialog", "SurveyDesigner", "design_new_survey", "design_survey"]


def _open(context: AppContext, designer: SurveyDesigner) -> SurveyDesigner:
    designer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    designer.show()
    return designer


def design_new_survey(context: AppContext, parent: QWidget) -> QDialog:
    """Ask where the new survey starts, then open the designer on it."""
    dialog = NewSurveyDialog(context, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def start() -> None:
        survey = dialog.chosen_survey()
        _open(context, SurveyDesigner(context, survey, parent))

    dialog.accepted.connect(start)
    dialog.open()
    return dialog


def design_survey(context: AppContext, parent: QWidget, survey_id: str) -> SurveyDesigner:
    """Open the designer on a survey of the forum file, at its current version."""
    survey = get_survey(context.workspace.db, survey_id)
    return _open(context, SurveyDesigner(context, survey, parent))
