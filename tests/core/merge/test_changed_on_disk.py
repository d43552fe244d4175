"""When another program saved the file meanwhile, its version is merged in rather than lost or
overwritten (KeePassXC's way), only when asked: the workspace itself still refuses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from forumkit.errors import FileChangedOnDisk
from forumkit.merge import merge_changed_file
from forumkit.responses import erase_respondent
from forumkit.surveys import Survey
from forumkit.vault import backup_path
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, decrypted
from tests.core.merge.helpers import capture, make_chair, opened, story

SECRET = "Zebedee-Secret-5521 the words of a parent who asked to be erased"


@pytest.fixture
def chair(tmp_path: Path) -> tuple[Path, Survey]:
    return make_chair(tmp_path)


def _saved_elsewhere(path: Path, survey: Survey, text: str) -> str:
    """Another program saves the file: a copy changed elsewhere is put in its place."""
    elsewhere = path.with_name("elsewhere.forumkit")
    shutil.copyfile(path, elsewhere)
    with opened(elsewhere) as ws:
        made = capture(ws, survey, text).id
    shutil.copyfile(elsewhere, path)
    elsewhere.unlink()
    return made


def test_the_newer_file_is_merged_in_and_then_saved(chair: tuple[Path, Survey]) -> None:
    path, survey = chair
    with opened(path) as ws:
        theirs = _saved_elsewhere(path, survey, "saved by the other program")
        with pytest.raises(FileChangedOnDisk):
            capture(ws, survey, "typed here")
        assert ws.has_unsaved_changes
        result = merge_changed_file(ws)
        assert result.kind("response").added == 1
        assert not ws.has_unsaved_changes
        capture(ws, survey, "typed afterwards")  # saves go on as before
    with Workspace.open(path, PASSPHRASE, read_only=True) as ws:
        stories = sorted(str(r[0]) for r in ws.db.execute("SELECT answers FROM responses"))
        assert len(stories) == 3
        assert story(ws, theirs) == "saved by the other program"


def test_asked_for_it_a_refused_save_merges_by_itself(chair: tuple[Path, Survey]) -> None:
    path, survey = chair
    with opened(path) as ws:
        ws.merge_when_changed_on_disk(merge_changed_file)
        theirs = _saved_elsewhere(path, survey, "saved by the other program")
        mine = capture(ws, survey, "typed here").id  # no error: merged, then saved
    with Workspace.open(path, PASSPHRASE, read_only=True) as ws:
        assert story(ws, theirs) == "saved by the other program"
        assert story(ws, mine) == "typed here"


def test_an_older_copy_put_back_loses_nothing(chair: tuple[Path, Survey]) -> None:
    path, survey = chair
    with opened(path) as ws:
        first = capture(ws, survey, "first").id
        second = capture(ws, survey, "second").id
        saved = ws.generation
        shutil.copyfile(backup_path(path), path)  # the version before "second"
        with pytest.raises(FileChangedOnDisk, match="older copy"):
            capture(ws, survey, "third")
        merge_changed_file(ws)
        generation = ws.generation
        assert generation == saved + 1  # numbered on from this file's saves, not the copy's
    with Workspace.open(path, PASSPHRASE) as ws:
        assert story(ws, first) == "first" and story(ws, second) == "second"
        assert ws.db.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 3
        # Saved on from this computer's count, so it is not taken for an older copy.
        assert ws.generation == generation and ws.older_copy is None and not ws.warnings


def test_another_forum_file_in_its_place_is_still_refused(
    chair: tuple[Path, Survey], tmp_path: Path
) -> None:
    path, survey = chair
    other, _ = make_chair(tmp_path / "", "other.forumkit")
    with opened(path) as ws:
        shutil.copyfile(other, path)
        on_disk = path.read_bytes()
        with pytest.raises(FileChangedOnDisk):
            capture(ws, survey, "typed here")
        with pytest.raises(FileChangedOnDisk, match="different forum file"):
            merge_changed_file(ws)
        assert path.read_bytes() == on_disk
        assert ws.has_unsaved_changes


def test_an_erasure_among_the_refused_changes_still_rewrites_the_backup(
    chair: tuple[Path, Survey],
) -> None:
    path, survey = chair
    with opened(path) as ws:
        capture(ws, survey, SECRET, respondent="parent@example.org")
        capture(ws, survey, "another parent")  # the backup holds the secret now
        _saved_elsewhere(path, survey, "saved by the other program")
        with pytest.raises(FileChangedOnDisk):
            erase_respondent(ws, "parent@example.org")
        merge_changed_file(ws)
    for image in (decrypted(path), decrypted(backup_path(path))):
        assert SECRET.encode() not in image
