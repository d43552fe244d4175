"""The pack's preview: the same pages as the PDF, as PNG images, drawn in memory."""

from __future__ import annotations

import io
import struct
import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from forumkit.packs import PackError, PackRequest, gather, preview_pages, render_pack
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE

from .helpers import make_pack_forum

PNG = b"\x89PNG\r\n\x1a\n"


def _size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_the_preview_has_the_pdfs_pages_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_pack_forum(tmp_path)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(name, str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    before = sorted(tmp_path.rglob("*"))
    with Workspace.open(made.path, PASSPHRASE) as workspace:
        content = gather(workspace, PackRequest(made.survey, statement="We thank the parents."))
    pages = preview_pages(content)
    pdf = PdfReader(io.BytesIO(render_pack(content, "a password for the test")))
    assert pdf.decrypt("a password for the test")
    assert len(pages) == len(pdf.pages) > 1
    assert all(page.startswith(PNG) for page in pages)
    width, height = _size(pages[0])
    # A4 portrait at 60 pixels per inch: 8.27 × 11.69 inches.
    assert (round(width / 60, 1), round(height / 60, 1)) == (8.3, 11.7)
    sharper = preview_pages(content, ppi=120)
    assert _size(sharper[0])[0] == pytest.approx(2 * width, abs=2)
    assert list(scratch.iterdir()) == []
    after = sorted(tmp_path.rglob("*"))
    assert [p for p in after if p not in before and p.parent != tmp_path] == []


def test_an_absurd_resolution_is_refused(tmp_path: Path) -> None:
    made = make_pack_forum(tmp_path)
    with Workspace.open(made.path, PASSPHRASE) as workspace:
        content = gather(workspace, PackRequest(made.survey))
    with pytest.raises(PackError, match="10 to 600 pixels per inch, not 5000"):
        preview_pages(content, ppi=5000)
