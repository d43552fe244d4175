"""Surveys: the survey model, XLSForm import and export, skip logic and capture-side checks.

The public API other parts of forumkit use (responses, analysis, the UI, the CLI):

- ``import_xlsform(workspace, path)`` → ``ImportResult(survey, warnings, status)``
- ``get_survey(db, id_or_form_id, version=None)`` → ``Survey``; ``list_surveys(db)``
- ``export_xlsform(survey, path)``
- ``validate(survey, answers)`` → problems; ``check_response`` also gives the cleaned answers
"""

from __future__ import annotations

from forumkit.surveys.errors import (
    ConsentQuestionError,
    ExpressionError,
    RuleNotCheckable,
    SurveyNotFound,
    UnsupportedFunction,
    XLSFormError,
)
from forumkit.surveys.model import Choice, ChoiceList, Question, Survey, UnenforcedRule
from forumkit.surveys.store import (
    ImportResult,
    SurveySummary,
    get_survey,
    import_xlsform,
    list_surveys,
    set_consent_question,
    set_previous_edition,
)
from forumkit.surveys.validate import CheckedResponse, Problem, check_response, validate
from forumkit.surveys.xlsform_read import ReadResult, read_xlsform
from forumkit.surveys.xlsform_write import export_xlsform

__all__ = [
    "CheckedResponse",
    "Choice",
    "ChoiceList",
    "ConsentQuestionError",
    "ExpressionError",
    "ImportResult",
    "Problem",
    "Question",
    "ReadResult",
    "RuleNotCheckable",
    "Survey",
    "SurveyNotFound",
    "SurveySummary",
    "UnenforcedRule",
    "UnsupportedFunction",
    "XLSFormError",
    "check_response",
    "export_xlsform",
    "get_survey",
    "import_xlsform",
    "list_surveys",
    "read_xlsform",
    "set_consent_question",
    "set_previous_edition",
    "validate",
]
