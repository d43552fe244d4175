"""The demo's responses: this year's survey and last year's edition, from fixed seeds.

The mix of sources is what a forum sees in practice: forms typed in at events, parents filling
in on the laptop (a few walked away half-way: incomplete kiosk drafts) and an online form's
export. One parent wrote a phone number into their answer (a number Ofcom keeps for drama, so
no one's), for the redaction review to catch.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from forumkit.demo.answers import LAST_YEAR, THIS_YEAR, demo_answers
from forumkit.responses import IncomingResponse, add_incoming, add_response
from forumkit.surveys import Survey, check_response
from forumkit.workspace import Workspace

SEED = 2026
LAST_YEAR_SEED = 2025

ENTERED = 130
KIOSK = 60
KIOSK_DRAFTS = 8
IMPORTED = 110
IMPORT_SOURCE = "import:googleforms:parent-survey-2026-online.csv"
VOLUNTEERS = ("Demo volunteer A", "Demo volunteer B", "Demo volunteer C")

LAST_YEAR_ENTERED = 85
LAST_YEAR_IMPORTED = 75
LAST_YEAR_IMPORT_SOURCE = "import:googleforms:parent-survey-2025-online.csv"

WITH_CONTACT = 0.3
"""About this share of this year's parents left a contact for data-protection requests."""
DEMO_CONTACT = "parent1@example.org"
"""The first demo contact (``example.org`` is reserved for examples): try a data-protection
request with it."""

PLANTED_PHONE = "07700 900461"
"""In Ofcom's range of UK mobile numbers kept for drama: it belongs to no one."""
PLANTED_SENTENCE = f"If anyone from the council wants to hear more, ring me on {PLANTED_PHONE}."


def add_demo_responses(workspace: Workspace, survey: Survey) -> None:
    """Add this year's synthetic responses to ``survey`` (inside the caller's transaction):
    typed in, kiosk (some unfinished), imported; the first typed-in parent who wrote about
    their experience and agreed to be quoted left a phone number in it."""
    rng = random.Random(SEED)
    contacts = _contacts(
        random.Random(SEED + 1)
    )  # its own generator: the answers stay as they were
    start = dt.datetime(2026, 2, 2, 10, 0)
    moments = _moments(rng, start, ENTERED + KIOSK + KIOSK_DRAFTS + IMPORTED)
    planted = False
    for _ in range(ENTERED):
        begun = next(moments)
        answers = demo_answers(rng)
        if not planted and _may_be_quoted(answers) and "experience" in answers:
            answers["experience"] = f"{answers['experience']} {PLANTED_SENTENCE}"
            planted = True
        add_response(
            workspace,
            survey,
            answers,
            status="complete",
            source="entered",
            captured_by=rng.choice(VOLUNTEERS),
            started=_iso(begun),
            finished=_iso(begun + dt.timedelta(minutes=rng.randint(3, 9))),
            respondent=next(contacts),
        )
    for _ in range(KIOSK):
        begun = next(moments)
        add_response(
            workspace,
            survey,
            demo_answers(rng),
            status="complete",
            source="kiosk",
            started=_iso(begun),
            finished=_iso(begun + dt.timedelta(minutes=rng.randint(4, 15))),
            respondent=next(contacts),
        )
    for _ in range(KIOSK_DRAFTS):
        begun = next(moments)
        add_response(
            workspace,
            survey,
            _walked_away(rng, demo_answers(rng)),
            status="draft",
            source="kiosk",
            started=_iso(begun),
        )
    _import(workspace, survey, rng, moments, IMPORTED, IMPORT_SOURCE, THIS_YEAR, contacts)


def add_last_year_responses(workspace: Workspace, survey: Survey) -> None:
    """Add last year's edition's responses (typed in, then an online form's export)."""
    rng = random.Random(LAST_YEAR_SEED)
    start = dt.datetime(2025, 2, 3, 10, 0)
    moments = _moments(rng, start, LAST_YEAR_ENTERED + LAST_YEAR_IMPORTED)
    for _ in range(LAST_YEAR_ENTERED):
        begun = next(moments)
        add_response(
            workspace,
            survey,
            demo_answers(rng, LAST_YEAR),
            status="complete",
            source="entered",
            captured_by=rng.choice(VOLUNTEERS),
            started=_iso(begun),
            finished=_iso(begun + dt.timedelta(minutes=rng.randint(3, 9))),
        )
    _import(workspace, survey, rng, moments, LAST_YEAR_IMPORTED, LAST_YEAR_IMPORT_SOURCE, LAST_YEAR)


def _import(
    workspace: Workspace,
    survey: Survey,
    rng: random.Random,
    moments: Iterator[dt.datetime],
    count: int,
    source: str,
    year: int,
    contacts: Iterator[str | None] | None = None,
) -> None:
    incoming = []
    for number in range(count):
        begun = next(moments)
        incoming.append(
            IncomingResponse(
                answers=check_response(survey, demo_answers(rng, year)).answers,
                source=source,
                source_key=f"row:{number + 2}",
                respondent=None if contacts is None else next(contacts),
                started=_iso(begun),
                finished=_iso(begun + dt.timedelta(minutes=rng.randint(5, 20))),
            )
        )
    add_incoming(workspace, survey, incoming)


def _contacts(rng: random.Random) -> Iterator[str | None]:
    """The contact each demo parent left, if any: made-up emails at ``example.org`` and phone
    numbers from Ofcom's range for drama (07700 900000 to 900999), none a real person's (nor the
    planted one). The first is :data:`DEMO_CONTACT`, and one parent answered twice with the
    same email."""
    number = 0
    while True:
        if number and rng.random() >= WITH_CONTACT:
            yield None
            continue
        number += 1
        if number == 7:
            yield DEMO_CONTACT  # the same parent again, from another event
        elif number % 3 == 0:
            phone = f"07700 900{rng.randint(0, 999):03d}"
            yield phone if phone != PLANTED_PHONE else "07700 900000"
        else:
            yield f"parent{number}@example.org"


def _may_be_quoted(answers: dict[str, object]) -> bool:
    return answers.get("consent_quote") == "yes" and answers.get("consent_share") == "yes"


def _iso(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=dt.UTC).isoformat(timespec="seconds")


def _moments(rng: random.Random, start: dt.datetime, count: int) -> Iterator[dt.datetime]:
    """Start times spread over six weeks of coffee mornings and evenings, in order."""
    moment = start
    for _ in range(count):
        moment += dt.timedelta(minutes=rng.randint(20, 260))
        if moment.hour >= 21:
            moment = moment.replace(hour=9, minute=rng.randint(0, 59)) + dt.timedelta(days=1)
        yield moment


def _walked_away(rng: random.Random, answers: dict[str, object]) -> dict[str, object]:
    """The first few answers only: a parent who left the laptop part-way through."""
    keep = rng.randint(2, 6)
    return dict(list(answers.items())[:keep])
