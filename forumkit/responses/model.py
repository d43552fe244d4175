"""A parent's response as data, and the compact form its answers take in the forum file.

Answers are stored as one JSON object per response (not one row per answer): every save
re-encrypts the whole database, so the stored image must stay small (see
``benchmarks/RESULTS.md``). In that JSON a multi-select is a sorted list of choice names, a
ranking a list in rank order, dates and times ISO text, a tick ``true``; SQLite's json functions
can read it for analysis. Reading it back needs the survey version, which says each answer's type.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from forumkit.surveys import Survey
from forumkit.surveys.validate import Answer

Status = Literal["draft", "complete"]
STATUSES: tuple[Status, ...] = ("draft", "complete")

SOURCES_TYPED = ("entered", "kiosk")
"""Sources of responses captured on a laptop; imports use ``import:<format>:<file name>``."""


@dataclass(frozen=True)
class Response:
    """One parent's response to one version of a survey, with where and how it was captured."""

    id: str
    survey_id: str
    version_id: str
    status: Status
    answers: Mapping[str, Answer]
    source: str
    """``entered``, ``kiosk`` or ``import:<format>:<file name>``."""
    modified: str
    respondent: str | None = None
    """A free label the chair can search for (e.g. an email given for follow-up)."""
    captured_by: str | None = None
    device_id: str | None = None
    started: str | None = None
    finished: str | None = None
    consent_quote: bool | None = None
    """Consent to quote the parent's words anonymously: None when not asked or not answered."""
    consent_share: bool | None = None
    """Consent to share the anonymised answers with inspectors: None when not asked/answered."""
    source_key: str | None = field(default=None, repr=False)
    """The identity of an imported response in its source (for idempotent re-imports)."""


def clean_respondent(reference: str | None) -> str | None:
    """The respondent reference as stored: trimmed, None when empty."""
    if reference is None:
        return None
    cleaned = " ".join(reference.split())
    return cleaned or None


def respondent_key(reference: str | None) -> str | None:
    """The form respondent references are matched on: trimmed and case-folded."""
    cleaned = clean_respondent(reference)
    return cleaned.casefold() if cleaned is not None else None


def words_may_leave(response: Response) -> bool:
    """Whether this parent's words may leave the forum file (in a pack, a quote, an export for
    inspectors): only with consent to quote AND consent to share, both given explicitly.

    The one answer to that question; every path that lets words out asks it. A response's
    consent is read afresh from its survey's current consent questions and its current answers
    each time it is read (see ``forumkit.responses.query``), never remembered from when it was
    saved.
    """
    return response.consent_quote is True and response.consent_share is True


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json_value(question_type: str, value: object) -> object:
    if isinstance(value, str | int | float):  # bool is an int
        return value
    if isinstance(value, tuple | list | set | frozenset):
        names = [str(item) for item in value]
        return names if question_type == "rank" else sorted(names)
    if isinstance(value, dt.date | dt.time):  # datetime is a date too
        return value.isoformat()
    return value


class AnswerEncoder:
    """Turns answers into their stored JSON text; built once per survey for bulk inserts."""

    def __init__(self, survey: Survey) -> None:
        self.types = {q.name: q.type for q in survey.questions}
        self.items = tuple(self.types.items())
        self.names = frozenset(self.types)

    def __call__(self, answers: Mapping[str, object]) -> str:
        data: dict[str, object] = {}
        for name, question_type in self.items:
            value = answers.get(name)
            if value is not None:
                # Text and numbers, most answers, are stored as they are.
                data[name] = value if type(value) in _AS_IS else _json_value(question_type, value)
        if not answers.keys() <= self.names:
            for name, value in answers.items():
                if name not in self.names and value is not None:
                    data[name] = _json_value("", value)
        return _JSON.encode(data)


_AS_IS = frozenset({str, int, float, bool})


def encode_answers(survey: Survey, answers: Mapping[str, object]) -> str:
    """The compact JSON text stored for ``answers`` (checked answers, in the form's order)."""
    return AnswerEncoder(survey)(answers)


def _typed_value(question_type: str, value: object) -> Answer:
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    if isinstance(value, str):
        try:
            if question_type in ("date", "today"):
                return dt.date.fromisoformat(value)
            if question_type == "time":
                return dt.time.fromisoformat(value)
            if question_type in ("datetime", "start", "end"):
                return dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return value
    if isinstance(value, bool | int | float):
        return value
    return str(value)


def decode_answers(survey: Survey | None, text: str) -> dict[str, Answer]:
    """Answers from their stored JSON, typed by the survey version's questions."""
    data = json.loads(text)
    types = {q.name: q.type for q in survey.questions} if survey is not None else {}
    return {name: _typed_value(types.get(name, ""), value) for name, value in data.items()}
