"""Merging and making a volunteer copy in two halves (the slow key derivation apart, so the app
runs it in a worker): the same outcome as in one call, and a refusal leaves nothing behind."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from forumkit.errors import ForumFileExists, WrongPassphrase
from forumkit.merge import (
    DecryptedCopy,
    OtherForumFile,
    SameFile,
    another_forum,
    decrypt_copy,
    merge_decrypted,
    volunteer_copy_sealed,
)
from forumkit.responses import count_responses
from forumkit.vault import backup_path
from forumkit.workspace import Workspace, seal_new
from tests.conftest import PASSPHRASE
from tests.core.merge.helpers import (
    VOLUNTEER_PASSPHRASE,
    capture,
    dump,
    make_chair,
    make_copy,
    opened,
)


def test_a_copy_decrypted_in_another_thread_merges_here(tmp_path: Path) -> None:
    chair, survey = make_chair(tmp_path)
    laptop = make_copy(chair, "laptop.forumkit", VOLUNTEER_PASSPHRASE)
    with opened(laptop, VOLUNTEER_PASSPHRASE) as ws:
        capture(ws, survey, "told on the laptop")
    found: list[DecryptedCopy] = []
    worker = threading.Thread(
        target=lambda: found.append(decrypt_copy(laptop, VOLUNTEER_PASSPHRASE))
    )
    worker.start()
    worker.join()
    (copy,) = found
    with opened(chair) as ws:
        result = merge_decrypted(ws, copy)
        assert result.kind("response").added == 1
        assert count_responses(ws.db, survey.id) == 1
        assert not any(copy.image)  # wiped once loaded
        merged = dump(ws)
    with opened(laptop, VOLUNTEER_PASSPHRASE) as ws:
        assert dump(ws)["responses"] == merged["responses"]


def test_a_wrong_passphrase_is_refused_before_anything_changes(tmp_path: Path) -> None:
    chair, _ = make_chair(tmp_path)
    laptop = make_copy(chair, "laptop.forumkit", VOLUNTEER_PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        decrypt_copy(laptop, "not the volunteer's passphrase")


def test_the_open_file_and_another_forums_file_are_refused(tmp_path: Path) -> None:
    chair, _ = make_chair(tmp_path)
    other, _ = make_chair(tmp_path, "another forum.forumkit")
    with opened(chair) as ws:
        before = dump(ws)
        same = decrypt_copy(chair, PASSPHRASE)
        with pytest.raises(SameFile):
            merge_decrypted(ws, same)
        assert not any(same.image)
        theirs = decrypt_copy(other, PASSPHRASE)
        assert another_forum(ws, theirs) == "Brookfield PCF"  # same name, another forum
        assert another_forum(ws, decrypt_copy(chair, PASSPHRASE)) is None
        with pytest.raises(OtherForumFile, match="another forum"):
            merge_decrypted(ws, theirs)
        assert dump(ws) == before
        result = merge_decrypted(ws, decrypt_copy(other, PASSPHRASE), other_forum=True)
        assert result.other == "another forum.forumkit"


def test_a_volunteer_copy_sealed_elsewhere_holds_the_forums_setup(tmp_path: Path) -> None:
    chair, survey = make_chair(tmp_path)
    target = tmp_path / "laptop.forumkit"
    sealed = seal_new(target, VOLUNTEER_PASSPHRASE)
    with opened(chair) as ws:
        capture(ws, survey, "stays in the chair's file")
        made = volunteer_copy_sealed(ws, sealed)
        forum_id = ws.forum.forum_id
    assert made.path == target and made.recovery_key and made.surveys == 1
    with opened(target, VOLUNTEER_PASSPHRASE) as ws:
        assert ws.forum.forum_id == forum_id
        assert count_responses(ws.db, survey.id) == 0


def test_a_volunteer_copy_never_replaces_a_file(tmp_path: Path) -> None:
    chair, _ = make_chair(tmp_path)
    target = tmp_path / "laptop.forumkit"
    sealed = seal_new(target, VOLUNTEER_PASSPHRASE)
    target.write_bytes(b"someone else's file")
    with opened(chair) as ws, pytest.raises(ForumFileExists):
        volunteer_copy_sealed(ws, sealed)
    assert target.read_bytes() == b"someone else's file"
    assert not backup_path(target).exists()
    with Workspace.open(chair, PASSPHRASE, read_only=True) as untouched:
        assert untouched.is_open  # the chair's file is sound and unlocked again
