"""Files a user hands forumkit to read (an XLSForm, an online form's export), opened safely.

Whatever the path names is checked before a byte is read: only an ordinary file is read. A
named pipe (FIFO) would block the read until something writes to it, for ever if nothing does,
and a device such as ``/dev/zero`` or ``/dev/urandom`` never ends; both are refused with one
sentence, as is a folder. Workbooks are then opened from that same file, and anything their
XML does that no spreadsheet program writes (a document type with entity declarations, the
"billion laughs" expansion, damaged compression) becomes the caller's own typed error, never
"an internal error". Old ``.xls`` workbooks (Excel 97–2003) are read through
:mod:`forumkit.xls`; the warnings openpyxl gives about formatting it does not keep (data
validation, conditional formatting, extensions) concern no cell value and are not shown.
"""

from __future__ import annotations

import os
import stat
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO
from xml.etree.ElementTree import ParseError

from forumkit.errors import ForumkitError
from forumkit.xls import MAX_XLS_BYTES, OLE_SIGNATURE, XlsWorkbook

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


def _from_defusedxml(error: BaseException | None) -> bool:
    """Whether defusedxml refused the XML (openpyxl may wrap its error in a ValueError)."""
    seen = 0
    while error is not None and seen < 5:
        if type(error).__module__.startswith("defusedxml"):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _refusal(path: Path, error: Exception, *, opened: bool) -> str:
    """The sentence for a workbook that failed to open (``opened`` False) or to be read."""
    # openpyxl parses with defusedxml when it is installed (pyxform brings it), which refuses
    # entity declarations with its own exception types.
    defused = _from_defusedxml(error)
    if isinstance(error, ParseError) or defused:
        text = str(error)
        if defused or "entit" in text or "amplification" in text:
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
        f"“{path.name}” is not an Excel workbook forumkit can read (a damaged file, or another "
        "kind of file?); save it from Excel as .xlsx."
    )


@contextmanager
def open_workbook(path: Path, refuse: Refusal) -> Iterator[Any]:
    """A workbook of ``path`` (openpyxl read-only with cached values for ``.xlsx``, an
    :class:`~forumkit.xls.XlsWorkbook` for ``.xls``, told apart by their first bytes), closed
    afterwards.

    Failures while opening *and while reading rows inside the block* (openpyxl parses sheets
    lazily) become ``refuse(sentence)``; forumkit's own errors raised in the block pass through.
    openpyxl's warnings about formatting it drops are silenced for the block: they name no cell
    value and would reach a chair as a Python warning with a site-packages path.
    """
    with open_input(path, refuse) as handle, read_workbook(handle, path, refuse) as workbook:
        yield workbook


@contextmanager
def read_workbook(handle: BinaryIO, path: Path, refuse: Refusal) -> Iterator[Any]:
    """As :func:`open_workbook`, from a workbook already open: a file, or bytes in memory (a
    password-protected workbook decrypted without a temporary file). ``path`` names it in
    messages."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
        start = handle.read(len(OLE_SIGNATURE))
        handle.seek(0)
        workbook = (
            _open_xls(path, handle, refuse)
            if start == OLE_SIGNATURE
            else _open_xlsx(path, handle, refuse)
        )
        try:
            yield workbook
        except (ParseError, *_UNREADABLE_PARTS) as error:
            raise refuse(_refusal(path, error, opened=True)) from None
        except Exception as error:
            if not _from_defusedxml(error):
                raise
            raise refuse(_refusal(path, error, opened=True)) from None
        finally:
            workbook.close()


def _open_xlsx(path: Path, handle: BinaryIO, refuse: Refusal) -> Any:
    # Imported here: only imports of forms, responses and quotes need openpyxl.
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        return load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged zip or XML
        raise refuse(_refusal(path, error, opened=False)) from None


def _open_xls(path: Path, handle: BinaryIO, refuse: Refusal) -> XlsWorkbook:
    data = handle.read(MAX_XLS_BYTES + 1)
    if len(data) > MAX_XLS_BYTES:
        raise refuse(
            f"“{path.name}” is an old .xls workbook larger than {MAX_XLS_BYTES // 2**20} MB, "
            "far more than a form or an export of answers; save it from Excel as .xlsx."
        )
    try:
        return XlsWorkbook(data)
    except Exception as error:  # xlrd raises many types for a damaged or unusual file
        text = str(error).lower()
        if "encrypt" in text or "workbook in ole2" in text:
            reason = "it is password-protected; save a copy without a password"
        else:
            reason = "it is damaged or not a workbook; open it in Excel and save it as .xlsx"
        raise refuse(f"“{path.name}” cannot be read as an .xls workbook: {reason}.") from None
