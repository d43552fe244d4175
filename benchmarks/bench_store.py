"""How fast does an import's batch go into the forum file? ``python benchmarks/bench_store.py``

``add_incoming`` of ``--rows`` responses (default 10,000) to the demo parent survey, synthetic
answers from ``forumkit.demo.demo_answers``, each run into a fresh forum file: sorting the rows
(``sort_incoming``), encoding, inserting (the temporary triggers keep the search indexes
current as rows go in) and one encrypted save. Then, on the same prepared rows inside a
transaction that is rolled back, the insert alone two ways: a statement per row
(``executemany``, what forumkit did before) and sqlite-utils' ``insert_all`` (100 rows a
statement, what ``forumkit.responses.saving.insert_rows`` does). Medians of ``--repeat`` runs,
wall clock and CPU time of this process (the CPU time is the steadier on a shared machine).

Key derivation uses ``FORUMKIT_INSECURE_TEST_KDF=1``; everything is written under a temporary
folder and deleted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ["FORUMKIT_INSECURE_TEST_KDF"] = "1"

_HERE = Path(__file__).resolve().parent
if str(_HERE.parent) not in sys.path:
    sys.path.insert(0, str(_HERE.parent))

import sqlite_utils  # noqa: E402

from forumkit.demo import demo_answers  # noqa: E402
from forumkit.paths import resource_path  # noqa: E402
from forumkit.responses import IncomingResponse, add_incoming  # noqa: E402
from forumkit.responses.incoming import incoming_id  # noqa: E402
from forumkit.responses.model import AnswerEncoder  # noqa: E402
from forumkit.surveys import Survey, import_xlsform  # noqa: E402
from forumkit.workspace import Workspace  # noqa: E402

PASSPHRASE = "benchmark passphrase"


def incoming_rows(count: int) -> list[IncomingResponse]:
    rng = random.Random(2026)
    start = dt.datetime(2026, 1, 5, 9, 0)
    return [
        IncomingResponse(
            answers=demo_answers(rng),
            source="import:googleforms:bench.csv",
            source_key=f"row:{n}",
            respondent=f"parent{n}@example.org" if n % 3 == 0 else None,
            started=(start + dt.timedelta(minutes=3 * n)).isoformat(),
        )
        for n in range(count)
    ]


def timed(work: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def stored_rows(survey: Survey, incoming: list[IncomingResponse]) -> list[dict[str, Any]]:
    encode = AnswerEncoder(survey)
    return [
        {
            "id": incoming_id(survey.id, item.source_key),
            "survey_id": survey.id,
            "version_id": survey.version_id,
            "status": item.status,
            "source": item.source,
            "source_key": item.source_key,
            "respondent": item.respondent,
            "respondent_key": item.respondent.casefold() if item.respondent else None,
            "captured_by": None,
            "device_id": "bench",
            "started": item.started,
            "finished": item.finished,
            "modified": "2026-11-01T00:00:00",
            "answers": encode(item.answers),
        }
        for item in incoming
    ]


def insert_ways(
    db: sqlite_utils.Database, rows: list[dict[str, Any]]
) -> dict[str, Callable[[], object]]:
    columns = list(rows[0])
    one_per_row = (
        f"INSERT INTO responses ({', '.join(columns)}) "  # noqa: S608 (our own column names)
        f"VALUES ({', '.join(':' + c for c in columns)})"
    )
    return {
        "a statement per row (executemany)": lambda: db.conn.executemany(one_per_row, rows),
        "insert_all (100 rows a statement)": lambda: db.table("responses").insert_all(rows),
    }


def rolled_back(conn: sqlite3.Connection, work: Callable[[], object]) -> tuple[float, float]:
    conn.execute("BEGIN")
    try:
        return timed(work)
    finally:
        conn.execute("ROLLBACK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    incoming = incoming_rows(args.rows)
    runs: list[tuple[float, float]] = []
    inserts: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="forumkit-bench-store-") as name:
        folder = Path(name)
        os.environ["FORUMKIT_CONFIG_DIR"] = str(folder / "config")
        form = resource_path("demo", "parent-survey-2026.xlsx")
        for run in range(args.repeat):
            with Workspace.create(folder / f"f{run}.forumkit", PASSPHRASE, forum="B") as ws:
                survey = import_xlsform(ws, form).survey
                runs.append(timed(lambda ws=ws, survey=survey: add_incoming(ws, survey, incoming)))
            with Workspace.create(folder / f"g{run}.forumkit", PASSPHRASE, forum="B") as ws:
                survey = import_xlsform(ws, form).survey
                rows = stored_rows(survey, incoming)
                ways = list(insert_ways(ws.db, rows).items())
                for label, work in ways if run % 2 else reversed(ways):
                    inserts.setdefault(label, []).append(rolled_back(ws.db.conn, work))
    print(
        f"python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"sqlite-utils {importlib.metadata.version('sqlite-utils')}, {os.cpu_count()} cpus; "
        f"{args.rows:,} responses, medians of {args.repeat} runs (ms)"
    )
    wall = statistics.median(w for w, _ in runs) * 1000
    cpu = statistics.median(c for _, c in runs) * 1000
    print(f"add_incoming (sort, encode, insert, one save): {wall:7.0f} wall, {cpu:7.0f} CPU")
    for label, times in inserts.items():
        wall = statistics.median(w for w, _ in times) * 1000
        cpu = statistics.median(c for _, c in times) * 1000
        print(f"  insert only, {label:34} {wall:7.0f} wall, {cpu:7.0f} CPU")


if __name__ == "__main__":
    main()
