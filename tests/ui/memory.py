"""Reading another process's memory, as an attacker with the locked laptop would (Linux only).

The test process scans its child, the app: every readable mapping of ``/proc/PID/maps`` is read
through ``/proc/PID/mem`` and searched for a marker in the encodings the process may hold text
in — UTF-8 (SQLite, Python's compact ASCII/Latin-1 strings and their UTF-8 caches), UTF-16 (Qt's
QString, Python strings with wider characters) and UTF-32 (Python strings of astral characters).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

ENCODINGS = ("utf-8", "utf-16-le", "utf-32-le")


def can_scan() -> bool:
    """Whether this machine lets a parent read its child's memory."""
    return sys.platform.startswith("linux") and Path(f"/proc/{os.getpid()}/mem").exists()


@dataclass
class Found:
    """How many copies of the marker were found, per encoding and where."""

    copies: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ENCODINGS, 0))
    places: list[tuple[str, str, int]] = field(default_factory=list)
    """(encoding, mapping name or address, copies)."""

    @property
    def total(self) -> int:
        return sum(self.copies.values())


def _readable_mappings(pid: int) -> list[tuple[int, int, str]]:
    found = []
    with Path(f"/proc/{pid}/maps").open(encoding="ascii", errors="replace") as maps:
        for line in maps:
            parts = line.split(maxsplit=5)
            span, perms = parts[0], parts[1]
            name = parts[5].strip() if len(parts) > 5 else ""
            if not perms.startswith("r") or name in ("[vvar]", "[vsyscall]", "[vvar_vclock]"):
                continue
            start, end = (int(x, 16) for x in span.split("-"))
            found.append((start, end, name))
    return found


def scan(pid: int, marker: str) -> Found:
    """Every copy of ``marker`` in the memory of process ``pid``."""
    patterns = {encoding: marker.encode(encoding) for encoding in ENCODINGS}
    found = Found()
    fd = os.open(f"/proc/{pid}/mem", os.O_RDONLY)
    try:
        for start, end, name in _readable_mappings(pid):
            try:
                data = os.pread(fd, end - start, start)
            except OSError:
                continue  # a guard page or a mapping that went away meanwhile
            for encoding, pattern in patterns.items():
                copies = data.count(pattern)
                if copies:
                    found.copies[encoding] += copies
                    found.places.append((encoding, name or hex(start), copies))
    finally:
        os.close(fd)
    return found
