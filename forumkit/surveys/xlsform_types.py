"""XLSForm question types and every spelling of them pyxform accepts.

pyxform, the reference converter behind ODK and KoboToolbox, accepts many spellings of one type:
older ones from its first years (``q int``, ``add text prompt``, ``get start time``), short
ones (``gps``, ``int``, ``photo``) and ones named after what they record (``imei``, ``device
id``). Forms made years ago use them, so forumkit reads each as pyxform does. The table below is
pyxform's own question type dictionary (``pyxform/question_type_dictionary.py``) and type alias
map (``pyxform/aliases.py``, ``_type_alias_map``), grouped by the type each spelling means; a
test checks it against the installed pyxform, so a type pyxform adds is noticed.

Each spelling maps to forumkit's name for the type: one forumkit captures (``text``,
``integer``, ``datetime``…) or one it skips with a warning (``geopoint``, ``image``, ``deviceid``…,
see ``SKIPPED_TYPES``).
"""

from __future__ import annotations

_SPELLINGS: dict[str, tuple[str, ...]] = {
    "text": ("text", "string", "q string", "add text prompt", "phone number"),
    "integer": (
        "integer",
        "int",
        "q int",
        "add integer prompt",
        "percentage",
        "number of days in last month",
        "number of days in last six months",
        "number of days in last year",
    ),
    "decimal": ("decimal", "q decimal", "add decimal prompt"),
    "date": ("date", "q date", "add date prompt"),
    "time": ("time",),
    "datetime": (
        "datetime",
        "date time",
        "q date time",
        "q datetime",
        "add date time prompt",
        "add datetime prompt",
    ),
    "acknowledge": ("acknowledge", "trigger", "q acknowledge", "add acknowledge prompt"),
    "note": ("note", "q note", "add note prompt"),
    "calculate": ("calculate", "q calculate", "add calculate prompt"),
    "range": ("range",),
    "start": ("start", "start time", "get start time"),
    "end": ("end", "end time", "get end time"),
    "today": ("today", "get today"),
    "geopoint": (
        "geopoint",
        "gps",
        "location",
        "q geopoint",
        "q location",
        "add location prompt",
    ),
    "geotrace": ("geotrace", "q geotrace"),
    "geoshape": ("geoshape", "q geoshape"),
    "start-geopoint": ("start-geopoint",),
    "background-geopoint": ("background-geopoint",),
    "image": ("image", "photo", "q image", "q picture", "add image prompt", "add photo prompt"),
    "audio": ("audio", "q audio", "add audio prompt"),
    "background-audio": ("background-audio",),
    "video": ("video", "q video", "add video prompt"),
    "file": ("file", "add file prompt"),
    "barcode": ("barcode", "q barcode", "add barcode prompt"),
    "audit": ("audit",),
    "xml-external": ("xml-external",),
    "csv-external": ("csv-external",),
    "hidden": ("hidden",),
    "deviceid": ("deviceid", "imei", "device id", "get device id"),
    "subscriberid": ("subscriberid", "subscriber id", "get subscriber id"),
    "simserial": ("simserial", "sim id", "get sim id"),
    "phonenumber": ("phonenumber", "get phone number"),
    "username": ("username",),
    "email": ("email",),
    "uri:deviceid": ("uri:deviceid",),
    "uri:subscriberid": ("uri:subscriberid",),
    "uri:simserial": ("uri:simserial",),
    "uri:phonenumber": ("uri:phonenumber",),
    "uri:username": ("uri:username",),
    "uri:email": ("uri:email",),
    "osm": ("osm",),
    "select_one_external": ("select one external",),
}

TYPES: dict[str, str] = {
    spelling: canonical for canonical, spellings in _SPELLINGS.items() for spelling in spellings
}
"""Every spelling (lower case, single spaces) → the type it means, as forumkit names it."""

SELECT_SPELLINGS: dict[str, str] = {
    "select_one": "select_one",
    "select one": "select_one",
    "select1": "select_one",
    "select one from": "select_one",
    "select one using": "select_one",
    "q select1": "select_one",
    "add select one prompt using": "select_one",
    "select_multiple": "select_multiple",
    "select all that apply": "select_multiple",
    "select all that apply from": "select_multiple",
    "select multiple from": "select_multiple",
    "select multiple using": "select_multiple",
    "q select": "select_multiple",
    "add select multiple prompt using": "select_multiple",
    "rank": "rank",
}
"""Spellings of the select types, written before the choice list's name: pyxform's select
aliases (``aliases.select``) and the select entries of its question type dictionary."""

_LOCATION = "a location needs a phone's GPS"
_DEVICE = "device metadata comes from a phone"
_SERVER = "server metadata comes from a server"

SKIPPED_TYPES: dict[str, str] = {
    "geopoint": _LOCATION,
    "geotrace": _LOCATION,
    "geoshape": _LOCATION,
    "start-geopoint": _LOCATION,
    "background-geopoint": _LOCATION,
    "image": "photos are taken on a phone",
    "audio": "recordings are made on a phone",
    "background-audio": "recordings are made on a phone",
    "video": "videos are made on a phone",
    "file": "attached files are not kept in a forum file",
    "barcode": "barcodes are scanned on a phone",
    "audit": "audit logs come from ODK Collect",
    "xml-external": "external data files are not supported",
    "csv-external": "external data files are not supported",
    "hidden": "hidden fields are not supported",
    "deviceid": _DEVICE,
    "subscriberid": _DEVICE,
    "simserial": _DEVICE,
    "phonenumber": _DEVICE,
    "username": _SERVER,
    "email": _SERVER,
    "uri:deviceid": _DEVICE,
    "uri:subscriberid": _DEVICE,
    "uri:simserial": _DEVICE,
    "uri:phonenumber": _DEVICE,
    "uri:username": _SERVER,
    "uri:email": _SERVER,
    "osm": "OpenStreetMap questions need a phone",
    "select_one_external": "external choices need a server",
}
"""Types forumkit does not capture on a laptop, and why (the warning says it)."""

SKIPPED_PREFIXES: dict[str, str] = {
    "select_one_from_file": "choices from a separate file are not supported",
    "select_multiple_from_file": "choices from a separate file are not supported",
    "select one from file": "choices from a separate file are not supported",
    "select multiple from file": "choices from a separate file are not supported",
    "select_one_external": "external choices need a server",
    "select one external": "external choices need a server",
    "osm": "OpenStreetMap questions need a phone",
}
"""Types followed by a list or file name (``select_one_from_file places.csv``), skipped."""

GROUP_WORDS = {"group": "group", "repeat": "repeat", "looped group": "repeat", "lgroup": "repeat"}
"""What ``begin``/``end`` may open or close, as pyxform's control aliases say (``loop`` too)."""
