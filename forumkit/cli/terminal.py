"""What the command line does differently on a terminal: harmless text, and word of slow work.

Answers, survey titles and file contents are other people's text. Printed raw on a terminal,
an escape sequence inside one could clear the screen, retitle the window or hide the lines
before it, so on a terminal every control character is shown escaped (``\\x1b``); piped into a
file or another program, text goes out exactly as held. Slow work (key derivation of a file
made with heavy settings) says what it is doing once it has taken more than a second.
"""

from __future__ import annotations

import re
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

SLOW_AFTER_S = 1.0
"""Work that takes longer than this says what it is doing (on a terminal)."""

# C0 controls except tab and line feed, DEL, and C1 controls (U+009B is a one-character CSI).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NAMED = {"\r": "\\r", "\x1b": "\\x1b"}


def escaped(text: str) -> str:
    """``text`` with every control character a terminal would act on written out as ``\\xNN``."""
    return _CONTROL.sub(lambda match: _NAMED.get(match[0], f"\\x{ord(match[0]):02x}"), text)


def for_stream(text: str, stream: TextIO) -> str:
    """``text`` escaped when ``stream`` is a terminal, else unchanged."""
    return escaped(text) if _is_terminal(stream) else text


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed streams
        return False


def say(text: str, stream: TextIO | None = None) -> None:
    """Print ``text`` (a line) on ``stream`` (stdout), escaped on a terminal."""
    out = sys.stdout if stream is None else stream
    print(for_stream(text, out), file=out)


@contextmanager
def slow_work_notice(what: str, stream: TextIO | None = None) -> Iterator[None]:
    """Say ``what`` is happening, with the seconds gone, if the work takes over a second.

    Only on a terminal, as docs/cli.md promises. The notice comes from a helper thread: the
    slow calls (Argon2id) release the GIL, so it keeps time while they run.
    """
    out = sys.stderr if stream is None else stream
    if not _is_terminal(out):
        yield
        return
    finished = threading.Event()
    started = time.monotonic()
    shown = threading.Event()

    def tick() -> None:
        if finished.wait(SLOW_AFTER_S):
            return
        while True:
            out.write(f"\r{what}… {time.monotonic() - started:.0f} s")
            out.flush()
            shown.set()
            if finished.wait(1.0):
                return

    ticker = threading.Thread(target=tick, name="forumkit-slow-work", daemon=True)
    ticker.start()
    try:
        yield
    finally:
        finished.set()
        ticker.join()
        if shown.is_set():
            out.write("\n")
            out.flush()
