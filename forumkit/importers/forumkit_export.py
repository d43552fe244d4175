"""forumkit's own export: labels in the first header row, names in the second.

The layout is described in ``forumkit.responses.export``. Re-importing an export must give back
the same data, so the names row is what is matched (the labels row is for people); a name row
starting with ``forumkit:id`` marks the format. A multi-select appears both as choice labels
joined with "; " and as one exact 0/1 column per choice (``question/choice``); the 0/1 columns
win. ``forumkit:status`` keeps drafts as drafts. In csv, texts the export protected against
formula injection with a leading apostrophe get it removed again (xlsx needs no such defence).
"""

from __future__ import annotations

from forumkit.importers.formats import HeaderRows, Heading, SourceFormat
from forumkit.importers.values import cell_text, normalise
from forumkit.surveys.model import Survey

ID_COLUMN = "forumkit:id"
META_COLUMNS = {
    ID_COLUMN: "id",
    "forumkit:status": "status",
    "forumkit:respondent": "respondent",
    "forumkit:started": "started",
    "forumkit:finished": "finished",
    "forumkit:source": "ignore",
}


def _detect(rows: HeaderRows, survey: Survey) -> bool:
    return len(rows) >= 2 and bool(rows[1]) and cell_text(rows[1][0]) == ID_COLUMN


def _headings(rows: HeaderRows) -> list[Heading]:
    width = max(len(row) for row in rows[:2])
    labels = [cell_text(cell) for cell in rows[0]] + [""] * width
    names = [cell_text(cell) for cell in rows[1]] + [""] * width
    headings: list[Heading] = []
    for index in range(width):
        name = names[index] or labels[index]
        question, slash, choice = name.partition("/")
        parts = (question, choice) if slash and ":" not in name else (name,)
        headings.append(Heading(name, parts))
    return headings


FORMAT = SourceFormat(
    name="forumkit",
    title="forumkit export",
    header_rows=2,
    separators=(";",),
    detect=_detect,
    roles={normalise(name): role for name, role in META_COLUMNS.items()},
    headings=_headings,
    unescape=True,
    prefer_option_columns=True,
)
