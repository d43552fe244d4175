"""Files a user hands forumkit to read (an XLSForm, an online form's export), opened safely.

Whatever the path names is checked before a byte is read: only an ordinary file is read. A
named pipe (FIFO) would block the read until something writes to it, for ever if nothing does,
and a device such as ``/dev/zero`` or ``/dev/urandom`` never ends; both are refused with one
sentence, as is a folder. Workbooks are then opened from that same file, and anything their
XML does that no spreadsheet program writes (a document type with entity declarations, the
"billion laughs" expansion, damaged compression) becomes the caller's own typed error, never
"an internal error".
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

from forumkit.errors import ForumkitError

Refusal = Callable[[str], ForumkitError]
"""Makes the caller's own error (``ImportFileError``, ``XLSFormError``) from a sentence."""

_KINDS = (
    (stat.S_ISDIR, "it is a folder, not a file"),
    (stat.S_ISFIFO, "it is a named pipe (FIFO), not a file, so reading it could wait for ever"),
    (stat.S_ISCHR, "it is a device, not a file"),
    (stat.S_ISBLK, "it is a device, not a file"),
    (stat.S_ISSOCK, "it is a socket, not a file"),
)


def not_a_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (“there is no file at that path”), or None."""
    try:
        mode = Path(path).stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "there is no file at that path"
    except OSError as error:
        return f"it cannot be read ({error.strerror or error})"
    for is_kind, reason in _KINDS:
        if is_kind(mode):
            return reason
    if not stat.S_ISREG(mode):
        return "it is not an ordinary file"
    return None


@contextmanager
def open_input(path: Path, refuse: Refusal) -> Iterator[BinaryIO]:
    """``path`` opened for reading in binary, once it is known to be an ordinary file."""
    reason = not_a_file(path)
    if reason is not None:
        raise refuse(f"Cannot read “{path.name}”: {reason}.")
    try:
        handle = path.open("rb")
    except OSError as error:
        raise refuse(f"Cannot read “{path.name}”: {error.strerror or error}.") from None
    with handle:
        # Checked again on what was opened, in case the path was swapped in between.
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise refuse(f"Cannot read “{path.name}”: it is not an ordinary file.")
        yield handle


_UNREADABLE_PARTS = (zipfile.BadZipFile, zlib.error, EOFError)
"""What a damaged zip member raises while openpyxl reads a sheet."""


def _refusal(path: Path, error: Exception, *, opened: bool) -> str:
    """The sentence for a workbook that failed to open (``opened`` False) or to be read."""
    if isinstance(error, ParseError):
        text = str(error)
        if "entit" in text or "amplification" in text:
            reason = (
                "its XML declares entities, which spreadsheet programs never write (such a file "
                "is made to exhaust the memory of whoever opens it), so it is refused"
            )
        else:
            reason = "part of its XML is damaged"
        return f"“{path.name}” cannot be read as an xlsx workbook: {reason}."
    if opened:
        return f"“{path.name}” cannot be read as an xlsx workbook: it is damaged."
    return (
        f"“{path.name}” is not an Excel .xlsx workbook forumkit can read (an old .xls, or a "
        "password-protected or damaged file?); save it from Excel as .xlsx."
    )


@contextmanager
def open_workbook(path: Path, refuse: Refusal) -> Iterator[Any]:
    """An openpyxl workbook (read-only, cached values) of ``path``, closed afterwards.

    Failures while opening *and while reading rows inside the block* (openpyxl parses sheets
    lazily) become ``refuse(sentence)``; forumkit's own errors raised in the block pass through.
    """
    with open_input(path, refuse) as handle, read_workbook(handle, path, refuse) as workbook:
        yield workbook


@contextmanager
def read_workbook(handle: BinaryIO, path: Path, refuse: Refusal) -> Iterator[Any]:
    """As :func:`open_workbook`, from a workbook already open: a file, or bytes in memory (a
    password-protected workbook decrypted without a temporary file). ``path`` names it in
    messages."""
    # Imported here: only imports of forms, responses and quotes need openpyxl.
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged zip or XML
        raise refuse(_refusal(path, error, opened=False)) from None
    try:
        yield workbook
    except (ParseError, *_UNREADABLE_PARTS) as error:
        raise refuse(_refusal(path, error, opened=True)) from None
    finally:
        workbook.close()
