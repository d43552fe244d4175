"""Errors a forum chair can cause while importing, naming or filling in a survey.

Every message is one plain sentence naming what is wrong and where (sheet, row, column), so the
command line can print it as it is and the desktop app can show it in a dialog.
"""

from __future__ import annotations

from forumkit.errors import ForumkitError


class XLSFormError(ForumkitError):
    """An XLSForm workbook that forumkit refuses to import, with where the problem is."""

    def __init__(
        self,
        message: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.sheet = sheet
        self.row = row
        self.column = column
        super().__init__(message)


class ExpressionError(ForumkitError):
    """An XLSForm expression (relevant, constraint, ...) that does not parse."""

    def __init__(self, expression: str, reason: str, position: int) -> None:
        self.expression = expression
        self.reason = reason
        self.position = position
        super().__init__(f"The expression “{expression}” does not parse: {reason}.")


class RuleNotCheckable(ForumkitError):
    """A rule forumkit cannot evaluate (unknown function, unusable pattern): it is not enforced."""


class UnsupportedFunction(RuleNotCheckable):
    """An expression calls a function forumkit does not know, so that rule cannot be checked."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"forumkit does not know the function “{name}()”.")


class ExpressionValueError(RuleNotCheckable):
    """A function was given a value it cannot use (``date('not a date')``), where ODK Collect
    would stop the form; that rule is not checked. The message names the function and the kind
    of value, never the value itself, which may be a parent's answer."""


class SurveyNotFound(ForumkitError):
    """No survey in the forum file has the id or form_id the user gave."""

    def __init__(self, reference: str, version: int | None = None) -> None:
        self.reference = reference
        if version is None:
            message = f"This forum file has no survey with the id or form_id “{reference}”."
        else:
            message = f"The survey “{reference}” has no version {version}."
        super().__init__(message)


class ConsentQuestionError(ForumkitError):
    """A question chosen to record consent is missing or is not a yes/no question."""


class SurveyRemoved(ForumkitError):
    """The form belongs to a survey the forum removed; it does not come back by accident."""

    def __init__(self, form_id: str) -> None:
        self.form_id = form_id
        super().__init__(
            f"The survey “{form_id}” was removed from this forum file, so its form is not "
            "imported again. To bring it back on purpose, import it with --restore-removed "
            "(or give the form a new form_id in its settings sheet)."
        )


class SurveyNameError(ForumkitError):
    """A name the forum gave a survey that forumkit cannot take."""


class SurveyHasResponses(ForumkitError):
    """Removing a survey that still holds responses, without saying they go too."""
