"""Microsoft Forms: ``ID, Start time, Completion time, Email, Name`` and then the questions.

Multi-select answers are the option labels each followed by ";" (so there is a trailing ";").
``Email`` and ``Name`` hold ``anonymous`` when the form does not record who answered, which
means no respondent reference. ``ID`` counts 1, 2, 3… in every form, so a response is known by
its id together with its start and completion times. ``Last modified time`` (when a
respondent edited their answers) says which of two exports holds the later version of a
response.
"""

from __future__ import annotations

from forumkit.importers.formats import HeaderRows, SourceFormat, first_row_keys
from forumkit.surveys.model import Survey


def _detect(rows: HeaderRows, survey: Survey) -> bool:
    keys = set(first_row_keys(rows))
    return {"id", "starttime", "completiontime"} <= keys


FORMAT = SourceFormat(
    name="msforms",
    title="Microsoft Forms",
    header_rows=1,
    separators=(";",),
    detect=_detect,
    roles={
        "id": "id",
        "starttime": "started",
        "completiontime": "finished",
        "email": "email",
        "name": "name",
        "lastmodifiedtime": "edited",
        "totalpoints": "ignore",
        "quizfeedback": "ignore",
        "gradeposttime": "ignore",
    },
    placeholders=frozenset({"anonymous"}),
)
