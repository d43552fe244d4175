"""Screenshots of merging, the evidence pack wizard and the Analysis page on the demo forum, for
``ui.screenshots``: the merge summary after a volunteer's laptop file came in (one record
changed on both), the conflicts view on that record, the pack wizard's quote review, and the
dashboard's charts.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from forumkit.codebooks import default_codebook
from forumkit.demo import DEMO_SURVEY, demo_answers
from forumkit.merge import decrypt_copy, volunteer_copy
from forumkit.quotes import count_quotes, create_quote, review_quote
from forumkit.responses import add_response, list_responses, update_response
from forumkit.surveys import get_survey
from forumkit.workspace import Workspace
from ui.merging.conflicts import ConflictsDialog
from ui.merging.merge_dialog import MergeDialog
from ui.operations.merging import merge_copy
from ui.pack_wizard.wizard import PackWizard

if TYPE_CHECKING:
    from ui.screenshots import ShotEnv

LAPTOP_PASSPHRASE = "event laptop words"
LAPTOP = "Saturday event laptop.forumkit"
REVIEWED = 24


def merge_summary(env: ShotEnv) -> QWidget:
    """Merge a volunteer's laptop file: new responses, and one answer corrected on both."""
    workspace = env.demo()
    env.context.set_workspace(workspace)
    laptop = _laptop_with_a_conflict(env, workspace)
    window = env.main_window("Responses")
    dialog = MergeDialog(env.context, window)
    dialog.path_edit.setText(str(laptop))
    op = merge_copy(env.context, dialog, decrypt_copy(laptop, LAPTOP_PASSPHRASE))
    assert op.run()
    dialog._show_result(op.result)
    return dialog


def merge_conflicts(env: ShotEnv) -> QWidget:
    """The conflicts view on the answer both files corrected (after ``merge_summary``)."""
    env.context.set_workspace(env.demo())
    return ConflictsDialog(env.context)


def _laptop_with_a_conflict(env: ShotEnv, workspace: Workspace) -> str:
    survey = get_survey(workspace.db, DEMO_SURVEY)
    rng = random.Random(21)
    path = env.folder / LAPTOP
    volunteer_copy(workspace, path, LAPTOP_PASSPHRASE)
    with Workspace.open(path, LAPTOP_PASSPHRASE) as laptop:
        answers = demo_answers(rng)
        answers.update(experience="We waited a year for an assessment.", consent_share="yes")
        shared = add_response(laptop, survey, answers, status="complete", source="entered")
    op = merge_copy(env.context, None, decrypt_copy(path, LAPTOP_PASSPHRASE))
    assert op.run()
    corrected = dict(shared.answers)
    corrected["experience"] = "We waited a year for an assessment, then six months for a plan."
    update_response(workspace, shared.id, corrected)
    with Workspace.open(path, LAPTOP_PASSPHRASE) as laptop:
        corrected["experience"] = "We waited a whole year for the assessment."
        update_response(laptop, shared.id, corrected)
        for _ in range(11):
            add_response(laptop, survey, demo_answers(rng), status="complete", source="kiosk")
    return str(path)


def pack_quote_review(env: ShotEnv) -> QWidget:
    """The pack wizard's list of the quotes that will go in, over reviewed demo quotes."""
    workspace = env.demo()
    _reviewed_quotes(workspace)
    env.context.set_workspace(workspace)
    window = env.main_window("Evidence pack")
    wizard = PackWizard(env.context, window)
    wizard.restart()
    wizard.next()
    return wizard


def _reviewed_quotes(workspace: Workspace) -> None:
    """Some demo answers quoted, tagged and reviewed, once per run."""
    survey = get_survey(workspace.db, DEMO_SURVEY)
    if count_quotes(workspace.db, survey.id) >= REVIEWED:
        return
    keys = [code.key for code in default_codebook(workspace.db).codes]
    rng = random.Random(18)
    made = 0
    with workspace.transaction("screenshot_pack"):
        for response in list_responses(workspace.db, survey.id, status="complete", limit=None):
            if made == REVIEWED:
                break
            if response.consent_share is not True or not response.answers.get("experience"):
                continue
            quote = create_quote(
                workspace, response.id, "experience", codes=rng.sample(keys, 1)
            ).after
            if quote is not None:
                review_quote(workspace, quote.id, reviewed=True)
                made += 1


def analysis_dashboard(env: ShotEnv) -> QWidget:
    """The Analysis page on the demo forum: charts and their tables, as a pack publishes them."""
    env.context.set_workspace(env.demo())
    return env.main_window("Analysis")
