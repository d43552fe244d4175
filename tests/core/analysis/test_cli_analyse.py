"""``forumkit analyse`` and the threshold in ``forumkit settings`` as a chair runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forumkit.cli import main
from forumkit.surveys import set_previous_edition
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.analysis.helpers import STORIES, family_survey, survey_form


@pytest.fixture
def forum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "forum.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Testshire PCF") as workspace:
        family_survey(workspace, tmp_path)
    monkeypatch.setenv("FORUMKIT_PASSPHRASE", PASSPHRASE)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_analyse_json_is_the_documented_document(
    forum: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = forum.read_bytes()
    code, out, err = run(capsys, "analyse", forum, "family_2026", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["responses"] == 10 and data["threshold"] == 5 and data["suppressed"] is True
    assert set(data) == {
        "survey", "filters", "threshold", "suppressed", "note", "responses", "questions",
        "codebooks", "codes",
    }  # fmt: skip
    phase = data["questions"][0]
    assert phase["counts"] == {"early": "<5", "primary": 5, "secondary": "<5"}
    assert phase["labels"] == {
        "early": "Early years",
        "primary": "Primary",
        "secondary": "Secondary",
    }
    assert forum.read_bytes() == before  # read only: the file is not even saved again
    for story in STORIES:
        assert story not in out + err


def test_analyse_text_says_what_is_suppressed(
    forum: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "analyse", forum, "family_2026", "--filter", "source=kiosk")
    assert code == 0
    assert "fewer than 5 complete responses" in out and "Filters: source=kiosk" in out
    assert "“<5”" in out and "FOR THE FORUM ONLY" not in out
    code, out, _ = run(capsys, "analyse", forum, "family_2026", "--unsuppressed")
    assert code == 0
    assert out.splitlines()[1].startswith("FOR THE FORUM ONLY")
    assert "Early years" in out and "20.0%" in out


def test_analyse_by_and_compare(
    forum: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "analyse", forum, "family_2026", "--by", "phase", "--json")
    assert code == 0, err
    grouped = json.loads(out)
    assert grouped["by"]["name"] == "phase"
    assert grouped["questions"][0]["name"] == "services"
    with Workspace.open(forum, PASSPHRASE) as workspace:
        from forumkit.surveys import import_xlsform

        import_xlsform(workspace, survey_form(tmp_path, "family_2025"))
        set_previous_edition(workspace, "family_2026", "family_2025")
    code, out, err = run(capsys, "analyse", forum, "family_2026", "--compare", "family_2025")
    assert code == 0, err
    assert "against family_2025 (family_2025): 0" in out
    code, out, err = run(
        capsys, "analyse", forum, "family_2026", "--compare", "family_2025", "--json"
    )
    data = json.loads(out)
    assert data["previous"]["form_id"] == "family_2025"
    assert data["not_comparable"] == [] and data["only_in_previous"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--filter", "colour=red"], "no question “colour”"),
        (["--by", "services"], "not a single-choice question"),
        (["--compare", "family_2026"], "the survey itself"),
        (["--by", "phase", "--compare", "x"], "cannot be used together"),
    ],
)
def test_bad_requests_are_one_sentence_and_exit_1(
    forum: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, "analyse", forum, "family_2026", *args)
    assert code == 1
    assert message in err and "Traceback" not in err and out == ""


def test_the_threshold_is_a_setting_of_the_forum(
    forum: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "settings", forum, "--suppression-threshold", "10", "--json")
    assert code == 0 and json.loads(out)["suppression_threshold"] == 10
    code, out, _ = run(capsys, "settings", forum)
    assert "Small-cell threshold: 10 (counts from 1 to 9 are published as “<10”)" in out
    code, out, _ = run(capsys, "analyse", forum, "family_2026", "--json")
    assert json.loads(out)["threshold"] == 10
    before = forum.read_bytes()
    code, _, err = run(capsys, "settings", forum, "--suppression-threshold", "2")
    assert code == 1 and "from 3 to 20" in err
    assert forum.read_bytes() == before  # refused before anything was opened for writing
