"""Python's garbage collector, run only on the GUI thread.

Left to itself, CPython collects cyclic garbage in whichever thread happens to allocate when a
threshold is crossed. If that is a worker (reading a spreadsheet, deriving a key) and the
garbage holds Qt objects — a closed dialog, a page of the last forum file — their C++ halves are
destroyed on the wrong thread, and the app crashes (seen: a segmentation fault inside openpyxl
in a worker). So automatic collection is switched off and a timer on the GUI thread collects
instead, generation by generation, as the thresholds would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    """Collects cyclic garbage from the GUI thread only; one per application."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> None:
        """Collect the oldest generation whose count has passed its threshold."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self._thresholds[generation]:
                gc.collect(generation)
                return


def collect_on_gui_thread(app: QObject) -> None:
    """Install the collector on ``app`` once (setting up the app twice keeps one)."""
    if app.findChild(GuiThreadCollector) is None:
        GuiThreadCollector(app)
