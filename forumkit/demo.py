"""The demo forum: a realistic sample forum file a newcomer sees first.

It holds the parent survey in ``resources/demo/parent-survey-2026.xlsx`` and a few hundred
synthetic responses. Everything is generated from a fixed seed, so two demo files hold the same
answers: the free text is assembled from sentence pieces written for the demo, about no real
people, places or schools. The mix of sources is what a forum sees in practice: forms typed in
at events, parents filling in on the laptop (a few walked away half-way: incomplete kiosk
drafts) and an online form's export. About a third of the parents left a contact (a made-up
email or phone number) for data-protection requests, so finding and erasing what is held about
one of them can be tried (:data:`DEMO_CONTACT`).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from forumkit.paths import resource_path
from forumkit.responses import IncomingResponse, add_incoming, add_response
from forumkit.surveys import Survey, check_response, import_xlsform
from forumkit.vault import KdfParams
from forumkit.workspace import Workspace

DEMO_PASSPHRASE = "demo forum only"
"""The demo file's passphrase, shown on screen by ``forumkit-app --demo``: it holds no real data."""

DEMO_FORUM = "Brookfield Parent Carer Forum"
"""A made-up forum in a made-up local area."""
DEMO_AREA = "Brookfield"
DEMO_SURVEY_FILE = ("demo", "parent-survey-2026.xlsx")
SEED = 2026

ENTERED = 130
KIOSK = 60
KIOSK_DRAFTS = 8
IMPORTED = 110
IMPORT_SOURCE = "import:googleforms:parent-survey-2026-online.csv"
VOLUNTEERS = ("Demo volunteer A", "Demo volunteer B", "Demo volunteer C")
WITH_CONTACT = 0.3
"""About this share of the demo's parents left a contact for data-protection requests."""
DEMO_CONTACT = "parent1@example.org"
"""The first demo contact (``example.org`` is reserved for examples): try a data-protection
request with it."""


@dataclass(frozen=True)
class DemoCounts:
    """How many responses of each kind the demo forum holds."""

    entered: int = ENTERED
    kiosk: int = KIOSK
    kiosk_drafts: int = KIOSK_DRAFTS
    imported: int = IMPORTED

    @property
    def complete(self) -> int:
        return self.entered + self.kiosk + self.imported

    @property
    def total(self) -> int:
        return self.complete + self.kiosk_drafts


def create_demo(
    path: Path | str, passphrase: str = DEMO_PASSPHRASE, *, kdf: KdfParams | None = None
) -> Workspace:
    """Write the demo forum file at ``path`` and return it open (see :func:`fill_demo`)."""
    workspace = Workspace.create(path, passphrase, forum=DEMO_FORUM, area=DEMO_AREA, kdf=kdf)
    try:
        fill_demo(workspace)
    except BaseException:
        workspace.close()
        raise
    return workspace


def fill_demo(workspace: Workspace) -> DemoCounts:
    """Put the demo's survey and synthetic responses into a just-made forum file.

    The survey is imported from the shipped XLSForm and the responses are added in one
    transaction, so the file is saved twice (the survey, then the responses). The app makes
    the file's keys in a worker and calls this on its database thread; :func:`create_demo`
    does both for the command line.
    """
    survey = import_xlsform(workspace, resource_path(*DEMO_SURVEY_FILE)).survey
    with workspace.transaction("demo_responses_added"):
        return add_demo_responses(workspace, survey)


def add_demo_responses(workspace: Workspace, survey: Survey) -> DemoCounts:
    """Add the demo's synthetic responses to ``survey`` (inside the caller's transaction)."""
    rng = random.Random(SEED)
    contacts = _contacts(
        random.Random(SEED + 1)
    )  # its own generator: the answers stay as they were
    start = dt.datetime(2026, 2, 2, 10, 0)
    moments = _moments(rng, start, ENTERED + KIOSK + KIOSK_DRAFTS + IMPORTED)
    for _ in range(ENTERED):
        begun = next(moments)
        add_response(
            workspace,
            survey,
            demo_answers(rng),
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
    incoming = []
    for number in range(IMPORTED):
        begun = next(moments)
        incoming.append(
            IncomingResponse(
                answers=check_response(survey, demo_answers(rng)).answers,
                source=IMPORT_SOURCE,
                source_key=f"row:{number + 2}",
                respondent=next(contacts),
                started=_iso(begun),
                finished=_iso(begun + dt.timedelta(minutes=rng.randint(5, 20))),
            )
        )
    add_incoming(workspace, survey, incoming)
    return DemoCounts()


def _contacts(rng: random.Random) -> Iterator[str | None]:
    """The contact each demo parent left, if any: made-up emails at ``example.org`` and phone
    numbers from Ofcom's range for drama (07700 900000 to 900999), none a real person's. The
    first is :data:`DEMO_CONTACT`, and one parent answered twice with the same email."""
    number = 0
    while True:
        if number and rng.random() >= WITH_CONTACT:
            yield None
            continue
        number += 1
        if number == 7:
            yield DEMO_CONTACT  # the same parent again, from another event
        elif number % 3 == 0:
            yield f"07700 900{rng.randint(0, 999):03d}"
        else:
            yield f"parent{number}@example.org"


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


# -- one parent's answers ---------------------------------------------------------------------

_PHASES = (
    ("early_years", 0, 4, 10),
    ("primary", 5, 11, 38),
    ("secondary", 11, 16, 32),
    ("post16", 16, 19, 13),
    ("adult", 19, 25, 7),
)
_SCHOOLS = {
    "early_years": ("early_years_setting", "early_years_setting", "no_place", "home_educated"),
    "primary": ("mainstream", "mainstream", "mainstream", "resourced", "special", "home_educated"),
    "secondary": ("mainstream", "mainstream", "special", "independent_special", "ap", "no_place"),
    "post16": ("college", "college", "special", "no_place"),
    "adult": ("college", "no_place", "special"),
}


def demo_answers(rng: random.Random) -> dict[str, object]:
    """One synthetic parent's answers, plausible together (age fits phase, EHCP items only
    with an EHCP), in the survey's question order."""
    phase, low, high, _ = rng.choices(_PHASES, weights=[p[3] for p in _PHASES])[0]
    answers: dict[str, object] = {"age_phase": phase}
    if rng.random() < 0.85:
        answers["child_age"] = rng.randint(low, high)
    needs = rng.sample(
        ["communication", "cognition", "semh", "sensory_physical"],
        k=rng.choices([1, 2, 3], weights=[45, 40, 15])[0],
    )
    answers["need_areas"] = tuple(needs)
    support_weights = [8, 2, 1, 1] if phase in ("post16", "adult") else [5, 4, 2, 1]
    support = rng.choices(["ehcp", "sen_support", "none", "not_sure"], weights=support_weights)[0]
    answers["support"] = support
    if rng.random() < 0.9:
        answers["school_type"] = rng.choice(_SCHOOLS[phase])
    if support == "ehcp":
        answers["ehcp_process"] = _likert(rng, [30, 30, 20, 14, 6])
        if rng.random() < 0.9:
            answers["ehcp_in_time"] = rng.choices(["yes", "no"], weights=[4, 6])[0]
    if rng.random() < 0.92:
        answers["local_offer"] = _likert(rng, [20, 28, 30, 16, 6])
    if rng.random() < 0.92:
        answers["services_satisfaction"] = _likert(rng, [26, 30, 22, 15, 7])
    answers["services_score"] = rng.choices(
        range(11), weights=[6, 8, 11, 13, 13, 12, 10, 9, 8, 6, 4]
    )[0]
    waited = [s for s in ("salt", "ot", "camhs", "ep") if rng.random() < 0.38]
    answers["waited_for"] = tuple(waited) if waited else ("none",)
    if rng.random() < 0.9:
        answers["part_time"] = rng.choices(["yes", "no"], weights=[2, 8])[0]
    if rng.random() < 0.8:
        answers["biggest_difference"] = _difference_text(rng)
    if rng.random() < 0.65:
        answers["experience"] = _experience_text(rng, support, waited)
    answers["consent_quote"] = rng.choices(["yes", "no"], weights=[7, 3])[0]
    answers["consent_share"] = rng.choices(["yes", "no"], weights=[6, 4])[0]
    return answers


def _likert(rng: random.Random, weights: list[int]) -> str:
    return rng.choices(["1", "2", "3", "4", "5"], weights=weights)[0]


# -- free text, from pieces written for the demo (no real people, places or schools) ----------

_CHILD = ("my son", "my daughter", "my child", "our youngest", "my eldest")

_DIFFERENCES = (
    "Being listened to the first time, not after things have reached a crisis.",
    "Shorter waits for speech and language therapy; we were told eighteen months.",
    "An EHCP that is written about my child, not copied and pasted from someone else's.",
    "Staff who understand autism and do not treat meltdowns as bad behaviour.",
    "One person who knows our family and answers emails.",
    "Knowing what help there is before we need it; the Local Offer is hard to find things on.",
    "A school place near home so {child} does not spend two hours a day in a taxi.",
    "Occupational therapy in school rather than a leaflet of exercises to do at home.",
    "Help with the move to college, planned early and not in the last term.",
    "Respite, even a few hours a month, so we can look after ourselves too.",
    "CAMHS seeing children before they are at crisis point.",
    "Being treated as the expert on my own child.",
    "Reviews that happen on time and actually change something.",
    "Training for all teaching assistants, not just the SENCo.",
    "Clear information about who pays for what between school, council and health.",
)

_EXPERIENCE_OPENINGS = (
    "It took a long time to get anyone to listen.",
    "Primary school were brilliant, but things fell apart at secondary.",
    "We have had some good people along the way, but it has been a fight.",
    "Things only moved once we asked the forum and SENDIASS for help.",
    "The first few years were fine, then the support stopped when {child} moved class.",
    "Getting a diagnosis was the easy part; getting help afterwards was not.",
    "I feel like I have had to become an expert in the law to get the basics.",
)
_EXPERIENCE_MIDDLES = {
    "ehcp": (
        "The EHCP took nearly a year and the first draft was full of mistakes.",
        "We had to go to tribunal before the plan named the right provision.",
        "The annual review was cancelled twice and nobody told us why.",
        "Since the plan, {child} has had a teaching assistant who really understands them.",
    ),
    "sen_support": (
        "School say {child} is doing fine, but they fall apart as soon as they get home.",
        "We were told {child} is not bad enough for an assessment.",
        "The SEN support plan is reviewed but the targets never change.",
    ),
    "other": (
        "Nobody has explained what support {child} is entitled to.",
        "We are still waiting for an assessment to even be considered.",
        "The school is trying, but they say they have no money for extra help.",
    ),
}
_WAIT_SENTENCES = {
    "salt": "Speech and language therapy was six sessions and then discharged.",
    "ot": "We waited over a year for an OT assessment and then were sent a leaflet.",
    "camhs": "CAMHS turned us down twice before accepting the referral.",
    "ep": "The educational psychologist report came after the plan was already written.",
}
_EXPERIENCE_ENDINGS = (
    "We are exhausted, but {child} is worth it.",
    "I hope this survey makes a difference for the families coming after us.",
    "The parent carer forum has been a lifeline.",
    "Things are better now, but it should not have taken this long.",
    "I have had to give up work to manage it all.",
    "",
)


def _with_child(child: str, sentence: str) -> str:
    text = sentence.replace("{child}", child)
    return text[0].upper() + text[1:]


def _difference_text(rng: random.Random) -> str:
    child = rng.choice(_CHILD)
    count = rng.choices([1, 2], weights=[7, 3])[0]
    return " ".join(_with_child(child, s) for s in rng.sample(_DIFFERENCES, count))


def _experience_text(rng: random.Random, support: str, waited: list[str]) -> str:
    middles = _EXPERIENCE_MIDDLES.get(support, _EXPERIENCE_MIDDLES["other"])
    parts = [rng.choice(_EXPERIENCE_OPENINGS), rng.choice(middles)]
    if waited and rng.random() < 0.6:
        parts.append(_WAIT_SENTENCES[rng.choice(waited)])
    parts.append(rng.choice(_EXPERIENCE_ENDINGS))
    child = rng.choice(_CHILD)
    return " ".join(_with_child(child, part) for part in parts if part)
