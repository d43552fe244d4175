"""Which questions a column may answer: one rule for automatic matching, mapping files and the
import wizard's list."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit.importers import (
    MappingFileError,
    column_targets,
    load_mapping,
    plan_import,
    save_mapping,
)
from forumkit.surveys import Survey, import_xlsform
from forumkit.workspace import Workspace
from tests.core.surveys.helpers import write_form

from .helpers import write_csv

TIMED = [
    ["type", "name", "label", "calculation"],
    ["start", "start", "", ""],
    ["note", "welcome", "Thank you for taking part", ""],
    ["integer", "child_age", "How old is your child?", ""],
    ["calculate", "age_band", "", "if(${child_age} < 11, 'young', 'older')"],
    ["select_multiple services", "services", "Which services do you use?", ""],
]
SERVICES = [["list_name", "name", "label"], ["services", "ot", "OT"], ["services", "salt", "SALT"]]


@pytest.fixture
def timed(workspace: Workspace, tmp_path: Path) -> Survey:
    """A survey with the form's start time, a note and a calculation besides questions."""
    form = write_form(tmp_path / "timed.xlsx", TIMED, SERVICES, [["form_id"], ["timed"]])
    return import_xlsform(workspace, form).survey


def test_targets_are_the_answerable_questions_and_their_options(timed: Survey) -> None:
    assert [t.target for t in column_targets(timed)] == [
        "start",
        "child_age",
        "services",
        ("services", "ot"),
        ("services", "salt"),
    ]


def test_every_planned_column_answers_a_target(timed: Survey, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "online.csv",
        [["start", "How old is your child?", "Which services do you use? - OT"], ["", 7, 1]],
    )
    plan = plan_import(timed, path, format="csv")
    offered = {t.target for t in column_targets(timed)}
    planned = [
        c.question if c.role == "answer" else (c.question, c.choice)
        for c in plan.columns
        if c.role in ("answer", "choice")
    ]
    assert planned and all(target in offered for target in planned)
    assert planned[0] == "start"  # the form's own start time, read from the file


def test_a_mapping_file_round_trips(tmp_path: Path) -> None:
    mapping = {"Age (years)": "child_age", "OT?": ("services", "ot"), "Notes": None}
    path = tmp_path / "mapping.json"
    save_mapping(mapping, path)
    assert load_mapping(path) == mapping
    with pytest.raises(MappingFileError, match="could not be saved"):
        save_mapping(mapping, tmp_path / "no such folder" / "mapping.json")
