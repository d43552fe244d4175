"""One resolver finds resources/ from a checkout, an installed wheel and a PyInstaller bundle."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import forumkit
from forumkit import paths
from tests.conftest import REPO_ROOT

CODEBOOK = ("codebooks", "nnpcf-key-messages.json")


def test_checkout_finds_the_top_level_resources() -> None:
    found = paths.resource_path(*CODEBOOK)
    assert found == REPO_ROOT / "resources" / "codebooks" / "nnpcf-key-messages.json"
    keys = [c["key"] for c in json.loads(found.read_text(encoding="utf-8"))["codes"]]
    assert keys == [
        "listen-early",
        "money",
        "incentives",
        "accountability",
        "workforce",
        "lifelong-outcomes",
        "coproduction",
    ]


def test_bundle_layout_wins_when_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = tmp_path / "forumkit" / "resources"
    (bundled / "codebooks").mkdir(parents=True)
    (bundled / "codebooks" / "nnpcf-key-messages.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.resources_dir() == bundled


def test_missing_resource_names_itself() -> None:
    with pytest.raises(FileNotFoundError, match=r"codebooks/nope\.json"):
        paths.resource_path("codebooks", "nope.json")


@pytest.mark.slow
def test_wheel_carries_resources_as_forumkit_package_data(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "wheel"),
            str(REPO_ROOT),
        ],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = (tmp_path / "wheel").glob("forumkit-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path / "site")
    assert "forumkit/resources/codebooks/nnpcf-key-messages.json" in names
    # What an evidence pack is made with: its template, and the password word list and licence.
    for pack_file in ("pack.typ", "eff-short-wordlist-1.txt", "LICENSE-eff-wordlist.txt"):
        assert f"forumkit/resources/packs/{pack_file}" in names
    assert not any(n.startswith("resources/") for n in names)
    # Every module of the checkout travels in the wheel (a package missing from pyproject's
    # list would install a forumkit that fails on first use).
    sources = {
        p.relative_to(REPO_ROOT).as_posix()
        for folder in ("forumkit", "ui")
        for p in (REPO_ROOT / folder).rglob("*.py")
    }
    assert sources - set(names) == set()
    script = (
        "from forumkit import paths; "
        "print(paths.resource_path('codebooks', 'nnpcf-key-messages.json'))"
    )
    # Run from a folder with no checkout in sight, importing forumkit from the unpacked wheel.
    run = subprocess.run(
        [
            sys.executable,
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r}); {script}",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert (
        Path(run.stdout.strip())
        == tmp_path / "site" / "forumkit" / "resources" / "codebooks" / "nnpcf-key-messages.json"
    )
    assert Path(forumkit.__file__).is_file()
