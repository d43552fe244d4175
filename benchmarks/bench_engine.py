"""What a change costs the GUI thread now that saves run in the background.

``python benchmarks/bench_engine.py`` builds, for each size (default 2,000, 10,000 and 100,000
responses), a forum file with the real schema: the demo parent survey and synthetic responses
added through the core (``add_incoming``, one transaction). It opens the file as the app does
(``unlock`` in a worker thread, ``Workspace.from_unlocked``, ``save_in_background``) and, over
``--repeat`` rounds, times on this (the database's) thread:

* **change**: adding one complete response (``add_response``: checks, insert, commit,
  serialize, hand-off to the writer), saving in the background as the app does; the write is
  then waited for, untimed, so the next round starts with an idle writer;
* **change, saving off**: the same change with the workspace's hand-off to the writer replaced
  by nothing (no serialize, no save);
* **serialize**: a bare ``connection.serialize()`` of the same database.

Targets (issue 10): (change − change with saving off) ÷ serialize ≤ 1.5 at 10,000 and 100,000
(the GUI thread pays for little more than the serialize it cannot avoid); a whole change ≤ 5 ms
at 2,000. And memory: the peak resident size during a save (change + write), above the resident
size just before, divided by the image size, ≤ 2 (read from ``VmHWM`` after resetting it through
``/proc/self/clear_refs``; Linux only).

Also printed, for information: opening (``unlock`` in a worker thread, which decrypts, loads
the database and builds its search indexes, then ``from_unlocked`` on this thread, shown in
brackets) and the background write of one save. Everything is written
under a temporary folder and deleted; key derivation uses ``FORUMKIT_INSECURE_TEST_KDF=1``.
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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ["FORUMKIT_INSECURE_TEST_KDF"] = "1"

_HERE = Path(__file__).resolve().parent
if str(_HERE.parent) not in sys.path:
    sys.path.insert(0, str(_HERE.parent))

import sqlite3  # noqa: E402

from forumkit.demo import demo_answers  # noqa: E402
from forumkit.paths import resource_path  # noqa: E402
from forumkit.responses import IncomingResponse, add_incoming, add_response  # noqa: E402
from forumkit.responses.query import ResponseQuery, choice_counts, response_order  # noqa: E402
from forumkit.surveys import Survey, check_response, import_xlsform  # noqa: E402
from forumkit.workspace import Workspace, unlock  # noqa: E402

PASSPHRASE = "benchmark passphrase"
RATIO_TARGET = 1.5
SMALL_CHANGE_MS = 5.0
MEMORY_TARGET = 2.0


@dataclass(frozen=True)
class Result:
    responses: int
    image_mib: float
    open_ms: float
    open_gui_ms: float
    change_ms: float
    change_off_ms: float
    serialize_ms: float
    write_ms: float
    first_memory_ratio: float | None
    memory_ratio: float | None
    search_ms: float
    search_scan_ms: float
    count_ms: float
    count_scan_ms: float

    @property
    def ratio(self) -> float:
        return (self.change_ms - self.change_off_ms) / self.serialize_ms


def build(folder: Path, rows: int) -> tuple[Path, Survey]:
    path = folder / f"bench-{rows}.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Bench PCF") as workspace:
        survey = import_xlsform(workspace, resource_path("demo", "parent-survey-2026.xlsx")).survey
        rng = random.Random(2026)
        start = dt.datetime(2026, 1, 5, 9, 0)
        add_incoming(
            workspace,
            survey,
            [
                IncomingResponse(
                    answers=demo_answers(rng),
                    source="import:googleforms:bench.csv",
                    source_key=f"row:{n}",
                    started=(start + dt.timedelta(minutes=3 * n)).isoformat(),
                )
                for n in range(rows)
            ],
        )
    return path, survey


def complete_answers(survey: Survey, rng: random.Random) -> dict[str, object]:
    while True:
        answers = demo_answers(rng)
        if not check_response(survey, answers).problems:
            return answers


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _memory_ratio(add: Callable[[], object], workspace: Workspace, rounds: int) -> float | None:
    """The largest rise of the peak resident size over a save (change, then the write), above
    the resident size just before it, divided by the image size; None where not measurable."""
    if not sys.platform.startswith("linux"):
        return None
    workspace.flush()
    ratios = []
    for _ in range(rounds):
        before = _status_kib("VmRSS")
        if not _reset_peak():
            return None
        add()
        workspace.flush()
        image = len(workspace.db.conn.serialize())
        ratios.append((_status_kib("VmHWM") - before) * 1024 / image)
    return max(ratios)


def _queries(workspace: Workspace, survey: Survey, repeat: int) -> tuple[float, ...]:
    """Search and a one-way count through the derived indexes, and the same answered by
    scanning every response's answers (what forumkit did before them)."""
    db = workspace.db
    query = ResponseQuery(search="tribunal")
    found = len(response_order(db, survey, query))
    scan_sql = (
        "SELECT seq FROM responses WHERE survey_id = ? AND EXISTS (SELECT 1 FROM "
        "json_each(responses.answers) AS a WHERE a.value LIKE '%tribunal%')"
    )
    assert len(db.execute(scan_sql, [survey.id]).fetchall()) == found
    counts = choice_counts(db, survey, "need_areas", status=None)
    count_sql = (
        "SELECT a.value, count(*) FROM responses, json_each(responses.answers, "
        "'$.need_areas') AS a WHERE survey_id = ? GROUP BY a.value"
    )
    scanned = dict(db.execute(count_sql, [survey.id]).fetchall())
    assert {k: v for k, v in counts.items() if v} == scanned
    runs: list[list[float]] = [[], [], [], []]
    for _ in range(max(3, repeat // 3)):
        for n, action in enumerate(
            (
                lambda: response_order(db, survey, query),
                lambda: db.execute(scan_sql, [survey.id]).fetchall(),
                lambda: choice_counts(db, survey, "need_areas", status=None),
                lambda: db.execute(count_sql, [survey.id]).fetchall(),
            )
        ):
            start = time.perf_counter()
            action()
            runs[n].append(time.perf_counter() - start)
    return tuple(median_ms(r) for r in runs)


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def measure(folder: Path, rows: int, repeat: int) -> Result:
    path, survey = build(folder, rows)
    began = time.perf_counter()
    opened: list[object] = []
    worker = threading.Thread(target=lambda: opened.append(unlock(path, PASSPHRASE)))
    worker.start()
    worker.join()
    from forumkit.workspace import UnlockedFile

    unlocked = opened[0]
    assert isinstance(unlocked, UnlockedFile)
    on_gui = time.perf_counter()
    workspace = Workspace.from_unlocked(unlocked)
    open_gui_ms = (time.perf_counter() - on_gui) * 1000
    open_ms = (time.perf_counter() - began) * 1000
    workspace.save_in_background()
    conn: sqlite3.Connection = workspace.db.conn
    rng = random.Random(7)
    add = lambda: add_response(  # noqa: E731
        workspace, survey, complete_answers(survey, rng), status="complete"
    )
    first_memory_ratio = _memory_ratio(add, workspace, 1)  # the first save after opening
    for _ in range(3):  # warm: the writer's buffer, SQLite's page cache
        add()
        workspace.flush()
    real_hand_off = workspace._hand_off

    def timed(action: Callable[[], object]) -> float:
        start = time.perf_counter()
        action()
        return time.perf_counter() - start

    changes: list[float] = []
    changes_off: list[float] = []
    serializes: list[float] = []
    writes: list[float] = []
    for _ in range(repeat):
        changes.append(timed(add))
        writes.append(timed(workspace.flush))
        workspace._hand_off = lambda purge: None  # type: ignore[method-assign]
        try:
            changes_off.append(timed(add))
        finally:
            workspace._hand_off = real_hand_off  # type: ignore[method-assign]
        serializes.append(timed(conn.serialize))
        workspace.flush()
    image = len(conn.serialize())

    memory_ratio = _memory_ratio(add, workspace, 3)
    search_ms, search_scan_ms, count_ms, count_scan_ms = _queries(workspace, survey, repeat)
    workspace.close()
    return Result(
        responses=rows,
        image_mib=image / 2**20,
        open_ms=open_ms,
        open_gui_ms=open_gui_ms,
        change_ms=median_ms(changes),
        change_off_ms=median_ms(changes_off),
        serialize_ms=median_ms(serializes),
        write_ms=median_ms(writes),
        first_memory_ratio=first_memory_ratio,
        memory_ratio=memory_ratio,
        search_ms=search_ms,
        search_scan_ms=search_scan_ms,
        count_ms=count_ms,
        count_scan_ms=count_scan_ms,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000,100000")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--dir", type=Path, default=None, help="where to write (a temp folder)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="forumkit-bench-engine-", dir=args.dir) as name:
        os.environ["FORUMKIT_CONFIG_DIR"] = str(Path(name) / "config")
        for rows in sizes:
            results.append(measure(Path(name), rows, args.repeat))
            print(f"  measured {rows:,}", file=sys.stderr, flush=True)
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores")
    print(f"python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    print(f"medians of {args.repeat} rounds, ms on the database (GUI) thread")
    print(
        "| responses | image MiB | open (of which GUI thread) | change | change, saving off | "
        "serialize | (change − off) ÷ serialize | write (writer thread) | peak RSS rise ÷ image: "
        "first save, later saves |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    ok = True
    for r in results:
        memory = ", ".join(
            f"{m:.2f}" if m is not None else "n/a" for m in (r.first_memory_ratio, r.memory_ratio)
        )
        print(
            f"| {r.responses:,} | {r.image_mib:.1f} | {r.open_ms:.0f} ({r.open_gui_ms:.1f}) | "
            f"{r.change_ms:.1f} | "
            f"{r.change_off_ms:.1f} | {r.serialize_ms:.1f} | {r.ratio:.2f} | {r.write_ms:.1f} | "
            f"{memory} |"
        )
        if r.responses >= 10_000:
            ok &= r.ratio <= RATIO_TARGET
        else:
            ok &= r.change_ms <= SMALL_CHANGE_MS
        for measured in (r.first_memory_ratio, r.memory_ratio):
            if measured is not None:
                ok &= measured <= MEMORY_TARGET
    print("for information, ms: search 'tribunal' (index / scanning the answers), count of one")
    print("choice question (index / scanning)")
    for r in results:
        print(
            f"  {r.responses:>7,}: search {r.search_ms:.1f} / {r.search_scan_ms:.1f}, "
            f"count {r.count_ms:.1f} / {r.count_scan_ms:.1f}"
        )
    print("targets met" if ok else "a target was missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
