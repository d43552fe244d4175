"""The form's contact field: how a parent can be found by a data-protection request.

Typed-in and kiosk responses had no respondent reference, so a parent asking for a copy of their
answers, or for them to be deleted, could not be found. The form ends with one optional field,
worded for a volunteer typing in a paper form or for a parent in kiosk mode, whose text is saved
as the response's respondent reference (``forumkit.responses.find_respondent`` searches it).
It is a field of the form, not a question of the survey: it works for every survey without
changing its XLSForm, and imports fill the same reference from an online form's email column.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout

from ui.widgets import Heading, Paragraph

CONTACT_SECTION = "#contact"
"""The name of the form's section holding the contact field."""
MAX_CONTACT_CHARS = 200

Audience = Literal["volunteer", "parent"]
# The contact field's heading, label and hint, for a volunteer typing in a paper form and for a
# parent in kiosk mode: an email or phone number kept as the response's respondent reference,
# which is how a data-protection request finds it (``forumkit.responses.find_respondent``).
CONTACT_WORDS: dict[Audience, tuple[str, str, str]] = {
    "volunteer": (
        "Contact (optional)",
        "&Contact the parent gave us (email or phone)",
        "For data-protection requests only: it is how the forum finds this parent's answers if "
        "they ask for a copy or for them to be deleted.",
    ),
    "parent": (
        "Your contact details (optional)",
        "Your email or phone &number",
        "Only if you might ask the forum later for a copy of your answers, or for them to be "
        "deleted: the forum uses it for nothing else. You can leave it empty.",
    ),
}


def build_contact(layout: QVBoxLayout, audience: Audience) -> tuple[Heading, QLineEdit]:
    """Add the contact field's heading, label, line edit and hint to ``layout``."""
    heading_text, label_text, hint_text = CONTACT_WORDS[audience]
    heading = Heading(heading_text, 2)
    edit = QLineEdit()
    edit.setInputMethodHints(Qt.InputMethodHint.ImhNoPredictiveText)
    edit.setMaxLength(MAX_CONTACT_CHARS)
    edit.setAccessibleName(label_text.replace("&", ""))
    edit.setAccessibleDescription(hint_text)
    label = QLabel(label_text)
    label.setObjectName("questionLabel")
    label.setBuddy(edit)
    label.setWordWrap(True)
    hint = Paragraph(hint_text)
    hint.setObjectName("hint")
    for widget in (heading, label, edit, hint):
        layout.addWidget(widget)
    return heading, edit
