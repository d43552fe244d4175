"""The fresh process the app becomes on Lock, Close and in kiosk mode (``ui.restart``)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO_ROOT
from ui.restart import FreshStart, InPlace, app_command, read_resume


def test_the_command_that_restarts_the_app_really_starts_it() -> None:
    """``python -m ui.app`` once did nothing at all: a Lock would have closed the app."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [*app_command(), "--help"], capture_output=True, text=True, env=env, cwd=REPO_ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "forumkit-app" in result.stdout and "--demo" in result.stdout
    assert "--resume-fd" not in result.stdout  # for the app itself, not for people


def test_what_is_handed_over_comes_back_whole_and_is_wiped() -> None:
    fresh = FreshStart("kiosk", path="/tmp/f.forumkit", survey_id="s1", geometry="AAA=")
    key = bytearray(range(32))
    read_end, write_end = os.pipe()
    payload = fresh.encode(key)
    os.write(write_end, payload)
    os.close(write_end)
    resumed = read_resume(read_end, from_stdin=False)
    assert resumed is not None
    again, again_key = resumed
    assert again == fresh
    assert again_key == key
    InPlace().restart(fresh, key)
    assert key == bytearray(32)  # the restarter wipes the key it was given


def test_an_ordinary_start_has_nothing_to_resume() -> None:
    assert read_resume(None, from_stdin=False) is None
    assert sys.executable in app_command()[0] or getattr(sys, "frozen", False)
