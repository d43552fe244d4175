"""A fresh process: how the app leaves nothing of a forum's answers in its memory.

Dropping references is not enough. Freed Python strings, Qt's caches and SQLite's freed pages
keep their bytes until something happens to reuse them; a memory dump, another process of the
same user, or the system writing memory to swap would find them. Measured on this app with a
marker in 50 answers, browsed and then locked in place: 254 copies left in memory; after
collecting garbage, closing the file and ``malloc_trim``, still 114. A process that never held
the answers has none.

So on Lock (idle or Lock now), on closing a forum file, and in kiosk mode each time the
welcome page comes back for the next parent, the app first saves everything, then replaces
its own process with a fresh one (``os.execv``: the same process id, a new memory) that shows
the same screen: the lock screen, the start screen, or the kiosk's welcome page. What the fresh
process needs to know comes through a pipe it inherits, never the command line or the disk:
the screen, the window's geometry and — for kiosk mode only, where the file stays open — the
file's data key, so a parent is never asked for the forum's passphrase. On Windows, which has no
``execv`` that keeps the process, a new process is started with the same through its standard
input and this one exits.

When the latest changes cannot be saved (a full or unplugged disk), the app locks in place
instead, keeping those changes sealed under the file's key (see ``ui.saving``); that rare lock
drops every reference and collects garbage, but cannot promise the same.

Tests of the app's windows run many shells in one process: they use :class:`InPlace`, which
never replaces the process. ``tests/ui/test_locked_means_locked.py`` runs the real thing in a
child process and reads its memory.
"""

from __future__ import annotations

import base64
import ctypes
import ctypes.util
import gc
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal, Protocol

from forumkit.vault import wipe

Screen = Literal["start", "locked", "kiosk"]

RESUME_FD_FLAG = "--resume-fd"
RESUME_STDIN_FLAG = "--resume-stdin"
MAX_RESUME_BYTES = 64 * 1024
"""What a fresh process reads at most (the pipe's own buffer: writing never blocks)."""


@dataclass(frozen=True)
class FreshStart:
    """What the fresh process shows, and the little it needs to show it."""

    screen: Screen
    path: str = ""
    """The forum file (locked, kiosk)."""
    title: str = ""
    """The window title while locked (the forum's name is inside the locked file)."""
    geometry: str = ""
    """The main window's saved geometry (base64), so the window comes back where it was."""
    survey_id: str = ""
    """Kiosk mode: the survey parents fill in."""
    demo_dir: str = ""
    """The demo forum's temporary folder, which the fresh process removes when it quits."""
    demo_passphrase: str = ""
    """The demo forum's passphrase, shown on its lock screen (it is on screen anyway)."""
    locked_by: str = ""
    """Why the file locked (``"you"``: Lock now; else nobody used it for a while)."""
    page: str = ""
    """The page showing when the file locked, shown again after unlocking."""
    place: str = ""
    """Where that page was (its ``place()``: a tab, a survey's and a draft's ids; no answers)."""

    def encode(self, key: bytearray | None) -> bytearray:
        """The bytes sent to the fresh process; the key, if any, as hex inside."""
        data: dict[str, Any] = asdict(self)
        data["key"] = key.hex() if key is not None else ""
        encoded = bytearray(json.dumps(data).encode("utf-8"))
        if len(encoded) > MAX_RESUME_BYTES:
            raise ValueError("too much to hand to the fresh process")
        return encoded

    @classmethod
    def decode(cls, data: bytes | bytearray) -> tuple[FreshStart, bytearray | None]:
        raw = json.loads(bytes(data).decode("utf-8"))
        key_hex = str(raw.pop("key", ""))
        known = {name: raw[name] for name in cls.__dataclass_fields__ if name in raw}
        key = bytearray(bytes.fromhex(key_hex)) if key_hex else None
        return cls(**known), key


class Restarter(Protocol):
    """Replaces the app's process with a fresh one showing ``fresh``; see the module doc."""

    replaces_process: bool

    def restart(self, fresh: FreshStart, key: bytearray | None = None) -> None:
        """Never returns when ``replaces_process``; else does nothing (the caller carries on in
        place). ``key`` is wiped either way."""


def app_command() -> list[str]:
    """How this app is started again: the bundled program, or Python running ``ui.app``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "ui.app"]


class InPlace:
    """Never replaces the process (the app's own tests, where many shells share one)."""

    replaces_process = False

    def restart(self, fresh: FreshStart, key: bytearray | None = None) -> None:
        if key is not None:
            wipe(key)


class FreshProcess:
    """Replaces the process with a fresh one: ``os.execv`` (POSIX), a new process (Windows)."""

    replaces_process = True

    def __init__(self, command: Sequence[str] | None = None) -> None:
        self.command = list(command) if command is not None else app_command()

    def restart(self, fresh: FreshStart, key: bytearray | None = None) -> None:
        payload = fresh.encode(key)
        if key is not None:
            wipe(key)
        sys.stdout.flush()
        sys.stderr.flush()
        if os.name == "nt":  # pragma: no cover - run on Windows only
            child = subprocess.Popen([*self.command, RESUME_STDIN_FLAG], stdin=subprocess.PIPE)
            assert child.stdin is not None
            child.stdin.write(payload)
            child.stdin.close()
            wipe(payload)
            os._exit(0)
        read_end, write_end = os.pipe()
        os.write(write_end, payload)
        os.close(write_end)
        wipe(payload)
        os.set_inheritable(read_end, True)
        os.execv(self.command[0], [*self.command, RESUME_FD_FLAG, str(read_end)])  # noqa: S606


def read_resume(fd: int | None, from_stdin: bool) -> tuple[FreshStart, bytearray | None] | None:
    """What the previous process handed over (None when this is an ordinary start)."""
    if from_stdin:
        data = bytearray(sys.stdin.buffer.read(MAX_RESUME_BYTES))
    elif fd is not None:
        data = bytearray()
        while chunk := os.read(fd, MAX_RESUME_BYTES):
            data.extend(chunk)
        os.close(fd)
    else:
        return None
    try:
        return FreshStart.decode(data)
    finally:
        wipe(data)


def encode_geometry(geometry: bytes) -> str:
    return base64.b64encode(geometry).decode("ascii")


def decode_geometry(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except ValueError:
        return b""


def scrub_in_place() -> None:
    """The best a process can do for itself: collect garbage and give freed heap back to the
    system (glibc's ``malloc_trim``; elsewhere only the collection). Used when the app cannot
    replace its process (see the module doc)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        name = ctypes.util.find_library("c")
        if name:
            libc = ctypes.CDLL(name)
            trim = getattr(libc, "malloc_trim", None)
            if trim is not None:
                trim(0)
