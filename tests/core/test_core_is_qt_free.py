"""The core runs without Qt: the CLI, tests and benchmarks need no display or PySide6.

That no core module imports PySide6 or ``ui``, directly or through another module, is the
import-linter contract ``qt-free`` in ``pyproject.toml`` (run by ``python -m tests``); this test
adds what a static check cannot see: every core module really imports with Qt absent.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT


def test_every_core_module_imports_with_qt_absent() -> None:
    modules = sorted(
        ".".join(p.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (REPO_ROOT / "forumkit").rglob("*.py")
        if p.name != "__main__.py"
    )
    script = (
        "import sys, importlib\n"
        "for blocked in ('PySide6', 'shiboken6', 'ui'):\n"
        "    sys.modules[blocked] = None\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
    assert Path(REPO_ROOT / "forumkit").is_dir()
