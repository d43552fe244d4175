"""The files attached inside a pack's PDF: the appendix workbook and ``manifest.json``.

``appendix.xlsx`` holds every quote in the pack once, with its key messages (and inspection
areas), the question it answers and what the pack may say about the family, so an inspector can
sort and filter them; built in memory and formula-safe (``forumkit.spreadsheets``). Every count
in it is suppressed as on the pages.

``manifest.json`` says what the pack is: its id (the one an erasure names to the chair), the
forum, when it was made, the survey and its versions, the counts, the SHA-256 of the appendix
and the forumkit that made it. It names no response and holds no parent's words.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from forumkit import __version__
from forumkit.packs.content import PackContent, shown_count
from forumkit.spreadsheets import Cell, Sheet, xlsx_bytes

APPENDIX = "appendix.xlsx"
MANIFEST = "manifest.json"
MANIFEST_FORMAT = "forumkit-evidence-pack"
MANIFEST_VERSION = 1
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_TYPE = "application/json"


def appendix_xlsx(content: PackContent) -> bytes:
    """The appendix workbook (module docstring), built in memory."""
    key_of = _key_of(content)
    area_of = _area_of(content)
    header: list[Cell] = ["quote", "key messages"]
    if content.areas is not None:
        header.append("inspection areas")
    header += ["question", "what the parent wrote (redacted)"]
    header += [attribute.label for attribute in content.attributes]
    rows: list[Sequence[Cell]] = [header]
    for quote in content.quotes:
        row: list[Cell] = [
            quote.reference,
            "; ".join(key_of[message] for message in quote.key_messages),
        ]
        if content.areas is not None:
            row.append("; ".join(area_of[area] for area in quote.areas if area in area_of))
        row += [quote.question, quote.text]
        row += [value or "(not shown)" for value in quote.attributes]
        rows.append(row)
    counts: list[Sequence[Cell]] = [("key message", "quotes", "parents quoted")]
    for section in content.key_messages:
        counts.append(
            (
                section.label,
                shown_count(len(section.quotes), content.threshold),
                shown_count(section.respondents, content.threshold),
            )
        )
    sheets = [Sheet("About", _about(content), bold_rows=1, freeze=(1, 0))]
    if content.figures.headlines:
        sheets.append(Sheet("Figures", figures_rows(content), bold_rows=1, freeze=(1, 2)))
    sheets += [
        Sheet("Quotes", rows, bold_rows=1, freeze=(1, 1)),
        Sheet("Quotes by key message", counts, bold_rows=1, freeze=(1, 1)),
    ]
    return xlsx_bytes(sheets)


def figures_rows(content: PackContent) -> list[Sequence[Cell]]:
    """The headline figures' tables, one row a cell of a question, as published: counts as
    numbers, “<t” or “*”; a withheld percentage left empty; the notes beside each question."""
    headlines = content.figures.headlines
    widest = max(headlines, key=lambda headline: len(headline.columns))
    header: list[Cell] = ["question", *(column.lower() for column in widest.columns), "notes"]
    rows: list[Sequence[Cell]] = [header]
    for headline in headlines:
        padding: list[Cell] = [None] * (len(widest.columns) - len(headline.columns))
        for index, row in enumerate(headline.rows):
            label, *figures = row
            # One edition beside a comparison: its figures go under this year's columns.
            cells: list[Cell] = [headline.label, label]
            if padding:
                cells += [None, None, *figures, None]
            else:
                cells += figures
            cells.append(" ".join(headline.notes) if index == 0 else None)
            rows.append(cells)
    return rows


def _key_of(content: PackContent) -> dict[str, str]:
    return {section.code_id: section.label for section in content.key_messages}


def _area_of(content: PackContent) -> dict[str, str]:
    return {section.code_id: section.label for section in content.areas or ()}


def _about(content: PackContent) -> list[Sequence[Cell]]:
    t = content.threshold
    rows: list[Sequence[Cell]] = [
        ("what", "value"),
        ("pack", content.pack_id),
        ("forum", content.forum),
        ("local area", content.area),
        ("survey", content.survey_title),
        ("made (UTC)", content.created),
        ("responses counted", shown_count(content.responses, t)),
        (
            "figures",
            "The Figures sheet holds the pack's headline figures, counted over the responses "
            "counted here and published as on the pages.",
        ),
        (
            "small numbers",
            f"Counts from 1 to {t - 1} are shown as “fewer than {t}”. A family's answers beside "
            f"a quote are shown only where at least {t} of the responses counted share them; "
            "“(not shown)” marks those left out or not answered.",
        ),
    ]
    return rows


def manifest_json(content: PackContent, appendix_sha256: str, appendix_bytes: int) -> bytes:
    """``manifest.json`` (module docstring), as UTF-8 bytes."""
    t = content.threshold
    manifest = {
        "format": MANIFEST_FORMAT,
        "format_version": MANIFEST_VERSION,
        "pack_id": content.pack_id,
        "created": content.created,
        "title": content.title,
        "forum": {"name": content.forum, "area": content.area, "forum_id": content.forum_id},
        "surveys": [
            {
                "id": content.survey_id,
                "form_id": content.form_id,
                "title": content.survey_title,
                "versions": [
                    {"version": version, "version_id": version_id}
                    for version, version_id in content.versions
                ],
            }
        ],
        "counts": {
            "responses": shown_count(content.responses, t),
            "quotes": len(content.quotes),
            "key_messages": len(content.key_messages),
            "figures": len(content.figures.headlines),
        },
        "figures": [headline.name for headline in content.figures.headlines],
        "compared_with": (
            {
                "id": content.figures.previous_survey_id,
                "form_id": content.figures.previous_form_id,
                "title": content.figures.previous_title,
            }
            if content.figures.previous_survey_id
            else None
        ),
        "suppression_threshold": t,
        "attachments": {
            APPENDIX: {"sha256": appendix_sha256, "bytes": appendix_bytes, "type": XLSX_TYPE}
        },
        "forumkit_version": __version__,
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
