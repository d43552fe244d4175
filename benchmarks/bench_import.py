"""How fast is a spreadsheet import? ``python benchmarks/bench_import.py [--rows N] [--repeat R]``

Builds a 20-question survey (choices, multi-selects with labels containing ", ", integers with
constraints, dates, free text, a skip rule) and a Google-Forms-style xlsx of ``--rows`` responses
(default 10,000; a quarter of the answers free text of about 300 characters), then reports the
medians of ``--repeat`` runs (default 3) of:

* **bare read**: opening the workbook with openpyxl in read-only mode (``data_only=True``) and
  iterating every row's values: the least any xlsx import can cost;
* **import**: ``plan_import`` (read, detect, map, convert, ``check_response`` per row) plus
  ``run_import`` (one transaction: insert and one encrypted save of the forum file), split into
  the read, the per-row work and the store;
* the ratio import / bare read (target: ≤ 1.5);
* **re-imports** into the same file: the same export again (every row held: nothing stored) and
  an edited export (every 100th row's free text changed, the file made later: those responses
  updated, the replaced text purged, so the save vacuums and rewrites the backup too), each
  timed for ``already_held`` (the dry run's sorting) and ``run_import`` (sorting and storing).

Each import goes into a fresh forum file made with ``FORUMKIT_INSECURE_TEST_KDF=1`` (set here,
for this process only, so key derivation is not what is measured); ``FORUMKIT_CONFIG_DIR``
points at the temporary folder. Everything is written under a temporary folder and deleted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ["FORUMKIT_INSECURE_TEST_KDF"] = "1"

_HERE = Path(__file__).resolve().parent
if str(_HERE.parent) not in sys.path:
    sys.path.insert(0, str(_HERE.parent))

import openpyxl  # noqa: E402

import forumkit.importers.plan as import_plan  # noqa: E402
from forumkit.importers import already_held, plan_import, run_import  # noqa: E402
from forumkit.surveys import Survey, import_xlsform  # noqa: E402
from forumkit.workspace import Workspace  # noqa: E402

PASSPHRASE = "benchmark passphrase, not a secret"
TARGET_RATIO = 1.5

SERVICES = [
    ("respite", "Respite, short breaks"),
    ("salt", "Speech and language therapy"),
    ("ot", "Occupational therapy"),
    ("camhs", "CAMHS"),
    ("physio", "Physiotherapy"),
    ("social", "Social care, including direct payments"),
]
AGREE = [
    ("sa", "Strongly agree"),
    ("a", "Agree"),
    ("n", "Neither agree nor disagree"),
    ("d", "Disagree"),
    ("sd", "Strongly disagree"),
]
YES_NO = [("yes", "Yes"), ("no", "No")]

# (type, name, label, relevant, constraint): 20 questions.
QUESTIONS: list[tuple[str, str, str, str, str]] = [
    ("select_one yes_no", "consent_share", "Can we share your answers?", "", ""),
    ("select_one yes_no", "consent_quote", "Can we quote you?", "", ""),
    ("integer", "child_age", "How old is your child?", "", ". >= 0 and . <= 25"),
    ("integer", "children", "How many children do you care for?", "", ". >= 1 and . <= 12"),
    ("select_multiple services", "services", "Which services do you use?", "", ""),
    ("select_multiple services", "waiting", "Which services are you waiting for?", "", ""),
    ("select_one agree", "listened", "I feel listened to", "", ""),
    ("select_one agree", "informed", "I am kept informed", "", ""),
    ("select_one agree", "school_ok", "School meets my child's needs", "", ""),
    ("select_one yes_no", "ehcp", "Does your child have an EHCP?", "", ""),
    ("date", "ehcp_date", "When was the EHCP issued?", "${ehcp} = 'yes'", ""),
    ("date", "diagnosis_date", "When was your child diagnosed?", "", ""),
    ("integer", "weeks_waited", "How many weeks did you wait?", "", ". >= 0 and . <= 520"),
    ("select_multiple services", "helped", "Which services helped most?", "", ""),
    ("text", "story", "Tell us about your experience", "", ""),
    ("text", "change", "What one thing would you change?", "", ""),
    ("text", "school_story", "Tell us about school", "", ""),
    ("text", "health_story", "Tell us about health services", "", ""),
    ("text", "postcode_area", "Your postcode area", "", ""),
    ("integer", "hours_care", "Hours of care a week", "", ". >= 0 and . <= 168"),
]
FREE_TEXT = {"story", "change", "school_story", "health_story", "postcode_area"}
STORY = next(question for question in QUESTIONS if question[1] == "story")


def write_survey(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "relevant", "constraint"])
    for row in QUESTIONS:
        survey.append(list(row))
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for list_name, options in (("services", SERVICES), ("agree", AGREE), ("yes_no", YES_NO)):
        for name, label in options:
            choices.append([list_name, name, label])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id"])
    settings.append(["Benchmark survey", "bench"])
    workbook.save(path)
    return path


def _words(rng: random.Random, chars: int) -> str:
    vocabulary = [
        "waited",
        "school",
        "support",
        "assessment",
        "meeting",
        "therapy",
        "letter",
        "never",
        "finally",
        "plan",
        "review",
        "phone",
        "weeks",
        "months",
        "help",
    ]
    words: list[str] = []
    while sum(len(word) + 1 for word in words) < chars:
        words.append(rng.choice(vocabulary))
    return " ".join(words).capitalize() + "."


EDITED_EVERY = 100
"""In the edited export, every this many rows has its first free text changed."""


def write_responses(path: Path, rows: int, seed: int = 7, *, edited: bool = False) -> Path:
    """A Google Forms export: Timestamp, Email address, then the 20 questions' labels; with
    ``edited``, the same export with every :data:`EDITED_EVERY`-th row's story changed."""
    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Form responses 1")
    sheet.append(["Timestamp", "Email address", *(label for _, _, label, _, _ in QUESTIONS)])
    start = dt.datetime(2026, 3, 1, 8, 0, 0)
    for number in range(rows):
        answers: list[object] = []
        ehcp = rng.random() < 0.5
        for kind, name, _, _, _ in QUESTIONS:
            if name in FREE_TEXT:
                answers.append(_words(rng, 300 if name != "postcode_area" else 4))
            elif name == "ehcp":
                answers.append("Yes" if ehcp else "No")
            elif kind.startswith("select_one"):
                options = YES_NO if "yes_no" in kind else AGREE
                answers.append(rng.choice(options)[1])
            elif kind.startswith("select_multiple"):
                picked = rng.sample(SERVICES, rng.randint(0, 3))
                answers.append(", ".join(label for _, label in picked))
            elif kind == "integer":
                answers.append(rng.randint(1, 12))
            elif kind == "date":
                answers.append(
                    dt.datetime(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2000))
                    if name != "ehcp_date" or ehcp
                    else None
                )
        if edited and number % EDITED_EVERY == 0:
            answers[QUESTIONS.index(STORY)] = "Edited in the sheet: a name taken out."
        stamp = start + dt.timedelta(minutes=7 * number)
        email = f"parent{number}@example.org" if number % 3 == 0 else None
        sheet.append([stamp, email, *answers])
    workbook.save(path)
    return path


def bare_read(path: Path) -> int:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = 0
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        count += 1
    workbook.close()
    return count


def timed(function: Callable[[], object]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this process) that ``function`` took."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - wall, time.process_time() - cpu


def import_once(
    folder: Path, form: Path, data: Path, run: int, edited: Path | None = None
) -> dict[str, float]:
    """One import into a fresh forum file, timed per phase (wall clock) and in total (CPU);
    with ``edited``, then the re-imports (the same file, then the edited one)."""
    workspace = Workspace.create(folder / f"forum{run}.forumkit", PASSPHRASE, forum="Bench")
    try:
        survey: Survey = import_xlsform(workspace, form).survey
        read_seconds: list[float] = []
        original = import_plan.read_table

        def timed_read(path: Path) -> import_plan.SourceTable:
            began = time.perf_counter()
            table = original(path)
            read_seconds.append(time.perf_counter() - began)
            return table

        import_plan.read_table = timed_read
        cpu = time.process_time()
        try:
            began = time.perf_counter()
            plan = plan_import(survey, data)
            planned = time.perf_counter()
        finally:
            import_plan.read_table = original
        if plan.problems:
            raise SystemExit(f"benchmark data has problems: {plan.problems[:3]}")
        added = run_import(workspace, survey, plan)
        stored = time.perf_counter()
        cpu = time.process_time() - cpu
        assert added.added == plan.row_count, (added, plan.row_count)
        phases = {
            "read": read_seconds[0],
            "rows": planned - began - read_seconds[0],
            "store": stored - planned,
            "total": stored - began,
            "cpu": cpu,
        }
        if edited is not None:
            phases.update(_reimports(workspace, survey, data, edited))
        return phases
    finally:
        workspace.close()


def _reimports(workspace: Workspace, survey: Survey, data: Path, edited: Path) -> dict[str, float]:
    """The same export again, then the edited one: sorting alone and the whole store."""
    phases: dict[str, float] = {}
    for label, path in (("same", data), ("edited", edited)):
        plan = plan_import(survey, path)
        phases[f"{label} sort"], _ = timed(lambda plan=plan: already_held(workspace.db, plan))
        began = time.perf_counter()
        again = run_import(workspace, survey, plan)
        phases[f"{label} store"] = time.perf_counter() - began
        expected = -(-plan.row_count // EDITED_EVERY) if label == "edited" else 0
        assert (again.added, again.updated) == (0, expected), again
    return phases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="forumkit-bench-import-") as name:
        folder = Path(name)
        os.environ["FORUMKIT_CONFIG_DIR"] = str(folder / "config")
        form = write_survey(folder / "bench_form.xlsx")
        data = write_responses(folder / "responses.xlsx", args.rows)
        edited = write_responses(folder / "edited.xlsx", args.rows, edited=True)
        later = time.time() + 60  # the edited export was made after the first one
        os.utime(edited, (later, later))
        size = data.stat().st_size
        bare: list[tuple[float, float]] = []
        runs: list[dict[str, float]] = []
        for run in range(args.repeat):
            # Interleaved, so load from other processes on a shared machine hits both alike.
            bare.append(timed(lambda: bare_read(data)))
            runs.append(import_once(folder, form, data, run, edited))
    median_bare = statistics.median(wall for wall, _ in bare)
    median_bare_cpu = statistics.median(cpu for _, cpu in bare)
    phases = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    ratio = phases["total"] / median_bare
    cpu_ratio = phases["cpu"] / median_bare_cpu
    print(
        f"python {platform.python_version()}, openpyxl {openpyxl.__version__}, "
        f"{os.cpu_count()} cpus, {platform.machine()}"
    )
    print(
        f"{args.rows:,} rows × 20 questions, xlsx {size / 1e6:.1f} MB, medians of "
        f"{args.repeat} runs (ms)"
    )
    print(f"bare read (openpyxl read-only, iterate values): {median_bare * 1000:8.0f}")
    print(f"import total:                                  {phases['total'] * 1000:8.0f}")
    print(f"  read (ours, incl. openpyxl):                 {phases['read'] * 1000:8.0f}")
    print(f"  rows (map, convert, check_response):         {phases['rows'] * 1000:8.0f}")
    print(f"  store (add_incoming, one encrypted save):    {phases['store'] * 1000:8.0f}")
    print(f"CPU time: bare read {median_bare_cpu * 1000:.0f}, import {phases['cpu'] * 1000:.0f}")
    edits = -(-args.rows // EDITED_EVERY)
    print("re-imports into that file, ms:")
    print(
        f"  the same export: sort {phases['same sort'] * 1000:.0f}, "
        f"import {phases['same store'] * 1000:.0f} (no response added)"
    )
    print(
        f"  edited ({edits:,} rows changed): sort {phases['edited sort'] * 1000:.0f}, "
        f"import {phases['edited store'] * 1000:.0f} (updates, a purging save)"
    )
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(
        f"import / bare read: {ratio:.2f}× wall clock (target ≤ {TARGET_RATIO}×: {verdict}), "
        f"{cpu_ratio:.2f}× CPU time"
    )


if __name__ == "__main__":
    main()
