"""What a column of the mapping table can be set to, as combo-box data.

A column's choice is stored in its combo box as text: ``""`` (not imported), ``"@role"`` (one of
the online tool's own columns), ``"q:<question>"``, ``"c:<question>\\x1f<choice>"`` (a column of
ticks for one option) or ``KEEP`` (left as the file's format reads it). Which questions a
column may answer is the core's rule (``forumkit.importers.column_targets``); this module only
words and encodes them.
"""

from __future__ import annotations

from forumkit.importers import ColumnPlan, MappingTarget, column_targets
from forumkit.surveys import Survey

KEEP = "keep"
NOT_IMPORTED = ""
_SEP = "\x1f"

ROLE_TARGETS = (
    ("@respondent", "Respondent reference"),
    ("@started", "Start time"),
    ("@finished", "Finish time"),
    ("@id", "Response number in the online form"),
)
FORMAT_ROLE_TEXT = {
    "id": "Response number",
    "started": "Start time",
    "finished": "Finish time",
    "submitted": "Time sent",
    "email": "Respondent reference (email)",
    "name": "Respondent reference (name)",
    "first_name": "Respondent reference (first name)",
    "last_name": "Respondent reference (last name)",
    "username": "Respondent reference (user name)",
    "respondent": "Respondent reference",
    "status": "Draft or complete",
    "covered": "Read from the option columns",
    "place": "A place in the ranking",
}


def encode_target(target: MappingTarget) -> str:
    """A mapping target as combo data."""
    if target is None:
        return NOT_IMPORTED
    if isinstance(target, tuple):
        return f"c:{target[0]}{_SEP}{target[1]}"
    if target.startswith("@"):
        return target
    return f"q:{target}"


def decode_target(data: str) -> MappingTarget:
    """Combo data back to a mapping target (KEEP is handled by the caller)."""
    if data == NOT_IMPORTED:
        return None
    if data.startswith("c:"):
        question, choice = data[2:].split(_SEP, 1)
        return (question, choice)
    if data.startswith("q:"):
        return data[2:]
    return data


def column_choice(column: ColumnPlan) -> str:
    """What the mapping table shows as chosen for a planned column."""
    if column.role == "answer" and column.question:
        return encode_target(column.question)
    if column.role == "choice" and column.question and column.choice:
        return encode_target((column.question, column.choice))
    if column.role in ("respondent", "started", "finished", "id") and column.found_by == "mapping":
        return f"@{column.role}"
    if column.role in ("ignore", "unmapped"):
        return NOT_IMPORTED
    return KEEP


def question_targets(survey: Survey) -> list[tuple[str, str]]:
    """(combo data, text) for every question a column may answer, and every option column,
    in the questions' words (a question's internal name only tells apart two worded alike)."""
    targets = column_targets(survey)
    words = [" ".join(survey.label(target.question).split()) for target in targets]
    whole = [w for w, target in zip(words, targets, strict=True) if target.choice is None]
    alike = {w for w in whole if whole.count(w) > 1}
    items: list[tuple[str, str]] = []
    for target, label in zip(targets, words, strict=True):
        if target.choice is None:
            text = f"{label} ({target.question.name})" if label in alike else label
        else:
            text = f"{label}: ticked “{survey.label(target.choice)}”"
        items.append((encode_target(target.target), text))
    return items
