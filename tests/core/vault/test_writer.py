"""Saving off the database thread: the writer coalesces, keeps failed saves, retries, and a
failing disk loses nothing and leaves no plaintext."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from forumkit import vault
from forumkit.errors import FileChangedOnDisk, SaveFailed
from forumkit.vault import Vault, backup_path
from forumkit.vault.writer import SaveState, SaveWriter
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, REPO_ROOT, require_tool

MARKER = "Zebedee-Marker-4410 my daughter's school refused the assessment"


def _image(ws: Workspace, text: str) -> bytes:
    with ws.transaction():
        ws.db["notes"].insert({"text": text})
    return ws.db.conn.serialize()


def _texts_on_disk(path: Path) -> list[str]:
    with Workspace.open(path, PASSPHRASE, read_only=True) as ws:
        if "notes" not in ws.db.table_names():
            return []
        return [str(row[0]) for row in ws.db.execute("SELECT text FROM notes ORDER BY rowid")]


class _SlowDisk:
    """Stands in for ``write_atomically``: each write waits until released, and is counted."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.writes = 0
        self.real = vault.write_atomically

    def __call__(self, *args: object, **kwargs: object) -> None:
        self.writes += 1
        self.started.set()
        assert self.release.wait(30)
        self.real(*args, **kwargs)  # type: ignore[arg-type]


def test_background_saves_coalesce_and_the_newest_wins(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    heard: list[SaveState] = []
    writer = SaveWriter(workspace.vault, background=True, on_state=heard.append)
    images = [_image(workspace, f"change {n}") for n in range(6)]
    slow = _SlowDisk()
    monkeypatch.setattr(vault, "write_atomically", slow)
    try:
        writer.submit(images[0])
        assert slow.started.wait(30)
        assert writer.state.saving
        for image in images[1:]:
            writer.submit(image)  # returns at once: the first is still being written
        slow.release.set()
        writer.flush()
    finally:
        slow.release.set()
        writer.close()
    assert slow.writes == 2  # the first, then only the newest of the five that waited
    assert writer.state.all_saved and writer.state.saved_at is not None
    assert heard[-1].all_saved
    monkeypatch.undo()
    assert _texts_on_disk(workspace.path) == [f"change {n}" for n in range(6)]


def test_a_failed_write_is_kept_retried_and_reported(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    heard: list[SaveState] = []
    writer = SaveWriter(
        workspace.vault, background=True, on_state=heard.append, retry_delays_s=(0.05,)
    )
    image = _image(workspace, "written on the fourth try")
    before = workspace.path.read_bytes()
    failures = {"left": 3}
    real = vault.write_atomically

    def unplugged(*args: object, **kwargs: object) -> None:
        if failures["left"] > 0:
            failures["left"] -= 1
            raise OSError(5, "Input/output error")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(vault, "write_atomically", unplugged)
    try:
        writer.submit(image)
        with pytest.raises(SaveFailed, match="input/output error"):
            writer.flush()  # tries once more now, and says why it failed
        assert workspace.path.read_bytes() == before
        failures_seen = [s for s in heard if isinstance(s.error, SaveFailed)]
        assert failures_seen and not failures_seen[0].all_saved
        # Nothing else asked: the writer tries again by itself after a pause.
        deadline = threading.Event()
        for _ in range(200):
            if writer.state.all_saved:
                break
            deadline.wait(0.05)
        assert writer.state.all_saved
    finally:
        writer.close()
    monkeypatch.undo()
    assert _texts_on_disk(workspace.path)[-1] == "written on the fourth try"


def test_a_file_changed_on_disk_is_not_overwritten_nor_retried(workspace: Workspace) -> None:
    image = _image(workspace, "ours")
    theirs = backup_path(workspace.path).read_bytes()
    workspace.path.write_bytes(theirs)  # someone copies the previous version over it
    writer = SaveWriter(workspace.vault, background=True, retry_delays_s=(0.01,))
    try:
        writer.submit(image)
        with pytest.raises(FileChangedOnDisk, match="older copy"):
            writer.flush()
        threading.Event().wait(0.2)
        assert isinstance(writer.state.error, FileChangedOnDisk)
        assert writer.unsaved_image() is not None
    finally:
        writer.close()
    assert workspace.path.read_bytes() == theirs


def test_without_background_a_save_is_on_disk_before_submit_returns(
    workspace: Workspace,
) -> None:
    writer = SaveWriter(workspace.vault)
    writer.submit(_image(workspace, "on disk now"))
    assert writer.state.all_saved
    assert _texts_on_disk(workspace.path)[-1] == "on disk now"
    assert threading.active_count() >= 1  # and no thread of its own was needed
    assert not writer.background


_UNCLOSED = textwrap.dedent(
    """
    import sys
    from forumkit.workspace import Workspace
    ws = Workspace.open(sys.argv[1], sys.argv[2])
    ws.save_in_background()
    with ws.transaction():
        ws.db["notes"].insert({"text": "written although the program forgot to close"})
    """
)


def test_a_program_that_forgets_to_close_still_writes_what_it_committed(
    forum_path: Path,
) -> None:
    Workspace.create(forum_path, PASSPHRASE, forum="F").close()
    subprocess.run(
        [sys.executable, "-c", _UNCLOSED, str(forum_path), PASSPHRASE],
        check=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=60,
    )
    assert _texts_on_disk(forum_path) == ["written although the program forgot to close"]


_FULL_DISK = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from forumkit.errors import SaveFailed
    from forumkit.workspace import Workspace

    folder, passphrase, marker = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    report = {}
    ws = Workspace.create(folder / "forum.forumkit", passphrase, forum="Tiny stick PCF")
    with ws.transaction():
        ws.db["notes"].insert({"text": "saved before the stick filled up"})
    with ws.transaction():
        ws.db["notes"].insert({"text": "saved twice, so there is a backup"})
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\\0" * 4096)
        except OSError:
            pass
    try:
        with ws.transaction():
            ws.db["notes"].insert({"text": marker + " " + "x" * 300_000})
        report["failed"] = False
    except SaveFailed as error:
        report["failed"] = True
        report["message"] = str(error)
    report["in_memory"] = [r[0][:30] for r in ws.db.execute("SELECT text FROM notes")]
    report["unsaved"] = ws.has_unsaved_changes
    with Workspace.open(folder / "forum.forumkit", passphrase, read_only=True) as disk:
        report["on_disk"] = [r[0][:30] for r in disk.db.execute("SELECT text FROM notes")]
    found = []
    for path in folder.iterdir():
        if path.is_file() and path.name != "filler":
            data = path.read_bytes()
            if marker.encode() in data or marker.encode("utf-16-le") in data:
                found.append(path.name)
    report["plaintext_in"] = found
    filler.unlink()  # room again: the next attempt writes it
    ws.flush()
    ws.close()
    with Workspace.open(folder / "forum.forumkit", passphrase, read_only=True) as disk:
        report["after_room"] = [r[0][:30] for r in disk.db.execute("SELECT text FROM notes")]
    report["files"] = sorted(p.name for p in folder.iterdir())
    print(json.dumps(report))
    """
)


def test_a_full_stick_loses_nothing_and_leaves_no_plaintext(tmp_path: Path) -> None:
    """A real full file system: a 2 MiB tmpfs in a private mount namespace (``unshare``)."""
    unshare = require_tool("unshare")
    stick = tmp_path / "stick"
    stick.mkdir()
    # Arguments travel as "$@", never spliced into the shell's text.
    command = 'mount -t tmpfs -o size=2m tmpfs "$1" && exec "$PYTHON" -c "$DRIVER" "$@"'
    result = subprocess.run(
        [unshare, "-rm", "sh", "-c", command, "sh", str(stick), PASSPHRASE, MARKER],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": str(REPO_ROOT),
            "DRIVER": _FULL_DISK,
            "PYTHON": sys.executable,
        },
        timeout=120,
    )
    if result.returncode != 0 and "mount" in result.stderr and not result.stdout:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["failed"], "the save should not have fitted"
    # Refused before writing (the room is checked first), in words naming the forum file.
    assert report["message"].startswith("The disk holding “forum.forumkit” is full")
    assert report["unsaved"]
    assert report["in_memory"][-1].startswith(MARKER[:30])
    assert report["on_disk"] == [
        "saved before the stick filled ",
        "saved twice, so there is a bac",
    ]
    assert report["plaintext_in"] == []
    assert report["after_room"][-1].startswith(MARKER[:30])
    assert report["files"] == ["forum.forumkit", "forum.forumkit.bak"]


def test_a_vault_never_saves_over_a_newer_save(workspace: Workspace) -> None:
    """Belt and braces beside the lock: a second vault that ignored it (a copy of forumkit
    on another computer of a synced folder) saves; our next save is refused."""
    image = _image(workspace, "ours, saved first")
    other, theirs = Vault.open(workspace.path, PASSPHRASE)
    other._lock = workspace.vault.lock  # as if it held a lock of its own
    other.save(theirs)
    other._lock = None
    other.close()
    after_theirs = workspace.path.read_bytes()
    with pytest.raises(FileChangedOnDisk, match="saved by another program"):
        workspace.vault.save(image)
    assert workspace.path.read_bytes() == after_theirs
