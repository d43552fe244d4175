"""SurveyMonkey: two header rows, question text over the first column of each question.

Row 2 says ``Response`` (or ``Open-Ended Response``) for single-column questions; for a
multi-select it names each option, one column per option, and a ticked cell holds the option's
text. Dates and times may arrive as Excel serial numbers. ``Respondent ID`` with the start and
end dates identifies a response.
"""

from __future__ import annotations

from forumkit.importers.formats import HeaderRows, Heading, SourceFormat, first_row_keys
from forumkit.importers.values import cell_text, normalise
from forumkit.surveys.model import Survey

_WHOLE = frozenset({"", "response", "openendedresponse"})


def _detect(rows: HeaderRows, survey: Survey) -> bool:
    keys = set(first_row_keys(rows))
    return "respondentid" in keys and bool(keys & {"collectorid", "startdate", "enddate"})


def _headings(rows: HeaderRows) -> list[Heading]:
    width = max(len(row) for row in rows[:2])
    top = [cell_text(cell) for cell in rows[0]] + [""] * width
    below = ([cell_text(cell) for cell in rows[1]] if len(rows) > 1 else []) + [""] * width
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
)
