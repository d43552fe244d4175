"""A newcomer's first command (issue 14): the README's first command works on a stock Debian 12,
which refuses ``pip install`` outside a virtual environment (PEP 668), after at most one stated
line of system packages; those packages are the ones Qt's on-screen (xcb) plugin links against,
and CI installs the same ones (and Xvfb, for ``tests/ui/test_lifetime.py``)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, require_tool

README = REPO_ROOT / "README.md"
CI_RUN = REPO_ROOT / ".ci" / "run"


def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def _shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)


def test_the_first_command_installs_into_a_virtual_environment() -> None:
    first, *rest = _shell_blocks(_section("Run it"))
    lines = [line for line in first.splitlines() if line.strip()]
    assert len(lines) == 1, "the first command is one line a newcomer can paste"
    steps = [shlex.split(step) for step in lines[0].split("&&")]
    assert steps[0][:3] == ["python3", "-m", "venv"], "it makes a virtual environment first"
    venv = steps[0][3]
    for step in steps[1:]:
        assert step[0].startswith(f"{venv}/bin/"), f"“{' '.join(step)}” runs outside {venv}"
    assert steps[1][1:] == ["-m", "pip", "install", "-e", "."]
    assert steps[-1] == [f"{venv}/bin/forumkit-app", "--demo"]
    # At most one stated prerequisite line, for what the system itself must provide.
    assert len(rest) <= 1
    if rest:
        (prerequisite,) = [line for line in rest[0].splitlines() if line.strip()]
        assert prerequisite.startswith("sudo apt install python3-venv ")


def _packages(words: str) -> set[str]:
    return {word for word in words.split() if re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", word)}


def _readme_packages() -> set[str]:
    blocks = _shell_blocks(_section("Run it"))
    return _packages(blocks[1].removeprefix("sudo apt install")) if len(blocks) > 1 else set()


def _ci_packages() -> set[str]:
    script = CI_RUN.read_text(encoding="utf-8").replace("\\\n", " ")
    found: set[str] = set()
    for line in script.splitlines():
        if "apt-get install" in line:
            found |= _packages(line.split("--no-install-recommends", 1)[1].split(">", 1)[0])
    return found


def test_ci_installs_what_the_readme_lists_and_xvfb() -> None:
    listed = _readme_packages()
    assert "libxcb-cursor0" in listed and "python3-venv" in listed
    assert listed <= _ci_packages(), f"CI does not install {sorted(listed - _ci_packages())}"
    assert "xvfb" in _ci_packages()
    assert "python3 -m venv" in CI_RUN.read_text(encoding="utf-8")


def _debian_package(soname: str) -> str:
    """Debian's package for a shared library: its name, then its major version (with a hyphen
    when the name ends in a digit): libxcb-cursor.so.0 → libxcb-cursor0, libxkbcommon-x11.so.0
    → libxkbcommon-x11-0, libX11-xcb.so.1 → libx11-xcb1."""
    name, _, version = soname.partition(".so.")
    name = name.lower()
    return f"{name}{'-' if name[-1].isdigit() else ''}{version.split('.')[0]}"


def test_debian_package_names() -> None:
    assert _debian_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert _debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert _debian_package("libX11-xcb.so.1") == "libx11-xcb1"
    assert _debian_package("libxcb-render-util.so.0.0.0") == "libxcb-render-util0"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's xcb plugin is Linux's")
def test_the_readme_lists_every_x_library_the_xcb_plugin_links() -> None:
    """``ldd`` on PySide6's xcb plugin: every X library it loads (libxcb-*, libX11-xcb,
    libxkbcommon-x11) is in the README's line, and none is missing on this machine."""
    ldd = require_tool("ldd")
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    assert plugin.is_file(), f"PySide6 has no xcb plugin at {plugin}"
    output = subprocess.run(
        [ldd, str(plugin), str(qt / "lib" / "libQt6XcbQpa.so.6")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sonames = set(re.findall(r"^\s*(\S+\.so\.\d+)", output, flags=re.MULTILINE))
    x_libraries = {s for s in sonames if re.match(r"lib(xcb-|X11-xcb|xkbcommon-x11)", s)}
    assert "libxcb-cursor.so.0" in x_libraries, f"ldd found no xcb libraries: {output}"
    needed = {_debian_package(soname) for soname in x_libraries}
    assert needed <= _readme_packages(), f"add to the README: {sorted(needed - _readme_packages())}"
    missing = [line.strip() for line in output.splitlines() if "not found" in line]
    assert not missing, f"not installed here: {missing}"
