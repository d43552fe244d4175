"""An older copy of a forum file (last month's USB stick, a restored backup): forumkit says so
every time it is opened, `verify --json` reports it, and a save on it never silently takes a save
number the newer copy already has."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlite_utils

from forumkit import schema
from forumkit.errors import FileChangedOnDisk, OlderCopyNotConfirmed
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.test_cli import WITH_PASSPHRASE, forumkit


def _note(ws: Workspace, text: str) -> None:
    with ws.transaction():
        ws.db["notes"].insert({"text": text})


def _notes(path: Path) -> list[str]:
    with Workspace.open(path, PASSPHRASE, read_only=True) as ws:
        return [str(r[0]) for r in ws.db.execute("SELECT text FROM notes ORDER BY rowid")]


@pytest.fixture
def older_copy(workspace: Workspace, tmp_path: Path) -> Path:
    """A copy of the forum file taken before the original was saved once more (and closed)."""
    _note(workspace, "in both copies")
    copy = tmp_path / "usb-stick.forumkit"
    shutil.copyfile(workspace.path, copy)
    _note(workspace, "only in the newer copy")
    workspace.close()
    return copy


def test_a_save_on_an_older_copy_is_refused_until_confirmed(
    older_copy: Path, forum_path: Path
) -> None:
    before = older_copy.read_bytes()
    with Workspace.open(older_copy, PASSPHRASE) as ws:
        older = ws.older_copy
        assert older is not None
        assert (older.generation, older.newest_seen) == (ws.generation, ws.generation + 1)
        assert any("older" in warning for warning in ws.warnings)
        with pytest.raises(OlderCopyNotConfirmed, match="older copy") as refused:
            _note(ws, "added to the older copy")
        assert isinstance(refused.value, FileChangedOnDisk)  # the app offers its choices
        assert older_copy.read_bytes() == before  # nothing written...
        assert ws.has_unsaved_changes  # ...and nothing lost
        ws.accept_older_copy()
        ws.flush()
        # Its saves now count on from the newest save this computer has seen, never reusing
        # a number the newer copy already has.
        assert ws.generation == older.newest_seen + 1
        assert ws.older_copy is None
    assert _notes(older_copy) == ["in both copies", "added to the older copy"]
    # The copy carried on with is now the newest: it opens without a warning, and the other
    # copy is the one that lacks work.
    with Workspace.open(older_copy, PASSPHRASE, read_only=True) as ws:
        assert ws.older_copy is None and ws.warnings == []
    with Workspace.open(forum_path, PASSPHRASE, read_only=True) as ws:
        assert ws.older_copy is not None


def test_the_warning_returns_on_every_open_until_confirmed(older_copy: Path) -> None:
    """It used to fire once: one save on the older copy gave it the newer copy's number."""
    for _ in range(3):
        with Workspace.open(older_copy, PASSPHRASE) as ws:
            assert ws.older_copy is not None and ws.warnings
            with pytest.raises(OlderCopyNotConfirmed):
                _note(ws, "refused")
            ws.close(discard_unsaved=True)


def test_verify_json_reports_the_older_copy(older_copy: Path, forum_path: Path) -> None:
    report = json.loads(forumkit("verify", older_copy, "--json", env=WITH_PASSPHRASE).stdout)
    assert report["older_copy"] == {
        "generation": report["generation"],
        "newest_seen": report["generation"] + 1,
    }
    newest = json.loads(forumkit("verify", forum_path, "--json", env=WITH_PASSPHRASE).stdout)
    assert newest["older_copy"] is None
    text = forumkit("verify", older_copy, env=WITH_PASSPHRASE)
    assert text.returncode == 0 and "older copy" in text.stdout + text.stderr


def test_the_command_line_refuses_to_change_an_older_copy_without_being_told(
    older_copy: Path,
) -> None:
    before = older_copy.read_bytes()
    env = {**WITH_PASSPHRASE, "FORUMKIT_NEW_PASSPHRASE": "a new passphrase for the stick"}
    refused = forumkit("passphrase", older_copy, env=env)
    assert refused.returncode == 1
    assert "--accept-older-copy" in refused.stderr and "usb-stick.forumkit" in refused.stderr
    assert older_copy.read_bytes() == before
    carried_on = forumkit("passphrase", older_copy, "--accept-older-copy", env=env)
    assert carried_on.returncode == 0, carried_on.stderr
    assert older_copy.read_bytes() != before


def test_an_older_copy_needing_an_upgrade_still_opens(
    older_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = older_copy.read_bytes()

    def later(db: sqlite_utils.Database) -> None:
        db.execute("CREATE TABLE later_feature (id TEXT PRIMARY KEY)")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, later])
    with Workspace.open(older_copy, PASSPHRASE) as ws:
        assert "later_feature" in ws.db.table_names()  # upgraded in memory, waiting
        assert ws.has_unsaved_changes and older_copy.read_bytes() == before
        ws.accept_older_copy()
        ws.flush()
    assert older_copy.read_bytes() != before
