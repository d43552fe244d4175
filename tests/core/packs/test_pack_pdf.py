"""An evidence pack as inspectors' software sees it: qpdf, poppler and PDFium, not our reader.

The pack is made once by the command line with the network cut off (a network namespace of its
own, ``unshare -n``) and with its temporary and cache folders pointed at empty ones, then read by
the tools an inspector's computer has in it: encryption (AES-256, revision 6), nothing readable
without the password, the text with it (headings, counts, quotes; never a planted identifier or
a word of a parent who did not consent), the attachments and their checksum, page 1 not blank,
the tagged structure, the fonts embedded, a markup-injection quote printed as typed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from tests.conftest import PASSPHRASE, REPO_ROOT, require_tool, under_ci

from .helpers import (
    COPRODUCTION,
    FORMULA,
    INJECTION,
    PLANTED,
    POLISH,
    ROMANIAN,
    SECRET_WORD,
    UNREVIEWED,
    PackForum,
    make_pack_forum,
)

PASSWORD = "inspectors' own words 2026"


@dataclass
class MadePack:
    forum: PackForum
    pdf: Path
    data: dict[str, object]
    folder: Path
    scratch: Path
    """The empty folder given as TMPDIR, HOME and cache: still empty after."""


def _offline_prefix() -> list[str]:
    """``unshare -rn`` (a network namespace with no interfaces) where the system allows it."""
    unshare = shutil.which("unshare")
    if unshare is not None:
        probe = subprocess.run([unshare, "-rn", "true"], capture_output=True)
        if probe.returncode == 0:
            return [unshare, "-rn"]
    message = "unshare -rn is not available: cannot cut the network off for the pack"
    if under_ci():
        pytest.fail(message)
    pytest.skip(message)


def run_offline(args: list[str], scratch: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``forumkit ARGS`` with no network at all and every temporary or cache folder empty."""
    full_env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "FORUMKIT_PASSPHRASE": PASSPHRASE,
        "TMPDIR": str(scratch),
        "HOME": str(scratch),
        "XDG_CACHE_HOME": str(scratch),
        "XDG_DATA_HOME": str(scratch),
        **env,
    }
    full_env.pop("FORUMKIT_DEBUG", None)
    return subprocess.run(
        [*_offline_prefix(), sys.executable, "-m", "forumkit", *args],
        capture_output=True,
        text=True,
        env=full_env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MadePack]:
    folder = tmp_path_factory.mktemp("pack")
    forum = make_pack_forum(folder, last_year=True)
    scratch = folder / "scratch"
    scratch.mkdir()
    password_file = folder / "password.txt"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    statement = folder / "statement.txt"
    statement.write_text(
        "The forum met 40 families this year.\n\nWe thank the parents who took part.",
        encoding="utf-8",
    )
    pdf = folder / "out" / "pack.pdf"
    pdf.parent.mkdir()
    done = run_offline(
        [
            "pack",
            str(forum.path),
            "family_2026",
            str(pdf),
            "--password-file",
            str(password_file),
            "--by-inspection-area",
            "--questions",
            "services,phase",
            "--compare",
            "family_2025",
            "--contact",
            "Jo Bloggs, chair",
            "--statement-file",
            str(statement),
            "--json",
        ],
        scratch,
        FORUMKIT_CONFIG_DIR=str(folder / "config"),
        FORUMKIT_INSECURE_TEST_KDF="1",
    )
    assert done.returncode == 0, done.stderr
    yield MadePack(forum, pdf, json.loads(done.stdout), folder, scratch)


def tool(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require_tool(name), *map(str, args)], capture_output=True, text=True, timeout=60
    )


def text_of(made: MadePack) -> str:
    done = tool("pdftotext", "-upw", PASSWORD, made.pdf, "-")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_nothing_touched_the_disk_but_the_pack(made: MadePack) -> None:
    assert sorted(p.name for p in made.pdf.parent.iterdir()) == ["pack.pdf"]
    assert list(made.scratch.iterdir()) == []
    assert made.pdf.read_bytes().startswith(b"%PDF-")


def test_qpdf_reports_aes_256_revision_6_and_a_sound_file(made: MadePack) -> None:
    shown = tool("qpdf", f"--password={PASSWORD}", "--show-encryption", made.pdf)
    assert shown.returncode == 0, shown.stderr
    assert "R = 6" in shown.stdout
    assert "stream encryption method: AESv3" in shown.stdout
    assert "extract for accessibility: allowed" in shown.stdout
    checked = tool("qpdf", f"--password={PASSWORD}", "--check", made.pdf)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No syntax or stream encoding errors found" in checked.stdout


def test_without_the_password_nothing_is_readable(made: MadePack) -> None:
    refused = tool("pdftotext", made.pdf, "-")
    assert refused.returncode != 0 and refused.stdout == ""
    assert tool("qpdf", "--check", made.pdf).returncode != 0
    wrong = tool("pdftotext", "-upw", "not the password", made.pdf, "-")
    assert wrong.returncode != 0 and wrong.stdout == ""
    raw = made.pdf.read_bytes()
    for words in ("Listen to families", "waited two years", "Testshire", "Family survey"):
        assert words.encode() not in raw
        assert words.encode("utf-16-be") not in raw


def test_with_it_the_headings_counts_and_quotes_are_there(made: MadePack) -> None:
    text = text_of(made)
    for heading in (
        "About this evidence",
        "What parents told us, by key message",
        "1. Listen to families and intervene early",
        "7. Coproduction",
        "What parents told us, by inspection area",
        "Families participate in decisions",
        "A statement from Testshire PCF",
        "Files attached to this pack",
        "Confidential: for the inspection team only",
    ):
        assert heading in text
    flat = " ".join(text.split())
    assert "It counts 12 responses from parents and carers" in flat
    assert "Headline figures" in text and "Family survey 2025" in text
    assert "Figure 1: Services used: chart" in flat
    assert "Speech and language therapy 11 55.0 12 100.0 +45.0" in flat
    assert "Early years <5 – <5 – –" in flat and "Secondary 9 45.0 * – –" in flat
    assert "(responses counted the same way: 20)" in flat
    assert "2 quotes from fewer than 5 parents." in flat
    assert "Jo Bloggs, chair" in flat
    assert "The forum met 40 families this year." in flat
    for quote in (COPRODUCTION, POLISH, ROMANIAN, "waited two years for speech therapy"):
        assert " ".join(quote.split()) in flat
    assert made.data["quotes"] == 8
    assert made.data["counted"] == 12


def test_no_planted_identifier_and_no_word_of_a_parent_who_refused(made: MadePack) -> None:
    text = text_of(made)
    compact = text.replace(" ", "")
    for planted in PLANTED:
        assert planted not in text and planted.replace(" ", "") not in compact
    assert SECRET_WORD not in text
    assert UNREVIEWED not in " ".join(text.split())
    assert "[email]" in text and "[phone]" in text and "[NHS number]" in text
    # The email a reviewer typed back into one quote was redacted again, and reported.
    assert made.data["redacted"] == [
        {"quote_id": made.forum.quote_ids["edited"], "kinds": ["email"]}
    ]


def test_a_markup_injection_quote_prints_as_typed(made: MadePack) -> None:
    text = text_of(made)
    assert INJECTION in text
    info = tool("pdfinfo", "-upw", PASSWORD, "-f", "1", "-l", "99", made.pdf)
    sizes = {
        line.split(":", 1)[1].strip()
        for line in info.stdout.splitlines()
        if "size" in line and "pts" in line
    }
    assert sizes == {"595.276 x 841.89 pts (A4)"}  # "#set page(width: 1pt)" changed nothing


def test_attachments_are_listed_and_the_appendix_matches_the_manifest(made: MadePack) -> None:
    listed = tool("qpdf", f"--password={PASSWORD}", "--list-attachments", made.pdf)
    assert listed.returncode == 0, listed.stderr
    names = sorted(line.split(" -> ")[0].strip() for line in listed.stdout.splitlines())
    assert names == ["appendix.xlsx", "manifest.json"]

    def attachment(name: str) -> bytes:
        done = subprocess.run(
            [
                require_tool("qpdf"),
                f"--password={PASSWORD}",
                f"--show-attachment={name}",
                str(made.pdf),
            ],
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    appendix = attachment("appendix.xlsx")
    manifest = json.loads(attachment("manifest.json"))
    assert (
        manifest["attachments"]["appendix.xlsx"]["sha256"] == hashlib.sha256(appendix).hexdigest()
    )
    assert manifest["pack_id"] == made.data["pack_id"]
    assert manifest["surveys"][0]["form_id"] == "family_2026"
    assert manifest["counts"] == {
        "responses": "12",
        "quotes": 8,
        "key_messages": 7,
        "figures": 2,
    }
    assert manifest["figures"] == ["services", "phase"]
    assert manifest["compared_with"]["form_id"] == "family_2025"
    assert hashlib.sha256(appendix).hexdigest() in " ".join(text_of(made).split())

    book = load_workbook(io.BytesIO(appendix))
    quotes = [[cell.value for cell in row] for row in book["Quotes"].iter_rows()]
    assert quotes[0][:5] == [
        "quote",
        "key messages",
        "inspection areas",
        "question",
        "what the parent wrote (redacted)",
    ]
    assert len(quotes) == 1 + 8
    everything = json.dumps([[c.value for c in row] for sheet in book for row in sheet.iter_rows()])
    for planted in (*PLANTED, SECRET_WORD, UNREVIEWED):
        assert planted not in everything
    formula_row = next(row for row in book["Quotes"].iter_rows() if row[4].value == FORMULA)
    assert formula_row[4].data_type == "s"  # text, never a formula
    # The headline figures' tables, suppressed as on the pages, last year's beside this year's.
    figures = [[cell.value for cell in row] for row in book["Figures"].iter_rows()]
    assert figures[0][:7] == [
        "question",
        "answer",
        "family survey 2025: responses",
        "family survey 2025: per cent",
        "family survey 2026: responses",
        "family survey 2026: per cent",
        "change (points)",
    ]
    assert [row[1:7] for row in figures[1:]] == [
        ["Speech and language therapy", 11, 55, 12, 100, 45],
        ["Occupational therapy, physio", 9, 45, 0, 0, -45],
        ["CAMHS", 9, 45, 0, 0, -45],
        ["No answer", 0, None, 0, None, None],
        ["Early years", "<5", None, "<5", None, None],
        ["Primary", "*", None, "<5", None, None],
        ["Secondary", 9, 45, "*", None, None],
        ["No answer", 0, None, 0, None, None],
    ]


def test_page_one_is_not_blank(made: MadePack, tmp_path: Path) -> None:
    done = tool(
        "pdftoppm",
        "-upw",
        PASSWORD,
        "-f",
        "1",
        "-l",
        "1",
        "-r",
        "40",
        "-gray",
        made.pdf,
        tmp_path / "page",
    )
    assert done.returncode == 0, done.stderr
    (image,) = tmp_path.glob("page*.pgm")
    data = image.read_bytes()
    # A binary PGM: "P5", width, height, maxval, then one byte a pixel.
    header = data.split(b"\n", 3)
    width, height = map(int, header[1].split())
    pixels = header[3][: width * height]
    dark = sum(1 for value in pixels if value < 128)
    assert dark > 0.005 * width * height


def test_tagged_with_embedded_fonts(made: MadePack) -> None:
    info = tool("pdfinfo", "-upw", PASSWORD, made.pdf)
    assert "Tagged:          yes" in info.stdout
    assert "Title:           Evidence from Testshire PCF for the local area SEND inspection" in (
        info.stdout
    )
    fonts = tool("pdffonts", "-upw", PASSWORD, made.pdf).stdout.splitlines()[2:]
    assert fonts, "the pack uses fonts"
    for line in fonts:
        # name, type, encoding, then emb sub uni: every font embedded, with a Unicode map.
        emb, _sub, uni = line.split()[-5:-2]
        assert (emb, uni) == ("yes", "yes"), line


def _structure(node: DictionaryObject, found: list[tuple[str, str]]) -> None:
    role = str(node.get("/S", ""))
    if role:
        found.append((role, str(node.get("/T", "") or node.get("/Alt", ""))))
    kids = node.get("/K")
    if kids is None:
        return
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, DictionaryObject):
            _structure(kid, found)


def test_the_structure_tree_holds_headings_matching_the_outline(made: MadePack) -> None:
    reader = PdfReader(made.pdf)
    assert reader.is_encrypted and reader.decrypt(PASSWORD)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    found: list[tuple[str, str]] = []
    _structure(root["/StructTreeRoot"].get_object(), found)
    roles = [role for role, _ in found]
    h1 = [title for role, title in found if role == "/H1"]
    h2 = [title for role, title in found if role == "/H2"]
    assert h1 == [
        "Contents",
        "About this evidence",
        "Headline figures",
        "What parents told us, by key message",
        "What parents told us, by inspection area",
        "A statement from Testshire PCF",
        "Files attached to this pack",
    ]
    # The bookmarks are the same headings (the contents page's own heading aside), nested.
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    below = [
        child.title
        for item in reader.outline
        if isinstance(item, list)
        for child in item
        if not isinstance(child, list)
    ]
    assert top == h1[1:]
    assert below == h2
    assert "7. Coproduction" in h2 and "Children are valued, visible and included" in h2
    assert "/Title" in roles and "/BlockQuote" in roles
    assert {"/Table", "/TH", "/TD"} <= set(roles)
    assert h2[3:5] == ["Services used", "Child's phase of education"]
    # Every chart is a figure whose alternative text states its numbers.
    charts = [alt for role, alt in found if role == "/Figure"]
    assert len(charts) == 2
    assert charts[0].startswith("Chart of “Services used” in two editions")
    assert (
        "Speech and language therapy: 55% in Family survey 2025, 100% in Family survey 2026"
        in (charts[0])
    )
    assert "Early years: fewer than 5 in Family survey 2025, fewer than 5 in" in charts[1]


def test_pdfium_opens_it_with_the_password_only(made: MadePack) -> None:
    import pypdfium2 as pdfium

    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(str(made.pdf))
    document = pdfium.PdfDocument(str(made.pdf), password=PASSWORD)
    try:
        assert len(document) == PdfReader(made.pdf, password=PASSWORD).get_num_pages()
        page = document[0]
        text = page.get_textpage().get_text_range()
        assert "Testshire PCF" in text and "Confidential" in text
    finally:
        document.close()
