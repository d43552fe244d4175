"""Merging laptops' copies of a forum file: a volunteer's evening into the chair's file, and two
large files into each other.

``python benchmarks/bench_merge.py [--responses N] [--volunteer V] [--repeat R]`` builds, with
the real schema and the demo parent survey, a chair's file of ``N`` (default 10,000) complete
responses with 1,000 tagged quotes, a volunteer's copy (``volunteer_copy``) holding ``V``
(default 500) responses of its own with 50 tagged quotes, and a second large copy holding ``N``
responses of its own, 2,000 of the chair's (merged earlier) of which 100 were corrected on both
sides since (so 100 conflicts), and 1,000 quotes. It then times, medians of ``R`` rounds (each
round on fresh copies of the files), the whole ``merge`` call as the command line makes it:

* **volunteer into chair**: 500 responses into 10,000. Target ≤ 0.5 s plus one key derivation.
* **two large files into each other**: each way. Target ≤ 3 s plus one key derivation.
* **again**: the same merges a second time (nothing new: what a re-merge costs).

Each is split into *open* (decrypt and load the other file, with the test key derivation, which
takes a few milliseconds) and *merge and save* (the comparison, the writes, the audit entry, the
serialize, encryption and write of the grown file). The key derivation with forumkit's real
settings is timed separately: the targets add it. Everything is written under a temporary folder
and deleted; files use ``FORUMKIT_INSECURE_TEST_KDF=1``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ["FORUMKIT_INSECURE_TEST_KDF"] = "1"

_HERE = Path(__file__).resolve().parent
if str(_HERE.parent) not in sys.path:
    sys.path.insert(0, str(_HERE.parent))

from forumkit.demo import demo_answers  # noqa: E402
from forumkit.merge import MergeResult, merge, volunteer_copy  # noqa: E402
from forumkit.merge.run import merge_copy  # noqa: E402
from forumkit.merge.source import open_copy  # noqa: E402
from forumkit.paths import resource_path  # noqa: E402
from forumkit.quotes import create_quote, tag_quote  # noqa: E402
from forumkit.responses import IncomingResponse, add_incoming, update_response  # noqa: E402
from forumkit.surveys import Survey, check_response, import_xlsform  # noqa: E402
from forumkit.vault.keys import DEFAULT_KDF, PassphraseSlot  # noqa: E402
from forumkit.workspace import Workspace  # noqa: E402

PASSPHRASE = "benchmark passphrase"


def opened(path: Path) -> Workspace:
    """Open for writing. The benchmark copies files and opens the copies again and again (each
    round starts from the same file), which forumkit would take for older copies of a file this
    computer has seen saved: they are accepted as such."""
    return Workspace.open(path, PASSPHRASE, accept_older_copy=True)


VOLUNTEER_TARGET_S = 0.5
LARGE_TARGET_S = 3.0
KEYS = ("listen-early", "money", "workforce", "coproduction")


def answers(survey: Survey, rng: random.Random) -> dict[str, object]:
    while True:
        found = demo_answers(rng)
        found["consent_quote"] = found["consent_share"] = "yes"
        found["experience"] = found.get("experience") or "We waited a long time for help."
        if not check_response(survey, found).problems:
            return found


def fill(workspace: Workspace, survey: Survey, count: int, key: str, seed: int) -> None:
    rng = random.Random(seed)
    start = dt.datetime(2026, 3, 1, 9, 0)
    add_incoming(
        workspace,
        survey,
        [
            IncomingResponse(
                answers=answers(survey, rng),
                source=f"import:googleforms:{key}.csv",
                source_key=f"{key}:{n}",
                started=(start + dt.timedelta(minutes=n)).isoformat(),
            )
            for n in range(count)
        ],
    )


def tag(workspace: Workspace, count: int, seed: int, skip: int = 0) -> None:
    rng = random.Random(seed)
    rows = workspace.db.execute(
        "SELECT id FROM responses ORDER BY seq LIMIT ? OFFSET ?", [count, skip]
    ).fetchall()
    with workspace.transaction("bench_quotes"):
        for (response_id,) in rows:
            made = create_quote(workspace, str(response_id), "experience").after
            assert made is not None
            tag_quote(workspace, made.id, [rng.choice(KEYS)])


def build(folder: Path, responses: int, volunteer: int) -> tuple[Path, Path, Path]:
    chair = folder / "chair.forumkit"
    with Workspace.create(chair, PASSPHRASE, forum="Bench PCF") as ws:
        survey = import_xlsform(ws, resource_path("demo", "parent-survey-2026.xlsx")).survey
        fill(ws, survey, responses, "chair", 1)
        tag(ws, 1000, 2)
        laptop = volunteer_copy(ws, folder / "laptop.forumkit", PASSPHRASE).path
        large = volunteer_copy(ws, folder / "large.forumkit", PASSPHRASE).path
    with opened(laptop) as ws:
        fill(ws, survey, volunteer, "laptop", 3)
        tag(ws, volunteer // 10, 4)
    shared = 2000
    with opened(large) as ws:
        fill(ws, survey, responses - shared, "large", 5)
        tag(ws, 1000, 6)
    # 2,000 of the chair's responses reach the large copy through a merge; then both sides
    # correct the same 100 of them.
    partial = folder / "partial.forumkit"
    shutil.copyfile(chair, partial)
    with opened(partial) as ws, ws.transaction("bench_trim"):
        ws.db.execute(
            "DELETE FROM responses WHERE id NOT IN (SELECT id FROM responses ORDER BY seq LIMIT ?)",
            [shared],
        )
    with opened(large) as ws:
        merge(ws, partial, PASSPHRASE)
        corrected = [
            str(row[0])
            for row in ws.db.execute(
                "SELECT id FROM responses WHERE source LIKE '%chair%' ORDER BY seq LIMIT 100"
            ).fetchall()
        ]
        with ws.transaction("bench_corrections"):
            for response_id in corrected:
                update_response(ws, response_id, answers(survey, random.Random(response_id)))
    with opened(chair) as ws, ws.transaction("bench_corrections"):
        for response_id in corrected:
            update_response(ws, response_id, answers(survey, random.Random(response_id + "c")))
    partial.unlink()
    return chair, laptop, large


@dataclass(frozen=True)
class Round:
    """One round of one merge, in ms: opening the other file, merging and saving, and the same
    merge again with nothing new (opening included)."""

    open_ms: float
    merge_ms: float
    again_ms: float
    result: MergeResult


def timed_merge(folder: Path, target: Path, other: Path) -> Round:
    """One merge of ``other`` into a fresh copy of ``target``, then the same merge again."""
    work = folder / f"work-{target.name}"
    shutil.copyfile(target, work)
    with opened(work) as ws:
        began = time.perf_counter()
        copy = open_copy(other, PASSPHRASE)
        loaded = time.perf_counter()
        try:
            result = merge_copy(ws, copy)
        finally:
            copy.close()
        done = time.perf_counter()
        merge(ws, other, PASSPHRASE)
        again = time.perf_counter()
    work.unlink()
    return Round((loaded - began) * 1000, (done - loaded) * 1000, (again - done) * 1000, result)


def kdf_ms() -> float:
    began = time.perf_counter()
    PassphraseSlot.seal(os.urandom(32), PASSPHRASE, os.urandom(16), DEFAULT_KDF)
    return (time.perf_counter() - began) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--volunteer", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="where to write (a temp folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="forumkit-bench-merge-", dir=args.dir) as name:
        folder = Path(name)
        os.environ["FORUMKIT_CONFIG_DIR"] = str(folder / "config")
        began = time.perf_counter()
        chair, laptop, large = build(folder, args.responses, args.volunteer)
        print(f"  built in {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
        sizes = {path.name: path.stat().st_size / 2**20 for path in (chair, laptop, large)}
        rows = []
        for label, target, other in (
            (f"volunteer ({args.volunteer:,}) into chair ({args.responses:,})", chair, laptop),
            (f"large copy into chair ({args.responses:,} each)", chair, large),
            (f"chair into large copy ({args.responses:,} each)", large, chair),
        ):
            runs = [timed_merge(folder, target, other) for _ in range(args.repeat)]
            opens = statistics.median(r.open_ms for r in runs)
            merges = statistics.median(r.merge_ms for r in runs)
            agains = statistics.median(r.again_ms for r in runs)
            rows.append((label, opens, merges, agains, runs[0].result))
            print(f"  {label}: {opens + merges:.0f} ms", file=sys.stderr, flush=True)
        kdf = statistics.median(kdf_ms() for _ in range(3))

    commit = subprocess.run(
        ["git", "-C", str(_HERE.parent), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores; commit {commit}")
    print(f"python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")
    print(", ".join(f"{name} {size:.1f} MiB" for name, size in sizes.items()))
    print(f"medians of {args.repeat} rounds, ms; real key derivation (Argon2id) {kdf:.0f} ms")
    print("| merge | open the other | merge and save | total | again (nothing new) | what |")
    print("|---|---:|---:|---:|---:|---|")
    for label, opens, merges, agains, result in rows:
        counts = result.kind("response")
        what = (
            f"{counts.added:,} responses added, {counts.updated:,} updated, "
            f"{result.conflicts:,} conflicts, {result.kind('quote').added:,} quotes added"
        )
        print(
            f"| {label} | {opens:.0f} | {merges:.0f} | {opens + merges:.0f} | {agains:.0f} "
            f"| {what} |"
        )
    print(
        f"targets: volunteer ≤ {VOLUNTEER_TARGET_S * 1000:.0f} ms, large ≤ "
        f"{LARGE_TARGET_S * 1000:.0f} ms (each plus one key derivation)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
