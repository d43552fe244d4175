"""Errors a chair can cause when asking for an analysis: each one plain sentence, no answers."""

from __future__ import annotations

from forumkit.errors import ForumkitError


class AnalysisError(ForumkitError):
    """An analysis cannot be made as asked (exit code 1)."""


class FilterError(AnalysisError):
    """A ``--filter NAME=VALUE`` names something the survey does not have, or a bad value."""


class GroupingError(AnalysisError):
    """``--by`` names a question that cannot split responses into groups."""


class EditionError(AnalysisError):
    """``--compare`` names a survey that is not an earlier edition of this one."""


class ThresholdError(AnalysisError):
    """A small-cell threshold outside what forumkit allows."""
