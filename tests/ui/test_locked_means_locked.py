"""Locked means locked: after Lock and after Close no parent's answer is left in the app's
memory, and in kiosk mode no copy of the last parent's answers outlives their turn.

The app runs as a child process (``tests/ui/app_driver.py``) and this test reads its memory as
an attacker with the locked laptop could (``/proc/PID/mem``, Linux only), looking for a marker
written into 50 answers, in UTF-8, UTF-16 and UTF-32.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from forumkit.responses import add_response
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, REPO_ROOT
from tests.core.responses.helpers import add_test_survey, complete_answers
from tests.ui.memory import can_scan, scan

pytestmark = pytest.mark.skipif(not can_scan(), reason="reads /proc/PID/mem (Linux only)")

MARKER = "QZXV-LOCKED-MEANS-LOCKED"
DRIVER = Path(__file__).with_name("app_driver.py")
TIMEOUT_S = 60


class App:
    """The app in a child process, one command at a time."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process

    @property
    def pid(self) -> int:
        return self.process.pid  # os.execv keeps it: the fresh process has the same id

    def wait_for(self, prefix: str) -> str:
        assert self.process.stdout is not None
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise AssertionError(f"the app ended before saying “{prefix}”")
            if line.startswith(prefix):
                return line.strip()
            if line.startswith("ok ") and "(in place)" in line:
                raise AssertionError(f"the app did not start a fresh process: {line.strip()}")

    def send(self, command: str, then: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.wait_for(then)


@pytest.fixture
def forum(tmp_path: Path) -> Path:
    path = tmp_path / "forum.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Marker Forum") as workspace:
        survey = add_test_survey(workspace, tmp_path)
        for number in range(50):
            story = f"Parent {number}: {MARKER} we waited two years for a plan."
            add_response(workspace, survey, complete_answers(experience=story), status="complete")
    return path


@pytest.fixture
def app(forum: Path, tmp_path: Path) -> Iterator[App]:
    env = {
        **os.environ,
        "FORUMKIT_PASSPHRASE": PASSPHRASE,
        "FORUMKIT_CONFIG_DIR": str(tmp_path / "config"),
        "FORUMKIT_INSECURE_TEST_KDF": "1",
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), "--open", str(forum)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    running = App(process)
    try:
        running.wait_for("ready main")
        yield running
    finally:
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_no_answer_is_left_in_memory_after_lock_or_close(app: App) -> None:
    assert scan(app.pid, MARKER).total > 0  # open: the answers are there, and the scan sees them
    app.send("browse", "ok browse")
    app.send(f"type {MARKER} half-typed by a volunteer", "ok type")
    found = scan(app.pid, MARKER)
    assert found.total > 50, found

    app.send("lock", "ready locked")
    found = scan(app.pid, MARKER)
    assert found.total == 0, f"after Lock: {found.copies} in {found.places}"

    app.send("unlock", "ready main")
    assert scan(app.pid, MARKER).total > 0
    app.send("browse", "ok browse")
    app.send("close", "ready start")
    found = scan(app.pid, MARKER)
    assert found.total == 0, f"after Close: {found.copies} in {found.places}"


def test_the_quotes_workbench_leaves_no_answer_in_memory_after_lock(app: App) -> None:
    app.send("tag", "ok tag")
    found = scan(app.pid, MARKER)
    assert found.total > 50, found  # on screen, in quotes, suggestions and the undo history
    app.send("lock", "ready locked")
    found = scan(app.pid, MARKER)
    assert found.total == 0, f"after Lock: {found.copies} in {found.places}"


def test_the_kiosk_keeps_no_copy_of_the_last_parent_outside_the_database(app: App) -> None:
    # Non-Latin-1 letters: Python and Qt keep such text as UTF-16 (or UTF-32), SQLite as UTF-8,
    # so any UTF-16/UTF-32 copy is a Python object, a widget or an undo history, never SQLite.
    words = "Łukasz's mum: we were told to wait — QZXV-KIOSK-ŁÓDŹ"
    app.send("kiosk", "ready kiosk")
    answers = complete_answers(experience=words)
    app.send(f"parent {json.dumps(answers)}", "ready kiosk")
    found = scan(app.pid, words)
    assert found.copies["utf-16-le"] == 0 and found.copies["utf-32-le"] == 0, found
    assert found.copies["utf-8"] >= 1, "the answers should be in the open database"


def test_data_entry_saves_after_a_real_lock_and_unlock(app: App) -> None:
    """Issue 13's blocker, through the real fresh process a lock starts: after unlocking, the
    Enter tab shows the half-typed response again, Save and next is on, and Ctrl+Enter saves
    it (the draft kept on lock is finished, not left behind)."""
    app.send("type Typed before a break", "ok type")
    app.send("lock", "ready locked")
    app.send("unlock", "ready main")
    answers = complete_answers(experience="Typed before a break, finished after it.")
    saved = app.send(f"save {json.dumps(answers)}", "ok save")
    assert saved == "ok save 51 complete, 0 drafts"
