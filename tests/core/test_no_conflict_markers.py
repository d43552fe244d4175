"""No merge-conflict markers left in the project's own text files (one reached the README)."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import REPO_ROOT

MARKER = re.compile(r"^(<{7} |>{7} |={7}$)", re.MULTILINE)
TEXT = (".py", ".md", ".qss", ".toml", ".txt", ".cfg", ".svg")


def test_no_file_keeps_a_conflict_marker() -> None:
    try:
        listed = subprocess.run(
            ["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    files = [REPO_ROOT / name for name in listed if name.endswith(TEXT)]
    assert files
    marked = [
        str(path.relative_to(REPO_ROOT))
        for path in files
        if path.is_file() and MARKER.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert not marked, marked
