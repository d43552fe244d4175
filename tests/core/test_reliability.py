"""``docs/reliability.md``, reproduced: every hostile or odd input in its table is made again here
and given to the real command line, which must do what the table says (its exit code, and the
words its message says) in time, without a traceback (issue 14).

Each table row names a case by its id; this file has a maker for each id, and the two lists
must match, so the document cannot claim an outcome the suite does not check.
"""

from __future__ import annotations

import csv
import os
import pty
import re
import select
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import Workbook

from forumkit.importers import plan_import, run_import
from forumkit.importers.tables import read_table
from forumkit.surveys import Survey
from forumkit.vault.keys import KdfParams
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, REPO_ROOT
from tests.core.importers.helpers import LABELS, make_survey, write_csv
from tests.core.surveys.helpers import write_form
from tests.core.test_kdf_ceiling import header_asking_for

DOC = REPO_ROOT / "docs" / "reliability.md"
TIMEOUT_S = 60
RESPONDENT = "evil@example.org"
HOSTILE_STORY = "Waited \x1b]0;PWNED\x07\x1b[2J\x1b[31mtwo years\x1b[0m\x00 \x9b31m for a plan"


@dataclass
class Run:
    """One command line run: its arguments, extra environment, and how its output is taken."""

    args: list[str | Path]
    env: dict[str, str] = field(default_factory=dict)
    terminal: bool = False
    """stdout and stderr on a terminal (a pty), as a chair at a prompt sees them."""
    into_head: bool = False
    """stdout piped into ``head -n 1``, which stops reading after one line."""
    check: Callable[[str], None] | None = None
    """A further check, given everything the command printed."""


@dataclass(frozen=True)
class Forum:
    path: Path
    survey: Survey
    folder: Path


def _forum_with_a_hostile_respondent(folder: Path) -> Forum:
    """The test survey and 400 responses of one respondent whose story holds terminal escape
    sequences, a NUL and a C1 control (as a damaged or hostile export could carry)."""
    path = folder / "forum.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Testshire PCF", area="Testshire") as ws:
        survey = make_survey(ws, folder)
        rows: list[list[object]] = [["Timestamp", "Email address", *LABELS]]
        for number in range(400):
            stamp = f"01/03/2026 {9 + number // 60:02d}:{number % 60:02d}:00"
            answers = ["Yes", "Yes", 7, "CAMHS", "No", "", "Special school", HOSTILE_STORY]
            rows.append([stamp, RESPONDENT, *answers])
        plan = plan_import(survey, write_csv(folder / "hostile.csv", rows))
        assert not plan.problems, plan.problems
        run_import(ws, survey, plan)
    return Forum(path, survey, folder)


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Forum:
    return _forum_with_a_hostile_respondent(tmp_path_factory.mktemp("reliability"))


# ---- the inputs ---------------------------------------------------------------------------------


def _with_kdf(forum: Forum, name: str, memory_kib: int, iterations: int, lanes: int) -> Path:
    """A copy of the forum file whose header asks for other key-derivation settings."""
    copy = forum.folder / name
    params = KdfParams(memory_kib, iterations, lanes)
    copy.write_bytes(header_asking_for(forum.path.read_bytes(), params))
    return copy


def kdf_old_ceiling(forum: Forum) -> Run:
    return Run(["info", _with_kdf(forum, "ceiling.forumkit", 2048 * 1024, 10, 64)])


def kdf_over_new_ceiling(forum: Forum) -> Run:
    return Run(["info", _with_kdf(forum, "over.forumkit", 1024 * 1024, 3, 4)])


def weak_kdf_new(forum: Forum) -> Run:
    return Run(["new", forum.folder / "weak.forumkit", "--forum", "Weak"])


def weak_kdf_info(forum: Forum) -> Run:
    return Run(["info", forum.path])


def csv_huge_line(forum: Forum) -> Run:
    path = forum.folder / "huge-line.csv"
    with path.open("wb") as handle:
        handle.write(b"Timestamp,Tell us about your experience\n01/03/2026 09:30,")
        block = b"x" * (1 << 20)
        for _ in range(40):  # 40 MB on one line, past the 16 MB a row may hold
            handle.write(block)
        handle.write(b"\n")
    return Run(["responses", "import", forum.path, "send2026", path, "--dry-run"])


def csv_huge_cell(forum: Forum) -> Run:
    path = forum.folder / "huge-cell.csv"
    path.write_text(f"Timestamp,Tell us about your experience\n01/03/2026 09:30,{'x' * 200_000}\n")
    return Run(["responses", "import", forum.path, "send2026", path, "--dry-run"])


def _fifo(forum: Forum, name: str) -> Path:
    path = forum.folder / name
    if not path.exists():
        os.mkfifo(path)
    return path


def fifo_data(forum: Forum) -> Run:
    path = _fifo(forum, "export.csv")
    return Run(["responses", "import", forum.path, "send2026", path, "--dry-run"])


def fifo_form(forum: Forum) -> Run:
    return Run(["survey", "import", forum.path, _fifo(forum, "form.xlsx")])


def fifo_quotes(forum: Forum) -> Run:
    return Run(["quotes", "import", forum.path, "send2026", _fifo(forum, "quotes.xlsx")])


def device_data(forum: Forum) -> Run:
    return Run(["responses", "import", forum.path, "send2026", "/dev/zero", "--dry-run"])


def folder_data(forum: Forum) -> Run:
    return Run(["responses", "import", forum.path, "send2026", forum.folder, "--dry-run"])


_BOMB_DTD = (
    b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        b'<!ENTITY a%d "%s">' % (level, (b"&a%d;" % (level - 1) if level > 1 else b"&a;") * 10)
        for level in range(1, 10)
    )
    + b"]>\n"
)


def _entity_bomb(path: Path, rows: list[list[object]]) -> Path:
    """An xlsx whose first sheet declares nested entities (“billion laughs”) and uses one."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    plain = path.with_suffix(".plain.xlsx")
    workbook.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as bomb:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = data[data.index(b"<worksheet") :]
                body = body.replace(
                    b"</row>", b'<c r="Z1" t="inlineStr"><is><t>&a9;</t></is></c></row>', 1
                )
                data = _BOMB_DTD + body
            bomb.writestr(item, data)
    return path


def xlsx_entity_bomb_form(forum: Forum) -> Run:
    form = _entity_bomb(
        forum.folder / "bomb-form.xlsx", [["type", "name", "label"], ["text", "q", "Q"]]
    )
    return Run(["survey", "import", forum.path, form])


def xlsx_entity_bomb_data(forum: Forum) -> Run:
    data = _entity_bomb(forum.folder / "bomb-data.xlsx", [["Timestamp", LABELS[7]], ["x", "y"]])
    return Run(["responses", "import", forum.path, "send2026", data, "--dry-run"])


def xlsx_entity_bomb_quotes(forum: Forum) -> Run:
    header = ["quote id", "response id", "question", "text", "redacted text", "codes", "reviewed"]
    sheet = _entity_bomb(forum.folder / "bomb-quotes.xlsx", [header, ["", "x", "y", "z"]])
    return Run(["quotes", "import", forum.path, "send2026", sheet])


def _form(forum: Forum, name: str, rows: list[list[str]]) -> Path:
    choices = [["list_name", "name", "label"], ["yes_no", "yes", "Yes"], ["yes_no", "no", "No"]]
    return write_form(
        forum.folder / name, [list(row) for row in rows], choices, [["form_id"], [name]]
    )


def expression_5000_deep(forum: Forum) -> Run:
    deep = "(" * 5000 + "${a} = 'yes'" + ")" * 5000
    rows = [
        ["type", "name", "label", "relevant"],
        ["select_one yes_no", "a", "A", ""],
        ["text", "b", "B", deep],
    ]
    return Run(["survey", "import", forum.path, _form(forum, "deep.xlsx", rows)])


def expression_5000_terms(forum: Forum) -> Run:
    chain = "+".join(["${n}"] * 5000)  # 25,000 characters: an Excel cell holds 32,767
    rows = [
        ["type", "name", "label", "calculation"],
        ["integer", "n", "N", ""],
        ["calculate", "total", "", chain],
    ]
    return Run(["survey", "import", forum.path, _form(forum, "chain.xlsx", rows)])


def relevant_itself(forum: Forum) -> Run:
    rows = [["type", "name", "label", "relevant"], ["text", "story", "Story", "${story} != ''"]]
    return Run(["survey", "import", forum.path, _form(forum, "itself.xlsx", rows)])


def relevant_circle(forum: Forum) -> Run:
    rows = [
        ["type", "name", "label", "relevant"],
        ["select_one yes_no", "ehcp", "EHCP?", "${school} = 'yes'"],
        ["begin group", "school_group", "School", "${ehcp} = 'yes'"],
        ["select_one yes_no", "school", "At school?", ""],
        ["end group", "", "", ""],
    ]
    return Run(["survey", "import", forum.path, _form(forum, "circle.xlsx", rows)])


def csv_mixed_encodings(forum: Forum) -> Run:
    path = forum.folder / "mixed.csv"
    head = f"Timestamp,Email address,{LABELS[0]},{LABELS[2]},{LABELS[4]},{LABELS[7]}\n"
    rows = [
        (head, "utf-8"),
        ("01/03/2026 09:30,a@example.org,Yes,7,No,Café visits helped\n", "utf-8"),
        ("02/03/2026 09:30,b@example.org,Yes,9,No,Naïve plans from the LA\n", "cp1252"),
        ("03/03/2026 09:30,c@example.org,Yes,4,No,Crème de la crème of waits\n", "utf-8"),
    ]
    path.write_bytes(b"".join(text.encode(encoding) for text, encoding in rows))

    def each_row_right(out: str) -> None:
        _has(out, "Dry run: 3 responses would be imported")
        table = read_table(path)
        assert [cells[5] for _, cells in table.rows[1:]] == [
            "Café visits helped",
            "Naïve plans from the LA",
            "Crème de la crème of waits",
        ]

    return Run(
        ["responses", "import", forum.path, "send2026", path, "--dry-run"], check=each_row_right
    )


def xlsx_uncached_formulas(forum: Forum) -> Run:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Timestamp", LABELS[0], LABELS[2], LABELS[4], LABELS[7]])
    sheet.append(["01/03/2026 09:30", "Yes", 7, "No", "We waited two years"])
    # openpyxl saves formulas with no result, as some scripts and tools do
    sheet.append(["02/03/2026 09:30", "Yes", 9, "No", '=CONCAT("Waited ", C3, " weeks")'])
    sheet.append(["03/03/2026 09:30", "Yes", 4, "No", "Still waiting"])
    sheet.append(["04/03/2026 09:30", "Yes", 5, "No", "=E2"])
    path = forum.folder / "formulas.xlsx"
    workbook.save(path)
    return Run(["responses", "import", forum.path, "send2026", path, "--dry-run"])


def escapes_on_terminal(forum: Forum) -> Run:
    def nothing_raw(out: str) -> None:
        assert "\x1b]0;" not in out and "\x1b[2J" not in out and "\x9b" not in out, out[:400]
        assert "\\x1b]0;PWNED\\x07\\x1b[2J" in out and "\\x00" in out and "\\x9b31m" in out

    return Run(
        ["responses", "show", forum.path, "--respondent", RESPONDENT],
        terminal=True,
        check=nothing_raw,
    )


def nul_in_csv_export(forum: Forum) -> Run:
    out = forum.folder / "export.csv"

    def no_nul(_: str) -> None:
        data = out.read_bytes()
        assert b"\x00" not in data
        assert b"Waited \x1b]0;PWNED" in data  # the rest of the answer is kept as held
        assert "\ufffd".encode() in data

    return Run(["responses", "export", forum.path, "send2026", out], check=no_nul)


def csv_16384_columns(forum: Forum) -> Run:
    path = forum.folder / "wide.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        extra = (f"x{i}" for i in range(16_384 - 2 - len(LABELS)))
        writer.writerow(["Timestamp", "Email address", *LABELS, *extra])
        writer.writerow(
            ["01/03/2026 09:30", "a@example.org", "Yes", "Yes", 7, "", "No", "", "", ""]
        )

    def grouped(out: str) -> None:
        assert len(out.splitlines()) < 10, out[:2000]

    return Run(["responses", "import", forum.path, "send2026", path, "--dry-run"], check=grouped)


def pipe_into_head(forum: Forum) -> Run:
    def quiet(out: str) -> None:
        assert "Broken pipe" not in out and "Exception ignored" not in out and "Error" not in out

    return Run(
        ["responses", "show", forum.path, "--respondent", RESPONDENT],
        into_head=True,
        check=quiet,
    )


def _has(text: str, words: str) -> None:
    assert words in text, text[:2000]


CASES: dict[str, Callable[[Forum], Run]] = {
    "kdf-old-ceiling": kdf_old_ceiling,
    "kdf-over-new-ceiling": kdf_over_new_ceiling,
    "test-kdf-new": weak_kdf_new,
    "test-kdf-info": weak_kdf_info,
    "csv-40mb-line": csv_huge_line,
    "csv-200k-cell": csv_huge_cell,
    "fifo-as-data": fifo_data,
    "fifo-as-form": fifo_form,
    "fifo-as-quotes": fifo_quotes,
    "device-as-data": device_data,
    "folder-as-data": folder_data,
    "xlsx-entities-form": xlsx_entity_bomb_form,
    "xlsx-entities-data": xlsx_entity_bomb_data,
    "xlsx-entities-quotes": xlsx_entity_bomb_quotes,
    "expression-5000-deep": expression_5000_deep,
    "expression-5000-terms": expression_5000_terms,
    "relevant-itself": relevant_itself,
    "relevant-circle": relevant_circle,
    "csv-mixed-encodings": csv_mixed_encodings,
    "xlsx-uncached-formulas": xlsx_uncached_formulas,
    "escapes-on-terminal": escapes_on_terminal,
    "nul-in-csv-export": nul_in_csv_export,
    "csv-16384-columns": csv_16384_columns,
    "pipe-into-head": pipe_into_head,
}


# ---- the table ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    case: str
    exit: int
    says: str


def table() -> list[Row]:
    """The rows of docs/reliability.md's table: | `id` | input | before | exit | “says” |."""
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`([a-z0-9-]+)`\s*\|.*\|\s*(\d+)\s*\|\s*“(.+?)”\s*\|\s*$", line)
        if match:
            rows.append(Row(match[1], int(match[2]), match[3]))
    return rows


def test_the_table_and_the_cases_match() -> None:
    documented = [row.case for row in table()]
    assert len(documented) == len(set(documented)), "a case is in the table twice"
    assert set(documented) == set(CASES), (
        f"in the table only: {sorted(set(documented) - set(CASES))}; "
        f"here only: {sorted(set(CASES) - set(documented))}"
    )


def _run(run: Run) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "FORUMKIT_PASSPHRASE": PASSPHRASE, **run.env}
    env.pop("FORUMKIT_DEBUG", None)
    command = [sys.executable, "-m", "forumkit", *map(str, run.args)]
    if run.terminal:
        return _on_terminal(command, env)
    if run.into_head:
        shell = " ".join(f"'{part}'" for part in command) + " | head -n 1; exit ${PIPESTATUS[0]}"
        done = subprocess.run(
            ["bash", "-c", shell], capture_output=True, text=True, env=env, timeout=TIMEOUT_S
        )
        return done.returncode, done.stdout + done.stderr
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=TIMEOUT_S,
        errors="replace",
    )
    return done.returncode, done.stdout + done.stderr


def _on_terminal(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    pid, fd = pty.fork()
    if pid == 0:  # the child: forumkit, with the terminal as its stdout and stderr
        os.execve(command[0], command, env)  # noqa: S606
    chunks: list[bytes] = []
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.parametrize("row", table(), ids=lambda row: row.case)
def test_each_input_gets_the_documented_outcome(row: Row, forum: Forum) -> None:
    run = CASES[row.case](forum)
    began = time.monotonic()
    code, output = _run(run)
    took = time.monotonic() - began
    assert "Traceback" not in output and "internal error" not in output, output[-2000:]
    assert code == row.exit, f"exit {code}, the table says {row.exit}: {output[-2000:]}"
    assert row.says in output, f"“{row.says}” not in: {output[-2000:]}"
    assert took < TIMEOUT_S / 2, f"took {took:.0f} s"
    if run.check is not None:
        run.check(output)
