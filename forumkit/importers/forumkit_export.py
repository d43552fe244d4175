"""forumkit's own export: labels in the first header row, question names in the second.

Re-importing an export must give back the same data, so the names row is what is matched (the
labels row is for people). A multi-select appears both as one column of choice names and as one
0/1 column per option; the whole-answer column wins and the option columns are skipped. Text
cells that the export protected against formula injection with a leading apostrophe get it
removed again.
"""

from __future__ import annotations

from forumkit.importers.formats import HeaderRows, Heading, SourceFormat
from forumkit.importers.values import cell_text
from forumkit.surveys.model import Survey

META_COLUMNS = {
    "response_id": "id",
    "respondent": "respondent",
    "started": "started",
    "finished": "finished",
    "status": "ignore",
    "source": "ignore",
    "captured_by": "ignore",
    "device_id": "ignore",
    "modified": "ignore",
    "consent_quote": "ignore",
    "consent_share": "ignore",
}


def _detect(rows: HeaderRows, survey: Survey) -> bool:
    if len(rows) < 2:
        return False
    names = {cell_text(cell) for cell in rows[1]}
    answerable = {question.name for question in survey.questions if question.takes_answer}
    return bool(answerable) and len(names & answerable) * 2 >= len(answerable)


def _headings(rows: HeaderRows) -> list[Heading]:
    width = max(len(row) for row in rows[:2])
    labels = [cell_text(cell) for cell in rows[0]] + [""] * width
    names = [cell_text(cell) for cell in rows[1]] + [""] * width
    return [
        Heading(names[index] or labels[index], (names[index] or labels[index],))
        for index in range(width)
    ]


FORMAT = SourceFormat(
    name="forumkit",
    title="forumkit export",
    header_rows=2,
    separators=(" ",),
    detect=_detect,
    roles={key.replace("_", ""): role for key, role in META_COLUMNS.items()},
    headings=_headings,
    unescape=True,
)
