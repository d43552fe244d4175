"""The import contracts in ``pyproject.toml`` catch what they exist for.

``python -m tests`` runs lint-imports on the real tree. These tests plant one mistake of each
kind in a copy of the tree and check that lint-imports fails naming it: an import up the layers,
the old mistake of migrations importing a domain, a new
module nobody placed in the layers, Qt or the app imported by the core, and the app reaching
inside a core package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

LINT = (
    "import sys\n"
    "from importlinter.cli import lint_imports\n"
    "sys.exit(lint_imports(no_logo=True, no_cache=True))\n"
)

# file (relative to the copy) -> (line appended to it, the violation lint-imports must report)
PLANTED = {
    "forumkit/workspace.py": (
        "import forumkit.merge",
        "forumkit.workspace -> forumkit.merge",
    ),
    "forumkit/schema/script.py": (
        "from forumkit.surveys import Survey",
        "forumkit.schema.script -> forumkit.surveys",
    ),
    "forumkit/surveys/model.py": (
        "from forumkit.capture import shown",
        "forumkit.surveys.model -> forumkit.capture",
    ),
    "forumkit/vault/keys.py": ("import PySide6.QtCore", "forumkit.vault.keys -> PySide6"),
    "forumkit/audit.py": ("import ui", "forumkit.audit -> ui"),
    "ui/app.py": (
        "from forumkit.surveys.xlsform_read import read_xlsform",
        "ui.app -> forumkit.surveys.xlsform_read",
    ),
}
NEW_MODULES = {
    # a module directly under forumkit/ that the layers do not list
    "forumkit/stray.py": '"""A module nobody placed in the layers (planted by a test)."""\n',
}


def _copy_tree(target: Path) -> None:
    skip = shutil.ignore_patterns("__pycache__")
    for package in ("forumkit", "ui"):
        shutil.copytree(REPO_ROOT / package, target / package, ignore=skip)
    shutil.copy2(REPO_ROOT / "pyproject.toml", target / "pyproject.toml")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    # The copy comes first on the path, so it is analysed rather than the installed forumkit.
    env = {**os.environ, "PYTHONPATH": str(tree), "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", LINT],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def planted_report(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    tree = tmp_path_factory.mktemp("planted")
    _copy_tree(tree)
    for relative, (line, _) in PLANTED.items():
        path = tree / relative
        path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    for relative, text in NEW_MODULES.items():
        (tree / relative).write_text(text, encoding="utf-8")
    return _lint(tree)


def test_the_planted_tree_fails_every_contract(
    planted_report: subprocess.CompletedProcess[str],
) -> None:
    assert planted_report.returncode == 1, planted_report.stdout + planted_report.stderr
    assert "0 kept, 3 broken" in planted_report.stdout


@pytest.mark.parametrize("relative", sorted(PLANTED))
def test_each_planted_import_is_named(
    planted_report: subprocess.CompletedProcess[str], relative: str
) -> None:
    _, violation = PLANTED[relative]
    assert violation in planted_report.stdout


def test_a_module_missing_from_the_layers_is_named(
    planted_report: subprocess.CompletedProcess[str],
) -> None:
    report = planted_report.stdout
    assert "not listed as layers" in report and "- forumkit.stray" in report
