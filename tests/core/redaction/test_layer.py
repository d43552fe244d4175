"""``forumkit.redaction`` is a pure package: importing it loads no database, Qt or other core
package, only ``forumkit.paths`` and ``forumkit.errors``, so the quotes store, the command line
and a worker thread can all call it."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_importing_redaction_loads_only_paths_and_errors_of_the_core() -> None:
    script = (
        "import json, sys\n"
        "import forumkit.redaction\n"
        "from forumkit.redaction import propose\n"
        "propose('Jamie rang 07700 900123')\n"  # reads the shipped lists too
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    core = {
        name
        for name in loaded
        if name.startswith("forumkit") and not name.startswith("forumkit.redaction")
    }
    assert core == {"forumkit", "forumkit.paths", "forumkit.errors"}
    for heavy in ("sqlite3", "sqlite_utils", "PySide6", "cryptography", "openpyxl"):
        assert heavy not in loaded, heavy
