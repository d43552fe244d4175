"""Checking one parent's answers against a survey's rules, as data entry and imports need.

``check_response`` parses each answer by its question type, clears answers to questions that
skip logic hides, computes calculations, and applies ``required``, ``constraint`` and choice
membership (after choice filters), in form order, as ODK Collect does on a tablet. Problems name
the question and carry the form's own message; they never repeat what the parent wrote, so they
can be shown or reported without spreading personal data.

The work is done by ``SurveyChecker`` (``forumkit.surveys.checker``: the rules applied in form
order, its look-ups built once per survey) over answers read by ``forumkit.surveys.answers``;
this module is the entry point and keeps the names other modules import from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from forumkit.surveys.answers import Answer
from forumkit.surveys.checker import CheckedResponse, Problem, SurveyChecker
from forumkit.surveys.model import Survey

__all__ = [
    "Answer",
    "CheckedResponse",
    "Problem",
    "SurveyChecker",
    "check_response",
    "validate",
]


def validate(
    survey: Survey,
    answers: Mapping[str, object],
    *,
    language: str | None = None,
    now: dt.datetime | None = None,
) -> list[Problem]:
    """Every problem with one response's answers; an empty list means it can be saved."""
    return list(check_response(survey, answers, language=language, now=now).problems)


def check_response(
    survey: Survey,
    answers: Mapping[str, object],
    *,
    language: str | None = None,
    now: dt.datetime | None = None,
) -> CheckedResponse:
    """Parse, clear, compute and check one response's answers against ``survey``'s rules."""
    return SurveyChecker(survey, remember=False).check(answers, language=language, now=now)
