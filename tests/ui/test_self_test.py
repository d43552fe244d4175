"""``forumkit-app --self-test``: every step on its own line, exit 0 only if all worked, nothing
left behind, and a failing step named."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from forumkit.packs import PackError
from ui import self_test
from ui.self_test import STEPS, run_self_test


def _leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("forumkit-self-test-*")}


def test_self_test_passes_step_by_step_and_leaves_nothing(qapp: QApplication) -> None:
    before = _leftovers()
    config = os.environ.get("FORUMKIT_CONFIG_DIR")
    out = io.StringIO()
    assert run_self_test(out) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == len(STEPS) + 1
    for number, ((name, _), line) in enumerate(zip(STEPS, lines, strict=False), start=1):
        assert line.startswith(f"self-test {number}/{len(STEPS)} ok   {name} (")
    assert lines[-1].startswith(f"self-test passed: all {len(STEPS)} steps")
    names = [name for name, _ in STEPS]
    assert names == [
        "create a forum file",
        "import the demo survey",
        "add a response through the form",
        "save",
        "reopen",
        "tag a quote",
        "render a pack",
        "read the pack back with its password",
    ]
    assert _leftovers() == before  # the temporary folder is gone
    assert os.environ.get("FORUMKIT_CONFIG_DIR") == config  # the settings folder put back


def test_a_failing_step_is_named_and_stops_with_exit_1(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PackError("The pack could not be laid out.")

    monkeypatch.setattr(self_test, "make_pack", refuse)
    before = _leftovers()
    out = io.StringIO()
    assert run_self_test(out) == 1
    lines = out.getvalue().splitlines()
    assert lines[-1] == (
        "self-test 7/8 FAILED render a pack: PackError: The pack could not be laid out."
    )
    assert len(lines) == 7 and "passed" not in out.getvalue()
    assert _leftovers() == before


def test_a_pack_without_the_tagged_quote_fails(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pack that leaves out the quote just tagged is a failure, not a pass.
    monkeypatch.setattr(
        self_test, "PackRequest", lambda survey: self_test.PackRequest(survey, codes=("money",))
    )
    out = io.StringIO()
    assert run_self_test(out) == 1
    assert "FAILED render a pack" in out.getvalue()


def test_forumkit_app_self_test_from_the_pip_install(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("forumkit-app" + (".exe" if os.name == "nt" else ""))
    if not script.is_file():
        pytest.skip("forumkit-app is not installed beside this Python")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["FORUMKIT_CONFIG_DIR"] = str(tmp_path / "settings")
    done = subprocess.run(
        [str(script), "--self-test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(" ok   ") == len(STEPS)
    assert not (tmp_path / "settings").exists()  # its own settings folder, inside its temp one
