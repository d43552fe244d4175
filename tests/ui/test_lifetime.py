"""The app as a newcomer runs it: started for real (on screen under Xvfb, and offscreen), ended by
SIGTERM as by Ctrl+Q, and never leaving demo folders behind (issue 14)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, require_tool
from ui.lifetime import DEMO_PREFIX, LOCK_NAME, DemoFolder, remove_stale_demo_folders

START_TIMEOUT_S = 60


def _old(path: Path) -> Path:
    two_hours_ago = time.time() - 7200
    os.utime(path, (two_hours_ago, two_hours_ago))
    return path


def _left_by_a_killed_app(parent: Path) -> Path:
    """A demo folder whose app died without cleaning up: its lock names a process now gone."""
    folder = parent / f"{DEMO_PREFIX}killed"
    folder.mkdir()
    code = (
        "import os, sys\n"
        "from PySide6.QtCore import QLockFile\n"
        "lock = QLockFile(sys.argv[1])\n"
        "assert lock.tryLock(0)\n"
        "os._exit(0)\n"  # dies holding it, as SIGKILL would leave it
    )
    subprocess.run([sys.executable, "-c", code, str(folder / LOCK_NAME)], check=True)
    assert (folder / LOCK_NAME).exists()
    (folder / "demo-forum.forumkit").write_bytes(b"FORUMKIT")
    return folder


def test_stale_demo_folders_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    killed = _left_by_a_killed_app(tmp_path)
    unlocked = tmp_path / f"{DEMO_PREFIX}from-an-old-forumkit"
    unlocked.mkdir()
    _old(unlocked)
    just_made = tmp_path / f"{DEMO_PREFIX}being-made"
    just_made.mkdir()
    unrelated = tmp_path / "someone-elses-folder"
    unrelated.mkdir()
    _old(unrelated)
    running = DemoFolder(tmp_path)  # an app that is still running holds this one
    try:
        removed = remove_stale_demo_folders(tmp_path)
        assert sorted(removed) == sorted([killed, unlocked])
        assert not killed.exists() and not unlocked.exists()
        assert running.path.is_dir() and just_made.is_dir() and unrelated.is_dir()
    finally:
        running.cleanup()
    assert not running.path.exists()


@pytest.fixture
def app_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a real ``forumkit-app --demo``: its own temporary and settings folders."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    return {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "TMPDIR": str(temp),
        "FORUMKIT_CONFIG_DIR": str(tmp_path / "config"),
        "FORUMKIT_INSECURE_TEST_KDF": "1",
    }


def _run_demo_until_shown(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start ``forumkit-app --demo`` and return it once its demo forum file is written."""
    temp = Path(env["TMPDIR"])
    log = temp.parent / "app-stderr.txt"
    with log.open("wb") as stderr:  # a file, not a pipe nobody reads while the app runs
        app = subprocess.Popen(
            [sys.executable, "-c", "from ui.app import run; run()", "--demo"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if app.poll() is not None:
            tail = log.read_text(errors="replace")[-800:]
            pytest.fail(f"forumkit-app --demo stopped (exit {app.returncode}): {tail}")
        made = list(temp.glob(f"{DEMO_PREFIX}*/demo-forum.forumkit.bak"))
        if made:
            time.sleep(1)
            assert app.poll() is None, "the app stopped after opening the demo"
            return app
        time.sleep(0.25)
    app.kill()
    pytest.fail(f"forumkit-app --demo wrote no demo forum in {START_TIMEOUT_S} s")


def _terminate(app: subprocess.Popen[bytes]) -> int:
    app.send_signal(signal.SIGTERM)
    try:
        return app.wait(timeout=20)
    except subprocess.TimeoutExpired:
        app.kill()
        app.wait()
        pytest.fail("forumkit-app did not end on SIGTERM")


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")
def test_sigterm_ends_the_app_as_ctrl_q_does(app_env: dict[str, str]) -> None:
    app_env["QT_QPA_PLATFORM"] = "offscreen"
    temp = Path(app_env["TMPDIR"])
    stale = _left_by_a_killed_app(temp)
    app = _run_demo_until_shown(app_env)
    assert not stale.exists(), "a folder left by a killed app is removed at start"
    assert len(list(temp.glob(f"{DEMO_PREFIX}*"))) == 1
    assert _terminate(app) == 0
    assert not list(temp.glob(f"{DEMO_PREFIX}*")), "SIGTERM left the demo folder behind"


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """A private X server (Xvfb) for the test; skipped without Xvfb, required under CI."""
    xvfb = require_tool("Xvfb")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", "1280x800x24"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as numbers:
            display = numbers.readline().strip()
        if not display:
            pytest.fail("Xvfb did not start")
        yield f":{display}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_app_starts_on_screen_under_xvfb(xvfb_display: str, app_env: dict[str, str]) -> None:
    """The on-screen (xcb) platform, as on a desktop, not offscreen: Qt aborts at start when a
    library the README lists is missing, which this catches."""
    app_env["QT_QPA_PLATFORM"] = "xcb"
    app_env["DISPLAY"] = xvfb_display
    app = _run_demo_until_shown(app_env)
    assert _terminate(app) == 0
    assert not list(Path(app_env["TMPDIR"]).glob(f"{DEMO_PREFIX}*"))
