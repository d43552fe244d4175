"""The backup beside a forum file (``FILE.bak``): erasure reaches it even when interrupted, damage
to it is reported and healed, and a save that would not fit on the disk is refused before it
writes anything."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from forumkit.errors import DiskFull, SaveFailed
from forumkit.responses import add_response
from forumkit.vault import backup_path
from forumkit.vault import storage as vault_storage
from forumkit.vault.format import parse_header
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, REPO_ROOT, decrypted, require_tool
from tests.core.responses.helpers import add_test_survey, complete_answers
from tests.core.test_cli import WITH_PASSPHRASE, forumkit

SECRET = "Numbat-2291 my son was excluded twice in Year 4"
RESPONDENT = "ann@example.org"


def _note(ws: Workspace, text: str) -> None:
    with ws.transaction():
        ws.db["notes"].insert({"text": text})


@pytest.fixture
def forum_with_ann(tmp_path: Path) -> Path:
    """A forum file holding Ann's answers in both the file and its backup."""
    path = tmp_path / "forum.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Testshire PCF") as ws:
        survey = add_test_survey(ws, tmp_path)
        add_response(
            ws,
            survey,
            complete_answers(experience=SECRET),
            status="complete",
            respondent=RESPONDENT,
        )
        add_response(ws, survey, {"rating": 9}, respondent="bob@example.org")
    assert SECRET.encode() in decrypted(path) and SECRET.encode() in decrypted(backup_path(path))
    return path


# A CLI erase that dies (SIGKILL) the moment the forum file is written and before its backup is:
# the one window where an erased respondent lives on in FILE.bak.
_ERASE_KILLED_BEFORE_THE_BACKUP = textwrap.dedent(
    """
    import os, signal, sys
    from forumkit.vault import storage

    real = storage.write_atomically

    def write(path, *chunks, **options):
        if str(path).endswith(".bak"):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, *chunks, **options)

    storage.write_atomically = write
    from forumkit.cli import main
    sys.exit(main(["responses", "erase", sys.argv[1], "--respondent", sys.argv[2], "--yes"]))
    """
)


def _erase_killed_before_the_backup(path: Path) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", _ERASE_KILLED_BEFORE_THE_BACKUP, str(path), RESPONDENT],
        env={**os.environ, **WITH_PASSPHRASE, "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        timeout=60,
    )
    assert killed.returncode == -9, killed.stderr
    # The forum file has the erasure; the backup still holds Ann: what the kill left.
    assert SECRET.encode() not in decrypted(path)
    assert SECRET.encode() in decrypted(backup_path(path))


def test_running_an_interrupted_erasure_again_finishes_it(forum_with_ann: Path) -> None:
    _erase_killed_before_the_backup(forum_with_ann)
    again = forumkit(
        "responses",
        "erase",
        forum_with_ann,
        "--respondent",
        RESPONDENT,
        "--yes",
        "--json",
        "--break-stale-lock",
        env=WITH_PASSPHRASE,
    )
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["erased"] == 0 and report["backup_purged"] is True
    assert SECRET.encode() not in decrypted(backup_path(forum_with_ann))
    text = forumkit(
        "responses", "erase", forum_with_ann, "--respondent", RESPONDENT, "--yes",
        env=WITH_PASSPHRASE,
    )  # fmt: skip
    assert text.returncode == 0
    # Once finished, a third run has nothing left to do and says only that.
    assert "nothing was erased" in text.stdout and "backup" not in text.stdout


def test_the_erasure_message_says_the_backup_was_finished(forum_with_ann: Path) -> None:
    _erase_killed_before_the_backup(forum_with_ann)
    again = forumkit(
        "responses", "erase", forum_with_ann, "--respondent", RESPONDENT, "--yes",
        "--break-stale-lock", env=WITH_PASSPHRASE,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert "interrupted erasure" in again.stdout
    assert "rewritten without them" in again.stdout
    assert SECRET not in again.stdout + again.stderr


def test_the_next_open_for_writing_finishes_an_interrupted_erasure(
    forum_with_ann: Path,
) -> None:
    _erase_killed_before_the_backup(forum_with_ann)
    # A temporary file a crashed save left beside it, holding the version before the erasure.
    leftover = forum_with_ann.with_name(f".{forum_with_ann.name}.bak.tmp-0123456789ab")
    leftover.write_bytes(backup_path(forum_with_ann).read_bytes())
    with Workspace.open(forum_with_ann, PASSPHRASE, read_only=True) as reader:
        assert reader.check_backup().state == "holds_erased_data"  # reported, not touched
    assert SECRET.encode() in decrypted(backup_path(forum_with_ann))
    with Workspace.open(forum_with_ann, PASSPHRASE, break_stale_lock=True) as ws:
        assert ws.backup_repair is not None
        assert ws.backup_repair.state == "holds_erased_data"
        assert any("interrupted erasure" in warning for warning in ws.warnings)
        assert ws.check_backup().state == "sound"
    assert SECRET.encode() not in decrypted(backup_path(forum_with_ann))
    assert not leftover.exists()


def test_an_erasure_leaves_no_older_version_under_a_temporary_name(forum_with_ann: Path) -> None:
    """A save killed half-way may leave another name for an older version beside the file
    (``.NAME.bak.tmp-…``, a hard link): the erasure removes it at once, not at the next open."""
    with Workspace.open(forum_with_ann, PASSPHRASE) as ws:
        stray = forum_with_ann.with_name(f".{forum_with_ann.name}.bak.tmp-0123456789ab")
        os.link(backup_path(forum_with_ann), stray)
        fresh_but_later = forum_with_ann.with_name(f".{forum_with_ann.name}.tmp-ba9876543210")
        from forumkit.responses import erase_respondent

        erase_respondent(ws, RESPONDENT)
        assert not stray.exists()
        fresh_but_later.write_bytes(forum_with_ann.read_bytes())  # written after: left alone
        _note(ws, "a later save")
        assert fresh_but_later.exists()
        assert ws.check_backup().state == "sound"
    assert SECRET.encode() not in decrypted(backup_path(forum_with_ann))


def test_an_erasure_records_its_generation_in_the_header_and_nothing_else(
    forum_with_ann: Path,
) -> None:
    before, _ = parse_header(forum_with_ann, forum_with_ann.read_bytes())
    assert before.last_erasure is None  # a file never erased says nothing of erasures
    with Workspace.open(forum_with_ann, PASSPHRASE) as ws:
        from forumkit.responses import erase_respondent

        erase_respondent(ws, RESPONDENT)
        erased_at = ws.generation
        _note(ws, "a later save")
    after, _ = parse_header(forum_with_ann, forum_with_ann.read_bytes())
    assert after.last_erasure == erased_at and after.generation == erased_at + 1
    backup, _ = parse_header(forum_with_ann, backup_path(forum_with_ann).read_bytes())
    assert backup.generation == erased_at  # the version the erasure wrote: a sound backup


def _damage_backup(path: Path) -> None:
    """What a save killed while writing into the backup's file leaves: a newer header over the
    older version's bytes, cut short."""
    data = backup_path(path).read_bytes()
    newer = path.read_bytes()
    backup_path(path).write_bytes(newer[: len(newer) // 2] + data[len(newer) // 2 : -100])


def test_a_damaged_backup_is_reported_by_verify_and_info(workspace: Workspace) -> None:
    _note(workspace, "one")
    _note(workspace, "two")
    path = workspace.path
    workspace.close()
    _damage_backup(path)
    for command in ("verify", "info"):
        as_json = forumkit(command, path, "--json", env=WITH_PASSPHRASE)
        assert as_json.returncode == 0, as_json.stderr
        backup = json.loads(as_json.stdout)["backup"]
        assert backup["state"] == "damaged", command
        as_text = forumkit(command, path, env=WITH_PASSPHRASE)
        assert "forum.forumkit.bak" in as_text.stdout + as_text.stderr
        assert "damaged" in as_text.stdout + as_text.stderr


def test_a_damaged_backup_is_healed_by_the_next_open_for_writing(workspace: Workspace) -> None:
    _note(workspace, "one")
    _note(workspace, "two")
    path = workspace.path
    workspace.close()
    _damage_backup(path)
    with Workspace.open(path, PASSPHRASE) as ws:
        assert ws.backup_repair is not None and ws.backup_repair.state == "damaged"
        assert any("forum.forumkit.bak" in warning for warning in ws.warnings)
    verified = json.loads(forumkit("verify", path, "--json", env=WITH_PASSPHRASE).stdout)
    assert verified["backup"]["state"] == "sound"


def test_a_damaged_backup_is_healed_by_the_next_save(workspace: Workspace) -> None:
    _note(workspace, "one")
    _note(workspace, "two")
    _damage_backup(workspace.path)  # while open: the next save heals it
    assert workspace.check_backup().state == "damaged"
    _note(workspace, "three")
    assert workspace.check_backup().state == "sound"
    with Workspace.open(backup_path(workspace.path), PASSPHRASE, read_only=True) as old:
        assert [r[0] for r in old.db.execute("SELECT text FROM notes")] == ["one", "two"]


def test_a_backup_of_another_file_or_bit_rot_is_damage(
    workspace: Workspace, tmp_path: Path
) -> None:
    _note(workspace, "one")
    _note(workspace, "two")
    bak = backup_path(workspace.path)
    data = bytearray(bak.read_bytes())
    data[-40] ^= 0x01
    bak.write_bytes(bytes(data))
    assert workspace.check_backup().state == "damaged"
    Workspace.create(tmp_path / "other.forumkit", PASSPHRASE, forum="Other").close()
    shutil.copyfile(tmp_path / "other.forumkit", bak)
    check = workspace.check_backup()
    assert check.state == "damaged" and "another forum file" in check.sentence()


def test_no_backup_yet_is_not_a_problem(forum_path: Path) -> None:
    Workspace.create(forum_path, PASSPHRASE, forum="F").close()
    report = json.loads(forumkit("verify", forum_path, "--json", env=WITH_PASSPHRASE).stdout)
    assert report["ok"] is True and report["backup"]["state"] == "none"


# -- a full disk ------------------------------------------------------------------------------


def test_a_save_that_will_not_fit_is_refused_before_writing_anything(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    _note(workspace, "one")
    _note(workspace, "two")
    before = {p.name: p.read_bytes() for p in workspace.path.parent.iterdir()}
    usage = shutil.disk_usage(workspace.path.parent)

    def almost_full(folder: object) -> object:
        return usage._replace(free=1024)

    monkeypatch.setattr(vault_storage.shutil, "disk_usage", almost_full)
    with pytest.raises(DiskFull) as refused:
        _note(workspace, "three")
    message = str(refused.value)
    assert message.startswith("The disk holding “forum.forumkit” is full: nothing was saved")
    assert ".tmp-" not in message
    assert isinstance(refused.value, SaveFailed)  # kept and tried again, like any failed write
    assert {p.name: p.read_bytes() for p in workspace.path.parent.iterdir()} == before
    monkeypatch.undo()
    workspace.flush()
    assert workspace.check_backup().state == "sound"


def test_a_write_that_fails_midway_leaves_no_half_written_backup(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up (or fails) after the room was checked, while the new version is being
    written into the backup's file: that file is of no use any more, and holds the room."""
    _note(workspace, "one")
    _note(workspace, "two")
    before = workspace.path.read_bytes()
    real = vault_storage._write_chunks

    def fails_midway(fd: int, chunks: object, durable: bool) -> int:
        os.write(fd, b"half of a new version")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(vault_storage, "_write_chunks", fails_midway)
    with pytest.raises(DiskFull):
        _note(workspace, "three")
    monkeypatch.setattr(vault_storage, "_write_chunks", real)
    assert workspace.path.read_bytes() == before
    assert workspace.check_backup().state == "sound"  # the file as it is, under the backup's name
    assert vault_storage.temps_beside(workspace.path) == []
    workspace.flush()
    assert workspace.check_backup().state == "sound"


_FULL_STICK_RUNS = textwrap.dedent(
    """
    import json, os, shutil, sys
    from pathlib import Path
    from forumkit.errors import SaveFailed
    from forumkit.workspace import Workspace

    folder, passphrase, marker = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    path = folder / "forum.forumkit"
    runs = []
    with Workspace.create(path, passphrase, forum="Tiny stick PCF") as ws:
        for n in range(2):
            with ws.transaction():
                ws.db["notes"].insert({"text": "saved %d" % n, "pad": os.urandom(20_000).hex()})
        # Each run leaves a different amount of room, from none to nearly enough.
        for left in (0, 4096, 65536, 200_000, 400_000):
            filler = folder / "filler"
            free = shutil.disk_usage(folder).free
            with filler.open("wb") as out:
                out.truncate(0)
                if free > left:
                    out.write(b"\\0" * (free - left))
            room_before = shutil.disk_usage(folder).free
            run = {"left": left, "room_before": room_before}
            try:
                with ws.transaction():
                    ws.db["notes"].insert({"text": marker, "pad": os.urandom(300_000).hex()})
                run["saved"] = True
            except SaveFailed as error:
                run["saved"] = False
                run["message"] = str(error)
            run["room_after"] = shutil.disk_usage(folder).free
            run["backup"] = ws.check_backup().state
            with Workspace.open(path, passphrase, read_only=True) as disk:
                run["opens"] = disk.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            filler.unlink()
            ws.flush()  # room again: what was kept in memory is written now
            run["backup_after_room"] = ws.check_backup().state
            # Take this run's note out again (vacuumed, as an erasure is), so each run starts
            # from the same small file and backup.
            with ws.transaction(purge=True):
                ws.db.execute("DELETE FROM notes WHERE text = ?", [marker])
            runs.append(run)
    print(json.dumps(runs))
    """
)


def test_a_full_stick_refuses_saves_plainly_and_keeps_the_backup_sound(tmp_path: Path) -> None:
    """Real full file systems: a 2 MiB tmpfs in a private mount namespace, filled to leave
    0 B to 400 kB free before a save that needs about 600 kB."""
    unshare = require_tool("unshare")
    stick = tmp_path / "stick"
    stick.mkdir()
    command = 'mount -t tmpfs -o size=2m tmpfs "$1" && exec "$PYTHON" -c "$DRIVER" "$@"'
    result = subprocess.run(
        [unshare, "-rm", "sh", "-c", command, "sh", str(stick), PASSPHRASE, SECRET],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "PYTHONPATH": str(REPO_ROOT),
            "DRIVER": _FULL_STICK_RUNS,
            "PYTHON": sys.executable,
        },
        timeout=180,
    )
    if result.returncode != 0 and "mount" in result.stderr and not result.stdout:
        pytest.skip(f"cannot mount a small tmpfs here: {result.stderr.strip()[:200]}")
    assert result.returncode == 0, result.stderr
    runs = json.loads(result.stdout)
    assert len(runs) == 5
    print(
        f"disk full: {len(runs)} runs leaving {', '.join(str(r['left']) for r in runs)} bytes; "
        f"{sum(not r['saved'] for r in runs)} refused before writing; room used by the refused "
        f"saves: {sum(r['room_before'] - r['room_after'] for r in runs)} bytes; backups sound "
        f"after: {sum(r['backup'] == 'sound' for r in runs)}; written once room was made: "
        f"{sum(r['backup_after_room'] == 'sound' for r in runs)}"
    )
    for run in runs:
        assert not run["saved"], run
        assert run["message"].startswith("The disk holding “forum.forumkit” is full"), run
        assert ".tmp-" not in run["message"]
        assert run["room_after"] == run["room_before"], run  # it did not eat what was left
        assert run["backup"] == "sound" and run["backup_after_room"] == "sound", run
        assert run["opens"], run
