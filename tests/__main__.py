"""``python -m tests``: the project's one test command (the README's and CI's).

It installs forumkit with its test and build extras (PyInstaller: one test builds the desktop
app and runs the built one's self-test) into the current Python, then runs ruff (lint and
format), mypy (strict on ``forumkit/`` and ``ui/``), import-linter (the layers contracts in
``pyproject.toml``) and pytest, stopping at the first failure. Extra
arguments go to pytest, e.g. ``python -m tests -k vault``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def step(title: str, command: list[str]) -> None:
    print(f"\n== {title}: {' '.join(command)}", flush=True)
    result = subprocess.run(command, cwd=ROOT)
    if result.returncode != 0:
        print(f"\n== {title} failed (exit {result.returncode})", flush=True)
        sys.exit(result.returncode)


def main(pytest_args: list[str]) -> None:
    python = sys.executable
    if os.environ.get("FORUMKIT_SKIP_INSTALL") != "1":
        step(
            "install",
            [
                python,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-e",
                ".[test,build]",
            ],
        )
    step("ruff check", [python, "-m", "ruff", "check", "."])
    step("ruff format", [python, "-m", "ruff", "format", "--check", "."])
    step("mypy (strict on forumkit/ and ui/)", [python, "-m", "mypy"])
    step(
        "import layers (contracts in pyproject.toml)",
        [
            python,
            "-c",
            "import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(no_logo=True))",
        ],
    )
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    step("pytest", [python, "-m", "pytest", *pytest_args])


if __name__ == "__main__":
    main(sys.argv[1:])
