"""Laying a pack out and sealing it: Typst for the tagged PDF, pypdf for attachments and AES-256.

Runs anywhere (the app runs it in a worker): it takes a :class:`PackContent` read earlier and
touches no database. In order, all in memory:

1. the appendix workbook and ``manifest.json`` (``forumkit.packs.appendix``);
2. the pages: ``resources/packs/pack.typ`` compiled by the ``typst`` package as PDF/UA-1
   (tagged: title and language set, headings as a structure tree that is also the outline,
   tables with header cells, figures with alternative text; Typst refuses a document that
   breaks those checkable rules), its own fonts embedded (Libertinus Serif, which covers Latin
   Extended-A: Polish and Romanian print), system fonts ignored so every computer makes the
   same pack. Every text from the forum file reaches the template as data, in one JSON string
   (``sys.inputs``), and is shown as text, never read as markup;
3. the attachments added and the whole file encrypted with AES-256 (revision 6) by pypdf, under
   the pack's password; text extraction stays allowed, as PDF/UA requires for screen readers.

The caller writes the sealed bytes atomically (``forumkit.exports``): no plaintext of the pack
ever touches the disk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import secrets
from collections.abc import Sequence
from typing import Any, Literal

from forumkit import __version__
from forumkit.analysis import ChartBar, ChartSpec, ComparisonChartSpec
from forumkit.packs.appendix import (
    APPENDIX,
    JSON_TYPE,
    MANIFEST,
    XLSX_TYPE,
    appendix_xlsx,
    manifest_json,
)
from forumkit.packs.content import PackContent, QuoteSection
from forumkit.packs.errors import PackError, PackLayoutFailed
from forumkit.packs.figures import Headline, Published
from forumkit.paths import resource_path
from forumkit.wording import plural

TEMPLATE = ("packs", "pack.typ")
PDF_STANDARD: Literal["ua-1"] = "ua-1"
NOTICE_HEADING = "Confidential: for the inspection team only"


def quote_count(count: int, threshold: int, what: str = "quote") -> str:
    """ "12 quotes", "fewer than 5 quotes", "1 quote" as a pack may print them."""
    if 0 < count < threshold:
        return f"fewer than {threshold} {what}s"
    return plural(count, what)


def _date(created: str) -> str:
    moment = dt.datetime.fromisoformat(created).astimezone()
    return f"{moment.day} {moment:%B %Y}"


def _period(content: PackContent) -> str:
    if not content.first_month:
        return ""
    if content.first_month == content.last_month:
        return f" in {content.first_month}"
    return f" between {content.first_month} and {content.last_month}"


def _about(content: PackContent) -> dict[str, Any]:
    t = content.threshold
    counted = quote_count(content.responses, t, "response")
    parts: list[dict[str, Any]] = [
        {
            "heading": "The survey and who answered",
            "paragraphs": [
                f"This evidence comes from “{content.survey_title}”, a survey {content.forum} "
                f"ran{_period(content)}. It counts {counted} from parents and carers who "
                "completed the survey and agreed that their anonymised answers may be shared "
                "with inspectors. Answers from anyone who did not agree are left out of every "
                "figure and every quote here.",
            ],
            "table": {
                "caption": "How the responses counted here were collected",
                "columns": ["How", "Responses"],
                "rows": [[how, shown] for how, shown in content.sources],
            },
        }
        if content.sources
        else {
            "heading": "The survey and who answered",
            "paragraphs": [
                f"This evidence comes from “{content.survey_title}”, a survey {content.forum} "
                "ran. No parent has yet completed it and agreed to share their answers with "
                "inspectors, so nothing from it is counted or quoted here."
            ],
        },
        {
            "heading": "Consent and anonymisation",
            "paragraphs": [
                "A parent's words are quoted only when they agreed both to be quoted anonymously "
                "and to have their answers shared with inspectors, and a member of the forum "
                "reviewed the quote. Parents may withdraw that consent at any time; a withdrawn "
                "quote leaves every later pack.",
                "Names of children, staff and schools, places, email addresses, phone numbers, "
                "postcodes, NHS numbers and dates of birth were taken out of every quote and "
                "replaced by a label in square brackets, such as [name] or [school]. forumkit "
                "checked every quote again when this pack was made.",
            ],
        },
        {
            "heading": "Small numbers",
            "paragraphs": [
                f"Any count from 1 to {t - 1} is shown as “fewer than {t}”, so that no family "
                "can be singled out in a small area. The same rule decides what is said about "
                "a family beside a quote: a detail, or a combination of details, shared by "
                f"fewer than {t} of the responses counted is left out. In a table of counts, "
                "where a small count could be worked out from the others and the totals, "
                "more counts are hidden as “*”.",
                "This protects against recognising a family from a small number or a rare "
                "combination of details. It does not protect against recognition from what a "
                "parent wrote about their own circumstances, which is why every quote was "
                "reviewed by a person before it was included; nor against comparing this pack "
                "with other published figures about the same families, or two tables of "
                "overlapping groups of responses with each other (all responses, and all but "
                "one event's): each table is protected on its own.",
            ],
        },
    ]
    if content.attributes:
        labels = "; ".join(f"“{attribute.label}”" for attribute in content.attributes)
        parts[1]["paragraphs"].append(
            "Beside each quote, where the rule above allows, are the family's answers to: "
            f"{labels}."
        )
    return {
        "heading": "About this evidence",
        "intro": [
            f"{content.forum} is the parent carer forum for {content.area or 'its local area'}. "
            "It gives this pack directly to the inspection team, so that parents' evidence "
            "reaches inspectors without passing through the local authority or health "
            "partners."
        ],
        "parts": parts,
    }


def _quotes_section(
    heading: str, intro: str, sections: Sequence[QuoteSection], threshold: int, numbered: bool
) -> dict[str, Any]:
    parts = []
    for number, section in enumerate(sections, start=1):
        # The quotes are on the page, so their number tells nothing new; how many parents
        # said them could (two quotes from one parent add up), so that is suppressed.
        quotes = plural(len(section.quotes), "quote")
        parents = quote_count(section.respondents, threshold, "parent")
        summary = f"{quotes} from {parents}." if section.quotes else "No quotes in this pack."
        parts.append(
            {
                "heading": f"{number}. {section.label}" if numbered else section.label,
                "paragraphs": [summary],
                "quotes": list(section.quotes),
            }
        )
    return {"heading": heading, "intro": [intro], "parts": parts}


def _cell(value: Published, kind: str) -> str:
    """A headline table's cell as printed: counts with thousands separators, percentages to one
    decimal place, a withheld percentage as a dash."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if kind == "count":
        return f"{value:,}"
    if kind == "points":
        return f"{value:+.1f}"
    return f"{value:.1f}"


_COLUMN_KINDS = {
    3: ("label", "count", "percent"),
    6: ("label", "count", "percent", "count", "percent", "points"),
}


def _table(headline: Headline) -> dict[str, Any]:
    kinds = _COLUMN_KINDS[len(headline.columns)]
    return {
        "caption": f"{headline.label}: the figures",
        "columns": list(headline.columns),
        "rows": [
            [_cell(value, kind) for value, kind in zip(row, kinds, strict=True)]
            for row in headline.rows
        ],
    }


def _bar_text(bar: ChartBar) -> str:
    if bar["percent"] is not None:
        return f"{bar['shown']} ({bar['percent']:.1f}%)"
    return bar["shown"]


def _drawn_chart(chart: ChartSpec | ComparisonChartSpec) -> dict[str, Any]:
    """What the template draws: each bar's length as a fraction of the longest, from the
    published figures only (a suppressed bar has none), with its printed value."""
    if chart["type"] == "paired_bar":
        paired = chart
        longest = max(
            (
                side["percent"]
                for bar in paired["bars"]
                for side in (bar["previous"], bar["current"])
                if side is not None and side["percent"] is not None
            ),
            default=0.0,
        )
        rows = []
        for compared in paired["bars"]:
            sides = []
            for side in (compared["previous"], compared["current"]):
                percent = None if side is None else side["percent"]
                sides.append(
                    {
                        "length": percent / longest if percent is not None and longest else None,
                        "text": "not asked"
                        if side is None
                        else f"{percent:.1f}%"
                        if percent is not None
                        else side["shown"],
                    }
                )
            rows.append({"label": compared["label"], "sides": sides})
        return {
            "paired": True,
            "legend": list(paired["editions"]),
            "axis": paired["y_label"],
            "rows": rows,
            "alt": paired["alt_text"],
        }
    single = chart
    counts = [bar["count"] for bar in single["bars"] if bar["count"] is not None]
    top = max(counts, default=0)
    return {
        "paired": False,
        "legend": [],
        "axis": single["y_label"],
        "rows": [
            {
                "label": bar["label"],
                "sides": [
                    {
                        "length": bar["count"] / top if bar["count"] is not None and top else None,
                        "text": _bar_text(bar),
                    }
                ],
            }
            for bar in single["bars"]
        ],
        "alt": single["alt_text"],
    }


def _figures_section(content: PackContent) -> dict[str, Any]:
    figures = content.figures
    t = figures.threshold
    intro = [
        "Each chart and table below counts the responses this pack counts: complete, and the "
        "parent agreed to share their answers with inspectors (responses counted: "
        f"{_shown(figures.responses, t)}). Counts from 1 to {t - 1} are shown as “<{t}”, and "
        "a count that would let a small one be worked out from the others and the totals is "
        "shown as “*”."
    ]
    if figures.previous_title:
        intro.append(
            f"Each question stands beside the same question in {figures.previous_title} "
            "(responses counted the same way: "
            f"{_shown(figures.previous_responses, t)}). The change is in percentage points, "
            "worked out from the published percentages only."
        )
        intro.extend(figures.not_compared)
    parts = [
        {
            "heading": headline.label,
            "paragraphs": [],
            "chart": _drawn_chart(headline.chart),
            "notes": list(headline.notes),
            "table": _table(headline),
        }
        for headline in figures.headlines
    ]
    return {"heading": "Headline figures", "intro": intro, "parts": parts}


def _shown(figure: Published, threshold: int) -> str:
    if isinstance(figure, int):
        return f"{figure:,}"
    if isinstance(figure, str) and figure.startswith("<"):
        return f"fewer than {threshold}"
    return "not disclosed"


def _statement(content: PackContent) -> dict[str, Any]:
    return {
        "heading": f"A statement from {content.forum}",
        "intro": list(content.statement),
        "parts": [],
    }


def _attachments_section(appendix_sha256: str) -> dict[str, Any]:
    return {
        "heading": "Files attached to this pack",
        "intro": [
            "Two files travel inside this PDF. Adobe Acrobat Reader lists them under "
            "Attachments (the paper clip). Some viewers, such as those built into web "
            "browsers, do not show attachments: open the pack in Adobe Acrobat Reader to save "
            "them."
        ],
        "parts": [
            {
                "heading": APPENDIX,
                "paragraphs": [
                    "A workbook for Excel or LibreOffice with every quote in this pack, its key "
                    "messages, the question it answers and what may be said about the family, "
                    "to sort and filter; and the number of quotes under each key message. Its "
                    f"SHA-256 checksum is {appendix_sha256}.",
                ],
            },
            {
                "heading": MANIFEST,
                "paragraphs": [
                    "What this pack is: its id, the forum, when it was made, the survey and its "
                    "versions, the counts, the appendix's checksum and the version of forumkit "
                    "that made it."
                ],
            },
        ],
    }


def pack_data(content: PackContent, appendix_sha256: str) -> dict[str, Any]:
    """The one JSON document the template shows (every value is text or numbers)."""
    t = content.threshold
    quotes = []
    for quote in content.quotes:
        about = [value for value in quote.attributes if value]
        note = " · ".join([f"Answer to: {quote.question}", *about])
        quotes.append(
            {
                "ref": quote.reference,
                "paragraphs": [p for p in quote.text.replace("\r", "\n").split("\n") if p.strip()]
                or [quote.text],
                "note": note,
            }
        )
    sections = [_about(content)]
    if content.figures.headlines:
        sections.append(_figures_section(content))
    sections += [
        _quotes_section(
            "What parents told us, by key message",
            "The quotes below are grouped by the seven key messages of the National Network of "
            "Parent Carer Forums, so that this evidence lines up with the national picture. A "
            "quote that speaks to two key messages appears under both, with the same number.",
            content.key_messages,
            t,
            numbered=True,
        ),
    ]
    if content.areas is not None:
        sections.append(
            _quotes_section(
                "What parents told us, by inspection area",
                "The same quotes, along the five areas inspectors evaluate, through the forum's "
                "mapping of key messages onto them.",
                content.areas,
                t,
                numbered=False,
            )
        )
    if content.statement:
        sections.append(_statement(content))
    sections.append(_attachments_section(appendix_sha256))
    short_id = content.pack_id.split("-")[0]
    return {
        "lang": "en",
        "region": "GB",
        "keywords": ["SEND", "local area inspection", "parent carer forum", "evidence"],
        "title": content.title,
        "forum": content.forum,
        "area": content.area,
        "date": _date(content.created),
        "contact-heading": "Contact",
        "contact": content.contact.split("\n") if content.contact else [],
        "notice-heading": NOTICE_HEADING,
        "notice": [
            f"{content.forum} gives this pack to the Ofsted and CQC inspection team for the "
            "local area SEND inspection, and to nobody else. Please do not share it, or "
            "anything in it, with the local authority, health partners or anyone outside the "
            "inspection team.",
            "Parents' words are anonymised and quoted with their consent. Please delete the "
            "pack when the inspection is over; the forum may ask you to delete it sooner if "
            "a parent withdraws their consent.",
        ],
        "made-with": f"Pack {content.pack_id} · made with forumkit {__version__}",
        "running": NOTICE_HEADING,
        "pack-label": f"Pack {short_id}",
        "sections": sections,
        "quotes": quotes,
    }


def lay_out(data: dict[str, Any], created: str) -> bytes:
    """The pages: the template compiled by Typst as a tagged PDF/UA-1 (module docstring)."""
    pdf = _compile(data, created, pdf_standards=[PDF_STANDARD])
    if not isinstance(pdf, bytes):  # Typst gives one PDF; a list would be pages of images
        raise PackLayoutFailed("forumkit's pack template gave pages, not a PDF.")
    return pdf


def _compile(data: dict[str, Any], created: str, **options: Any) -> bytes | list[bytes]:
    """The template compiled by Typst with ``data``, in memory (``options``: the output)."""
    import typst  # loaded only when a pack is made: it is large, and the CLI starts fast

    template = resource_path(*TEMPLATE).read_bytes()
    try:
        compiled: bytes | list[bytes] = typst.compile(
            template,
            sys_inputs={"pack": json.dumps(data, ensure_ascii=False)},
            ignore_system_fonts=True,
            timestamp=dt.datetime.fromisoformat(created),
            **options,
        )
    except typst.TypstError as exc:
        # Typst's diagnostics name template lines, never the data; kept as the cause.
        raise PackLayoutFailed(
            "forumkit could not lay the evidence pack out (a fault in forumkit's pack "
            "template, not in the forum's data); nothing was written."
        ) from exc
    return compiled


def seal(pdf: bytes, attachments: Sequence[tuple[str, bytes, str, str]], password: str) -> bytes:
    """Attach ``(name, data, mime type, description)`` files and encrypt with AES-256 (R6)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import UserAccessPermissions as Allowed
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for name, data, mime, description in attachments:
        attached = writer.add_attachment(name, data)
        # PDF/UA asks for a Unicode file name (UF) and a description on every attachment.
        attached.pdf_object[NameObject("/UF")] = TextStringObject(name)
        attached.pdf_object[NameObject("/Desc")] = TextStringObject(description)
        attached.subtype = NameObject("/" + mime.replace("/", "#2F"))
    allowed = (
        Allowed.PRINT
        | Allowed.EXTRACT
        | Allowed.EXTRACT_TEXT_AND_GRAPHICS
        | Allowed.PRINT_TO_REPRESENTATION
    )
    # The owner password is thrown away: nobody can lift the restrictions on changing the pack,
    # while reading, printing, copying and screen readers stay allowed with the password.
    writer.encrypt(
        user_password=password,
        owner_password=secrets.token_urlsafe(32),
        permissions_flag=allowed,
        algorithm="AES-256",
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_pack(content: PackContent, password: str) -> bytes:
    """The whole pack, laid out, with its attachments, encrypted: the bytes to write."""
    appendix = appendix_xlsx(content)
    digest = hashlib.sha256(appendix).hexdigest()
    manifest = manifest_json(content, digest, len(appendix))
    pages = lay_out(pack_data(content, digest), content.created)
    return seal(
        pages,
        [
            (APPENDIX, appendix, XLSX_TYPE, "The pack's quotes and counts, as a workbook"),
            (MANIFEST, manifest, JSON_TYPE, "What this pack is: id, forum, survey, counts"),
        ],
        password,
    )


PREVIEW_PPI = 60
"""Pixels per inch of preview pages: an A4 page about 500 pixels wide, readable on a laptop."""


def preview_pages(content: PackContent, ppi: int = PREVIEW_PPI) -> list[bytes]:
    """The pack's pages as PNG images, one a page, from the same document as
    :func:`render_pack` (same data, same template, same appendix checksum), so the chair sees
    exactly what inspectors will. Rendered in memory: nothing is written anywhere, and nothing
    needs a password, since it never leaves the process."""
    if not 10 <= ppi <= 600:
        raise PackError(f"A preview is drawn at 10 to 600 pixels per inch, not {ppi}.")
    digest = hashlib.sha256(appendix_xlsx(content)).hexdigest()
    pages = _compile(pack_data(content, digest), content.created, format="png", ppi=ppi)
    return [pages] if isinstance(pages, bytes) else list(pages)
