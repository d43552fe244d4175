"""``forumkit quotes export|import|list`` and ``forumkit deny-list`` as a chair scripts them."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook, load_workbook

from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.test_cli import WITH_PASSPHRASE, forumkit

from .helpers import DIFFERENCE, add_parent, add_quotes_survey


def forum_with_answers(tmp_path: Path) -> tuple[Path, list[str]]:
    """A forum file with the quotes survey and two complete responses (ids)."""
    path = tmp_path / "forum.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Testshire PCF") as workspace:
        survey = add_quotes_survey(workspace, tmp_path)
        ids = [add_parent(workspace, survey).id, add_parent(workspace, survey, phase="early").id]
    return path, ids


def tag_rows(sheet: Path, out: Path, changes: dict[int, dict[str, str]]) -> Path:
    rows = [list(row) for row in load_workbook(sheet)["Quotes"].iter_rows(values_only=True)]
    for number, cells in changes.items():
        for header, value in cells.items():
            rows[number - 1][rows[0].index(header)] = value
    book = Workbook()
    book.active.title = "Quotes"
    for row in rows:
        book.active.append(row)
    book.save(out)
    return out


def test_the_round_trip_from_the_command_line(tmp_path: Path) -> None:
    forum, ids = forum_with_answers(tmp_path)
    sheet = tmp_path / "quotes.xlsx"
    exported = forumkit(
        "quotes", "export", forum, "family_2026", sheet, "--suggest", "--json", env=WITH_PASSPHRASE
    )
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout) == {
        "path": str(sheet),
        "quotes": 0,
        "answers": 4,
        "outdated": 0,
        "suggested": True,
        "encrypted": False,
    }
    assert "is not encrypted" in exported.stderr

    tagged = tag_rows(
        sheet,
        tmp_path / "tagged.xlsx",
        {2: {"codes": "listen-early, workforce", "reviewed": "yes"}, 3: {"codes": "coproduction"}},
    )
    applied = forumkit("quotes", "import", forum, "family_2026", tagged, env=WITH_PASSPHRASE)
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.strip() == (
        "Applied “tagged.xlsx”: 2 quotes made, 0 changed, 0 unchanged; 2 answers left to quote "
        "later."
    )

    listed = forumkit("quotes", "list", forum, "family_2026", "--json", env=WITH_PASSPHRASE)
    assert listed.returncode == 0, listed.stderr
    quotes = json.loads(listed.stdout)["quotes"]
    assert [(q["response_id"], q["question"], q["codes"]) for q in quotes] == [
        (ids[0], "experience", ["listen-early", "workforce"]),
        (ids[0], "difference", ["coproduction"]),
    ]
    assert quotes[0]["may_leave"] and quotes[0]["tagged"][0]["by"] == "spreadsheet:tagged.xlsx"
    assert quotes[1]["why_not"] == ["not reviewed"]
    found = forumkit(
        "quotes", "list", forum, "family_2026", "--code", "coproduction", "--search", "listen*",
        env=WITH_PASSPHRASE,
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines()[1] == f"    {DIFFERENCE}"
    assert found.stdout.splitlines()[-1] == "1 quote of “Family survey 2026”."

    info = forumkit("info", forum, "--json", env=WITH_PASSPHRASE)
    assert json.loads(info.stdout)["surveys"][0]["quotes"] == 2


def test_a_spreadsheet_with_problems_changes_nothing(tmp_path: Path) -> None:
    forum, _ = forum_with_answers(tmp_path)
    sheet = tmp_path / "quotes.xlsx"
    password = tmp_path / "password.txt"
    password.write_text("tag these quotes\n", encoding="utf-8")
    exported = forumkit(
        "quotes", "export", forum, "family_2026", sheet, "--password-file", password,
        env=WITH_PASSPHRASE,
    )  # fmt: skip
    assert exported.returncode == 0 and exported.stderr == "", exported.stderr
    plain = tmp_path / "plain.xlsx"
    from forumkit.spreadsheets import decrypt_xlsx

    plain.write_bytes(decrypt_xlsx(sheet.read_bytes(), "tag these quotes"))
    spoiled = tag_rows(plain, tmp_path / "spoiled.xlsx", {2: {"codes": "money, nope"}})
    before = forum.read_bytes()
    refused = forumkit(
        "quotes", "import", forum, "family_2026", spoiled, "--json", env=WITH_PASSPHRASE
    )
    assert refused.returncode == 1
    rejected = json.loads(refused.stdout)["rejected"]
    assert [(r["row"], r["column"]) for r in rejected] == [(2, "codes")]
    assert "nope" in rejected[0]["reason"]
    as_text = forumkit("quotes", "import", forum, "family_2026", spoiled, env=WITH_PASSPHRASE)
    assert as_text.returncode == 1
    assert as_text.stderr.splitlines()[0].startswith("Row 2, column “codes”: ")
    assert "nothing was applied" in as_text.stderr and "Jamie" not in as_text.stderr
    assert forum.read_bytes() == before
    locked = forumkit("quotes", "import", forum, "family_2026", sheet, env=WITH_PASSPHRASE)
    assert locked.returncode == 1 and "password-protected" in locked.stderr
    opened = forumkit(
        "quotes", "import", forum, "family_2026", sheet, "--password-file", password,
        env=WITH_PASSPHRASE,
    )  # fmt: skip
    assert opened.returncode == 0, opened.stderr


def test_the_deny_list_from_the_command_line(tmp_path: Path) -> None:
    forum, _ = forum_with_answers(tmp_path)
    added = forumkit(
        "deny-list", "add", forum, "Oakwood Academy", "--kind", "school", "--json",
        env=WITH_PASSPHRASE,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    entry = json.loads(added.stdout)
    assert (entry["text"], entry["kind"], entry["reproposed"]) == ("Oakwood Academy", "school", 0)
    listed = forumkit("deny-list", "list", forum, env=WITH_PASSPHRASE)
    assert listed.stdout.strip() == "school  Oakwood Academy"
    sheet = tmp_path / "quotes.xlsx"
    forumkit("quotes", "export", forum, "family_2026", sheet, env=WITH_PASSPHRASE)
    redacted = load_workbook(sheet)["Quotes"]["E2"].value
    assert "[school]" in redacted and "Oakwood" not in redacted
    again = forumkit("deny-list", "add", forum, "oakwood academy", "--kind", "place",
                     env=WITH_PASSPHRASE)  # fmt: skip
    assert again.returncode == 1 and "already has" in again.stderr
    removed = forumkit("deny-list", "remove", forum, "OAKWOOD ACADEMY", env=WITH_PASSPHRASE)
    assert removed.returncode == 0 and removed.stdout.startswith("Removed “Oakwood Academy”")
    empty = forumkit("deny-list", "list", forum, "--json", env=WITH_PASSPHRASE)
    assert json.loads(empty.stdout) == {"entries": []}
