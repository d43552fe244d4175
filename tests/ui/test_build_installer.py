"""build_installer.py: the desktop app built with PyInstaller passes its own self-test, within
its size limit, carrying only the Qt modules forumkit uses, its icon and its version.

The full build runs in CI (about a minute here: PyInstaller 30 s, the bare window 20 s, the
smoke tests): it is the issue's "done when", so it is not skipped by default.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _build_installer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_installer", ROOT / "build_installer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_installer"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _qt_modules_imported() -> set[str]:
    found: set[str] = set()
    for folder in ("ui", "forumkit"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6."):
                    found.add(str(node.module).split(".")[1])
                elif isinstance(node, ast.Import):
                    found |= {
                        a.name.split(".")[1] for a in node.names if a.name.startswith("PySide6.")
                    }
    return found


def test_the_bundle_keeps_every_qt_module_the_app_imports() -> None:
    installer = _build_installer()
    assert _qt_modules_imported() <= set(installer.QT_MODULES_USED)
    unused = installer.unused_qt_modules()
    assert "PySide6.QtNetwork" in unused and "PySide6.QtQml" in unused
    assert not {f"PySide6.{name}" for name in installer.QT_MODULES_USED} & set(unused)


@pytest.mark.parametrize(
    ("platform", "icon", "version_file"),
    [("win32", "forumkit.ico", True), ("darwin", "forumkit.png", False), ("linux", None, False)],
)
def test_icon_and_version_per_system(
    platform: str, icon: str | None, version_file: bool, tmp_path: Path
) -> None:
    installer = _build_installer()
    installer.WORK = tmp_path
    app = next(t for t in installer.TARGETS if t.name == "forumkit-app")
    args = installer.pyinstaller_arguments(app, tmp_path / "launch.py", platform)
    if icon is None:
        assert "--icon" not in args
    else:
        given = Path(args[args.index("--icon") + 1])
        assert given.name == icon and given.is_file()  # the project's own, in resources/icons
    assert ("--version-file" in args) == version_file
    if version_file:
        text = Path(args[args.index("--version-file") + 1]).read_text(encoding="utf-8")
        assert "StringStruct('ProductVersion', '0.1.0')" in text and "(0, 1, 0, 0)" in text
    assert ("--osx-bundle-identifier" in args) == (platform == "darwin")
    excluded = {args[i + 1] for i, arg in enumerate(args) if arg == "--exclude-module"}
    assert "PySide6.QtQuick" in excluded and "PySide6.QtWidgets" not in excluded
    # Portable: no path in the arguments is a Linux-only one.
    assert not any(arg.startswith(("/usr/", "/lib/", "/opt/")) for arg in args)


def test_size_limit_is_one_and_a_half_bare_windows_plus_the_pdf_engine() -> None:
    installer = _build_installer()
    report = installer.SizeReport(app=250_000_000, bare=100_000_000, pdf_engine=90_000_000)
    assert report.limit == 240_000_000 and not report.within
    assert any("OVER" in line for line in report.lines())
    assert installer.SizeReport(app=240_000_000, bare=100_000_000, pdf_engine=90_000_000).within


def test_build_installer_builds_an_app_that_passes_its_self_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("PyInstaller", reason="the build extra: pip install -e .[build]")
    installer = _build_installer()
    code = installer.main(["--target", "forumkit-app", "--out", str(tmp_path)])
    out = capsys.readouterr()
    assert code == 0, out.out[-3000:] + out.err[-3000:]
    assert (tmp_path / "dist" / "forumkit-app" / "forumkit-app").is_file() or (
        tmp_path / "dist" / "forumkit-app" / "forumkit-app.exe"
    ).is_file()
    assert "self-test passed: all 8 steps" in out.out
    assert "ok  --self-test" in out.out and "ok  forumkit-app --demo" in out.out
    sizes = [line for line in out.out.splitlines() if line.strip().startswith("size")]
    assert len(sizes) == 4 and sizes[-1].endswith("within")
