"""What an analysis costs: every question of a 20-question survey, one cross-tab and one year
on year, with small-cell suppression, as the dashboard recomputes them on every filter change.

``python benchmarks/bench_analysis.py`` builds, for each size (default 10,000 and 100,000
responses), a forum file with two editions of a 20-question survey (last year's linked as the
previous edition, each with that many synthetic responses: choices with rare options, 1–5
ratings, 0–10 scores, counts, multi-selects, free text) and times, on the database thread,
medians of ``--repeat`` rounds:

* **every question**: ``forumkit.analysis.analyse`` over all complete responses, suppressed
  (counting from the chosen-options index, one pass over the answers, tabulating, protecting);
* **one cross-tab**: one rating question by the child's phase (``analyse_by`` of that question);
* **one year on year**: one rating question against last year's edition (``compare_editions``);
* the sum of the three, against the targets: ≤ 100 ms at 10,000, ≤ 1 s at 100,000;

and for reference the same counts by a single SQL ``GROUP BY`` over the stored answers (no
suppression, no statistics; checked equal to the analysis's unsuppressed counts), the analysis
unsuppressed, and, for information, every question as a cross-tab and every question year on
year. Everything is written under a temporary folder and deleted; key derivation uses
``FORUMKIT_INSECURE_TEST_KDF=1``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ["FORUMKIT_INSECURE_TEST_KDF"] = "1"

_HERE = Path(__file__).resolve().parent
if str(_HERE.parent) not in sys.path:
    sys.path.insert(0, str(_HERE.parent))

import sqlite3  # noqa: E402

from openpyxl import Workbook  # noqa: E402

from forumkit.analysis import (  # noqa: E402
    Scope,
    Settings,
    analyse,
    analyse_by,
    compare_editions,
)
from forumkit.responses import IncomingResponse, add_incoming  # noqa: E402
from forumkit.surveys import Survey, import_xlsform, set_previous_edition  # noqa: E402
from forumkit.workspace import Workspace  # noqa: E402

PASSPHRASE = "benchmark passphrase"
TARGETS_MS = {10_000: 100.0, 100_000: 1_000.0}
CROSSTAB = ("ehcp_sat", "phase")
YEAR_ON_YEAR = "local_offer"

LISTS = {
    "phase": ["early", "primary", "secondary", "post16", "adult"],
    "support": ["ehcp", "sen_support", "none", "not_sure"],
    "school": [
        "mainstream",
        "resourced",
        "special",
        "indep",
        "ap",
        "college",
        "nursery",
        "home",
        "none",
    ],
    "yes_no": ["yes", "no"],
    "sat": ["1", "2", "3", "4", "5"],
    "need": ["communication", "cognition", "semh", "sensory"],
    "service": ["salt", "ot", "camhs", "ep", "none"],
    "helper": ["school", "council", "health", "sendiass", "forum", "charity"],
}
# Weights with rare choices, so small cells appear once responses are filtered or grouped.
WEIGHTS = {
    "phase": [8, 38, 32, 14, 8],
    "support": [50, 30, 12, 8],
    "school": [40, 6, 16, 3, 2, 9, 5, 4, 15],
    "yes_no": [3, 7],
    "sat": [26, 30, 22, 15, 7],
}
QUESTIONS: list[tuple[str, str, str]] = [
    ("select_one phase", "phase", "Phase of education"),
    ("select_one support", "support", "Support the child has"),
    ("select_one school", "school", "Where the child learns"),
    ("select_one yes_no", "part_time", "Part-time timetable or excluded"),
    ("select_one yes_no", "plan_on_time", "Plan issued within 20 weeks"),
    ("select_one sat", "ehcp_sat", "Satisfaction with the EHCP process"),
    ("select_one sat", "local_offer", "Satisfaction with the Local Offer"),
    ("select_one sat", "health", "Satisfaction with health services"),
    ("select_multiple need", "needs", "Areas of need"),
    ("select_multiple service", "waited", "Services waited for"),
    ("select_multiple helper", "helped", "Who helped"),
    ("range", "score", "Services overall, 0 to 10"),
    ("range", "confidence", "Confidence in the future, 1 to 10"),
    ("integer", "age", "Child's age"),
    ("integer", "weeks", "Weeks waited for an assessment"),
    ("text", "difference", "What would make the biggest difference"),
    ("text", "experience", "Your experience"),
    ("text", "other", "Anything else"),
    ("select_one yes_no", "consent_quote", "May we quote you?"),
    ("select_one yes_no", "consent_share", "May we share with inspectors?"),
]
PARAMETERS = {"score": "start=0 end=10 step=1", "confidence": "start=1 end=10 step=1"}
SENTENCE = (
    "we waited months for an assessment and the school did not listen until the plan was "
    "finally written but the therapy never happened and transport is a daily battle"
)
WORDS = tuple(SENTENCE.split(" "))


def write_form(path: Path, form_id: str, previous: str) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    survey = workbook.create_sheet("survey")
    survey.append(["type", "name", "label", "parameters", "forumkit_consent"])
    for kind, name, label in QUESTIONS:
        consent = {"consent_quote": "quote", "consent_share": "share"}.get(name, "")
        survey.append([kind, name, label, PARAMETERS.get(name, ""), consent])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for list_name, names in LISTS.items():
        for name in names:
            choices.append([list_name, name, name.replace("_", " ").capitalize()])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "forumkit_previous"])
    settings.append([form_id, form_id, previous])
    workbook.save(path)
    return path


def answers(rng: random.Random) -> dict[str, object]:
    found: dict[str, object] = {}
    for kind, name, _ in QUESTIONS:
        if rng.random() < 0.06 and name not in ("phase", "consent_share"):
            continue  # no answer
        if kind.startswith("select_one"):
            list_name = kind.split()[1]
            found[name] = rng.choices(LISTS[list_name], weights=WEIGHTS.get(list_name))[0]
        elif kind.startswith("select_multiple"):
            options = LISTS[kind.split()[1]]
            found[name] = tuple(sorted(rng.sample(options, rng.randint(1, 3))))
        elif name == "score":
            found[name] = min(10, max(0, round(rng.gauss(4.6, 2.4))))
        elif name == "confidence":
            found[name] = rng.randint(1, 10)
        elif name == "age":
            found[name] = rng.randint(0, 25)
        elif name == "weeks":
            found[name] = int(rng.expovariate(1 / 30))
        elif rng.random() < 0.6:
            found[name] = " ".join(rng.choices(WORDS, k=rng.randint(10, 40))).capitalize() + "."
    return found


def fill(workspace: Workspace, survey: Survey, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    add_incoming(
        workspace,
        survey,
        [
            IncomingResponse(
                answers=answers(rng),
                source="import:googleforms:bench.csv",
                source_key=f"row:{n}",
                finished="2026-03-01T10:00:00+00:00",
            )
            for n in range(rows)
        ],
    )


def build(folder: Path, rows: int) -> Path:
    path = folder / f"bench-analysis-{rows}.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Bench PCF") as workspace:
        previous = import_xlsform(workspace, write_form(folder / "p.xlsx", "bench_2025", "")).survey
        current = import_xlsform(
            workspace, write_form(folder / "c.xlsx", "bench_2026", "bench_2025")
        ).survey
        set_previous_edition(workspace, current.id, previous.form_id)
        fill(workspace, previous, rows, 2025)
        fill(workspace, current, rows, 2026)
    return path


REFERENCE_SQL = """
SELECT a.key, e.value, count(*) FROM responses r, json_each(r.answers) a,
    json_each(CASE WHEN a.type = 'array' THEN a.value ELSE json_array(a.value) END) e
WHERE r.survey_id = ? AND r.status = 'complete'
GROUP BY a.key, e.value
"""


@dataclass(frozen=True)
class Result:
    responses: int
    every_question_ms: float
    crosstab_ms: float
    year_on_year_ms: float
    reference_ms: float
    unsuppressed_ms: float
    all_crosstabs_ms: float
    all_year_on_year_ms: float

    @property
    def total_ms(self) -> float:
        return self.every_question_ms + self.crosstab_ms + self.year_on_year_ms


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def check_against_reference(db: sqlite3.Connection, survey: Survey, workspace: Workspace) -> None:
    """The analysis's unsuppressed counts are the single GROUP BY's."""
    reference: Counter[tuple[str, str]] = Counter()
    for key, value, count in db.execute(REFERENCE_SQL, [survey.id]).fetchall():
        reference[(str(key), str(value))] = int(count)
    shown = analyse(workspace.db, survey, Scope(), Settings(5, suppressed=False)).data()
    for question in shown["questions"]:
        if question["kind"] in ("single", "rating", "multiple"):
            for name, count in question["counts"].items():
                assert reference[(question["name"], name)] == count, (question["name"], name)


def measure(folder: Path, rows: int, repeat: int) -> Result:
    path = build(folder, rows)
    with Workspace.open(path, PASSPHRASE, read_only=True) as workspace:
        db = workspace.db
        from forumkit.surveys import get_survey

        current = get_survey(db, "bench_2026")
        previous = get_survey(db, "bench_2025")
        suppressed = Settings(5)
        check_against_reference(db.conn, current, workspace)
        scope = Scope()
        question, attribute = CROSSTAB
        actions = {
            "every": lambda: analyse(db, current, scope, suppressed),
            "crosstab": lambda: analyse_by(
                db, current, attribute, scope, suppressed, questions=[question]
            ),
            "yoy": lambda: compare_editions(
                db, current, previous, scope, suppressed, questions=[YEAR_ON_YEAR]
            ),
            "reference": lambda: db.execute(REFERENCE_SQL, [current.id]).fetchall(),
            "unsuppressed": lambda: analyse(db, current, scope, Settings(5, suppressed=False)),
        }
        for action in actions.values():
            action()  # warm: the page cache, the derived indexes' pages
        times = {name: median_ms(action, repeat) for name, action in actions.items()}
        rounds = max(1, repeat // 5)
        all_crosstabs = median_ms(
            lambda: analyse_by(db, current, attribute, scope, suppressed), rounds
        )
        all_years = median_ms(
            lambda: compare_editions(db, current, previous, scope, suppressed), rounds
        )
    return Result(
        rows,
        times["every"],
        times["crosstab"],
        times["yoy"],
        times["reference"],
        times["unsuppressed"],
        all_crosstabs,
        all_years,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--dir", type=Path, default=None, help="where to write (a temp folder)")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="forumkit-bench-analysis-", dir=args.dir) as name:
        os.environ["FORUMKIT_CONFIG_DIR"] = str(Path(name) / "config")
        for rows in (int(size) for size in args.sizes.split(",")):
            results.append(measure(Path(name), rows, args.repeat))
            print(f"  measured {rows:,}", file=sys.stderr, flush=True)
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores")
    print(f"python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    print(f"medians of {args.repeat} rounds, ms on the database thread, suppression on (t = 5)")
    print(
        "| responses | every question | one cross-tab | one year on year | sum | target | "
        "reference GROUP BY | sum / reference | every question unsuppressed |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    ok = True
    for r in results:
        target = TARGETS_MS.get(r.responses)
        met = target is None or r.total_ms <= target
        ok &= met
        target_text = f"≤ {target:,.0f}" if target is not None else "–"
        print(
            f"| {r.responses:,} | {r.every_question_ms:.1f} | {r.crosstab_ms:.1f} | "
            f"{r.year_on_year_ms:.1f} | **{r.total_ms:.1f}** | {target_text} | "
            f"{r.reference_ms:.1f} | {r.total_ms / r.reference_ms:.1f}× | {r.unsuppressed_ms:.1f} |"
        )
    print(
        "for information, ms: every question as a cross-tab by phase; every question year on year"
    )
    for r in results:
        print(f"  {r.responses:>7,}: {r.all_crosstabs_ms:.0f}; {r.all_year_on_year_ms:.0f}")
    print("targets met" if ok else "a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
