"""``forumkit responses export|show|erase`` as a chair runs them, in a subprocess."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest

from forumkit.responses import add_response
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, REPO_ROOT
from tests.core.test_cli import WITH_PASSPHRASE, _run_on_terminal, forumkit

from .helpers import add_test_survey, complete_answers

SECRET = "Wombat-4410 waited two years for CAMHS"


@pytest.fixture
def forum(tmp_path: Path) -> Path:
    """A forum file with the test survey, two responses of Ann and one of someone else."""
    path = tmp_path / "forum.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Testshire PCF") as workspace:
        survey = add_test_survey(workspace, tmp_path)
        add_response(
            workspace,
            survey,
            complete_answers(experience=SECRET),
            status="complete",
            respondent="Ann@Example.org",
        )
        add_response(workspace, survey, {"rating": 2}, respondent="ann@example.org")
        add_response(workspace, survey, {"rating": 9}, respondent="bob@example.org")
    return path


def test_export_warns_when_not_encrypted(forum: Path, tmp_path: Path) -> None:
    out = tmp_path / "responses.xlsx"
    result = forumkit("responses", "export", forum, "family_2026", out, env=WITH_PASSPHRASE)
    assert result.returncode == 0, result.stderr
    assert "Wrote 1 response" in result.stdout  # the two drafts stay out by default
    assert "is not encrypted" in result.stderr and "--password-file" in result.stderr
    assert SECRET not in result.stderr + result.stdout
    rows = list(openpyxl.load_workbook(out)["Responses"].iter_rows(values_only=True))
    assert len(rows) == 3
    result = forumkit(
        "responses", "export", forum, "family_2026", out, "--include-drafts", env=WITH_PASSPHRASE
    )
    assert result.returncode == 0, result.stderr
    assert "Wrote 3 responses" in result.stdout
    assert "is not encrypted" in result.stderr and "--password-file" in result.stderr
    assert SECRET not in result.stderr + result.stdout
    rows = list(openpyxl.load_workbook(out)["Responses"].iter_rows(values_only=True))
    assert len(rows) == 5


def test_export_with_password_file(forum: Path, tmp_path: Path) -> None:
    password_file = tmp_path / "password.txt"
    password_file.write_text("tea and biscuits\n", encoding="utf-8")
    out = tmp_path / "responses.xlsx"
    result = forumkit(
        "responses",
        "export",
        forum,
        "family_2026",
        out,
        "--password-file",
        password_file,
        "--include-drafts",
        "--json",
        env=WITH_PASSPHRASE,
    )
    assert result.returncode == 0, result.stderr
    assert "not encrypted" not in result.stderr
    report = json.loads(result.stdout)
    assert (report["responses"], report["encrypted"], report["format"]) == (3, True, "xlsx")
    office = msoffcrypto.OfficeFile(io.BytesIO(out.read_bytes()))
    office.load_key(password="tea and biscuits")
    plain = io.BytesIO()
    office.decrypt(plain)
    assert openpyxl.load_workbook(plain)["Responses"].max_row == 5


def test_export_refusals_are_exit_1(forum: Path, tmp_path: Path) -> None:
    password_file = tmp_path / "password.txt"
    password_file.write_text("pw\n", encoding="utf-8")
    csv_with_password = forumkit(
        "responses",
        "export",
        forum,
        "family_2026",
        tmp_path / "out.csv",
        "--password-file",
        password_file,
        env=WITH_PASSPHRASE,
    )
    assert csv_with_password.returncode == 1
    assert "cannot carry a password" in csv_with_password.stderr
    unknown = forumkit(
        "responses", "export", forum, "no_such_form", tmp_path / "o.xlsx", env=WITH_PASSPHRASE
    )
    assert unknown.returncode == 1 and unknown.stderr.startswith("forumkit: ")
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "o.xlsx").exists()


def test_show_prints_everything_held(forum: Path) -> None:
    shown = forumkit(
        "responses",
        "show",
        forum,
        "--respondent",
        " ANN@example.org",
        "--json",
        env=WITH_PASSPHRASE,
    )
    assert shown.returncode == 0, shown.stderr
    responses = json.loads(shown.stdout)["responses"]
    assert len(responses) == 2
    assert responses[0]["answers"]["experience"] == SECRET
    text = forumkit(
        "responses", "show", forum, "--respondent", "ann@example.org", env=WITH_PASSPHRASE
    )
    assert text.returncode == 0
    assert "2 responses are held" in text.stdout and SECRET in text.stdout
    nobody = forumkit("responses", "show", forum, "--respondent", "x@y.z", env=WITH_PASSPHRASE)
    assert nobody.returncode == 0 and "No responses are held" in nobody.stdout


def test_erase_without_terminal_needs_yes(forum: Path) -> None:
    before = forum.read_bytes()
    refused = forumkit(
        "responses", "erase", forum, "--respondent", "ann@example.org", env=WITH_PASSPHRASE
    )
    assert refused.returncode == 1
    assert "add --yes" in refused.stderr
    assert forum.read_bytes() == before


def test_erase_with_yes(forum: Path) -> None:
    erased = forumkit(
        "responses",
        "erase",
        forum,
        "--respondent",
        "ann@example.org",
        "--yes",
        "--json",
        env=WITH_PASSPHRASE,
    )
    assert erased.returncode == 0, erased.stderr
    report = json.loads(erased.stdout)
    assert report["erased"] == 2 and len(report["response_ids"]) == 2
    shown = forumkit(
        "responses", "show", forum, "--respondent", "ann@example.org", "--json", env=WITH_PASSPHRASE
    )
    assert json.loads(shown.stdout)["responses"] == []
    other = forumkit(
        "responses", "show", forum, "--respondent", "bob@example.org", "--json", env=WITH_PASSPHRASE
    )
    assert len(json.loads(other.stdout)["responses"]) == 1


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX-only")
def test_erase_on_a_terminal_asks_first(forum: Path) -> None:
    env = {"PYTHONPATH": str(REPO_ROOT), "FORUMKIT_PASSPHRASE": PASSPHRASE}
    argv = ["responses", "erase", str(forum), "--respondent", "ann@example.org"]
    code, output = _run_on_terminal(argv, ["no"], env)
    assert code == 1 and "Nothing was erased" in output
    code, output = _run_on_terminal(argv, ["yes"], env)
    assert code == 0, output
    assert "Erased 2 responses" in output
