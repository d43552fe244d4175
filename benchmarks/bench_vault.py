"""How fast is the encrypted forum file? ``python benchmarks/bench_vault.py [--sizes ...]``

For each size (default 2,000 / 10,000 / 100,000 responses of 20 answers, a quarter of them free
text of about 300 characters) this builds a synthetic forum file and prints, as medians of
``--repeat`` runs (default 5):

* the size of the ``.forumkit`` file (and of the SQLite image inside it);
* **open**: ``Workspace.open`` (read, decrypt, deserialize) — the key derivation excluded, see
  below;
* **save**: one ``ws.transaction()`` inserting one response with its 20 answers, which commits,
  serializes, encrypts and atomically writes the whole file;
* the **reference**: the same one-response commit on a plain on-disk SQLite file holding the
  same tables and rows (rollback journal, WAL off, ``synchronous=FULL``), and the ratio
  ours / reference;
* where the save time goes (serialize, encrypt, write + fsync of the forum file, the rollback
  log of generations, the rest), measured by wrapping forumkit's functions in this process only.

Once, independent of size: the **KDF** time, Argon2id with forumkit's production parameters
(``DEFAULT_KDF``: m=256 MiB, t=3, p=4), which every open with a passphrase pays on top.

There is no responses schema in forumkit yet (a later issue adds it), so the benchmark creates
its own two tables, ``bench_responses`` and ``bench_answers`` (see ``synthetic.py``), inside
the workspace through ``ws.transaction()``, like any domain module would.

The forum files are created with ``FORUMKIT_INSECURE_TEST_KDF=1`` (set by this script, for
this process only): with it the passphrase slot uses tiny Argon2id parameters, so ``open``
measures the file format's own cost (read, decrypt, deserialize) rather than the deliberately
slow key derivation, which is measured separately. ``FORUMKIT_CONFIG_DIR`` points at a
temporary folder so the benchmark never touches the user's settings. All data is written under
a temporary folder (``--dir`` chooses where it is made, e.g. on a USB stick) and deleted after.
Timings are wall-clock with a warm page cache.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Set before forumkit is imported or used: see the module docstring for why.
os.environ["FORUMKIT_INSECURE_TEST_KDF"] = "1"

_HERE = Path(__file__).resolve().parent
for _folder in (_HERE, _HERE.parent):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

import cryptography  # noqa: E402
import synthetic  # noqa: E402

import forumkit.vault  # noqa: E402
import forumkit.vault.storage  # noqa: E402
from forumkit.vault import Vault  # noqa: E402
from forumkit.vault.format import open_body  # noqa: E402
from forumkit.vault.keys import DEFAULT_KDF, derive_passphrase_kek  # noqa: E402
from forumkit.workspace import Workspace  # noqa: E402

PASSPHRASE = "benchmark passphrase, not a secret"
DEFAULT_SIZES = (2_000, 10_000, 100_000)
TARGETS_MS = {
    ("save", 2_000): 25.0,
    ("save", 10_000): 80.0,
    ("open", 10_000): 100.0,
}

# -- timing helpers -------------------------------------------------------------------------


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def _median_ms(samples: list[float]) -> float:
    return _ms(statistics.median(samples))


@dataclass
class Phases:
    """Time spent inside named functions, summed per run, for the save breakdown.

    Time inside an inner step is filed under the path of the section and steps it ran in
    ("file.write_temp.fsync" for the forum file's fsync, "log" for the generations log), so
    the two writes a save does, and the two renames of the forum file, are told apart.
    """

    runs: list[dict[str, float]] = field(default_factory=list)
    section: str | None = None

    def new_run(self) -> None:
        self.runs.append({})

    def add(self, name: str, seconds: float) -> None:
        run = self.runs[-1]
        run[name] = run.get(name, 0.0) + seconds

    def median_ms(self, name: str) -> float:
        return _median_ms([run.get(name, 0.0) for run in self.runs])


@contextlib.contextmanager
def _timed_functions(
    phases: Phases,
    sections: dict[str, tuple[Any, str]],
    steps: dict[str, tuple[Any, str]],
) -> Iterator[None]:
    """Wrap each ``owner.attribute`` so its time is added to ``phases``; restore them after."""
    originals: list[tuple[Any, str, Any]] = []

    def wrap(name: str, function: Callable[..., Any], is_section: bool) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            outer = phases.section
            label = name if is_section or outer is None else f"{outer}.{name}"
            phases.section = label
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases.add(label, time.perf_counter() - start)
                phases.section = outer

        return timed

    try:
        for is_section, targets in ((True, sections), (False, steps)):
            for name, (owner, attribute) in targets.items():
                if not hasattr(owner, attribute):
                    continue  # a private function renamed: that part of the breakdown is lost
                original = getattr(owner, attribute)
                originals.append((owner, attribute, original))
                setattr(owner, attribute, wrap(name, original, is_section))
        yield
    finally:
        for owner, attribute, original in reversed(originals):
            setattr(owner, attribute, original)


# Functions a save passes through, some private: the breakdown is best effort.
_STORAGE = forumkit.vault.storage
SAVE_SECTIONS: dict[str, tuple[Any, str]] = {
    "vault_save": (Vault, "save"),
    # Vault.save writes the forum file through forumkit.vault's own name for the function...
    "file": (forumkit.vault, "write_atomically"),
}
SAVE_STEPS: dict[str, tuple[Any, str]] = {
    "encrypt": (forumkit.vault, "seal_body"),
    "write": (_STORAGE, "_write_chunks"),
    "fsync": (_STORAGE, "_flush_to_device"),
    "replace": (_STORAGE, "_replace"),
    "fsync_folder": (_STORAGE, "_fsync_folder"),
}


# -- measurements ---------------------------------------------------------------------------


@dataclass
class SizeResult:
    responses: int
    file_bytes: int
    image_bytes: int
    reference_bytes: int
    build_s: float
    open_ms: float
    open_read_ms: float
    open_decrypt_ms: float
    open_deserialize_ms: float
    save_ms: float
    reference_ms: float
    serialize_ms: float
    phases_ms: dict[str, float]

    @property
    def ratio(self) -> float:
        return self.save_ms / self.reference_ms if self.reference_ms else float("nan")


def build_forum(path: Path, count: int) -> Workspace:
    workspace = Workspace.create(path, PASSPHRASE, forum="Benchmark Forum", area="Nowhere")
    with workspace.transaction("benchmark_data"):
        synthetic.fill(workspace.db.conn, count)
    return workspace


def build_reference(path: Path, count: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = OFF")  # only while loading: measured commits use FULL
    conn.execute("BEGIN")
    synthetic.fill(conn, count)
    conn.execute("COMMIT")
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def time_saves(workspace: Workspace, repeat: int, seed: int) -> tuple[list[float], Phases]:
    conn = workspace.db.conn
    extra = list(synthetic.responses(repeat, seed=seed))
    samples: list[float] = []
    phases = Phases()
    with _timed_functions(phases, SAVE_SECTIONS, SAVE_STEPS):
        for response, answers in extra:
            phases.new_run()
            start = time.perf_counter()
            with workspace.transaction("benchmark_response"):
                synthetic.insert_response(conn, response, answers)
            samples.append(time.perf_counter() - start)
    return samples, phases


def time_reference(conn: sqlite3.Connection, repeat: int, seed: int) -> list[float]:
    samples: list[float] = []
    for response, answers in synthetic.responses(repeat, seed=seed):
        start = time.perf_counter()
        conn.execute("BEGIN")
        synthetic.insert_response(conn, response, answers)
        conn.execute("COMMIT")
        samples.append(time.perf_counter() - start)
    return samples


def time_opens(path: Path, repeat: int) -> list[float]:
    samples: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        workspace = Workspace.open(path, PASSPHRASE)
        samples.append(time.perf_counter() - start)
        workspace.close()
    return samples


def time_open_steps(path: Path, repeat: int) -> tuple[float, float, float]:
    """Median read, decrypt and deserialize times, the steps of an open after the KDF."""
    vault, _ = Vault.open(path, PASSPHRASE)
    data_key = vault.data_key
    reads: list[float] = []
    decrypts: list[float] = []
    deserializes: list[float] = []
    for _ in range(repeat):
        # As Vault.open does: map the file and parse its header (no copy of the body)...
        start = time.perf_counter()
        with Vault._mapped(path) as (header, header_bytes, body):
            reads.append(time.perf_counter() - start)
            # ...then decrypt straight from the mapping into a new buffer.
            start = time.perf_counter()
            image = open_body(path, data_key, header, header_bytes, body)
            decrypts.append(time.perf_counter() - start)
        conn = sqlite3.connect(":memory:")
        start = time.perf_counter()
        conn.deserialize(image)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        deserializes.append(time.perf_counter() - start)
        conn.close()
    vault.close()
    return _median_ms(reads), _median_ms(decrypts), _median_ms(deserializes)


def time_serialize(workspace: Workspace, repeat: int) -> float:
    conn = workspace.db.conn
    samples: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        conn.serialize()
        samples.append(time.perf_counter() - start)
    return _median_ms(samples)


def time_kdf(repeat: int) -> float:
    salt = bytes(range(16))
    samples: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        derive_passphrase_kek(PASSPHRASE, salt, DEFAULT_KDF)
        samples.append(time.perf_counter() - start)
    return _median_ms(samples)


def measure_size(folder: Path, count: int, repeat: int) -> SizeResult:
    path = folder / f"forum-{count}.forumkit"
    reference_path = folder / f"reference-{count}.sqlite"
    start = time.perf_counter()
    build_forum(path, count).close()
    reference = build_reference(reference_path, count)
    build_s = time.perf_counter() - start
    # Saves are timed on a reopened file, as people use it (a file just created holds its
    # database in SQLite's page cache rather than one buffer, and serializes more slowly).
    workspace = Workspace.open(path, PASSPHRASE)
    try:
        # Different seeds from the bulk data, so no id collides; the same rows for both.
        save_samples, phases = time_saves(workspace, repeat, seed=count + 1)
        reference_samples = time_reference(reference, repeat, seed=count + 1)
        serialize_ms = time_serialize(workspace, repeat)
        image_bytes = len(workspace.db.conn.serialize())
    finally:
        workspace.close()
        reference.close()
    open_samples = time_opens(path, repeat)
    read_ms, decrypt_ms, deserialize_ms = time_open_steps(path, repeat)
    names = {name for run in phases.runs for name in run}
    phases_ms = {name: phases.median_ms(name) for name in names}
    return SizeResult(
        responses=count,
        file_bytes=path.stat().st_size,
        image_bytes=image_bytes,
        reference_bytes=reference_path.stat().st_size,
        build_s=build_s,
        open_ms=_median_ms(open_samples),
        open_read_ms=read_ms,
        open_decrypt_ms=decrypt_ms,
        open_deserialize_ms=deserialize_ms,
        save_ms=_median_ms(save_samples),
        reference_ms=_median_ms(reference_samples),
        serialize_ms=serialize_ms,
        phases_ms=phases_ms,
    )


# -- reporting ------------------------------------------------------------------------------


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def machine_description() -> list[str]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "unknown"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / (1024 * 1024):.1f} GiB"
                break
    return [
        f"- CPUs (nproc): {os.cpu_count()}; model: {cpu}; RAM: {ram}",
        f"- {platform.platform()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"cryptography {cryptography.__version__}",
    ]


def _target_line(kind: str, result: SizeResult) -> str | None:
    target = TARGETS_MS.get((kind, result.responses))
    if target is None:
        return None
    value = result.save_ms if kind == "save" else result.open_ms
    verdict = "met" if value <= target else "MISSED"
    return (
        f"- {kind} at {result.responses:,} responses: {value:.1f} ms "
        f"(target ≤ {target:.0f} ms): {verdict}"
    )


def report(results: list[SizeResult], kdf_ms: float, repeat: int) -> str:
    lines = [f"Medians of {repeat} runs; times in ms.", ""]
    lines += machine_description()
    lines += [
        "",
        "| responses | file | SQLite image | open (no KDF) | save 1 response | reference commit "
        "| save / reference |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.responses:,} | {_mib(r.file_bytes)} | {_mib(r.image_bytes)} | "
            f"{r.open_ms:.1f} | {r.save_ms:.1f} | {r.reference_ms:.1f} | {r.ratio:.1f}× |"
        )
    lines += [
        "",
        f"KDF (Argon2id m={DEFAULT_KDF.memory_kib // 1024} MiB, t={DEFAULT_KDF.iterations}, "
        f"p={DEFAULT_KDF.lanes}): {kdf_ms:.0f} ms per open or passphrase change."
        if kdf_ms
        else "KDF: not measured (--skip-kdf).",
        "",
        "Where the time goes (ms, medians of each step). Open = map the file and parse its "
        "header + decrypt from the mapping + deserialize (+ the tiny test KDF). Save = "
        "serialize (timed on its own) + encrypt into the reused buffer + write (into the old "
        "backup's file) + fsync + the two renames that swap it in + folder fsync + the "
        "rest (insert, commit, bookkeeping).",
        "",
        "| responses | open: map | decrypt | deserialize | save: serialize | encrypt "
        "| write | fsync | renames | folder fsync | rest |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        p = r.phases_ms
        rest = r.save_ms - r.serialize_ms - p.get("vault_save", 0.0)
        lines.append(
            f"| {r.responses:,} | {r.open_read_ms:.1f} | {r.open_decrypt_ms:.1f} | "
            f"{r.open_deserialize_ms:.1f} | {r.serialize_ms:.1f} | "
            f"{p.get('vault_save.encrypt', 0):.1f} | "
            f"{p.get('file.write', 0):.1f} | {p.get('file.fsync', 0):.1f} | "
            f"{p.get('file.replace', 0):.1f} | "
            f"{p.get('file.fsync_folder', 0):.1f} | {max(rest, 0):.1f} |"
        )
    lines.append("")
    lines += [line for r in results for k in ("save", "open") if (line := _target_line(k, r))]
    return "\n".join(lines)


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError("sizes are whole numbers, e.g. 2000,10000") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("give at least one size, each at least 1")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        type=_sizes,
        default=DEFAULT_SIZES,
        help="comma-separated numbers of responses (default 2000,10000,100000)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--dir", type=Path, default=None, help="make the temp folder here")
    parser.add_argument("--skip-kdf", action="store_true", help="do not time Argon2id")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    results: list[SizeResult] = []
    with tempfile.TemporaryDirectory(prefix="forumkit-bench-", dir=args.dir) as temp:
        folder = Path(temp)
        os.environ["FORUMKIT_CONFIG_DIR"] = str(folder / "config")
        for count in args.sizes:
            print(f"building and measuring {count:,} responses…", file=sys.stderr, flush=True)
            result = measure_size(folder, count, args.repeat)
            print(f"  built in {result.build_s:.1f} s", file=sys.stderr, flush=True)
            results.append(result)
            for leftover in folder.glob(f"*-{count}.*"):
                leftover.unlink()
    kdf_ms = 0.0
    if not args.skip_kdf:
        print("timing the production KDF…", file=sys.stderr, flush=True)
        kdf_ms = time_kdf(args.repeat)
    print(report(results, kdf_ms, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
