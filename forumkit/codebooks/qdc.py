"""REFI-QDA codebook files (``.qdc``): read them safely, write them plainly.

The REFI-QDA codebook exchange format lets a codebook move between NVivo, MAXQDA, ATLAS.ti,
QualCoder, Taguette and forumkit: ``<CodeBook xmlns="urn:QDA-XML:codebook:1.0">`` holding
``<Codes>``, nested ``<Code guid name isCodable color>`` with an optional ``<Description>``, and
optional ``<Sets>`` (groups of codes, which forumkit does not keep).

A .qdc comes from outside, so it is parsed with expat directly, with every door that XML leaves
open shut: any document type declaration is refused before its first entity is declared (so no
"billion laughs" expansion and no external entity can be read), parameter entities are never
parsed, and sizes (the file, the number of codes, how deep they nest, each name and
description) are capped. Anything refused is one :class:`QdcFileError` sentence naming the line.
Nothing here touches a forum file: :mod:`forumkit.codebooks.exchange` does that.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from forumkit.codebooks.colours import normalise_colour
from forumkit.codebooks.errors import QdcFileError
from forumkit.codebooks.model import MAX_DESCRIPTION, MAX_LABEL, Code, Codebook
from forumkit.codebooks.values import shown

QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
ACCEPTED_NAMESPACES = (QDC_NAMESPACE, "urn:QDA-XML:codebook:1:0")
"""The standard's namespace, and the spelling NVivo writes (a colon for the dot)."""

MAX_QDC_BYTES = 16 * 1024 * 1024
MAX_CODES = 10_000
MAX_DEPTH = 64
"""How deep elements may nest (codes within codes, plus the three around them)."""


@dataclass(frozen=True)
class QdcCode:
    """One code as a .qdc file gives it."""

    guid: str
    """As a canonical lower-case UUID (files write them in either case, some in braces)."""
    name: str
    codable: bool
    colour: str | None
    """``#RRGGBB``, or None when the file gives none (or one forumkit cannot read)."""
    description: str
    line: int
    children: tuple[QdcCode, ...] = ()


@dataclass(frozen=True)
class QdcCodebook:
    """What a .qdc file holds, as far as forumkit keeps it."""

    origin: str
    codes: tuple[QdcCode, ...]
    sets: int
    """How many code sets (groups) the file has; forumkit does not import them."""
    warnings: tuple[str, ...]

    def walk(self) -> Iterator[tuple[str | None, QdcCode]]:
        """Every code with its parent's guid (None at the top), each parent first."""

        def below(
            parent: str | None, codes: tuple[QdcCode, ...]
        ) -> Iterator[tuple[str | None, QdcCode]]:
            for code in codes:
                yield parent, code
                yield from below(code.guid, code.children)

        yield from below(None, self.codes)


# -- reading ------------------------------------------------------------------------------------


class _Refused(Exception):
    """Raised inside expat's callbacks; carries the reason out of the parser."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Building:
    guid: str
    name: str
    codable: bool
    colour: str | None
    line: int
    description: list[str] = field(default_factory=list)
    children: list[_Building] = field(default_factory=list)

    def frozen(self) -> QdcCode:
        return QdcCode(
            guid=self.guid,
            name=self.name,
            codable=self.codable,
            colour=self.colour,
            description="".join(self.description).strip(),
            line=self.line,
            children=tuple(child.frozen() for child in self.children),
        )


class _Reader:
    """expat callbacks that build the code tree and refuse what a codebook never needs."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.namespace = ""
        self.origin = ""
        self.elements: list[str] = []
        """What each open element is to forumkit (see :meth:`_inside`)."""
        self.open_codes: list[_Building] = []
        self.top: list[_Building] = []
        self.guids: set[str] = set()
        self.codes_seen = 0
        self.codes_elements = 0
        self.sets = 0
        self.description: _Building | None = None
        self.description_size = 0
        self.warnings: list[str] = []

    # Anything that declares a DTD could declare entities; a codebook needs neither.
    def doctype(self, *_: object) -> None:
        raise _Refused(
            f"it declares a document type (line {self.parser.CurrentLineNumber}), which a "
            "codebook never needs and which can hide entity tricks, so forumkit refuses it"
        )

    def entity(self, *_: object) -> None:
        raise _Refused(f"it declares an entity (line {self.parser.CurrentLineNumber})")

    def external(self, *_: object) -> int:
        raise _Refused(
            f"it refers to an external entity (line {self.parser.CurrentLineNumber}), which "
            "forumkit never reads"
        )

    def start(self, name: str, attributes: dict[str, str]) -> None:
        line = self.parser.CurrentLineNumber
        namespace, _, local = name.rpartition(" ")
        if len(self.elements) >= MAX_DEPTH:
            raise _Refused(f"its elements nest more than {MAX_DEPTH} deep (line {line})")
        role = ""
        if not self.elements:
            self._root(namespace, local, attributes)
            role = "root"
        elif namespace == self.namespace:
            role = self._inside(self.elements[-1], local, attributes, line)
        self.elements.append(role)

    def _root(self, namespace: str, local: str, attributes: dict[str, str]) -> None:
        if local != "CodeBook" or namespace not in ACCEPTED_NAMESPACES:
            found = f"<{local}>" + (
                f" in the namespace {namespace}" if namespace else " with no namespace"
            )
            raise _Refused(
                f"it is not a REFI-QDA codebook: its root element is {found}, not <CodeBook> in "
                f"the namespace {QDC_NAMESPACE}"
            )
        self.namespace = namespace
        self.origin = " ".join(attributes.get("origin", "").split())[:MAX_LABEL]

    def _inside(self, parent: str, local: str, attributes: dict[str, str], line: int) -> str:
        """What the element is to forumkit ("" for what it ignores: notes, sets' members…)."""
        if local == "Codes" and parent == "root":
            self.codes_elements += 1
            return "codes"
        if local == "Code" and parent in ("codes", "code"):
            self._code(attributes, line)
            return "code"
        if local == "Description" and parent == "code":
            self.description = self.open_codes[-1]
            self.description_size = 0
            return "description"
        if local == "Set" and parent == "root-sets":
            self.sets += 1
        elif local == "Sets" and parent == "root":
            return "root-sets"
        return ""

    def _code(self, attributes: dict[str, str], line: int) -> None:
        self.codes_seen += 1
        if self.codes_seen > MAX_CODES:
            raise _Refused(f"it holds more than {MAX_CODES:,} codes")
        name = " ".join(attributes.get("name", "").split())
        where = f"the code on line {line}"
        if not name:
            raise _Refused(f"{where} has no name")
        if len(name) > MAX_LABEL:
            raise _Refused(
                f"the name of {where} has {len(name):,} characters; forumkit takes names of up "
                f"to {MAX_LABEL}"
            )
        label = shown(name)
        guid = _guid(attributes.get("guid", ""))
        if guid is None:
            raise _Refused(f"“{label}” (line {line}) has no usable guid")
        if guid in self.guids:
            raise _Refused(f"“{label}” (line {line}) has the same guid as a code before it")
        self.guids.add(guid)
        codable_text = attributes.get("isCodable", "true").strip().lower()
        if codable_text not in ("true", "false", "1", "0"):
            raise _Refused(
                f"“{label}” (line {line}) has isCodable “{shown(codable_text)}”, not true or false"
            )
        colour = None
        if "color" in attributes:
            colour = normalise_colour(attributes["color"])
            if colour is None:
                self.warnings.append(
                    f"“{label}” (line {line}) has a colour forumkit cannot read, so it was given "
                    "one of forumkit's colours."
                )
        code = _Building(guid, name, codable_text in ("true", "1"), colour, line)
        (self.open_codes[-1].children if self.open_codes else self.top).append(code)
        self.open_codes.append(code)

    def end(self, name: str) -> None:
        role = self.elements.pop()
        if role == "code":
            self.open_codes.pop()
        elif role == "description":
            self.description = None

    def text(self, data: str) -> None:
        if self.description is None:
            return
        self.description_size += len(data)
        if self.description_size > MAX_DESCRIPTION:
            code = self.description
            raise _Refused(
                f"the description of “{shown(code.name)}” (line {code.line}) is longer than "
                f"{MAX_DESCRIPTION:,} characters"
            )
        self.description.description.append(data)


def _guid(text: str) -> str | None:
    value = text.strip()
    if value.startswith("{") and value.endswith("}"):
        value = value[1:-1]
    if len(value) != 36:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def read_qdc(data: bytes, source: Path | str = "codebook.qdc") -> QdcCodebook:
    """Parse a .qdc file's bytes; QdcFileError (naming ``source``) for anything refused."""

    def refuse(reason: str) -> NoReturn:
        raise QdcFileError(source, reason)

    if len(data) > MAX_QDC_BYTES:
        refuse(f"it is larger than {MAX_QDC_BYTES // (1024 * 1024)} MB, far more than a codebook")
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    reader = _Reader(parser)
    parser.StartDoctypeDeclHandler = reader.doctype
    parser.EntityDeclHandler = reader.entity
    parser.UnparsedEntityDeclHandler = reader.entity
    parser.ExternalEntityRefHandler = reader.external
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        refuse(refused.reason)
    except expat.ExpatError as error:
        refuse(
            f"it is not well-formed XML (line {error.lineno}, column {error.offset + 1}: "
            f"{expat.ErrorString(error.code)})"
        )
    if reader.codes_elements != 1:
        refuse(
            "it has no <Codes> element"
            if not reader.codes_elements
            else "it has two <Codes> elements"
        )
    if not reader.top:
        refuse("it holds no codes")
    return QdcCodebook(
        origin=reader.origin,
        codes=tuple(code.frozen() for code in reader.top),
        sets=reader.sets,
        warnings=tuple(reader.warnings),
    )


# -- writing ------------------------------------------------------------------------------------


def write_qdc(codebook: Codebook, origin: str) -> bytes:
    """The codebook as a .qdc document (UTF-8): codes nested as in the forum file, each with
    its colour and scope note. Keys, shortcuts, keywords and inspection areas have no place in
    the format and stay behind."""
    if not codebook.codes:
        raise QdcFileError(
            f"{codebook.key}.qdc", f"the codebook “{codebook.name}” has no codes to export"
        )
    root = ET.Element("CodeBook", {"xmlns": QDC_NAMESPACE, "origin": origin})
    codes = ET.SubElement(root, "Codes")

    def add(parent: ET.Element, code: Code) -> None:
        element = ET.SubElement(
            parent,
            "Code",
            {
                "guid": code.id,
                "name": code.label,
                "isCodable": "true" if code.codable else "false",
                "color": code.colour,
            },
        )
        if code.description:
            ET.SubElement(element, "Description").text = code.description
        for child in codebook.children(code.id):
            add(element, child)

    for code in codebook.children(None):
        add(codes, code)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'.encode()
