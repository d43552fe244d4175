"""KoboToolbox and other ODK servers: question names (``group/question`` paths) as headers.

Multi-select answers are choice names separated by spaces, and the export may add one 0/1
column per option headed ``group/question/option``. The server adds its own columns
(``_id``, ``_uuid``, ``_submission_time``…); ``username`` becomes the respondent reference.
``start`` and ``end`` are the form's own metadata questions and give the started/finished times.
"""

from __future__ import annotations

from forumkit.importers.formats import HeaderRows, SourceFormat
from forumkit.importers.values import cell_text
from forumkit.surveys.model import Survey

_SERVER_COLUMNS = frozenset(
    {"_id", "_uuid", "_submission_time", "meta/instanceid", "_index", "__version__", "_status"}
)


def _detect(rows: HeaderRows, survey: Survey) -> bool:
    headers = [cell_text(cell).lower() for cell in rows[0]] if rows else []
    if _SERVER_COLUMNS & set(headers):
        return True
    names = {question.name.lower() for question in survey.questions}
    return any("/" in header and header.rsplit("/", 1)[-1] in names for header in headers)


FORMAT = SourceFormat(
    name="kobo",
    title="KoboToolbox / ODK",
    header_rows=1,
    separators=(" ",),
    detect=_detect,
    roles={
        "id": "id",
        "uuid": "id",
        "metainstanceid": "id",
        "submissiontime": "submitted",
        "submittedby": "username",
        "index": "ignore",
        "parentindex": "ignore",
        "parenttablename": "ignore",
        "validationstatus": "ignore",
        "notes": "ignore",
        "status": "ignore",
        "tags": "ignore",
        "version": "ignore",
        "xformidstring": "ignore",
        "attachments": "ignore",
        "geolocation": "ignore",
        "metarootuuid": "ignore",
        "metadeprecatedid": "ignore",
    },
    weak_roles={
        "start": "started",
        "end": "finished",
        "username": "username",
        "deviceid": "ignore",
        "today": "ignore",
        "simserial": "ignore",
        "subscriberid": "ignore",
        "phonenumber": "ignore",
        "audit": "ignore",
    },
)
