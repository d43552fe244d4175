"""A guard against a reference-counting bug of PySide6 6.12 on Python 3.11.

On Python 3.11 (3.12 made them immortal, PEP 683) ``None``, ``True`` and ``False`` are freed
when their reference counts reach zero, and the interpreter then aborts ("deallocating None",
"deallocating True or False"). PySide6 6.12's bindings drop a reference they never took: to
``None`` on every call of a Qt method that returns nothing (1,000 ``setText`` calls take 1,000),
and to ``True`` on every emit of a signal declared in Python (measured: ``Signal(str)``,
``Signal(object)``, ``Signal()`` alike). An hour of tagging quotes calls and emits many thousands
of times, so the counts are raised once, at start, far out of reach; these objects are never
freed anyway.
"""

from __future__ import annotations

import ctypes
import sys

OUT_OF_REACH = 1 << 40


def keep_singletons_alive() -> None:
    """Raise the reference counts of ``None``, ``True`` and ``False`` out of reach (once; a
    no-op on Python 3.12 and later)."""
    if sys.version_info >= (3, 12):
        return
    for singleton in (None, True, False):
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < OUT_OF_REACH:
            count.value += OUT_OF_REACH
