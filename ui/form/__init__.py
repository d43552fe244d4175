"""A survey as a form on screen (data entry, kiosk, read-only preview)."""

from ui.form.factory import field_for
from ui.form.fields import Field
from ui.form.form import FORM_WIDTH, QuestionBlock, Section, SurveyForm

__all__ = ["FORM_WIDTH", "Field", "QuestionBlock", "Section", "SurveyForm", "field_for"]
