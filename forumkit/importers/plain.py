"""A plain csv or xlsx typed up by hand: question names or labels as headers, one row each.

Several choices in one cell may be separated by ";", "," or spaces (names); known choice
labels are matched first. Columns with no matching question can be mapped with a mapping file,
including to the respondent reference (``@respondent``) and times (``@started``, ``@finished``).
"""

from __future__ import annotations

from forumkit.importers.formats import HeaderRows, SourceFormat
from forumkit.surveys.model import Survey


def _detect(rows: HeaderRows, survey: Survey) -> bool:
    return True


FORMAT = SourceFormat(
    name="csv",
    title="plain spreadsheet",
    header_rows=1,
    separators=(";", ",", "|", " "),
    detect=_detect,
)
