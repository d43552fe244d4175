"""SurveyMonkey: two header rows, question text over the first column of each question.

Row 2 says ``Response`` (or ``Open-Ended Response``) for single-column questions; for a
multi-select, and for a single choice exported one column per option, it names each option,
and a ticked cell holds the option's text. Dates and times may arrive as Excel serial numbers.
``Respondent ID`` identifies a response. Older or edited exports lack Collector ID and the
dates, some lack Respondent ID, and some were cut down to the first header row: SurveyMonkey is
recognised by its second header row (``Response``, ``Open-Ended Response`` under the questions,
nothing under Respondent ID) or by ``Respondent ID`` with its own columns, and that second row
is never read as a response.
"""

from __future__ import annotations

from forumkit.importers.formats import HeaderRows, Heading, SourceFormat, first_row_keys
from forumkit.importers.values import cell_text, normalise
from forumkit.surveys.model import Survey

_WHOLE = frozenset({"", "response", "openendedresponse"})
_OWN = frozenset({"respondentid", "collectorid", "startdate", "enddate", "ipaddress"})


def _second_header(rows: HeaderRows) -> bool:
    """Whether the second row is SurveyMonkey's row of ``Response`` and option names."""
    if len(rows) < 2:
        return False
    top = first_row_keys(rows)
    below = [normalise(cell_text(cell)) for cell in rows[1]]
    if not any(key in ("response", "openendedresponse") for key in below):
        return False
    # Nothing under the tool's own columns (Respondent ID, the dates): a response has values.
    return all(not below[i] for i, key in enumerate(top) if key in _OWN and i < len(below))


def _detect(rows: HeaderRows, survey: Survey) -> bool:
    keys = set(first_row_keys(rows))
    if "respondentid" in keys and bool(keys & {"collectorid", "startdate", "enddate"}):
        return True
    return _second_header(rows) or (
        "respondentid" in keys and first_row_keys(rows)[0] == "respondentid"
    )


def _header_count(rows: HeaderRows) -> int:
    return 2 if _second_header(rows) else 1


def _headings(rows: HeaderRows) -> list[Heading]:
    two = _header_count(rows) == 2
    width = max(len(row) for row in rows[: 2 if two else 1])
    top = [cell_text(cell) for cell in rows[0]] + [""] * width
    below = ([cell_text(cell) for cell in rows[1]] if two else []) + [""] * width
    headings: list[Heading] = []
    question = ""
    for index in range(width):
        if top[index]:
            question = top[index]
        option = below[index]
        if normalise(option) in _WHOLE:
            headings.append(Heading(question, (question,)))
        else:
            headings.append(Heading(f"{question} – {option}", (question, option)))
    return headings


FORMAT = SourceFormat(
    name="surveymonkey",
    title="SurveyMonkey",
    header_rows=2,
    separators=(", ",),
    detect=_detect,
    roles={
        "respondentid": "id",
        "collectorid": "ignore",
        "startdate": "started",
        "enddate": "finished",
        "ipaddress": "ignore",
        "emailaddress": "email",
        "firstname": "first_name",
        "lastname": "last_name",
        "customdata1": "ignore",
    },
    option_text=True,
    headings=_headings,
    header_count=_header_count,
)
