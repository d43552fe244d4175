"""``forumkit responses import``: exit codes, the JSON document, dry runs and plain errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forumkit.cli import main
from forumkit.responses import count_responses
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.importers.helpers import LABELS, google_rows, make_survey, write_csv, write_xlsx


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Survey:
    made = make_survey(workspace, tmp_path)
    workspace.close()
    monkeypatch.setenv("FORUMKIT_PASSPHRASE", PASSPHRASE)
    return made


def held(forum_path: Path, survey: Survey) -> int:
    with Workspace.open(forum_path, PASSPHRASE) as workspace:
        return count_responses(workspace.db, survey.id)


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(["responses", "import", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_import_then_reimport(
    survey: Survey, forum_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(write_xlsx(tmp_path / "g.xlsx", google_rows()))
    code, report = run_json(capsys, str(forum_path), "send2026", data, "--dry-run")
    expected = {
        "imported": 3,
        "updated": 0,
        "duplicates": 0,
        "removed_earlier": 0,
        "outdated": 0,
        "kept_corrected": 0,
        "changed_rows": [],
        "rejected": [],
        "warnings": [],
        "refused": None,
    }
    assert (code, report) == (0, expected)
    assert held(forum_path, survey) == 0
    code, report = run_json(capsys, str(forum_path), survey.id, data)
    assert (code, report["imported"], report["duplicates"]) == (0, 3, 0)
    code, report = run_json(capsys, str(forum_path), "send2026", data, "--format", "googleforms")
    assert (code, report["imported"], report["duplicates"]) == (0, 0, 3)
    assert held(forum_path, survey) == 3


def test_rejected_rows_exit_1_and_import_nothing(
    survey: Survey, forum_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = google_rows()
    rows[2][4] = 99
    data = str(write_csv(tmp_path / "bad.csv", rows))
    for extra in (["--dry-run"], []):
        code, report = run_json(capsys, str(forum_path), "send2026", data, *extra)
        assert code == 1
        assert report == {
            "imported": 0,
            "updated": 0,
            "duplicates": 0,
            "removed_earlier": 0,
            "outdated": 0,
            "kept_corrected": 0,
            "changed_rows": [],
            "refused": None,
            "rejected": [
                {
                    "row": 3,
                    "column": "How old is your child?",
                    "reason": "Age must be between 0 and 25.",
                }
            ],
            "warnings": [],
        }
    assert held(forum_path, survey) == 0


def test_human_output_lists_problems_and_warnings(
    survey: Survey, forum_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = google_rows()
    rows[0].append("Extra column")
    rows[3][6] = "Maybe"
    data = str(write_xlsx(tmp_path / "g.xlsx", rows))
    assert main(["responses", "import", str(forum_path), "send2026", data]) == 1
    captured = capsys.readouterr()
    assert "Row 4, column “Does your child have an EHCP?”" in captured.out
    assert "nothing was imported" in captured.out
    assert "Warning: Column K “Extra column” matches no question" in captured.err
    assert "Maybe" not in captured.out + captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nosuchsurvey", "DATA"], "no survey with the id or form_id “nosuchsurvey”"),
        (["send2026", "missing.csv"], "Cannot read “missing.csv”"),
    ],
)
def test_plain_errors(
    survey: Survey,
    forum_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    data = str(write_xlsx(tmp_path / "g.xlsx", google_rows()))
    args = [
        data if arg == "DATA" else str(tmp_path / arg) if arg.endswith(".csv") else arg
        for arg in argv
    ]
    assert main(["responses", "import", str(forum_path), *args]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_unknown_format_is_a_usage_error(survey: Survey, forum_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["responses", "import", str(forum_path), "send2026", "x.csv", "--format", "typeform"])
    assert exited.value.code == 2


def test_an_erased_respondent_does_not_come_back_by_reimporting_the_csv(
    survey: Survey, forum_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reproduction from the identity issue: import, erase, import the same csv again."""
    data = str(write_csv(tmp_path / "google.csv", google_rows()))
    code, report = run_json(capsys, str(forum_path), "send2026", data)
    assert (code, report["imported"]) == (0, 3)
    assert (
        main(
            [
                "responses",
                "erase",
                str(forum_path),
                "--respondent",
                "parent0@example.org",
                "--yes",
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["erased"] == 1
    code, report = run_json(capsys, str(forum_path), "send2026", data, "--dry-run")
    assert (code, report["imported"], report["duplicates"], report["removed_earlier"]) == (
        0,
        0,
        2,
        1,
    )
    code, report = run_json(capsys, str(forum_path), "send2026", data)
    assert (code, report["imported"], report["duplicates"], report["removed_earlier"]) == (
        0,
        0,
        2,
        1,
    )
    assert held(forum_path, survey) == 2
    main(["responses", "show", str(forum_path), "--respondent", "parent0@example.org", "--json"])
    assert json.loads(capsys.readouterr().out)["responses"] == []
    assert main(["responses", "import", str(forum_path), "send2026", data]) == 0
    assert "1 skipped: deleted or erased earlier." in capsys.readouterr().out


def test_many_problems_of_one_kind_are_one_line_naming_a_few_rows(
    survey: Survey, forum_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A long file with one bad column prints a line per column and reason, not per cell
    (issue 14); --json still lists every problem."""
    rows: list[list[object]] = [["Timestamp", "Email address", *LABELS]]
    for number in range(1, 2001):
        age = "unknown" if number % 2 else 7  # every other row: not a whole number
        rows.append([f"01/03/2026 09:{number % 60:02d}", "", "Yes", "", age, "", "No", "", "", ""])
    data = str(write_csv(tmp_path / "long.csv", rows))
    assert main(["responses", "import", str(forum_path), "send2026", data]) == 1
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 3, out[:2000]
    assert "Rows 2, 4, 6, 8, 10 and 995 more, column “How old is your child?”: " in out
    assert "1,000 problems: nothing was imported." in out
    code, report = run_json(capsys, str(forum_path), "send2026", data)
    assert code == 1 and len(report["rejected"]) == 1000


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        (None, "Cannot read “missing.csv”"),
        ([["Colour", "Pet"], ["blue", "cat"]], "No column of “other.csv” matches a question"),
    ],
    ids=["unreadable", "no-matching-column"],
)
def test_a_file_refused_as_a_whole_still_prints_the_json_document(
    survey: Survey,
    forum_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    rows: list[list[str]] | None,
    reason: str,
) -> None:
    data = tmp_path / ("missing.csv" if rows is None else "other.csv")
    if rows is not None:
        write_csv(data, rows)
    code = main(["responses", "import", str(forum_path), "send2026", str(data), "--json"])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert code == 1
    assert reason in report["refused"] and reason in captured.err
    assert (report["imported"], report["updated"], report["rejected"]) == (0, 0, [])
    assert held(forum_path, survey) == 0
