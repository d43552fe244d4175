"""``forumkit responses import``: exit codes, the JSON document, dry runs and plain errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest

from forumkit import audit
from forumkit.cli import main
from forumkit.importers import SET_ASIDE
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
        "set_aside": 0,
        "set_aside_file": None,
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
                    "question": "How old is your child?",
                    "reason": "Age must be between 0 and 25.",
                }
            ],
            "set_aside": 0,
            "set_aside_file": None,
            "warnings": [],
        }
    assert held(forum_path, survey) == 0


def test_skip_bad_rows_imports_the_rest_and_sets_the_bad_ones_aside(
    survey: Survey, forum_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13: the good rows in, the bad row in a spreadsheet to correct; once corrected, the
    set-aside file imports the one row and nothing twice."""
    rows = google_rows()
    rows[2][4] = 99
    data = str(write_csv(tmp_path / "bad.csv", rows))
    aside = tmp_path / "to-correct.xlsx"
    password = tmp_path / "password.txt"
    password.write_text("tea and biscuits\n", encoding="utf-8")
    args = [str(forum_path), "send2026", data, "--skip-bad-rows", "--set-aside", str(aside)]
    code, report = run_json(capsys, *args, "--dry-run")
    assert (code, report["imported"], report["set_aside"]) == (0, 2, 1)
    assert not aside.exists() and held(forum_path, survey) == 0
    code, report = run_json(capsys, *args, "--password-file", str(password))
    assert (code, report["imported"], report["set_aside"]) == (0, 2, 1)
    assert report["set_aside_file"] == str(aside)
    assert held(forum_path, survey) == 2
    office = msoffcrypto.OfficeFile(io.BytesIO(aside.read_bytes()))
    office.load_key(password="tea and biscuits")
    plain = io.BytesIO()
    office.decrypt(plain)
    workbook = openpyxl.load_workbook(plain)
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == rows[0]
    assert sheet.max_row == 2 and sheet.cell(2, 5).value == "99"  # as the csv had it
    assert [c.value for c in workbook["What to correct"][2]][:4] == [
        2,
        "How old is your child?",
        "How old is your child?",
        "99",
    ]
    sheet.cell(2, 5).value = 11
    corrected = tmp_path / "corrected.xlsx"
    workbook.save(corrected)
    code, report = run_json(capsys, str(forum_path), "send2026", str(corrected))
    assert (code, report["imported"], report["duplicates"]) == (0, 1, 0)
    code, report = run_json(capsys, str(forum_path), "send2026", data, "--skip-bad-rows")
    assert (code, report["imported"], report["duplicates"], report["set_aside"]) == (0, 0, 2, 1)
    assert held(forum_path, survey) == 3
    with Workspace.open(forum_path, PASSPHRASE) as workspace:
        [entry] = audit.entries(workspace.db, SET_ASIDE)
        assert entry.counts == {"rows": 1, "encrypted": 1}
        assert "99" not in str(entry)


def test_set_aside_without_skip_bad_rows_is_refused(
    survey: Survey, forum_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(write_csv(tmp_path / "good.csv", google_rows()))
    code = main(["responses", "import", str(forum_path), "send2026", data, "--set-aside", "x.csv"])
    assert code == 1
    assert "--skip-bad-rows" in capsys.readouterr().err
    assert held(forum_path, survey) == 0


def test_problems_on_the_terminal_name_the_question_by_its_words(
    survey: Survey, forum_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = google_rows()
    rows[0][8] = "school"  # a heading that is the question's name, as a plain sheet has
    rows[1][8] = "Grammar"
    rows[3][8] = "Grammar"
    data = str(write_csv(tmp_path / "bad.csv", rows))
    code = main(["responses", "import", str(forum_path), "send2026", data, "--skip-bad-rows"])
    out = capsys.readouterr().out
    assert code == 0
    assert (
        "Rows 2 and 4, column “school” (“What type of school does your child attend?”): the "
        "answer is not one of the question's options."
    ) in out
    assert "Grammar" not in out  # the app shows the cell; a command's output never quotes it
    assert "2 rows with problems were left out (listed above)." in out


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
