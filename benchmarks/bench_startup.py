"""Start-up: the built forumkit-app to its first window, against a bare PySide6 QMainWindow.

    python build_installer.py --target forumkit-app     (builds both bundles)
    Xvfb :76 & DISPLAY=:76 python benchmarks/bench_startup.py [--repeat 7]

Both programs are the one-folder PyInstaller bundles ``build_installer.py`` makes
(``dist/forumkit-app`` and ``build/bare/dist/bare-qt-window``), started side by side, in turns,
on the same X display. The time is from starting the process until the X server shows a
window of that process (``xdotool search --onlyvisible --pid``, polled every few
milliseconds): what a person sees, measured the same way for both, with no hook in either
program. forumkit-app starts on its start screen with a settings folder of its own (no recent
files). The first run of each is reported apart (cold: the bundle's files not yet in the page
cache), then the median of the warm runs. Target (issue 23): the app within 4 times the bare
window's start.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dist" / "forumkit-app" / "forumkit-app"
BARE = ROOT / "build" / "bare" / "dist" / "bare-qt-window" / "bare-qt-window"
TIMEOUT_S = 60.0
TARGET_FACTOR = 4.0


def time_to_window(executable: Path, env: dict[str, str]) -> float:
    """Seconds from starting ``executable`` to a visible window of its process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(executable)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.perf_counter() - started < TIMEOUT_S:
            if process.poll() is not None:
                raise RuntimeError(f"{executable.name} exited with {process.returncode}")
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--pid", str(process.pid)],
                capture_output=True,
                check=False,
            )
            if found.returncode == 0 and found.stdout.strip():
                return time.perf_counter() - started
            time.sleep(0.003)
        raise RuntimeError(f"{executable.name} showed no window in {TIMEOUT_S:.0f} s")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=7, help="warm runs of each (default 7)")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") or shutil.which("xdotool") is None:
        print("needs an X display (DISPLAY, e.g. Xvfb) and xdotool", file=sys.stderr)
        return 2
    for executable in (APP, BARE):
        if not executable.is_file():
            print(f"{executable} is missing: run python build_installer.py", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as temp:
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env["FORUMKIT_CONFIG_DIR"] = str(Path(temp) / "settings")
        runs: dict[str, list[float]] = {"bare": [], "app": []}
        for _ in range(args.repeat + 1):
            runs["bare"].append(time_to_window(BARE, env))
            runs["app"].append(time_to_window(APP, env))
    print(f"{'':28} {'first (cold)':>12} {'median warm':>12}  warm runs (s)")
    for name, label in (("bare", "bare PySide6 QMainWindow"), ("app", "forumkit-app start screen")):
        first, warm = runs[name][0], runs[name][1:]
        listed = " ".join(f"{t:.3f}" for t in warm)
        print(f"{label:28} {first:>12.3f} {statistics.median(warm):>12.3f}  {listed}")
    factor = statistics.median(runs["app"][1:]) / statistics.median(runs["bare"][1:])
    verdict = "met" if factor <= TARGET_FACTOR else "NOT met"
    target = f"target ≤ {TARGET_FACTOR}×: {verdict}"
    print(f"forumkit-app / bare window (medians): {factor:.2f}× ({target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
