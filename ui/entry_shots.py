"""Screenshots of data entry and kiosk mode on the demo forum, for ``ui.screenshots``.

Each function builds a window from the screenshot run's ``ShotEnv`` (the demo forum, a context)
and returns it unshown; ``ui.screenshots`` shows, grabs and closes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from forumkit.surveys import get_survey
from ui.kiosk import KioskWindow
from ui.pages.responses import ResponsesPage

if TYPE_CHECKING:
    from ui.screenshots import ShotEnv

DEMO_SURVEY = "parent-survey-2026"


def data_entry(env: ShotEnv) -> QWidget:
    """The Responses page half-way through a paper form, with an age the survey refuses."""
    window = env.main_window("Responses")
    page = next(p for p in window.pages if isinstance(p, ResponsesPage))
    form = page.form
    assert form is not None
    form.set_answers({"age_phase": "primary", "child_age": 30, "need_areas": ("communication",)})
    form.check(["child_age"])
    page.entered_this_sitting = 4
    page._update_count()
    return window


def _kiosk(env: ShotEnv) -> KioskWindow:
    workspace = env.demo()
    env.context.set_workspace(workspace)
    kiosk = KioskWindow(env.context, get_survey(workspace.db, DEMO_SURVEY))
    kiosk._leaving = True  # a screenshot closes it without the passphrase
    return kiosk


def kiosk_welcome(env: ShotEnv) -> QWidget:
    kiosk = _kiosk(env)
    kiosk.show_welcome()
    return kiosk


def kiosk_page(env: ShotEnv) -> QWidget:
    """Page 2 of the kiosk form (about the child), partly answered."""
    kiosk = _kiosk(env)
    kiosk.start_respondent()
    assert kiosk.form is not None
    kiosk.form.set_answers({"age_phase": "secondary", "need_areas": ("semh", "communication")})
    kiosk._go_to(1)
    kiosk.idle_timer.stop()
    return kiosk


def responses_table(env: ShotEnv) -> QWidget:
    """The Responses page's browse tab on the demo forum, filtered to one area of need."""
    from forumkit.responses import AnswerFilter

    window = env.main_window("Responses")
    page = next(p for p in window.pages if isinstance(p, ResponsesPage))
    page.tabs.setCurrentWidget(page.browse)
    view = page.browse
    view.filter_question.setCurrentIndex(view.filter_question.findData("need_areas"))
    view.filter_value.setCurrentIndex(view.filter_value.findData("semh"))
    view.filters = [AnswerFilter("need_areas", "semh")]
    view._describe_filters()
    view.apply()
    view.table.selectRow(2)
    return window


def kiosk_scale(env: ShotEnv) -> QWidget:
    """The kiosk page with the 0–10 score, a point chosen (filled and bold)."""
    kiosk = _kiosk(env)
    kiosk.start_respondent()
    form = kiosk.form
    assert form is not None
    form.set_answers({"age_phase": "secondary", "need_areas": ("semh",), "support": "sen_support"})
    pages = form.visible_sections()
    block = form.blocks["services_score"]
    kiosk._go_to(next(i for i, page in enumerate(pages) if block in page.blocks))
    field = block.field
    assert field is not None
    field.pick(3)
    kiosk.idle_timer.stop()
    form.adjustSize()
    form.scroll_to(block)
    return kiosk


def export_dialog(env: ShotEnv) -> QWidget:
    """The export dialog over the table filtered to one area of need: what will leave."""
    from ui.pages.response_dialogs import ExportDialog

    window = responses_table(env)
    page = next(p for p in window.pages if isinstance(p, ResponsesPage))  # type: ignore[attr-defined]
    view = page.browse
    assert view.survey is not None
    dialog = ExportDialog(view.survey, view.export_counts())
    dialog.only_shown.setChecked(True)
    dialog.file.path.setText("/home/chair/Documents/parent-survey-2026-semh.xlsx")
    window.close()
    return dialog
