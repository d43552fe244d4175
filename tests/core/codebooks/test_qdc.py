"""REFI-QDA codebook exchange (.qdc): what forumkit writes is valid against the REFI-QDA
schema and comes back unchanged; files ATLAS.ti, QualCoder and Taguette wrote are read as those
tools meant them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from forumkit import audit, codebooks
from forumkit.codebooks import QDC_NAMESPACE, Codebook, QdcFileError
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE

FIXTURES = Path(__file__).parent / "fixtures"
PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"


@pytest.fixture(scope="module")
def refi_schema() -> xmlschema.XMLSchema:
    from tests.conftest import SHARED

    path = SHARED / "fixtures" / "refi-qda" / "Project-mrt2019.xsd"
    if not path.is_file():
        pytest.skip(f"the REFI-QDA schema is missing at {path}")
    return xmlschema.XMLSchema(str(path))


def as_project(qdc: bytes) -> ET.Element:
    """The exported ``<Codes>`` tree inside a minimal REFI-QDA project document.

    The schema we have is the project schema (namespace ``urn:QDA-XML:project:1.0``): its
    ``CodeBookType`` has ``<Codes>`` of ``CodeType`` but not the codebook file's ``origin``
    attribute or ``<Sets>``. So the ``<Codes>`` element is moved, element by element, from the
    codebook namespace into the project namespace and wrapped in ``<Project name><CodeBook>``;
    validating that document checks every exported ``<Code>`` against ``CodeType``.
    """
    root = ET.fromstring(qdc)  # noqa: S314 (our own output, in a test)
    assert root.tag == f"{{{QDC_NAMESPACE}}}CodeBook"
    codes = root.find(f"{{{QDC_NAMESPACE}}}Codes")
    assert codes is not None
    for element in codes.iter():
        assert element.tag.startswith(f"{{{QDC_NAMESPACE}}}")
        element.tag = element.tag.replace(QDC_NAMESPACE, PROJECT_NAMESPACE)
    project = ET.Element(f"{{{PROJECT_NAMESPACE}}}Project", {"name": "forumkit test"})
    ET.SubElement(project, f"{{{PROJECT_NAMESPACE}}}CodeBook").append(codes)
    return project


def local_codebook(workspace: Workspace) -> Codebook:
    """A codebook with what a round trip must keep: nesting, a heading, escapes, non-ASCII."""
    book = codebooks.create_codebook(workspace, "Local themes")
    codebooks.add_code(workspace, book.key, "Services", codable=False, colour="#999999")
    codebooks.add_code(
        workspace,
        book.key,
        "Speech & language",
        parent="services",
        description='Waits for "SALT" <over a year>\nand what happens meanwhile.',
        colour="#56b4e9",
    )
    codebooks.add_code(workspace, book.key, "Ysgol / szkoła", parent="speech-language")
    codebooks.add_code(workspace, book.key, "Transport", description="Taxis, buses")
    return codebooks.get_codebook(workspace.db, book.key)


def shape(book: Codebook) -> list[tuple[object, ...]]:
    return [
        (depth, c.id, c.label, c.description, c.colour, c.codable, c.parent_id)
        for depth, c in book.walk()
    ]


# -- what forumkit writes -----------------------------------------------------------------------


def test_every_exported_codebook_is_valid_refi_qda(
    workspace: Workspace, refi_schema: xmlschema.XMLSchema, tmp_path: Path
) -> None:
    local_codebook(workspace)
    for book in codebooks.list_codebooks(workspace.db):
        out = tmp_path / f"{book.key}.qdc"
        codebooks.export_qdc(workspace, book.key, out)
        refi_schema.validate(as_project(out.read_bytes()))
    text = (tmp_path / "nnpcf-key-messages.qdc").read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA')
    assert 'origin="forumkit ' in text


def test_the_schema_check_catches_a_bad_export(
    workspace: Workspace, refi_schema: xmlschema.XMLSchema
) -> None:
    # The check is not vacuous: a colour outside RGBType or a missing guid fails it.
    data = codebooks.write_qdc(codebooks.default_codebook(workspace.db), "test")
    project = as_project(data)
    first = next(project.iter(f"{{{PROJECT_NAMESPACE}}}Code"))
    first.set("color", "orange")
    assert not refi_schema.is_valid(project)
    first.set("color", "#E69F00")
    del first.attrib["guid"]
    assert not refi_schema.is_valid(project)


def test_a_round_trip_gives_the_same_codes_colours_and_hierarchy(
    workspace: Workspace, tmp_path: Path
) -> None:
    original = local_codebook(workspace)
    out = tmp_path / "local.qdc"
    codebooks.export_qdc(workspace, original.key, out)
    with Workspace.create(tmp_path / "other.forumkit", PASSPHRASE, forum="Other") as other:
        result = codebooks.import_qdc(other, out, name="Local themes")
        assert (result.created, result.added, result.updated, result.kept) == (True, 4, 0, 0)
        assert shape(result.codebook) == shape(original)
        assert [c.key for c in result.codebook.codes] == [c.key for c in original.codes]
        again = codebooks.import_qdc(other, out)
        assert (again.created, again.added, again.updated, again.unchanged) == (False, 0, 0, 4)
        assert len(codebooks.list_codebooks(other.db)) == 5
        # And back: the second file's export is the first file's, byte for byte.
        codebooks.export_qdc(other, result.codebook.key, tmp_path / "back.qdc")
    assert (tmp_path / "back.qdc").read_bytes() == out.read_bytes()


def test_an_edited_key_message_codebook_updates_the_one_in_another_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    codebooks.edit_code(workspace, "money", label="Money", colour="#000000")
    codebooks.add_code(workspace, "nnpcf-key-messages", "Transport", parent="money")
    out = tmp_path / "key-messages.qdc"
    codebooks.export_qdc(workspace, "nnpcf-key-messages", out)
    with Workspace.create(tmp_path / "other.forumkit", PASSPHRASE, forum="Other") as other:
        codebooks.add_code(other, "nnpcf-key-messages", "Only here")
        result = codebooks.import_qdc(other, out)
        assert (result.created, result.added, result.updated, result.unchanged, result.kept) == (
            False,
            1,
            1,
            6,
            1,
        )
        money = codebooks.resolve_code(other.db, "money")
        # What the format carries changed; what it cannot carry (shortcut, mapping) is kept.
        assert (money.label, money.colour, money.shortcut) == ("Money", "#000000", "2")
        assert codebooks.inspection_areas_of(other.db, money.id)
        assert codebooks.resolve_code(other.db, "transport").parent_id == money.id
        assert codebooks.resolve_code(other.db, "only-here").key == "only-here"
        [entry] = audit.entries(other.db, "codebook_imported")
        assert entry.counts == {"added": 1, "updated": 1, "unchanged": 6}
        assert entry.object_ids == [codebooks.KEY_MESSAGES_ID]


def test_an_empty_codebook_is_not_exported(workspace: Workspace, tmp_path: Path) -> None:
    book = codebooks.create_codebook(workspace, "Empty")
    with pytest.raises(QdcFileError, match="has no codes to export"):
        codebooks.export_qdc(workspace, book.key, tmp_path / "empty.qdc")
    assert not (tmp_path / "empty.qdc").exists()


# -- what other tools wrote ---------------------------------------------------------------------


def test_an_atlas_ti_export(workspace: Workspace) -> None:
    result = codebooks.import_qdc(workspace, FIXTURES / "atlasti-23.4.0.qdc")
    [code] = result.codebook.codes
    assert (code.id, code.label, code.colour, code.description, code.codable) == (
        "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294",
        "code1",
        "#46AA00",
        "description",
        True,
    )
    assert result.codebook.name == "atlasti-23.4.0"
    assert result.codebook.description == (
        "Imported from a REFI-QDA codebook written by ATLAS.ti Win 23.4.0."
    )
    assert result.warnings == (
        "The file's 1 code set (groups of codes) were not imported: forumkit groups codes by "
        "nesting them.",
    )


def test_a_qualcoder_export_keeps_its_categories_and_nesting(
    workspace: Workspace, tmp_path: Path
) -> None:
    data = (FIXTURES / "qualcoder.qdc").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # QualCoder writes a byte-order mark
    result = codebooks.import_qdc(workspace, FIXTURES / "qualcoder.qdc", name="QualCoder")
    tree = [
        (depth, c.label, c.codable, c.colour, c.description) for depth, c in result.codebook.walk()
    ]
    assert tree == [
        (0, "School", True, "#F5DA81", 'Anything about school: "inclusion", <exclusion>'),
        (0, "Services", False, "#56B4E9", "Help the family gets, or waits for"),
        (1, "Transport", True, "#9FF781", ""),
        (1, "Therapies", False, "#F0E442", ""),
        (2, "Waiting lists", True, "#F781F3", "Months or years before an assessment"),
        (3, "Speech & language", True, "#81BEF7", ""),
    ]
    assert result.warnings == ()
    # Our export of it goes back with the same guids, so QualCoder would see the same codes.
    codebooks.export_qdc(workspace, result.codebook.key, tmp_path / "back.qdc")
    back = [c.guid for _, c in codebooks.read_qdc_file(tmp_path / "back.qdc").walk()]
    assert back == [c.guid for _, c in codebooks.read_qdc(data).walk()]


def test_a_taguette_export_gets_colours_and_canonical_guids(workspace: Workspace) -> None:
    result = codebooks.import_qdc(workspace, FIXTURES / "taguette-1.5.2.qdc")
    codes = result.codebook.codes
    assert [(c.label, c.key, c.parent_id) for c in codes] == [
        ("interesting", "interesting", None),
        ("people", "people", None),
        ("interesting.places", "interesting-places", None),
    ]
    assert codes[0].id == "0d62985d-b147-5d01-a9b5-cae5dcd98342"
    # Taguette has no colours: a code without one gets the palette colour of its position.
    assert [c.colour for c in codes] == list(codebooks.OKABE_ITO[:3])
    again = codebooks.import_qdc(workspace, FIXTURES / "taguette-1.5.2.qdc")
    assert (again.created, again.added, again.unchanged) == (False, 0, 3)
