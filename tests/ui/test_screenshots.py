"""``python -m ui.screenshots`` renders real PNGs offscreen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from ui.screenshots import SHOTS, take


def test_screenshots_are_rendered(qapp: QApplication, tmp_path: Path) -> None:
    # One run: a second take() in the same process after the recovery-key wizard's shot makes the
    # next setStyleSheet crash (windows closed by take() are only deleted by an event loop).
    names = ["start-screen", "new-file-recovery-key", "surveys-page", "demo-welcome"]
    names += ["quotes-workbench", "codebook-editor", "new-survey", "survey-designer"]
    names += ["analysis-dashboard", "pack-quote-review", "merge-summary", "merge-conflicts"]
    assert set(names) <= {name for name, _build, _size in SHOTS}
    written = take(tmp_path, names)
    assert [p.name for p in written] == [f"{n}.png" for n in names]
    for path in written:
        image = QImage(str(path))
        assert image.width() >= 600 and image.height() >= 400
