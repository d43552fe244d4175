"""The core never imports PySide6 or ``ui``: the CLI, tests and benchmarks run without Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT

FORBIDDEN = ("PySide6", "ui", "shiboken6")


def test_no_module_under_forumkit_imports_qt_or_ui() -> None:
    offenders = []
    for path in sorted((REPO_ROOT / "forumkit").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(REPO_ROOT)}:{node.lineno} imports {name}"
                for name in names
                if name.split(".")[0] in FORBIDDEN
            ]
    assert offenders == []


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
