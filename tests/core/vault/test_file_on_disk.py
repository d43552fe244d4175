"""The forum file as the file system presents it: through a symbolic link, marked read-only,
with a name long enough that forumkit's own temporary names do not fit."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from forumkit.errors import CannotOpenForWriting, FileReadOnly, SaveFailed
from forumkit.vault import backup_path
from forumkit.vault.lock import lock_file_for
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.test_cli import WITH_PASSPHRASE, forumkit


def _note(ws: Workspace, text: str) -> None:
    with ws.transaction():
        ws.db["notes"].insert({"text": text})


def _notes(path: Path) -> list[str]:
    with Workspace.open(path, PASSPHRASE, read_only=True) as ws:
        if "notes" not in ws.db.table_names():
            return []
        return [str(r[0]) for r in ws.db.execute("SELECT text FROM notes ORDER BY rowid")]


# -- symbolic links ---------------------------------------------------------------------------


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """A forum file in one folder and a symbolic link to it in another (the desktop)."""
    real = tmp_path / "shared drive" / "forum.forumkit"
    real.parent.mkdir()
    Workspace.create(real, PASSPHRASE, forum="Linked PCF").close()
    desktop = tmp_path / "desktop"
    desktop.mkdir()
    link = desktop / "Our forum.forumkit"
    link.symlink_to(real)
    return real, link


def test_saving_through_a_link_saves_the_file_it_points_to(linked: tuple[Path, Path]) -> None:
    """The engine resolves the link before taking the lock, and saves use the same path."""
    real, link = linked
    with Workspace.open(link, PASSPHRASE) as ws:
        assert ws.path == real.resolve()
        assert lock_file_for(link).parent == real.parent.resolve()
        _note(ws, "one")
        _note(ws, "two")
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert _notes(real) == ["one", "two"]
    assert _notes(backup_path(real)) == ["one"]  # the backup beside the file, not the link
    assert sorted(p.name for p in link.parent.iterdir()) == ["Our forum.forumkit"]


def test_the_command_line_saves_through_a_link_too(
    linked: tuple[Path, Path], tmp_path: Path
) -> None:
    real, link = linked
    env = {**WITH_PASSPHRASE, "FORUMKIT_NEW_PASSPHRASE": "the second passphrase"}
    changed = forumkit("passphrase", link, env=env)
    assert changed.returncode == 0, changed.stderr
    assert link.is_symlink()
    assert backup_path(real).exists() and not backup_path(link).exists()
    with Workspace.open(real, "the second passphrase", read_only=True) as ws:
        assert ws.forum.name == "Linked PCF"


# -- a file marked read-only ------------------------------------------------------------------


@pytest.fixture
def read_only_file(forum_path: Path) -> Path:
    with Workspace.create(forum_path, PASSPHRASE, forum="Read-only PCF") as ws:
        _note(ws, "kept as it is")
    forum_path.chmod(0o444)
    return forum_path


def test_a_read_only_file_is_never_opened_for_writing(read_only_file: Path) -> None:
    """Decided from the mode bits, so it holds for root too (CI runs as root, and root may
    write a file marked 0444)."""
    before = read_only_file.read_bytes()
    with pytest.raises(FileReadOnly, match="read-only") as refused:
        Workspace.open(read_only_file, PASSPHRASE)
    assert isinstance(refused.value, CannotOpenForWriting)  # the app offers to open read-only
    assert "forum.forumkit" in str(refused.value)
    with Workspace.open(read_only_file, PASSPHRASE, read_only=True) as ws:
        assert ws.read_only and _notes(read_only_file) == ["kept as it is"]
    assert read_only_file.read_bytes() == before
    assert stat.S_IMODE(read_only_file.stat().st_mode) == 0o444
    assert sorted(p.name for p in read_only_file.parent.iterdir()) == [
        "forum.forumkit",
        "forum.forumkit.bak",
    ]


def test_the_command_line_says_the_file_is_read_only(read_only_file: Path) -> None:
    before = read_only_file.read_bytes()
    env = {**WITH_PASSPHRASE, "FORUMKIT_NEW_PASSPHRASE": "the second passphrase"}
    refused = forumkit("passphrase", read_only_file, env=env)
    assert refused.returncode == 1
    assert "“forum.forumkit” is marked read-only" in refused.stderr
    assert read_only_file.read_bytes() == before
    assert stat.S_IMODE(read_only_file.stat().st_mode) == 0o444
    shown = forumkit("info", read_only_file, env=WITH_PASSPHRASE)  # reading is fine
    assert shown.returncode == 0, shown.stderr


def test_a_file_marked_read_only_while_open_is_not_replaced(workspace: Workspace) -> None:
    _note(workspace, "saved before")
    workspace.path.chmod(0o444)
    before = workspace.path.read_bytes()
    with pytest.raises(SaveFailed, match="marked read-only"):
        _note(workspace, "not saved")
    assert workspace.path.read_bytes() == before
    assert stat.S_IMODE(workspace.path.stat().st_mode) == 0o444
    workspace.path.chmod(0o644)  # the user allows it again: the change is still there
    workspace.flush()
    assert _notes(workspace.path) == ["saved before", "not saved"]


# -- messages name the file the user named ----------------------------------------------------


def test_a_failed_write_names_the_file_never_a_temporary_one(
    workspace: Workspace, tmp_path: Path
) -> None:
    """A name so long that ``.NAME.tmp-…`` is too long for the file system: a real failure that
    happens to root too."""
    max_name = os.pathconf(tmp_path, "PC_NAME_MAX")
    out = tmp_path / ("r" * (max_name - len(".csv") - 2) + ".csv")
    out.touch()  # the name itself is fine
    from tests.core.responses.helpers import add_test_survey

    add_test_survey(workspace, tmp_path)
    workspace.close()
    exported = forumkit(
        "responses", "export", workspace.path, "family_2026", out, env=WITH_PASSPHRASE
    )
    assert exported.returncode == 1
    assert ".tmp-" not in exported.stderr
    assert out.name in exported.stderr


@pytest.mark.parametrize("spare", [3, 12], ids=["lock name too long", "temp name too long"])
def test_a_forum_file_name_too_long_for_forumkits_own_files_is_named(
    tmp_path: Path, spare: int
) -> None:
    """``.NAME.lock`` (6 more characters) or ``.NAME.tmp-…`` (18 more) does not fit where NAME
    does: the sentence names the forum file, never forumkit's own file beside it."""
    max_name = os.pathconf(tmp_path, "PC_NAME_MAX")
    path = tmp_path / ("f" * (max_name - spare - len(".forumkit")) + ".forumkit")
    made = forumkit("new", path, "--forum", "Long name PCF", env=WITH_PASSPHRASE)
    assert made.returncode == 1
    assert path.name in made.stderr
    assert ".lock" not in made.stderr and ".tmp-" not in made.stderr
    assert not path.exists()
