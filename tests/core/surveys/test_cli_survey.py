"""``forumkit survey import|export|list`` as a chair scripts them, in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import PASSPHRASE
from tests.core.surveys.helpers import YES_NO, write_form
from tests.core.test_cli import WITH_PASSPHRASE, forumkit


def new_forum(tmp_path: Path) -> Path:
    path = tmp_path / "forum.forumkit"
    made = forumkit("new", path, "--forum", "Testshire PCF", env=WITH_PASSPHRASE)
    assert made.returncode == 0, made.stderr
    return path


def test_a_chair_imports_lists_and_exports_a_survey(tmp_path: Path, shared_dir: Path) -> None:
    forum = new_forum(tmp_path)
    form = shared_dir / "fixtures" / "xlsform" / "UCL_Biomass_Plot_Form.xlsx"
    imported = forumkit("survey", "import", forum, form, env=WITH_PASSPHRASE)
    assert imported.returncode == 0, imported.stderr
    survey_id = imported.stdout.strip()
    assert len(survey_id) == 36
    assert "Added “UCL_Biomass_Plot_Form”" in imported.stderr
    assert "Warning: Row 22 of the survey sheet: the geopoint question" in imported.stderr

    listed = forumkit("survey", "list", forum, "--json", env=WITH_PASSPHRASE)
    assert listed.returncode == 0, listed.stderr
    [summary] = json.loads(listed.stdout)["surveys"]
    assert summary["id"] == survey_id
    assert summary["form_id"] == "UCL_Biomass_Plot_Form"
    assert summary["version"] == 1

    out = tmp_path / "exported.xlsx"
    exported = forumkit(
        "survey", "export", forum, "UCL_Biomass_Plot_Form", out, env=WITH_PASSPHRASE
    )
    assert exported.returncode == 0, exported.stderr
    assert out.exists()
    again = forumkit("survey", "import", forum, out, "--json", env=WITH_PASSPHRASE)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert (report["id"], report["status"], report["version"]) == (survey_id, "unchanged", 1)


def test_a_refused_form_is_one_sentence_and_exit_code_1(tmp_path: Path, shared_dir: Path) -> None:
    forum = new_forum(tmp_path)
    form = shared_dir / "fixtures" / "xlsform" / "duplicate_columns.xlsx"
    refused = forumkit("survey", "import", forum, form, env=WITH_PASSPHRASE)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.strip() == (
        "forumkit: The survey sheet has the column “label” twice (columns D and E); "
        "keep one of them."
    )
    listed = forumkit("survey", "list", forum, env=WITH_PASSPHRASE)
    assert "No surveys yet" in listed.stdout


def test_exporting_an_unknown_survey_names_it(tmp_path: Path) -> None:
    forum = new_forum(tmp_path)
    result = forumkit("survey", "export", forum, "nope", tmp_path / "o.xlsx", env=WITH_PASSPHRASE)
    assert result.returncode == 1
    assert "no survey with the id or form_id “nope”" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_passphrase_is_exit_code_3(tmp_path: Path) -> None:
    forum = new_forum(tmp_path)
    form = write_form(tmp_path / "f.xlsx", [["type", "name"], ["select_one yes_no", "q"]], YES_NO)
    result = forumkit(
        "survey", "import", forum, form, env={"FORUMKIT_PASSPHRASE": PASSPHRASE + " "}
    )
    assert result.returncode == 3


def _simple_form(tmp_path: Path) -> Path:
    rows = [["type", "name", "label"], ["select_one yes_no", "happy", "Are you happy?"]]
    settings = [["form_title", "form_id"], ["Happiness survey", "happy2026"]]
    return write_form(tmp_path / "happy.xlsx", rows, YES_NO, settings)


def test_rename_archive_and_remove_a_survey(tmp_path: Path) -> None:
    forum = new_forum(tmp_path)
    form = _simple_form(tmp_path)
    assert forumkit("survey", "import", forum, form, env=WITH_PASSPHRASE).returncode == 0

    renamed = forumkit(
        "survey", "rename", forum, "happy2026", "Wellbeing 2026", env=WITH_PASSPHRASE
    )
    assert renamed.returncode == 0, renamed.stderr
    assert "is now called “Wellbeing 2026”" in renamed.stdout
    again = forumkit("survey", "import", forum, form, "--json", env=WITH_PASSPHRASE)
    assert json.loads(again.stdout)["title"] == "Wellbeing 2026"

    archived = forumkit("survey", "archive", forum, "happy2026", env=WITH_PASSPHRASE)
    assert archived.returncode == 0 and "archived" in archived.stdout
    listed = forumkit("survey", "list", forum, "--json", env=WITH_PASSPHRASE)
    assert json.loads(listed.stdout)["surveys"][0]["archived"] is True
    back = forumkit("survey", "archive", forum, "happy2026", "--undo", env=WITH_PASSPHRASE)
    assert back.returncode == 0 and "no longer archived" in back.stdout

    removed = forumkit("survey", "remove", forum, "happy2026", env=WITH_PASSPHRASE)
    assert removed.returncode == 0, removed.stderr
    assert "Removed the survey happy2026." in removed.stdout
    refused = forumkit("survey", "import", forum, form, env=WITH_PASSPHRASE)
    assert refused.returncode == 1
    assert "was removed from this forum file" in refused.stderr
    restored = forumkit("survey", "import", forum, form, "--restore-removed", env=WITH_PASSPHRASE)
    assert restored.returncode == 0, restored.stderr


def test_removing_a_survey_with_responses_needs_both_flags_without_a_terminal(
    tmp_path: Path,
) -> None:
    forum = new_forum(tmp_path)
    form = _simple_form(tmp_path)
    forumkit("survey", "import", forum, form, env=WITH_PASSPHRASE)
    data = tmp_path / "plain.csv"
    data.write_text("Are you happy?\nYes\nNo\n", encoding="utf-8")
    imported = forumkit("responses", "import", forum, "happy2026", data, env=WITH_PASSPHRASE)
    assert imported.returncode == 0, imported.stderr + imported.stdout

    kept = forumkit("survey", "remove", forum, "happy2026", env=WITH_PASSPHRASE)
    assert kept.returncode == 1
    assert "holds 2 responses" in kept.stderr and "--with-responses" in kept.stderr
    unconfirmed = forumkit(
        "survey", "remove", forum, "happy2026", "--with-responses", env=WITH_PASSPHRASE
    )
    assert unconfirmed.returncode == 1 and "add --yes" in unconfirmed.stderr
    gone = forumkit(
        "survey",
        "remove",
        forum,
        "happy2026",
        "--with-responses",
        "--yes",
        "--json",
        env=WITH_PASSPHRASE,
    )
    assert gone.returncode == 0, gone.stderr
    assert json.loads(gone.stdout)["erased_responses"] == 2
    listed = forumkit("survey", "list", forum, env=WITH_PASSPHRASE)
    assert "No surveys yet" in listed.stdout
