"""The codebooks forumkit ships: what a new forum file starts with, checked against the design
documents (keys, labels, scope notes, shortcuts, colours, the inspection-area mapping) and for
readable chips."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from forumkit import codebooks
from forumkit.codebooks import (
    INSPECTION_AREAS_ID,
    KEY_MESSAGES_ID,
    code_id_for,
    codebook_id_for,
    contrast_ratio,
    text_colour_for,
)
from forumkit.codebooks.colours import BLACK, WCAG_AA_NORMAL_TEXT, WHITE, relative_luminance
from forumkit.codebooks.values import clean_colour, clean_description, clean_key, clean_label
from forumkit.paths import resource_path
from forumkit.schema import m005_codebooks
from forumkit.workspace import Workspace


def domain_key_messages(shared_dir: Path) -> list[tuple[str, str, str, str]]:
    """(shortcut, key, label, scope note) of the seven key messages, as domain.md writes them."""
    text = (shared_dir / "design" / "domain.md").read_text(encoding="utf-8")
    section = text.split("## The seven key messages")[1].split("The wording of the labels")[0]
    items = re.findall(
        r"^(\d)\. `([a-z-]+)` — \*\*(.+?)\.\*\* (.+?)(?=^\d\. |\Z)", section, re.S | re.M
    )
    return [(number, key, label, " ".join(scope.split())) for number, key, label, scope in items]


def test_key_messages_are_exactly_those_of_domain_md(
    workspace: Workspace, shared_dir: Path
) -> None:
    expected = domain_key_messages(shared_dir)
    assert len(expected) == 7
    book = codebooks.default_codebook(workspace.db)
    assert (book.key, book.name, book.id) == (
        "nnpcf-key-messages",
        "Seven key messages",
        KEY_MESSAGES_ID,
    )
    held = [(c.shortcut, c.key, c.label, c.description) for c in book.codes]
    assert held == expected
    assert 'post-16/19 "cliff edge"' in book.code("lifelong-outcomes").description  # type: ignore[union-attr]


def test_key_message_chips_are_the_okabe_ito_colours_of_ui_md(
    workspace: Workspace, shared_dir: Path
) -> None:
    text = (shared_dir / "design" / "ui.md").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "seven key messages' colours" in line)
    paragraph = text[text.index(line) :].split("\n- ")[0]
    colours = re.findall(r"`(#[0-9A-F]{6})`", paragraph)
    book = codebooks.default_codebook(workspace.db)
    assert [code.colour for code in book.codes] == colours == list(codebooks.OKABE_ITO)


def test_the_default_inspection_area_mapping_is_domain_mds(
    workspace: Workspace, shared_dir: Path
) -> None:
    text = " ".join((shared_dir / "design" / "domain.md").read_text(encoding="utf-8").split())
    sentence = text.split("The default mapping from the key messages")[1].split("Other frameworks")[
        0
    ]
    phrases = {
        "needs identified": "identified-early",
        "right help": "right-help",
        "valued, visible": "valued-included",
        "participate in decisions": "families-participate",
        "prepared for next steps": "next-steps",
    }
    expected = {}
    for key, targets in re.findall(r"`([a-z-]+)` → ([^;`]+)", sentence):
        expected[key] = sorted(area for phrase, area in phrases.items() if phrase in targets)
    assert len(expected) == 7
    book = codebooks.default_codebook(workspace.db)
    mapping = codebooks.inspection_area_map(workspace.db)
    assert {c.key: sorted(a.key for a in mapping[c.id]) for c in book.codes} == expected


def test_a_new_file_starts_with_the_four_shipped_codebooks(workspace: Workspace) -> None:
    books = codebooks.list_codebooks(workspace.db)
    assert [(b.key, len(b.codes), b.shipped, b.is_default) for b in books] == [
        ("nnpcf-key-messages", 7, True, True),
        ("inspection-areas", 5, True, False),
        ("areas-of-need", 4, True, False),
        ("preparing-for-adulthood", 4, True, False),
    ]
    areas = codebooks.get_codebook(workspace.db, "areas-of-need")
    assert [c.label for c in areas.codes] == [
        "Communication and interaction",
        "Cognition and learning",
        "Social, emotional and mental health",
        "Sensory and/or physical",
    ]
    adulthood = codebooks.get_codebook(workspace.db, "preparing-for-adulthood")
    assert [c.label for c in adulthood.codes] == [
        "Employment",
        "Independent living",
        "Community inclusion",
        "Good health",
    ]
    inspection = codebooks.get_codebook(workspace.db, "inspection-areas")
    assert inspection.id == INSPECTION_AREAS_ID
    assert all(code.description and code.codable for b in books for code in b.codes)


def test_every_file_gives_shipped_codes_the_same_ids(tmp_path: Path) -> None:
    from tests.conftest import PASSPHRASE

    ids = []
    for name in ("a", "b"):
        with Workspace.create(tmp_path / f"{name}.forumkit", PASSPHRASE, forum=name) as ws:
            ids.append([(b.id, [c.id for c in b.codes]) for b in codebooks.list_codebooks(ws.db)])
    assert ids[0] == ids[1]
    book_id, code_ids = ids[0][0]
    assert book_id == codebook_id_for("nnpcf-key-messages")
    assert code_ids[0] == code_id_for(book_id, "listen-early")


def test_the_migrations_frozen_id_rule_agrees_with_the_package() -> None:
    for key in ("nnpcf-key-messages", "inspection-areas", "something-new"):
        book_id = codebook_id_for(key)
        assert m005_codebooks.codebook_id(key) == book_id
        assert m005_codebooks.code_id(book_id, "money") == code_id_for(book_id, "money")


def test_shipped_resources_are_well_formed() -> None:
    for name in m005_codebooks.SHIPPED:
        book = json.loads(resource_path("codebooks", name).read_text(encoding="utf-8"))
        keys = [code["key"] for code in book["codes"]]
        assert len(keys) == len(set(keys)), name
        shortcuts = [code["shortcut"] for code in book["codes"] if code["shortcut"]]
        assert len(shortcuts) == len(set(shortcuts)), name
        for code in book["codes"]:
            # What the editing functions would store: the seed passes the same checks.
            assert clean_key(code["key"]) == code["key"]
            assert clean_label(code["label"]) == code["label"]
            assert clean_description(code["scope"]) == code["scope"]
            assert clean_colour(code["colour"]) == code["colour"], (name, code["key"])
            assert code["keywords"] == []  # keywords for suggestions live in their own resource


# -- readable chips -----------------------------------------------------------------------------


def test_every_shipped_chip_has_text_meeting_wcag_aa(workspace: Workspace) -> None:
    seen = 0
    for book in codebooks.list_codebooks(workspace.db):
        for code in book.codes:
            ratio = contrast_ratio(code.colour, code.text_colour)
            assert ratio >= WCAG_AA_NORMAL_TEXT, (book.key, code.key, code.colour, ratio)
            seen += 1
    assert seen == 20


def test_the_text_colour_is_the_more_readable_of_black_and_white() -> None:
    # Blue (#0072B2) needs white: black on it is only about 4.0 : 1, below AA.
    assert text_colour_for("#0072B2") == WHITE
    assert (
        contrast_ratio("#0072B2", BLACK) < WCAG_AA_NORMAL_TEXT <= contrast_ratio("#0072B2", WHITE)
    )
    # Vermilion (#D55E00) is the reverse: white on it is only about 3.9 : 1.
    assert text_colour_for("#D55E00") == BLACK
    assert (
        contrast_ratio("#D55E00", WHITE) < WCAG_AA_NORMAL_TEXT <= contrast_ratio("#D55E00", BLACK)
    )
    assert text_colour_for("#F0E442") == BLACK


def test_contrast_ratio_matches_the_wcag_definition() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    # WCAG's published example: #767676 on white is 4.54 : 1.
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)


@pytest.mark.parametrize("grey", range(0, 256, 5))
def test_any_chip_gets_aa_text_even_the_hardest_greys(grey: int) -> None:
    chip = f"#{grey:02X}{grey:02X}{grey:02X}"
    assert contrast_ratio(chip, text_colour_for(chip)) >= WCAG_AA_NORMAL_TEXT
