"""One synthetic parent's answers to the demo survey, plausible together.

The free text is assembled from sentence pieces written for the demo, about no real people,
places or schools. ``year`` picks the edition: last year's survey (2025) had no question on
part-time timetables, and its parents rated services a little lower, so year on year shows a
change.
"""

from __future__ import annotations

import random

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


THIS_YEAR = 2026
LAST_YEAR = 2025

# Services rated 0-10: last year's parents a little less happy than this year's.
_SCORE_WEIGHTS = {
    THIS_YEAR: [6, 8, 11, 13, 13, 12, 10, 9, 8, 6, 4],
    LAST_YEAR: [9, 11, 14, 15, 13, 11, 9, 7, 5, 4, 2],
}


def demo_answers(rng: random.Random, year: int = THIS_YEAR) -> dict[str, object]:
    """One synthetic parent's answers, plausible together (age fits phase, EHCP items only
    with an EHCP), in the survey's question order, to this year's edition of the survey or
    last year's (``year``)."""
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
    answers["services_score"] = rng.choices(range(11), weights=_SCORE_WEIGHTS[year])[0]
    waited = [s for s in ("salt", "ot", "camhs", "ep") if rng.random() < 0.38]
    answers["waited_for"] = tuple(waited) if waited else ("none",)
    if rng.random() < 0.9 and year == THIS_YEAR:
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
        "School put {child} on a part-time timetable instead of making adjustments.",
    ),
    "other": (
        "Nobody has explained what support {child} is entitled to.",
        "We are still waiting for an assessment to even be considered.",
        "The school is trying, but they say they have no money for extra help.",
        "{child} was excluded twice for behaviour that comes from their needs.",
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
