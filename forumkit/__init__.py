"""forumkit: parent carer forums' evidence toolkit.

The core package. It never imports PySide6 or ``ui`` (a test enforces it), so the command line,
the tests and the benchmarks can use every part of it without a display.
"""

from __future__ import annotations

__version__ = "0.1.0"
