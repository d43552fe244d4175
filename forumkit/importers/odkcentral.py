"""ODK Central: ``SubmissionDate`` and ``meta-instanceID`` first, then the form's questions.

Central writes a group's questions as ``group-question`` (a dash between the group and the
question) and a multi-select's tick columns as ``question/option`` (1/0); a multi-select's own
column holds the option names separated by spaces. It ends every row with its own columns:
``KEY`` (the submission's instance id), ``SubmitterID`` and ``SubmitterName`` (the app user or
web user who sent it: a volunteer, not the respondent), ``AttachmentsPresent``,
``AttachmentsExpected``, ``Status``, ``ReviewState``, ``DeviceID``, ``Edits`` and
``FormVersion``. ``SubmissionDate`` is when Central received the submission.
"""

from __future__ import annotations

from forumkit.importers.formats import HeaderRows, Heading, SourceFormat, first_row_keys
from forumkit.importers.values import cell_text
from forumkit.surveys.model import Survey


def _detect(rows: HeaderRows, survey: Survey) -> bool:
    keys = set(first_row_keys(rows))
    return "submissiondate" in keys and bool(keys & {"key", "metainstanceid", "instanceid"})


def _headings(rows: HeaderRows) -> list[Heading]:
    # Matched as group paths (``g1/q2/m``); shown as Central wrote them.
    return [
        Heading(text, (text.replace("-", "/"),)) for text in (cell_text(cell) for cell in rows[0])
    ]


FORMAT = SourceFormat(
    name="odkcentral",
    title="ODK Central",
    header_rows=1,
    separators=(" ",),
    detect=_detect,
    headings=_headings,
    roles={
        "submissiondate": "submitted",
        "metainstanceid": "id",
        "instanceid": "id",
        "key": "ignore",
        "submitterid": "ignore",
        "submittername": "ignore",
        "attachmentspresent": "ignore",
        "attachmentsexpected": "ignore",
        "status": "ignore",
        "reviewstate": "ignore",
        "deviceid": "ignore",
        "edits": "ignore",
        "formversion": "ignore",
    },
    weak_roles={"start": "started", "end": "finished"},
)
