"""Surveys: the survey model, XLSForm import and export, skip logic and capture-side checks.

The public API other parts of forumkit use (responses, analysis, the UI, the CLI):

- ``import_xlsform(workspace, path)`` → ``ImportResult(survey, warnings, status)``
- ``get_survey(db, id_or_form_id, version=None)`` → ``Survey``; ``list_surveys(db)``
- ``export_xlsform(survey, path)``
- ``validate(survey, answers)`` → problems; ``check_response`` also gives the cleaned answers
  and what skip logic hides; ``SurveyChecker(survey).check`` does the same for many responses
"""

from __future__ import annotations

from forumkit.surveys.errors import (
    ConsentQuestionError,
    ExpressionError,
    RuleNotCheckable,
    SurveyHasResponses,
    SurveyNameError,
    SurveyNotFound,
    SurveyRemoved,
    UnsupportedFunction,
    XLSFormError,
)
from forumkit.surveys.model import Choice, ChoiceList, Question, Survey, UnenforcedRule
from forumkit.surveys.store import (
    ImportResult,
    SurveySummary,
    archive_survey,
    get_survey,
    import_xlsform,
    is_archived,
    list_surveys,
    rename_survey,
    set_consent_questions,
    set_previous_edition,
    survey_id_for,
    version_id_for,
)
from forumkit.surveys.validate import (
    CheckedResponse,
    Problem,
    SurveyChecker,
    check_response,
    validate,
)
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
    "SurveyChecker",
    "SurveyHasResponses",
    "SurveyNameError",
    "SurveyNotFound",
    "SurveyRemoved",
    "SurveySummary",
    "UnenforcedRule",
    "UnsupportedFunction",
    "XLSFormError",
    "archive_survey",
    "check_response",
    "export_xlsform",
    "get_survey",
    "import_xlsform",
    "is_archived",
    "list_surveys",
    "read_xlsform",
    "rename_survey",
    "set_consent_questions",
    "set_previous_edition",
    "survey_id_for",
    "validate",
    "version_id_for",
]
