"""The form of a survey asking a question inside a group of the same name (osm-fieldwork's
“bridge” in the group “bridge”): the section and the question show and hide on their own."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from forumkit.surveys.xlsform_read import read_xlsform
from tests.core.surveys.helpers import YES_NO, write_form
from ui.form.form import SurveyForm

ROWS = [
    ["type", "name", "label", "relevant"],
    ["select_one yes_no", "crossing", "Did you cross a bridge?", ""],
    ["begin group", "bridge", "The bridge", "${crossing} = 'yes'"],
    ["integer", "steps", "How many steps had it?", ""],
    ["text", "bridge", "What was hard about the bridge?", "${steps} > 0"],
    ["end group", "", "", ""],
]


def test_a_section_and_a_question_of_one_name_show_apart(tmp_path: Path, qtbot: QtBot) -> None:
    survey = read_xlsform(write_form(tmp_path / "form.xlsx", ROWS, YES_NO)).survey
    form = SurveyForm(survey)
    qtbot.addWidget(form)
    section = next(s for s in form.sections if s.name == "bridge")
    assert section.heading is not None and section.heading.text() == "The bridge"

    form.set_answers({"crossing": "yes", "steps": 0})
    assert section in form.visible_sections()
    assert form.is_shown("steps") and not form.is_shown("bridge")

    form.set_answers({"crossing": "yes", "steps": 4, "bridge": "Steep"})
    assert form.is_shown("bridge")
    assert form.answers() == {"crossing": "yes", "steps": 4, "bridge": "Steep"}

    form.set_answers({"crossing": "no"})
    assert section not in form.visible_sections()
    assert not form.is_shown("bridge") and not form.is_shown("steps")
