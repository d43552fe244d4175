"""A volunteer's copy: the forum's surveys, codebooks and deny-list, nobody's answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit import audit, tombstones
from forumkit.analysis import set_suppression_threshold, suppression_threshold
from forumkit.codebooks import edit_code, get_code, list_codebooks, resolve_code
from forumkit.errors import ForumFileExists, WrongPassphrase
from forumkit.merge import copy, volunteer_copy
from forumkit.packs import pack_settings, set_pack_settings
from forumkit.quotes import add_deny_term, create_quote, list_deny_terms
from forumkit.responses import count_responses, erase_respondent
from forumkit.surveys import get_survey, list_surveys, rename_survey
from forumkit.vault import Vault, backup_path
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, decrypted
from tests.core.merge.helpers import VOLUNTEER_PASSPHRASE, capture, make_chair, opened

SECRET = "Zebedee-Secret-8812 nobody's answers travel to a laptop"


def test_the_copy_holds_the_forums_setup_and_no_answers(tmp_path: Path) -> None:
    path, survey = make_chair(tmp_path)
    with opened(path) as ws:
        made = capture(ws, survey, SECRET, respondent="parent@example.org")
        create_quote(ws, made.id, "experience")
        capture(ws, survey, "erased later", respondent="erase@example.org")
        erase_respondent(ws, "erase@example.org")
        rename_survey(ws, survey.id, "Spring events survey")
        edit_code(ws, "money", label="Money and funding")
        add_deny_term(ws, "Brookfield Academy", "school")
        set_pack_settings(ws, title="Brookfield's evidence", contact="chair@example.org")
        set_suppression_threshold(ws, 10)
        forum = ws.forum
        made_copy = volunteer_copy(ws, tmp_path / "laptop.forumkit", VOLUNTEER_PASSPHRASE)
        codebooks = [(b.key, [c.key for c in b.codes]) for b in list_codebooks(ws.db)]
        erased = [row[0] for row in ws.db.execute("SELECT id FROM tombstones")]
    assert made_copy.recovery_key and (made_copy.surveys, made_copy.codebooks) == (1, 4)
    with pytest.raises(WrongPassphrase):
        Workspace.open(made_copy.path, PASSPHRASE)
    with opened(made_copy.path, VOLUNTEER_PASSPHRASE) as ws:
        assert ws.forum.forum_id == forum.forum_id
        assert ws.forum.origin_id != forum.origin_id and ws.forum.file_id != forum.file_id
        assert (ws.forum.name, ws.forum.area) == (forum.name, forum.area)
        assert [s.title for s in list_surveys(ws.db)] == ["Spring events survey"]
        assert get_survey(ws.db, survey.form_id).version_id == survey.version_id
        assert [(b.key, [c.key for c in b.codes]) for b in list_codebooks(ws.db)] == codebooks
        assert get_code(ws.db, resolve_code(ws.db, "money").id).label == "Money and funding"
        assert [e.text for e in list_deny_terms(ws.db)] == ["Brookfield Academy"]
        settings = pack_settings(ws.db)
        assert (settings.title, settings.contact) == ("Brookfield's evidence", "chair@example.org")
        assert suppression_threshold(ws.db) == 10
        assert count_responses(ws.db, survey.id) == 0
        assert ws.db.execute("SELECT COUNT(*) FROM quotes").fetchone()[0] == 0
        assert sorted(row[0] for row in ws.db.execute("SELECT id FROM tombstones")) == sorted(
            erased
        )
        assert all(tombstones.reason(ws.db, item) is not None for item in erased)
        assert [e.action for e in audit.entries(ws.db)] == [
            "forum_created",
            "volunteer_copy_created",
        ]
        # The volunteer captures on it straight away, recorded as this laptop's.
        captured = capture(ws, get_survey(ws.db, survey.id), "at the event")
        assert captured.device_id == ws.forum.origin_id
    for image in (decrypted_with(made_copy.path), decrypted_with(backup_path(made_copy.path))):
        assert SECRET.encode() not in image
    assert SECRET.encode() in decrypted(path)


def decrypted_with(path: Path) -> bytes:
    vault, image = Vault.open(path, VOLUNTEER_PASSPHRASE)
    vault.close()
    return bytes(image)


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    path, _ = make_chair(tmp_path)
    taken = tmp_path / "laptop.forumkit"
    taken.write_bytes(b"someone else's file")
    with opened(path) as ws, pytest.raises(ForumFileExists):
        volunteer_copy(ws, taken, VOLUNTEER_PASSPHRASE)
    assert taken.read_bytes() == b"someone else's file"


def test_a_failed_copy_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = make_chair(tmp_path)
    target = tmp_path / "laptop.forumkit"

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(copy.audit, "record", broken)
    with opened(path) as ws, pytest.raises(OSError):
        volunteer_copy(ws, target, VOLUNTEER_PASSPHRASE)
    assert not target.exists() and not backup_path(target).exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(("laptop", ".laptop"))] == []
