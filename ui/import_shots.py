"""Screenshots of the import wizard on the demo forum, for ``ui.screenshots``.

The file imported is a Google Forms export of the demo survey written here from the demo's own
synthetic answers (no real people): one row has an age the survey refuses, one question's
heading was reworded in the online form, and one column answers no question.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from forumkit.demo import demo_answers
from forumkit.importers import plan_import
from forumkit.surveys import Survey, get_survey
from ui.import_wizard import ImportWizard

if TYPE_CHECKING:
    from ui.screenshots import ShotEnv

DEMO_SURVEY = "parent-survey-2026"
REWORDED = {"local_offer": "Local Offer: how satisfied are you?"}
EXTRA_COLUMN = "Where did you hear about this survey?"
BAD_ROW = 4  # the spreadsheet row with an age of 31 (the survey allows 0 to 25)


def write_google_export(survey: Survey, path: Path, rows: int = 24, seed: int = 11) -> Path:
    """A Google Forms csv of the demo survey: Timestamp, Email address, then question titles."""
    rng = random.Random(seed)
    questions = [q for q in survey.questions if q.takes_answer and not q.is_metadata]
    headings: list[object] = ["Timestamp", "Email address"]
    headings += [REWORDED.get(q.name) or survey.label(q) for q in questions]
    headings.append(EXTRA_COLUMN)
    table: list[list[object]] = [headings]
    start = dt.datetime(2026, 3, 2, 19, 5, 12)
    for number in range(rows):
        answers = demo_answers(rng)
        if len(table) + 1 == BAD_ROW:
            answers["child_age"] = 31
        cells: list[object] = [
            (start + dt.timedelta(hours=7 * number)).strftime("%d/%m/%Y %H:%M:%S"),
            f"parent{number + 1}@example.org" if rng.random() < 0.4 else "",
        ]
        for question in questions:
            value = answers.get(question.name)
            if value is None:
                cells.append("")
            elif question.list_name:
                names = [str(n) for n in value] if isinstance(value, tuple) else [str(value)]
                choices = survey.choice_labels(question)
                cells.append(", ".join(choices.get(name, name) for name in names))
            else:
                cells.append(value)
        cells.append(rng.choice(["School newsletter", "Coffee morning", "Facebook group", ""]))
        table.append(cells)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(table)
    return path


def _wizard_on_mapping(env: ShotEnv) -> ImportWizard:
    """The wizard on the demo forum, past the file page (the file read as the worker would)."""
    workspace = env.demo()
    env.context.set_workspace(workspace)
    survey = get_survey(workspace.db, DEMO_SURVEY)
    path = write_google_export(survey, env.folder / "parent-survey-2026-week-10.csv")
    wizard = ImportWizard(env.context, survey.id)
    wizard.file_page.path_edit.setText(str(path))
    wizard.survey = survey
    wizard.plan = plan_import(survey, path)
    wizard.plan_key = (survey.version_id, str(path), "auto")
    wizard.mapping_page.show_plan(wizard.plan)
    wizard.show()  # a wizard moves between pages only once it has started
    wizard.next()
    return wizard


def import_mapping(env: ShotEnv) -> QWidget:
    """The mapping page: columns matched by heading, two left unmapped."""
    return _wizard_on_mapping(env)


def import_dry_run(env: ShotEnv) -> QWidget:
    """The dry run after mapping the reworded column by hand: one row's age is refused."""
    wizard = _wizard_on_mapping(env)
    plan, survey = wizard.plan, wizard.survey
    assert plan is not None and survey is not None
    mapping = {**plan.mapping, REWORDED["local_offer"]: "local_offer"}
    wizard.plan = plan.remap(survey, mapping)
    wizard.mapping_page.show_plan(wizard.plan)
    wizard.next()
    return wizard


def import_set_aside(env: ShotEnv) -> QWidget:
    """The check page with "import the good rows, set the problem row aside" chosen."""
    wizard = import_dry_run(env)
    assert isinstance(wizard, ImportWizard)
    page = wizard.check_page
    page.set_aside.setChecked(True)
    page.set_aside_file.path.setText(
        "/home/chair/Documents/parent-survey-2026-week-10 - to correct.xlsx"
    )
    return wizard
