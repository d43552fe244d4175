"""Which column answers which question: found by name or label, or given in a mapping file.

A column matches a question when its heading equals the question's name, its ``group/name``
path or one of its labels, ignoring case, spacing and punctuation. A column under a choice
question that names one option (SurveyMonkey's second header row, for a multi-select and for a
single choice exported one column per option; Kobo's ``group/question/option``, the ``other``
of ``or_other`` included) becomes that option's tick column. Columns ``ranking/place`` under a
``rank`` question (KoboToolbox's ``Colours/_1st_choice``, ``Colours/_2nd_choice``) are its
places, in column order: each holds the choice ranked there. The text a parent gives for
``or_other``'s "Other" goes to the ``NAME_other`` text question the survey has for it (Kobo's
``question_other`` column), matched by name like any other.

The mapping file (``--mapping MAP.json``) settles what matching cannot, in this shape::

    {
      "columns": {
        "How old is your child?": "child_age",
        "Which of these do you use? – Respite": {"question": "services", "choice": "respite"},
        "Your email (optional)": "@respondent",
        "Submitted at": "@finished",
        "Internal notes": null
      }
    }

Keys are column headings as the file shows them (SurveyMonkey's two rows joined with " – ");
values are a question name, ``{"question": ..., "choice": ...}`` for a column of ticks for one
option of a multi-select or single-choice question, one of ``@respondent``, ``@started``,
``@finished`` or ``@id`` for the tool's own columns, or ``null`` to leave the column out.
Columns the file does not name are matched automatically. The desktop app's import wizard
edits the same mapping.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from forumkit.importers.errors import MappingFileError
from forumkit.importers.formats import Heading, SourceFormat
from forumkit.importers.values import normalise
from forumkit.surveys.model import OTHER_CHOICE, Choice, Question, Survey
from forumkit.vault import write_atomically
from forumkit.wording import LISTED_AT_MOST, listed, plural

MappingTarget = str | tuple[str, str] | None
"""A question name or ``@role``, (question, choice) for a tick column, or None to leave out."""

ColumnMapping = Mapping[str, MappingTarget]

ROLE_TARGETS = {
    "@respondent": "respondent",
    "@started": "started",
    "@finished": "finished",
    "@id": "id",
}
ANSWER_ROLES = frozenset({"answer", "choice", "place"})
TICKED_TYPES = frozenset({"select_multiple", "select_one"})
"""Questions whose options may each have a column of ticks."""


@dataclass(frozen=True)
class ColumnPlan:
    """What one column of the file is taken to be, and how that was decided."""

    index: int
    letter: str
    header: str
    role: str
    """``answer``, ``choice`` (one option's ticks), ``place`` (one place of a ranking), a tool
    role (``id``, ``started``,
    ``finished``, ``submitted``, ``email``, ``name``, ``first_name``, ``last_name``,
    ``username``, ``respondent``), ``ignore``, ``covered`` (ticks also given by a whole-answer
    column) or ``unmapped``."""
    question: str | None = None
    choice: str | None = None
    found_by: str = ""
    """``mapping``, ``name``, ``label``, ``path`` or ``format``; "" when unmapped."""
    place: int = 0
    """For a ``place`` column, which place of the ranking it holds (1 for the first)."""


@dataclass(frozen=True)
class ColumnTarget:
    """Something a column of an imported file may answer: a question, or one option of a
    multi-select or single-choice question (a column of ticks for that option)."""

    question: Question
    choice: Choice | None = None

    @property
    def target(self) -> MappingTarget:
        """The target as a mapping names it: the question's name, or (question, choice)."""
        if self.choice is None:
            return self.question.name
        return (self.question.name, self.choice.name)


def may_answer(question: Question) -> bool:
    """Whether an import column may answer ``question``: anything a parent or the form's own
    metadata (``start``, ``end``, ``today``) answers; never a note or a calculation, which are
    worked out from the answers."""
    return question.takes_answer


def column_targets(survey: Survey) -> list[ColumnTarget]:
    """Every question an import column may answer, in form order, each multi-select and
    single-choice question followed by its options (for tick columns, "Other" included for
    ``or_other``). The import wizard offers exactly these, and a mapping file may name exactly
    these."""
    targets: list[ColumnTarget] = []
    for question in survey.questions:
        if not may_answer(question):
            continue
        targets.append(ColumnTarget(question))
        if question.type in TICKED_TYPES and question.list_name in survey.choice_lists:
            seen: set[str] = set()
            for choice in _options(survey, question):
                if choice.name not in seen:
                    seen.add(choice.name)
                    targets.append(ColumnTarget(question, choice))
    return targets


def _options(survey: Survey, question: Question) -> list[Choice]:
    """A choice question's options, with the "Other" that ``or_other`` adds."""
    options = list(survey.choices_for(question).choices)
    if question.or_other and all(choice.name != OTHER_CHOICE for choice in options):
        options.append(Choice(OTHER_CHOICE, {"": "Other"}))
    return options


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def load_mapping(path: Path) -> dict[str, MappingTarget]:
    """Read a mapping file (shape in this module's docstring)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise MappingFileError(f"Cannot read the mapping file “{path}”: {exc.strerror}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise MappingFileError(f"The mapping file “{path.name}” is not valid JSON.") from None
    columns = data.get("columns") if isinstance(data, dict) else None
    if not isinstance(columns, dict):
        raise MappingFileError(
            f"The mapping file “{path.name}” needs a “columns” object of heading → question."
        )
    mapping: dict[str, MappingTarget] = {}
    for header, target in columns.items():
        if target is None or isinstance(target, str):
            mapping[str(header)] = target
        elif (
            isinstance(target, dict)
            and isinstance(target.get("question"), str)
            and isinstance(target.get("choice"), str)
        ):
            mapping[str(header)] = (target["question"], target["choice"])
        else:
            raise MappingFileError(
                f"In the mapping file “{path.name}”, the column “{header}” must map to a "
                'question name, {"question": …, "choice": …}, an @role or null.'
            )
    return mapping


def mapping_to_json(mapping: ColumnMapping) -> dict[str, object]:
    """A mapping in the file's shape, for saving what the import wizard settled."""
    columns: dict[str, object] = {}
    for header, target in mapping.items():
        if isinstance(target, tuple):
            columns[header] = {"question": target[0], "choice": target[1]}
        else:
            columns[header] = target
    return {"columns": columns}


def save_mapping(mapping: ColumnMapping, path: Path) -> None:
    """Write a mapping file (the shape :func:`load_mapping` reads), whole or not at all.

    Raises MappingFileError when the file cannot be written.
    """
    text = json.dumps(mapping_to_json(mapping), indent=2, ensure_ascii=False) + "\n"
    try:
        write_atomically(Path(path), text.encode("utf-8"), keep_backup=False)
    except OSError as exc:
        raise MappingFileError(
            f"The mapping could not be saved to “{path}”: {exc.strerror or 'the disk refused'}."
        ) from None


class _Questions:
    """Look-ups from normalised names, paths and labels to the survey's answerable questions."""

    def __init__(self, survey: Survey) -> None:
        self.survey = survey
        self.by_name: dict[str, Question] = {}
        self.by_label: dict[str, Question | None] = {}
        self.computed = {
            normalise(q.name) for q in survey.questions if q.type in ("calculate", "note")
        }
        for question in survey.questions:
            if not may_answer(question):
                continue
            self.by_name[question.name] = question
            for key in {
                normalise(question.name),
                normalise("/".join((*question.group, question.name))),
            }:
                self.by_label.setdefault(key, question)
        for question in self.by_name.values():
            for label in set(question.labels.values()):
                key = normalise(label)
                if not key or (key in self.by_label and self.by_label[key] is question):
                    continue
                # Two questions with the same label cannot be told apart: match neither.
                self.by_label[key] = None if key in self.by_label else question

    def match(self, text: str) -> Question | None:
        return self.by_label.get(normalise(text))

    def choice(self, question: Question, text: str) -> str | None:
        if question.type not in TICKED_TYPES:
            return None
        key = normalise(text)
        for choice in _options(self.survey, question):
            if key == normalise(choice.name) or key in {
                normalise(t) for t in choice.labels.values()
            }:
                return choice.name
        return None


def _from_mapping(
    questions: _Questions, index: int, header: str, target: MappingTarget, source: str
) -> ColumnPlan:
    letter = column_letter(index)
    if target is None:
        return ColumnPlan(index, letter, header, "ignore", found_by="mapping")
    if isinstance(target, tuple):
        question = questions.by_name.get(target[0])
        choice = questions.choice(question, target[1]) if question else None
        if question is None or choice is None:
            raise MappingFileError(
                f"The mapping {source} maps the column “{header}” to the option “{target[1]}” "
                f"of “{target[0]}”, which is not an option of a multi-select or single-choice "
                f"question in the survey “{questions.survey.form_id}”."
            )
        return ColumnPlan(index, letter, header, "choice", question.name, choice, "mapping")
    if target in ROLE_TARGETS:
        return ColumnPlan(index, letter, header, ROLE_TARGETS[target], found_by="mapping")
    if target not in questions.by_name:
        raise MappingFileError(
            f"The mapping {source} maps the column “{header}” to “{target}”, which is not a "
            f"question of the survey “{questions.survey.form_id}”."
        )
    return ColumnPlan(index, letter, header, "answer", target, found_by="mapping")


def _automatic(
    questions: _Questions, fmt: SourceFormat, index: int, heading: Heading, header: str
) -> ColumnPlan:
    letter = column_letter(index)
    role = fmt.role(heading)
    if role is not None:
        return ColumnPlan(index, letter, header, role, found_by="format")
    first = heading.parts[0]
    if "/" in first and len(heading.parts) == 1:
        # ``question/option`` before any name: Kobo's ``fav/other`` tick is not the text
        # question ``fav_other`` (names match ignoring punctuation).
        path = [part for part in first.split("/") if part.strip()]
        parent = questions.match(path[-2]) if len(path) >= 2 else None
        choice = questions.choice(parent, path[-1]) if parent is not None else None
        if parent is not None and choice is not None:
            return ColumnPlan(index, letter, header, "choice", parent.name, choice, "path")
        if parent is not None and parent.type == "rank":
            # KoboToolbox's ranking: one column per place (numbered in map_columns).
            return ColumnPlan(index, letter, header, "place", parent.name, found_by="path")
    question = questions.match(first)
    if len(heading.parts) > 1 and question is not None:
        choice = questions.choice(question, heading.parts[1])
        if choice is not None:
            return ColumnPlan(index, letter, header, "choice", question.name, choice, "label")
        return ColumnPlan(index, letter, header, "unmapped")
    if question is not None:
        how = "name" if normalise(first) == normalise(question.name) else "label"
        return ColumnPlan(index, letter, header, "answer", question.name, found_by=how)
    if "/" in first:
        path = [part for part in first.split("/") if part.strip()]
        question = questions.match(path[-1]) if path else None
        if question is not None:
            return ColumnPlan(index, letter, header, "answer", question.name, found_by="path")
    if normalise(first.rsplit("/", 1)[-1]) in questions.computed:
        # Calculations and notes are worked out from the answers, never imported.
        return ColumnPlan(index, letter, header, "ignore", found_by="name")
    weak = fmt.weak_roles.get(normalise(first))
    if weak is not None:
        return ColumnPlan(index, letter, header, weak, found_by="format")
    return ColumnPlan(index, letter, header, "unmapped")


def unique_headers(headings: Sequence[Heading]) -> list[str]:
    """Headings as shown, with the column letter added where the same text repeats."""
    counts: dict[str, int] = {}
    for heading in headings:
        counts[heading.text] = counts.get(heading.text, 0) + 1
    return [
        heading.text if counts[heading.text] == 1 else f"{heading.text} ({column_letter(index)})"
        for index, heading in enumerate(headings)
    ]


def map_columns(
    survey: Survey,
    fmt: SourceFormat,
    headings: Sequence[Heading],
    mapping: ColumnMapping | None,
    mapping_name: str = "",
) -> tuple[list[ColumnPlan], list[str]]:
    """Every column's plan and warnings about the mapping (unknown headings in the mapping)."""
    questions = _Questions(survey)
    headers = unique_headers(headings)
    given = dict(mapping or {})
    by_key = {normalise(key): key for key in given}
    source = f"file “{mapping_name}”" if mapping_name else "given"
    used: set[str] = set()
    columns: list[ColumnPlan] = []
    for index, (heading, header) in enumerate(zip(headings, headers, strict=True)):
        key = header if header in given else by_key.get(normalise(header))
        if not header and key is None:
            continue
        if key is not None:
            used.add(key)
            columns.append(_from_mapping(questions, index, header, given[key], source))
        else:
            columns.append(_automatic(questions, fmt, index, heading, header))
    absent = [f"“{key}”" for key in given if key not in used]
    if len(absent) > LISTED_AT_MOST:
        warnings = [
            f"The mapping names {plural(len(absent), 'column')} that the file does not have: "
            f"{listed(absent)}."
        ]
    else:
        warnings = [
            f"The mapping names a column {key} that the file does not have." for key in absent
        ]
    return _number_places(_settle(columns, source, fmt.prefer_option_columns)), warnings


def _number_places(columns: list[ColumnPlan]) -> list[ColumnPlan]:
    """A ranking's place columns numbered 1, 2, 3… in the order the file has them."""
    places: dict[str, int] = {}
    numbered: list[ColumnPlan] = []
    for column in columns:
        if column.role == "place" and column.question is not None:
            places[column.question] = places.get(column.question, 0) + 1
            column = replace(column, place=places[column.question])
        numbered.append(column)
    return numbered


def _settle(columns: list[ColumnPlan], source: str, prefer_options: bool) -> list[ColumnPlan]:
    """One whole-answer column per question: a second automatic match stays unmapped.

    A multi-select with both a whole-answer column and 0/1 columns is read from one of them
    (the format says which); the other is marked ``covered``.
    """
    answered: dict[str, ColumnPlan] = {}
    for column in columns:
        if column.role != "answer" or column.question is None:
            continue
        earlier = answered.get(column.question)
        if earlier is None:
            answered[column.question] = column
        elif earlier.found_by == "mapping" and column.found_by == "mapping":
            raise MappingFileError(
                f"The mapping {source} maps both “{earlier.header}” and “{column.header}” "
                f"to the question “{column.question}”."
            )
        elif column.found_by == "mapping":
            answered[column.question] = column
    ticked = {column.question for column in columns if column.role in ("choice", "place")}
    if prefer_options:
        # The format's 0/1 columns are exact; its joined column is only kept if a mapping says so.
        for name, whole in list(answered.items()):
            if name in ticked and whole.found_by != "mapping":
                del answered[name]
    settled: list[ColumnPlan] = []
    for column in columns:
        if column.role == "answer" and column.question is not None:
            kept = answered.get(column.question)
            if kept is None:
                column = replace(column, role="covered")
            elif kept is not column:
                column = replace(column, role="unmapped", question=None, found_by="")
        elif column.role in ("choice", "place") and column.question in answered:
            column = replace(column, role="covered")
        settled.append(column)
    return settled
