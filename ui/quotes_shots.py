"""Screenshots of the quotes workbench and the codebook editor on the demo forum, for
``ui.screenshots``.

The workbench shot shows the demo's tagged quotes, adds one made-up parent
whose answer names a child and gives a phone number (the demo's own answers name nobody), and
quotes that answer by keyboard as a chair would: the whole answer as "listen to families", and
a sentence inside it as "accountability", so the highlights overlap, the redaction review shows
what it found, and the suggestions are on screen.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QWidget

from forumkit.codebooks import default_codebook
from forumkit.demo import DEMO_SURVEY, demo_answers
from forumkit.quotes import AnswerQuery, answer_order
from forumkit.responses import add_response
from forumkit.surveys import get_survey
from ui.codebook_editor import CodebookEditor
from ui.pages.quotes import QuotesPage

if TYPE_CHECKING:
    from ui.screenshots import ShotEnv

PLANTED = (
    "Oliver waited eighteen months for speech and language therapy, and by then he had "
    "stopped talking at school. Nobody listened until we reached a crisis. Please ring me on "
    "07700 900123 if the forum needs to know more."
)


def workbench(env: ShotEnv) -> QWidget:
    """The Quotes page on the demo forum: an answer quoted twice (overlapping), its redaction
    review, suggestions, and the key messages' counts."""
    workspace = env.demo()
    survey = get_survey(workspace.db, DEMO_SURVEY)
    # The demo forum comes with its quotes tagged (some reviewed): only the planted answer is
    # added, to show its redaction review.
    with workspace.transaction("screenshot_quotes"):
        answers = demo_answers(random.Random(7))
        answers.update(experience=PLANTED, consent_quote="yes", consent_share="yes")
        add_response(workspace, survey, answers, status="complete", source="entered")
    window = env.main_window("Quotes")
    window.resize(1400, 860)
    page = next(p for p in window.pages if isinstance(p, QuotesPage))
    while page.suggester is None:
        env.context.tasks.wait()
        QApplication.processEvents()
    filters = page.filters
    filters.question_box.setCurrentIndex(filters.question_box.findData("experience"))
    page.apply_filters()
    planted = answer_order(
        workspace.db, AnswerQuery(survey.id, questions=("experience",), text="Oliver waited")
    )
    row = page.model.row_of(planted[0])
    assert row is not None
    page.select_row(row)
    # What the keys do (the window is not on screen yet, so its shortcuts are not live).
    by_key = {code.key: code.id for code in default_codebook(workspace.db).codes}
    view = page.panel.view
    page.panel.select_whole()
    page.press_code(by_key["listen-early"])
    view.select_span(PLANTED.index("Nobody"), PLANTED.index("crisis") + len("crisis."))
    page.press_code(by_key["accountability"])
    view.select_span(3, 3)  # the cursor in the whole answer's quote, outside the other
    page._suggest()
    return window


def codebook_editor(env: ShotEnv) -> QWidget:
    """The codebook editor on the seven key messages, one code open with its contrast check."""
    env.context.set_workspace(env.demo())
    editor = CodebookEditor(env.context)
    money = default_codebook(env.demo().db).code("money")
    assert money is not None
    editor.select_code(money.id)
    return editor
