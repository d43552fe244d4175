"""Screenshots of the survey designer for ``ui.screenshots``: where a new survey starts (last
year's survey copied, on the demo forum), and the designer on that copy with a choice question
chosen, its answers in two languages and the preview beside it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from forumkit.surveys import get_survey, next_edition, taken_form_ids
from ui.designer import NewSurveyDialog, SurveyDesigner

if TYPE_CHECKING:
    from ui.screenshots import ShotEnv

DEMO_SURVEY = "parent-survey-2026"


def new_survey(env: ShotEnv) -> QWidget:
    """ "New survey…": last year's survey (the demo's) copied as this year's."""
    env.context.set_workspace(env.demo())
    return NewSurveyDialog(env.context)


def designer(env: ShotEnv) -> QWidget:
    """The designer on this year's copy of the demo survey, "What support…" chosen."""
    workspace = env.demo()
    env.context.set_workspace(workspace)
    last = get_survey(workspace.db, DEMO_SURVEY)
    window = SurveyDesigner(env.context, next_edition(last, taken=taken_form_ids(workspace.db)))
    window.selected = "support"
    window.show_survey(at_once=True)
    return window
