"""SIGKILL at random moments while a forumkit process saves, and while it erases respondents.

After every kill: the forum file opens and passes SQLite's integrity check; what a reader sees of
the backup (as ``forumkit verify`` reports it) is checked against what is really in it; and the
next open for writing heals a damaged backup and finishes an interrupted erasure, so nothing
erased survives beside the file. The tallies are printed (``pytest -s``) and recorded in
``docs/reliability.md``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from forumkit.errors import DamagedFile, FileLocked
from forumkit.vault import Vault, backup_path
from forumkit.vault.format import parse_header
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, REPO_ROOT
from tests.core.responses.helpers import add_test_survey

KILLS = 50
MARK = "Bilby-6625"

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX-only")

_SAVE_LOOP = textwrap.dedent(
    """
    import sys
    from forumkit.workspace import Workspace
    ws = Workspace.open(sys.argv[1], sys.argv[2])
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        with ws.transaction():
            ws.db["notes"].insert({"text": "save %d" % n, "pad": "x" * (n % 7000)})
    """
)

# Each round adds a respondent's response (a save), then erases it (a vacuumed save that also
# rewrites the backup): the kill lands in either.
_ERASE_LOOP = textwrap.dedent(
    """
    import sys
    from forumkit.responses import add_response, erase_respondent
    from forumkit.surveys import get_survey
    from forumkit.workspace import Workspace
    ws = Workspace.open(sys.argv[1], sys.argv[2])
    survey = get_survey(ws.db, "family_2026")
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        answers = {"experience": "%s-%d-%s" % (sys.argv[3], n, "y" * (n % 5000))}
        add_response(ws, survey, answers, respondent="parent-%d" % n)
        erase_respondent(ws, "parent-%d" % n)
    """
)


def _markers(image: bytes) -> set[bytes]:
    found, start = set(), 0
    needle = MARK.encode() + b"-"
    while (at := image.find(needle, start)) >= 0:
        end = at + len(needle)
        while end < len(image) and image[end : end + 1].isdigit():
            end += 1
        found.add(image[at:end])
        start = end
    return found


def _decrypted(path: Path) -> bytes | None:
    try:
        opened, image = Vault.open(path, PASSPHRASE)
    except DamagedFile:
        return None
    opened.close()
    return bytes(image)


def _temps(path: Path) -> list[Path]:
    return [
        p
        for p in path.parent.iterdir()
        if p.name.startswith(f".{path.name}.") and ".tmp-" in p.name
    ]


class _Tally:
    def __init__(self) -> None:
        self.kills = 0
        self.found: Counter[str] = Counter()
        self.healed = 0
        self.leftover_temps = 0

    def line(self, what: str) -> str:
        found = ", ".join(f"{state} {n}" for state, n in sorted(self.found.items()))
        return (
            f"{what}: {self.kills} kills, 0 unopenable; backups found: {found}; "
            f"{self.healed} healed by the next open; at most {self.leftover_temps} stray temporary "
            "files at once (removed once 5 minutes old)"
        )


def _after_kill(path: Path, child: subprocess.Popen[bytes], tally: _Tally) -> list[str]:
    """Check the file as a kill left it, then open it for writing; the notes it holds."""
    tally.kills += 1
    try:
        reader = Workspace.open(path, PASSPHRASE, read_only=True)
    except DamagedFile as unopenable:
        pytest.fail(f"kill {tally.kills} left the forum file unopenable: {unopenable}")
    with reader:
        assert reader.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        found = reader.check_backup()
    tally.found[found.state] += 1
    # What the reader said against what is really in the backup: erased text in it is never
    # reported as a sound backup.
    main_image = _decrypted(path)
    assert main_image is not None
    backup_image = _decrypted(backup_path(path)) if backup_path(path).exists() else None
    if found.state == "sound":
        assert backup_image is not None
        assert _markers(backup_image) <= _markers(main_image)
    if backup_image is None and found.state != "none":
        assert found.state == "damaged"
    # The killed child's lock is left behind; its process is gone, so it is stale.
    with pytest.raises(FileLocked) as left:
        Workspace.open(path, PASSPHRASE)
    assert left.value.stale and left.value.pid == child.pid
    with Workspace.open(path, PASSPHRASE, break_stale_lock=True) as ws:
        repair = ws.backup_repair
        if found.state in ("damaged", "holds_erased_data"):
            assert repair is not None and repair.state == found.state
            tally.healed += 1
        else:
            assert repair is None
        assert ws.check_backup().state in ("sound", "none")
        texts = (
            [str(r[0]) for r in ws.db.execute("SELECT text FROM notes")]
            if ("notes" in ws.db.table_names())
            else []
        )
    healed_image = _decrypted(backup_path(path)) if backup_path(path).exists() else None
    if healed_image is not None:
        assert _markers(healed_image) <= _markers(main_image)
    header, _ = parse_header(path, path.read_bytes())
    temps = _temps(path)
    tally.leftover_temps = max(tally.leftover_temps, len(temps))
    for temp in temps:
        # Left only when it cannot hold anything erased: written after the last erasure.
        temp_header, _ = parse_header(temp, temp.read_bytes())
        assert header.last_erasure is None or temp_header.generation >= header.last_erasure
    return texts


def _kill_loop(script: str, path: Path, seed: int, extra: list[str]) -> _Tally:
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    tally = _Tally()
    seen_counts = [0]
    while tally.kills < KILLS:
        child = subprocess.Popen(
            [sys.executable, "-c", script, str(path), PASSPHRASE, *extra],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait()
        texts = _after_kill(path, child, tally)
        assert len(texts) >= seen_counts[-1]
        seen_counts.append(len(texts))
    return tally


def test_killed_during_saves_the_file_always_opens_and_the_backup_is_healed(
    forum_path: Path,
) -> None:
    """SIGKILL at random moments during a loop of saves: old or new state, never corrupt; a
    backup the kill damaged is reported and healed by the next open."""
    Workspace.create(forum_path, PASSPHRASE, forum="F").close()
    tally = _kill_loop(_SAVE_LOOP, forum_path, 50, [])
    print(tally.line("saves"))
    with Workspace.open(forum_path, PASSPHRASE, read_only=True) as ws:
        assert ws.db.execute("SELECT count(*) FROM notes").fetchone()[0] > 0, "no save completed"
    # A kill between writing and renaming can leave a stray temp file (encrypted); the
    # forum file itself is always whole.
    assert all(p.name.startswith(".forum.forumkit") for p in _temps(forum_path))
    assert tally.healed == tally.found["damaged"]


def test_killed_during_erasures_nothing_erased_survives_the_next_open(
    forum_path: Path, tmp_path: Path
) -> None:
    with Workspace.create(forum_path, PASSPHRASE, forum="F") as ws:
        add_test_survey(ws, tmp_path)
    tally = _kill_loop(_ERASE_LOOP, forum_path, 14, [MARK])
    print(tally.line("erasures"))
    with Workspace.open(forum_path, PASSPHRASE, read_only=True) as ws:
        assert (
            ws.db.execute(
                "SELECT count(*) FROM audit_log WHERE action = 'respondent_erased'"
            ).fetchone()[0]
            > 0
        )
    assert tally.healed == tally.found["damaged"] + tally.found["holds_erased_data"]
