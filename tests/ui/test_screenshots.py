"""``python -m ui.screenshots`` renders real PNGs offscreen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from ui.screenshots import SHOTS, take


def test_screenshots_are_rendered(qapp: QApplication, tmp_path: Path) -> None:
    names = ["start-screen", "new-file-recovery-key", "surveys-page"]
    assert set(names) <= {name for name, _build, _size in SHOTS}
    written = take(tmp_path, names)
    assert [p.name for p in written] == [f"{n}.png" for n in names]
    for path in written:
        image = QImage(str(path))
        assert image.width() >= 600 and image.height() >= 400


def test_the_workbench_and_codebook_editor_shots(qapp: QApplication, tmp_path: Path) -> None:
    written = take(tmp_path, ["quotes-workbench", "codebook-editor"])
    assert [p.name for p in written] == ["quotes-workbench.png", "codebook-editor.png"]
    for path in written:
        image = QImage(str(path))
        assert image.width() >= 900 and image.height() >= 700
