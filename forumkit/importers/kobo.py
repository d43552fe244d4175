"""KoboToolbox and other ODK servers: question names (``group/question`` paths) as headers.

Multi-select answers are choice names separated by spaces, and the export may add one 0/1
column per option headed ``group/question/option``. The server adds its own columns
(``_id``, ``_uuid``, ``_submission_time``…); ``username`` becomes the respondent reference.
``start`` and ``end`` are the form's own metadata questions and give the started/finished times.
Ona and the legacy KoboCAT exporter write ``n/a`` in questions that were not asked (read as
empty) and ``True``/``False`` ticks. On request KoboToolbox adds a second header row of HXL
hashtags (``#loc+name``), never read as a response; its csv is ``;``-separated and quoted.
"""

from __future__ import annotations

from forumkit.importers.formats import HeaderRows, SourceFormat
from forumkit.importers.values import cell_text, normalise
from forumkit.surveys.model import Survey

_SERVER_COLUMNS = frozenset(
    {"_id", "_uuid", "_submission_time", "meta/instanceid", "_index", "__version__", "_status"}
)


def hashtag_row(rows: HeaderRows) -> bool:
    """Whether the second row is a row of HXL hashtags (``#indicator+diet``, blanks)."""
    if len(rows) < 2:
        return False
    cells = [cell_text(cell) for cell in rows[1]]
    return any(cells) and all(not text or text.startswith("#") for text in cells)


def _detect(rows: HeaderRows, survey: Survey) -> bool:
    headers = [cell_text(cell).lower() for cell in rows[0]] if rows else []
    if _SERVER_COLUMNS & set(headers) or hashtag_row(rows):
        return True
    names = {question.name.lower() for question in survey.questions}
    if any("/" in header and header.rsplit("/", 1)[-1] in names for header in headers):
        return True
    # A multi-select's tick columns, ``question/option`` by names or by labels.
    options: set[tuple[str, str]] = set()
    for question in survey.questions:
        if question.type == "select_multiple" and question.list_name in survey.choice_lists:
            keys = {normalise(question.name), *map(normalise, question.labels.values())}
            for choice in survey.choices_for(question).choices:
                for text in (choice.name, *choice.labels.values()):
                    options.update((key, normalise(text)) for key in keys)
    return any(
        (normalise(parts[-2]), normalise(parts[-1])) in options
        for parts in (header.split("/") for header in headers if "/" in header)
    )


def _header_count(rows: HeaderRows) -> int:
    return 2 if hashtag_row(rows) else 1


FORMAT = SourceFormat(
    name="kobo",
    title="KoboToolbox / ODK",
    header_rows=1,
    separators=(" ",),
    detect=_detect,
    not_applicable=frozenset({"n/a"}),
    header_count=_header_count,
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
        "duration": "ignore",
        "totalmedia": "ignore",
        "mediacount": "ignore",
        "mediaallreceived": "ignore",
        "xformid": "ignore",
        "submittedby2": "ignore",
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
