"""Malformed and hostile .qdc files are refused with one plain sentence, quickly, without
reading anything they point at, and the forum file is left exactly as it was."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from forumkit import codebooks
from forumkit.codebooks import QdcFileError
from forumkit.codebooks.qdc import MAX_CODES, MAX_DEPTH, MAX_QDC_BYTES
from forumkit.workspace import Workspace

FIXTURES = Path(__file__).parent / "fixtures"
NS = 'xmlns="urn:QDA-XML:codebook:1.0"'
GUID = "2a08bddf-4c35-4250-bf77-7de37b50c930"


def codebook(codes: str, *, namespace: str = NS, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{prolog}'
        f"<CodeBook {namespace}><Codes>{codes}</Codes></CodeBook>\n"
    ).encode()


def one_code(**attributes: str) -> str:
    values = {"guid": GUID, "name": "Waits", "isCodable": "true", **attributes}
    return "<Code " + " ".join(f'{k}="{v}"' for k, v in values.items()) + "/>"


BILLION_LAUGHS = (
    '<!DOCTYPE CodeBook [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    + "]>\n"
)


def refusal(data: bytes, name: str = "hostile.qdc") -> str:
    with pytest.raises(QdcFileError) as caught:
        codebooks.read_qdc(data, name)
    message = str(caught.value)
    # One plain sentence: names the file, says why, no line breaks, no traceback-sized text.
    assert message.startswith(f"“{name}” cannot be imported as a codebook: ")
    assert message.endswith(".") and "\n" not in message and len(message) < 400
    return message


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            codebook(one_code(), namespace='xmlns="urn:QDA-XML:project:1.0"'),
            "its root element is <CodeBook> in the namespace urn:QDA-XML:project:1.0, not "
            "<CodeBook> in the namespace urn:QDA-XML:codebook:1.0",
        ),
        (codebook(one_code(), namespace=""), "<CodeBook> with no namespace"),
        (b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>', "its root element is <Project>"),
        (
            codebook("<Code/>", prolog=BILLION_LAUGHS).replace(b"<Code/>", b"&lol9;"),
            "it declares a document type (line 2)",
        ),
        (
            codebook(
                one_code(name="&xxe;"),
                prolog='<!DOCTYPE CodeBook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n',
            ),
            "it declares a document type",
        ),
        (
            codebook(one_code(), prolog='<!DOCTYPE CodeBook SYSTEM "http://example.org/x.dtd">\n'),
            "it declares a document type",
        ),
        (codebook(one_code(name="&undeclared;")), "not well-formed XML (line 2, column"),
        (
            b"PK\x03\x04\x14\x00\x00\x00binary",
            "it is not well-formed XML (line 1, column 3: not well-formed (invalid token))",
        ),
        (b"", "it is not well-formed XML"),
        (codebook(one_code())[:-20], "it is not well-formed XML"),
        (codebook(""), "it holds no codes"),
        (f"<CodeBook {NS}/>".encode(), "it has no <Codes> element"),
        (
            f"<CodeBook {NS}><Codes>{one_code()}</Codes><Codes/></CodeBook>".encode(),
            "it has two <Codes> elements",
        ),
        (codebook(one_code(guid="")), "“Waits” (line 2) has no usable guid"),
        (codebook(one_code(guid="not-a-guid")), "has no usable guid"),
        (codebook(one_code(name="  ")), "the code on line 2 has no name"),
        (codebook(one_code(isCodable="maybe")), "isCodable “maybe”, not true or false"),
        (
            codebook(one_code() + one_code(name="Again", guid="{" + GUID.upper() + "}")),
            "“Again” (line 2) has the same guid as a code before it",
        ),
        (
            codebook(one_code(name="x" * 10_000_000)),
            "the name of the code on line 2 has 10,000,000 characters; forumkit takes names of "
            "up to 300",
        ),
        (
            codebook(
                f'<Code guid="{GUID}" name="Waits" isCodable="true"><Description>'
                + "y" * 20_001
                + "</Description></Code>"
            ),
            "the description of “Waits” (line 2) is longer than 20,000 characters",
        ),
    ],
)
def test_refused_with_one_sentence(data: bytes, reason: str) -> None:
    assert reason in refusal(data)


def test_billion_laughs_is_refused_at_once() -> None:
    data = codebook("&lol9;", prolog=BILLION_LAUGHS)
    started = time.perf_counter()
    refusal(data)
    assert time.perf_counter() - started < 0.5


def test_an_external_entity_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    data = codebook(
        one_code(name="&xxe;"),
        prolog=f'<!DOCTYPE CodeBook [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n',
    )
    assert "TOP-SECRET-CONTENT" not in refusal(data)


def test_too_deep_and_too_many_are_refused() -> None:
    deep = (
        "".join(
            f'<Code guid="00000000-0000-4000-8000-{n:012d}" name="c{n}" isCodable="true">'
            for n in range(MAX_DEPTH)
        )
        + "</Code>" * MAX_DEPTH
    )
    assert f"nest more than {MAX_DEPTH} deep" in refusal(codebook(deep))
    many = "".join(
        one_code(guid=f"00000000-0000-4000-8000-{n:012d}", name=f"c{n}")
        for n in range(MAX_CODES + 1)
    )
    assert f"more than {MAX_CODES:,} codes" in refusal(codebook(many))


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.qdc"
    with path.open("wb") as handle:
        handle.truncate(MAX_QDC_BYTES + 1)
    with pytest.raises(QdcFileError, match="larger than 16 MB"):
        codebooks.read_qdc_file(path)
    with pytest.raises(QdcFileError, match="larger than 16 MB"):
        codebooks.read_qdc(b" " * (MAX_QDC_BYTES + 1), path)


def test_a_truncated_atlas_ti_export_with_an_old_namespace(workspace: Workspace) -> None:
    data = (FIXTURES / "atlasti-23.4.0-truncated.qdc").read_bytes()
    assert "in the namespace urn:QDA-XML:codebook:0:4" in refusal(data, "truncated.qdc")
    fixed = data.replace(b'codebook:0:4">', b'codebook:1.0">', 1)
    assert "not well-formed XML (line 17, column 5: unclosed token)" in refusal(
        fixed, "truncated.qdc"
    )


def test_nvivos_namespace_spelling_is_read() -> None:
    data = codebook(one_code(color="#F00"), namespace='xmlns="urn:QDA-XML:codebook:1:0"')
    [code] = codebooks.read_qdc(data).codes
    assert (code.name, code.colour) == ("Waits", "#FF0000")


def test_an_unreadable_colour_is_replaced_with_a_warning() -> None:
    read = codebooks.read_qdc(codebook(one_code(color="rgb(1,2,3)")))
    assert read.codes[0].colour is None
    assert read.warnings == (
        "“Waits” (line 2) has a colour forumkit cannot read, so it was given one of forumkit's "
        "colours.",
    )


def test_a_refused_import_leaves_the_forum_file_as_it_was(
    workspace: Workspace, forum_path: Path, tmp_path: Path
) -> None:
    before = forum_path.read_bytes()
    books = codebooks.list_codebooks(workspace.db)
    hostile = tmp_path / "laughs.qdc"
    hostile.write_bytes(codebook("&lol9;", prolog=BILLION_LAUGHS))
    with pytest.raises(QdcFileError):
        codebooks.import_qdc(workspace, hostile)
    assert forum_path.read_bytes() == before
    assert codebooks.list_codebooks(workspace.db) == books


def test_codes_split_over_two_codebooks_are_refused(
    workspace: Workspace, forum_path: Path, tmp_path: Path
) -> None:
    money = codebooks.resolve_code(workspace.db, "money")
    employment = codebooks.resolve_code(workspace.db, "employment")
    mixed = tmp_path / "mixed.qdc"
    mixed.write_bytes(
        codebook(one_code(guid=money.id, name="M") + one_code(guid=employment.id, name="E"))
    )
    before = forum_path.read_bytes()
    with pytest.raises(QdcFileError, match="spread over several codebooks"):
        codebooks.import_qdc(workspace, mixed)
    assert forum_path.read_bytes() == before
