"""Writing a ``Survey`` back out as an XLSForm workbook that re-imports to the same survey.

Chairs export a survey to revise it in Excel, to share it with another forum, or to load it
into KoboToolbox; the workbook uses the plain XLSForm spellings (``label::English (en)``,
``select_one list or_other``, ``begin group``) so every XLSForm tool reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from forumkit.surveys.errors import XLSFormError
from forumkit.surveys.expressions import parse, references
from forumkit.surveys.model import Question, Survey
from forumkit.surveys.xlsform_read import CONSENT_COLUMN

_TRANSLATED = (
    ("label", "labels"),
    ("hint", "hints"),
    ("required_message", "required_messages"),
    ("constraint_message", "constraint_messages"),
)
_PLAIN = (
    "required",
    "relevant",
    "constraint",
    "default",
    "choice_filter",
    "appearance",
    "calculation",
    "parameters",
)


def _header(column: str, language: str) -> str:
    return f"{column}::{language}" if language else column


def _languages(texts: Iterable[dict[str, str]], order: Sequence[str]) -> list[str]:
    used = {language for text in texts for language in text}
    return [language for language in order if language in used]


def _type_text(question: Question) -> str:
    if question.type == "begin_group":
        return "begin group"
    if question.type == "end_group":
        return "end group"
    if question.list_name:
        return f"{question.type} {question.list_name}" + (" or_other" if question.or_other else "")
    return question.type


_REFERENCE = re.compile(r"\$\{\s*([^}\s]+)\s*\}")
"""``${name}`` in a text (pyxform checks those in labels and hints too)."""


def written_elements(survey: Survey) -> list[Question]:
    """The rows the survey sheet holds, so that pyxform and forumkit both read the workbook:

    - every element but the text questions that ``or_other`` adds (``NAME_other``), which the
      ``or_other`` written on their select adds back on import;
    - a question with neither label nor hint labelled with its name, as forumkit shows it
      (its image or guidance hint, which pyxform would take instead, is not kept);
    - after them, a ``hidden`` row for each name the rules or texts read that the survey does
      not hold: questions forumkit skipped on import (a location, a device id, a repeat). Their
      rules were never checked by forumkit; the rows keep them readable by every XLSForm tool,
      and forumkit skips them again on re-import, so the survey comes back the same.
    """
    added = {f"{q.name}_other" for q in survey.elements if q.or_other}
    kept = [q for q in survey.elements if not (q.type == "text" and q.name in added)]
    elements = [_shown(survey, q) for q in kept]
    held = {q.name for q in survey.elements if q.type != "end_group"}
    read: dict[str, None] = {}
    for question in survey.elements:
        read.update(dict.fromkeys(sorted(_reads(question))))
    elements += [Question("hidden", name) for name in read if name not in held]
    return elements


def _shown(survey: Survey, question: Question) -> Question:
    """The question with its name as label when it has nothing else to show."""
    shown = (question.takes_answer and not question.is_metadata) or question.type == "note"
    if not shown or any(question.labels.values()) or any(question.hints.values()):
        return question
    return replace(question, labels={survey.default_language: question.name})


def _reads(question: Question) -> set[str]:
    """The names a row's rules and texts read through ``${name}``."""
    names: set[str] = set()
    for _, text in question.rules():
        names |= references(parse(text))
    for texts in (
        question.labels,
        question.hints,
        question.constraint_messages,
        question.required_messages,
    ):
        for text in texts.values():
            names.update(_REFERENCE.findall(text))
    return names


def survey_rows(survey: Survey) -> tuple[list[str], list[list[str]]]:
    """The survey sheet as a header row and data rows of text."""
    order = survey.languages
    elements = written_elements(survey)
    headers: list[tuple[str, str, str]] = [("type", "", ""), ("name", "", "")]
    for column, attribute in _TRANSLATED:
        texts = [getattr(q, attribute) for q in elements]
        headers += [(column, attribute, lang) for lang in _languages(texts, order)]
    headers += [(c, c, "") for c in _PLAIN if any(getattr(q, c) for q in elements)]
    if survey.consent_quote or survey.consent_share:
        headers.append((CONSENT_COLUMN, "", ""))
    consent = {survey.consent_quote: "quote", survey.consent_share: "share"}
    rows = []
    for question in elements:
        row = []
        for column, attribute, language in headers:
            if column == "type":
                row.append(_type_text(question))
            elif column == "name":
                row.append(question.name)
            elif column == CONSENT_COLUMN:
                row.append(consent.get(question.name, "") if question.name else "")
            elif language or column in dict(_TRANSLATED):
                row.append(getattr(question, attribute).get(language, ""))
            else:
                row.append(str(getattr(question, attribute)))
        rows.append(row)
    return [_header(column, language) for column, _, language in headers], rows


def choice_rows(survey: Survey) -> tuple[list[str], list[list[str]]]:
    """The choices sheet as a header row and data rows of text."""
    choices = [c for cl in survey.choice_lists.values() for c in cl.choices]
    languages = _languages((c.labels for c in choices), survey.languages)
    filters = list(dict.fromkeys(key for c in choices for key in c.filters))
    header = ["list_name", "name", *(_header("label", lang) for lang in languages), *filters]
    rows = [
        [
            choice_list.name,
            choice.name,
            *(choice.labels.get(lang, "") for lang in languages),
            *(choice.filters.get(key, "") for key in filters),
        ]
        for choice_list in survey.choice_lists.values()
        for choice in choice_list.choices
    ]
    return header, rows


def settings_rows(survey: Survey) -> tuple[list[str], list[list[str]]]:
    """The settings sheet: title, form_id, version, default language, edition, duplicates."""
    settings = {
        "form_title": survey.title,
        "form_id": survey.form_id,
        "version": survey.form_version,
        "default_language": survey.default_language,
        "forumkit_previous": survey.previous_form_id,
        "allow_choice_duplicates": "yes" if survey.allow_choice_duplicates else "",
    }
    kept = {key: value for key, value in settings.items() if value}
    return list(kept), [list(kept.values())]


def export_xlsform(survey: Survey, path: Path) -> None:
    """Write ``survey`` as an XLSForm workbook at ``path`` (replacing a file already there)."""
    from openpyxl import Workbook  # type: ignore[import-untyped]  # only exports need it

    workbook = Workbook()
    first = workbook.active
    workbook.remove(first)
    for title, (header, rows) in (
        ("survey", survey_rows(survey)),
        ("choices", choice_rows(survey)),
        ("settings", settings_rows(survey)),
    ):
        sheet = workbook.create_sheet(title)
        _write(sheet, [header, *rows])
    try:
        workbook.save(Path(path))
    except OSError as error:
        raise XLSFormError(f"The XLSForm could not be written to “{path}” ({error}).") from None


def _write(sheet: Any, rows: list[list[str]]) -> None:
    for row_number, values in enumerate(rows, start=1):
        for column_number, value in enumerate(values, start=1):
            if not value:
                continue
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            # Text starting with "=" must stay text: never let Excel run it as a formula.
            cell.data_type = "s"
