"""The forum's pack title and contact: kept in the file, carried by an upgrade."""

from __future__ import annotations

import shutil
from pathlib import Path

from forumkit import schema
from forumkit.packs import PackSettings, pack_settings, set_pack_settings
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, REPO_ROOT

RELEASE_0_1 = REPO_ROOT / "tests" / "core" / "release_files" / "forum-0.1.forumkit"


def test_settings_are_saved_in_the_file(workspace: Workspace) -> None:
    assert pack_settings(workspace.db) == PackSettings("", "")
    changes = []
    workspace.subscribe(changes.append)
    set_pack_settings(workspace, contact="  Jo Bloggs,   chair \r\n\n 01632 960001 ")
    assert changes[-1].touches("settings")
    set_pack_settings(workspace, title=" Our   evidence ")
    path = workspace.path
    workspace.close()
    with Workspace.open(path, PASSPHRASE) as again:
        assert pack_settings(again.db) == PackSettings(
            "Our evidence", "Jo Bloggs, chair\n01632 960001"
        )
        set_pack_settings(again, title="")
        assert pack_settings(again.db).title == ""


def test_an_older_file_gets_empty_settings(tmp_path: Path) -> None:
    copy = tmp_path / "forum.forumkit"
    shutil.copy(RELEASE_0_1, copy)
    with Workspace.open(copy, PASSPHRASE) as workspace:
        assert workspace.schema_version == schema.latest_version() >= 7
        assert pack_settings(workspace.db) == PackSettings("", "")
