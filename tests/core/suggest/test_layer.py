"""``forumkit.suggest`` stands alone: standard library, ``forumkit.paths`` and ``forumkit.errors``.

So the quotes store, the command line and a worker thread can all use it, and it can never pull
the database, Qt or a numerical library in with it.
"""

from __future__ import annotations

import ast
import sys

from tests.conftest import REPO_ROOT

ALLOWED_FORUMKIT = {"forumkit.paths", "forumkit.errors"}


def test_the_suggest_package_imports_only_the_standard_library_paths_and_errors() -> None:
    package = REPO_ROOT / "forumkit" / "suggest"
    offenders = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                allowed = (
                    top == "__future__"
                    or top in sys.stdlib_module_names
                    or name in ALLOWED_FORUMKIT
                    or name.startswith("forumkit.suggest")
                )
                if not allowed:
                    offenders.append(f"{path.name}:{node.lineno} imports {name}")
    assert offenders == []
