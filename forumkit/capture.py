"""What a form on screen needs from the survey's rules while a response is being captured.

``check_response`` says what is wrong with a set of answers; a form also needs to know which
questions and sections to show right now (skip logic), including ones not answered yet, and
how a range question's scale runs. Both come from the check itself (``forumkit.surveys``),
never from a second reading of the rules, so the screen and the saved response never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from forumkit.surveys import Survey, check_response
from forumkit.surveys.answers import Scale, range_scale
from forumkit.surveys.evaluation import to_string

__all__ = ["Scale", "Shown", "range_scale", "required_words", "scale_text", "shown"]


@dataclass(frozen=True)
class Shown:
    """Which rows of the survey to show for the answers given so far."""

    questions: frozenset[str]
    """Names of questions and groups that are relevant (a hidden group hides its contents)."""
    cleared: tuple[str, ...]
    """Answers given to questions that are now hidden, which the form should clear."""


def shown(survey: Survey, answers: Mapping[str, object]) -> Shown:
    """The questions and groups skip logic shows, given ``answers`` (raw, as typed).

    These are exactly the ones whose answers ``check_response`` keeps: it walks the form once
    and says what it hid. A rule that cannot be evaluated (an unknown function) shows its
    question.
    """
    checked = check_response(survey, answers)
    hidden = set(checked.hidden)
    visible = frozenset(
        element.name
        for element in survey.elements
        if element.type != "end_group" and element.name not in hidden
    )
    return Shown(visible, checked.cleared)


# "(required)" and "(required in some cases)" beside a question, in the languages a form is
# most likely to be in: English, Welsh and England's most common other main languages. A
# language is matched by its code in brackets ("Polski (pl)", as XLSForm writes it) or by name.
_REQUIRED_WORDS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "en": ("(required)", "(required in some cases)", ("english",)),
    "cy": ("(gorfodol)", "(gorfodol weithiau)", ("welsh", "cymraeg")),
    "pl": ("(wymagane)", "(czasami wymagane)", ("polish", "polski")),
    "ro": ("(obligatoriu)", "(uneori obligatoriu)", ("romanian", "română", "romana")),
    "pt": ("(obrigatório)", "(por vezes obrigatório)", ("portuguese", "português")),
    "es": ("(obligatorio)", "(obligatorio en algunos casos)", ("spanish", "español")),
    "fr": ("(obligatoire)", "(parfois obligatoire)", ("french", "français")),
    "ar": ("(مطلوب)", "(مطلوب في بعض الحالات)", ("arabic", "العربية")),
    "ur": ("(لازمی)", "(بعض صورتوں میں لازمی)", ("urdu", "اردو")),
}


def required_words(language: str | None) -> tuple[str, str]:
    """How a form says "(required)" and "(required in some cases)" in ``language`` (a survey's
    language as XLSForm names it, e.g. ``Polski (pl)``); English for a language not known."""
    text = (language or "").casefold()
    code = text.rsplit("(", 1)[-1].rstrip(")").strip() if "(" in text else ""
    name = text.split("(", 1)[0].strip()
    for key, (required, sometimes, names) in _REQUIRED_WORDS.items():
        if code == key or name in names:
            return required, sometimes
    english = _REQUIRED_WORDS["en"]
    return english[0], english[1]


def scale_text(number: float) -> str:
    """A scale point as people write it (``3``, not ``3.0``)."""
    return to_string(number)
