"""The survey as data: questions in order, choice lists, rules and consent questions.

A ``Survey`` is what a forum designs in an XLSForm, normalised: headers and type spellings are
settled, skipped rows are gone, and each rule is kept as its expression text (parsed on use, with
a cache). Surveys are frozen: a changed form is a new version, never an edited one. Two surveys
compare equal when their definitions are equal, whatever their ids and row numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from forumkit.surveys.expressions import (
    parse,
    references,
    unknown_functions,
)

CAPTURED_TYPES = frozenset(
    {
        "text",
        "integer",
        "decimal",
        "select_one",
        "select_multiple",
        "rank",
        "range",
        "date",
        "time",
        "datetime",
        "acknowledge",
        "note",
        "calculate",
        "start",
        "end",
        "today",
    }
)
"""Question types forumkit can show, capture or compute on a laptop."""

SELECT_TYPES = frozenset({"select_one", "select_multiple", "rank"})
METADATA_TYPES = frozenset({"start", "end", "today"})
GROUP_TYPES = frozenset({"begin_group", "end_group"})
RULE_COLUMNS = ("relevant", "required", "constraint", "calculation", "choice_filter")
"""The columns whose text is an expression, in the order a reader meets them."""

OTHER_CHOICE = "other"
"""The choice name ``or_other`` adds to a list, as in pyxform."""

Labels = dict[str, str]
"""Text per language; the key ``""`` is a column without a language (plain ``label``)."""


@dataclass(frozen=True)
class Choice:
    """One answer a parent can pick, with its labels and its choice-filter columns."""

    name: str
    labels: Labels = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChoiceList:
    """A named list of choices from the choices sheet (``list_name``)."""

    name: str
    choices: tuple[Choice, ...]

    def names(self) -> list[str]:
        """The choice names in sheet order, without repeats."""
        return list(dict.fromkeys(choice.name for choice in self.choices))

    def names_with_other(self) -> list[str]:
        """The choice names plus the ``other`` choice that ``or_other`` adds."""
        names = self.names()
        return names if OTHER_CHOICE in names else [*names, OTHER_CHOICE]


@dataclass(frozen=True)
class Question:
    """One row of the survey sheet: a question, a note, a calculation or a group's edge."""

    type: str
    name: str
    labels: Labels = field(default_factory=dict)
    hints: Labels = field(default_factory=dict)
    list_name: str = ""
    or_other: bool = False
    required: str = ""
    """``""`` (not required), ``"yes"``, or an expression deciding it."""
    required_messages: Labels = field(default_factory=dict)
    relevant: str = ""
    constraint: str = ""
    constraint_messages: Labels = field(default_factory=dict)
    default: str = ""
    choice_filter: str = ""
    appearance: str = ""
    calculation: str = ""
    parameters: str = ""
    group: tuple[str, ...] = ()
    """Names of the groups this row sits in, outermost first."""
    row: int = field(default=0, compare=False)
    """Where the row was in the survey sheet it came from (for messages; 0 if unknown)."""

    @property
    def takes_answer(self) -> bool:
        """Whether a parent (or the laptop, for metadata) gives this question a value."""
        return self.type in CAPTURED_TYPES and self.type not in ("note", "calculate")

    @property
    def is_metadata(self) -> bool:
        """Whether the laptop answers this question (XLSForm's ``start``, ``end``, ``today``),
        never a person: forms do not show it."""
        return self.type in METADATA_TYPES

    def rules(self) -> Iterator[tuple[str, str]]:
        """(column, expression text) for every rule on this row, ``required: yes`` excluded."""
        for column in RULE_COLUMNS:
            text = str(getattr(self, column))
            if text and not (column == "required" and text == "yes"):
                yield column, text


@dataclass(frozen=True)
class UnenforcedRule:
    """A rule forumkit keeps but cannot check at capture time, and why (shown by the UI)."""

    question: str
    column: str
    reason: str


@dataclass(frozen=True)
class Survey:
    """A survey (one ``form_id``) at one of its versions."""

    form_id: str
    title: str
    elements: tuple[Question, ...]
    choice_lists: dict[str, ChoiceList] = field(default_factory=dict)
    default_language: str = ""
    form_version: str = ""
    """The XLSForm ``settings`` version text, kept as the author wrote it."""
    consent_quote: str = ""
    """Name of the question recording consent to quote the parent's words ("" if none)."""
    consent_share: str = ""
    """Name of the question recording consent to share answers with inspectors ("" if none)."""
    previous_form_id: str = ""
    """The ``form_id`` of the survey this one is next year's edition of ("" if none)."""
    allow_choice_duplicates: bool = False
    id: str = field(default="", compare=False)
    version: int = field(default=0, compare=False)
    version_id: str = field(default="", compare=False)

    @property
    def questions(self) -> tuple[Question, ...]:
        """Rows that hold a value (answers, metadata, calculations, notes), without group edges."""
        return tuple(q for q in self.elements if q.type not in GROUP_TYPES)

    def question(self, name: str) -> Question:
        """The question called ``name`` (or, when no question is, the group); ``KeyError``
        when the survey has neither. A group may share its name with a question (as in
        pyxform's forms); the question wins, as answers are keyed by it."""
        for element in self.elements:
            if element.name == name and element.type not in GROUP_TYPES:
                return element
        return self.group(name)

    def group(self, name: str) -> Question:
        """The ``begin_group`` row of the group called ``name``; ``KeyError`` if none."""
        for element in self.elements:
            if element.name == name and element.type == "begin_group":
                return element
        raise KeyError(name)

    def choices_for(self, question: Question) -> ChoiceList:
        """The choice list a select or rank question draws from."""
        return self.choice_lists[question.list_name]

    def label(self, item: Question | Choice, language: str | None = None) -> str:
        """What people read for a question, group or choice: its label in ``language`` (else
        in the survey's default language, else any), or its name when it has no label."""
        return pick_text(item.labels, language, self.default_language) or item.name

    def choice_labels(self, question: Question, language: str | None = None) -> dict[str, str]:
        """A select or rank question's choices in order, name → label (as :meth:`label`), with
        the "Other" choice that ``or_other`` adds."""
        labels: dict[str, str] = {}
        for choice in self.choices_for(question).choices:
            labels.setdefault(choice.name, self.label(choice, language))
        if question.or_other:
            labels.setdefault(OTHER_CHOICE, "Other")
        return labels

    def hint(self, question: Question, language: str | None = None) -> str:
        """A question's hint in ``language`` (else the default language, else any); "" if none."""
        return pick_text(question.hints, language, self.default_language)

    @property
    def languages(self) -> list[str]:
        """Every language the survey's texts are written in, the default first."""
        seen: dict[str, None] = {self.default_language: None}
        for element in self.elements:
            for texts in (
                element.labels,
                element.hints,
                element.constraint_messages,
                element.required_messages,
            ):
                seen.update(dict.fromkeys(texts))
        for choice_list in self.choice_lists.values():
            for choice in choice_list.choices:
                seen.update(dict.fromkeys(choice.labels))
        return list(seen)

    def unenforced_rules(self) -> list[UnenforcedRule]:
        """Rules that cannot be checked: unknown functions, or answers forumkit does not collect."""
        names = {q.name for q in self.elements if q.type != "end_group"}
        found: list[UnenforcedRule] = []
        for element in self.elements:
            for column, text in element.rules():
                expression = parse(text)
                for function in sorted(unknown_functions(expression)):
                    reason = f"forumkit does not know the function {function}()"
                    found.append(UnenforcedRule(element.name, column, reason))
                for missing in sorted(references(expression) - names):
                    reason = f"it reads ${{{missing}}}, which forumkit does not collect"
                    found.append(UnenforcedRule(element.name, column, reason))
        return found


def pick_text(texts: Mapping[str, str], language: str | None, default_language: str) -> str:
    """The text in ``language``, else the default language, else the plain column, else any."""
    for key in (language, default_language, ""):
        if key is not None and texts.get(key):
            return texts[key]
    return next((text for text in texts.values() if text), "")


def survey_to_dict(survey: Survey) -> dict[str, Any]:
    """A JSON-ready form of the definition (ids excluded), as stored in the forum file."""
    return {
        "format": 1,
        "form_id": survey.form_id,
        "title": survey.title,
        "default_language": survey.default_language,
        "form_version": survey.form_version,
        "consent_quote": survey.consent_quote,
        "consent_share": survey.consent_share,
        "previous_form_id": survey.previous_form_id,
        "allow_choice_duplicates": survey.allow_choice_duplicates,
        "elements": [_question_to_dict(q) for q in survey.elements],
        "choice_lists": [
            {
                "name": choice_list.name,
                "choices": [
                    {"name": c.name, "labels": c.labels, "filters": c.filters}
                    for c in choice_list.choices
                ],
            }
            for choice_list in survey.choice_lists.values()
        ],
    }


def _question_to_dict(question: Question) -> dict[str, Any]:
    data: dict[str, Any] = {"type": question.type, "name": question.name, "row": question.row}
    for key in (
        "labels",
        "hints",
        "list_name",
        "or_other",
        "required",
        "required_messages",
        "relevant",
        "constraint",
        "constraint_messages",
        "default",
        "choice_filter",
        "appearance",
        "calculation",
        "parameters",
    ):
        value = getattr(question, key)
        if value:
            data[key] = value
    if question.group:
        data["group"] = list(question.group)
    return data


def survey_from_dict(data: Mapping[str, Any]) -> Survey:
    """Rebuild a survey from ``survey_to_dict``'s output."""
    elements = tuple(
        Question(
            type=item["type"],
            name=item["name"],
            labels=dict(item.get("labels", {})),
            hints=dict(item.get("hints", {})),
            list_name=item.get("list_name", ""),
            or_other=bool(item.get("or_other", False)),
            required=item.get("required", ""),
            required_messages=dict(item.get("required_messages", {})),
            relevant=item.get("relevant", ""),
            constraint=item.get("constraint", ""),
            constraint_messages=dict(item.get("constraint_messages", {})),
            default=item.get("default", ""),
            choice_filter=item.get("choice_filter", ""),
            appearance=item.get("appearance", ""),
            calculation=item.get("calculation", ""),
            parameters=item.get("parameters", ""),
            group=tuple(item.get("group", ())),
            row=int(item.get("row", 0)),
        )
        for item in data["elements"]
    )
    choice_lists = {
        entry["name"]: ChoiceList(
            entry["name"],
            tuple(
                Choice(c["name"], dict(c.get("labels", {})), dict(c.get("filters", {})))
                for c in entry["choices"]
            ),
        )
        for entry in data["choice_lists"]
    }
    return Survey(
        form_id=data["form_id"],
        title=data["title"],
        elements=elements,
        choice_lists=choice_lists,
        default_language=data.get("default_language", ""),
        form_version=data.get("form_version", ""),
        consent_quote=data.get("consent_quote", ""),
        consent_share=data.get("consent_share", ""),
        previous_form_id=data.get("previous_form_id", ""),
        allow_choice_duplicates=bool(data.get("allow_choice_duplicates", False)),
    )
