"""Designing a survey in forumkit: the edits a chair makes without a spreadsheet.

A survey is frozen (``forumkit.surveys.model``), so every edit here is a function from one
``Survey`` to the next: the designer keeps the states it passed through (that is its undo) and
nothing reaches the forum file until ``forumkit.surveys.design_store.save_design`` checks and
stores the result. Rules are written as the same XLSForm expressions an imported form carries
(``${support} = 'ehcp'``), so a designed survey behaves in data entry, kiosk mode and
spreadsheet import exactly as if it had come from Excel, and exports to an XLSForm pyxform takes.

Elements stay a flat list as in the survey sheet (``begin_group`` … ``end_group``); each
question's ``group`` is worked out again from that order after every edit, so moving a question
past a section's first or last row moves it into or out of the section.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from forumkit.surveys.design_rules import scale_parameters
from forumkit.surveys.model import (
    GROUP_TYPES,
    SELECT_TYPES,
    Choice,
    ChoiceList,
    Labels,
    Question,
    Survey,
)

DEFAULT_LANGUAGE = "English (en)"
"""The language a blank survey's texts are written in (XLSForm's ``label::English (en)``)."""

MAX_NAME = 32
"""Generated names stay short: they are column headings in exports and analysis."""


@dataclass(frozen=True)
class QuestionKind:
    """A kind of question the designer offers, in a chair's words."""

    key: str
    words: str
    type: str
    appearance: str = ""


QUESTION_KINDS: tuple[QuestionKind, ...] = (
    QuestionKind("text", "Written answer (one line)", "text"),
    QuestionKind("long_text", "Written answer (a few lines)", "text", "multiline"),
    QuestionKind("select_one", "Choose one", "select_one"),
    QuestionKind("select_multiple", "Tick all that apply", "select_multiple"),
    QuestionKind("yes_no", "Yes or no", "select_one"),
    QuestionKind("scale", "Score on a scale (0–10 or 1–5)", "range"),
    QuestionKind("integer", "Whole number", "integer"),
    QuestionKind("decimal", "Number with decimals", "decimal"),
    QuestionKind("date", "Date", "date"),
    QuestionKind("note", "Text to read (no answer)", "note"),
)
"""What a chair can add, in the order the designer lists them."""

KINDS = {kind.key: kind for kind in QUESTION_KINDS}


def kind_of(survey: Survey, question: Question) -> str:
    """The designer's kind for a question (``KINDS`` key); "" for a type it does not offer."""
    if question.type == "text":
        return "long_text" if "multiline" in question.appearance.split() else "text"
    if question.type == "select_one" and question.list_name in survey.choice_lists:
        names = {n.lower() for n in survey.choice_lists[question.list_name].names()}
        if names == {"yes", "no"}:
            return "yes_no"
    if question.type == "range":
        return "scale"
    return question.type if question.type in KINDS else ""


# -- names ---------------------------------------------------------------------------------


_NAME = re.compile(r"[A-Za-z_][\w.\-]*")
_WORD = re.compile(r"[a-z0-9]+")
_SMALL_WORDS = frozenset({"a", "an", "the", "of", "to", "for", "do", "does", "is", "are", "you"})


def is_usable_name(name: str) -> bool:
    """Whether XLSForm takes ``name`` for a question (a letter or _, then letters, digits,
    _, - or .)."""
    return _NAME.fullmatch(name) is not None


def name_from_label(label: str, taken: Iterable[str] = ()) -> str:
    """A short, usable, unused name made from what a question or choice says.

    ``"What support does your child have?"`` → ``what_support_your_child_have``; accents are
    dropped, small words left out when the name gets long, a number added if the name is taken.
    """
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    words = _WORD.findall(plain)
    if sum(len(w) + 1 for w in words) > MAX_NAME:
        words = [w for w in words if w not in _SMALL_WORDS] or words
    name = ""
    for word in words:
        joined = f"{name}_{word}" if name else word
        if len(joined) > MAX_NAME and name:
            break
        name = joined[:MAX_NAME]
    if not name:
        name = "question"
    if not name[0].isalpha():
        name = f"q_{name}"
    used = set(taken)
    if name not in used:
        return name
    number = 2
    while f"{name}_{number}" in used:
        number += 1
    return f"{name}_{number}"


def _names(survey: Survey) -> set[str]:
    return {e.name for e in survey.elements if e.type != "end_group"}


def form_id_from_title(title: str, taken: Iterable[str] = ()) -> str:
    """A ``form_id`` for a new survey: its title as lower-case words joined by hyphens."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    form_id = "-".join(_WORD.findall(plain))[:60].strip("-") or "survey"
    used = set(taken)
    if form_id not in used:
        return form_id
    number = 2
    while f"{form_id}-{number}" in used:
        number += 1
    return f"{form_id}-{number}"


def next_year(text: str) -> str:
    """``text`` with every year (2000–2098) one later: last year's "Parent survey 2025" →
    "Parent survey 2026", "2025-26" → "2026-27"."""

    def later(match: re.Match[str]) -> str:
        year = match.group(0)
        return str(int(year) + 1).zfill(len(year))

    text = re.sub(r"(?<!\d)20\d\d(?!\d)", later, text)
    return re.sub(r"(?<=20\d\d[-/])\d\d(?!\d)", later, text)


# -- texts ---------------------------------------------------------------------------------


def with_text(texts: Labels, language: str, text: str) -> Labels:
    """``texts`` with ``language``'s text set (an empty text removes it, as a blank cell)."""
    changed = dict(texts)
    text = text.strip()
    if text:
        changed[language] = text
    else:
        changed.pop(language, None)
    return changed


def label_language(survey: Survey) -> str:
    """The language new texts are written in first: the survey's default language."""
    return survey.default_language


# -- the element list ----------------------------------------------------------------------


def regroup(elements: Sequence[Question]) -> tuple[Question, ...]:
    """The elements with each one's ``group`` worked out from the order (outermost first), as
    the XLSForm reader gives it: an ``end_group`` row sits in no group."""
    groups: list[str] = []
    placed: list[Question] = []
    for element in elements:
        if element.type == "end_group":
            if groups:
                groups.pop()
            placed.append(replace(element, group=()))
            continue
        placed.append(replace(element, group=tuple(groups)))
        if element.type == "begin_group":
            groups.append(element.name)
    return tuple(placed)


def _rebuilt(survey: Survey, elements: Sequence[Question]) -> Survey:
    """The survey with these elements, regrouped, and without choice lists nobody uses."""
    placed = regroup(elements)
    used = {q.list_name for q in placed if q.list_name}
    lists = {name: cl for name, cl in survey.choice_lists.items() if name in used}
    names = {q.name for q in placed if q.type != "end_group"}
    return replace(
        survey,
        elements=placed,
        choice_lists=lists,
        consent_quote=survey.consent_quote if survey.consent_quote in names else "",
        consent_share=survey.consent_share if survey.consent_share in names else "",
    )


def index_of(survey: Survey, name: str) -> int:
    """Where the question or section ``name`` is in the element list; KeyError if nowhere."""
    for index, element in enumerate(survey.elements):
        if element.name == name and element.type != "end_group":
            return index
    raise KeyError(name)


def block(survey: Survey, name: str) -> range:
    """The element rows ``name`` occupies: one for a question, begin to end for a section."""
    start = index_of(survey, name)
    if survey.elements[start].type != "begin_group":
        return range(start, start + 1)
    depth = 0
    for index in range(start, len(survey.elements)):
        kind = survey.elements[index].type
        depth += {"begin_group": 1, "end_group": -1}.get(kind, 0)
        if depth == 0:
            return range(start, index + 1)
    return range(start, len(survey.elements))


def _insertion_point(survey: Survey, after: str | None, *, section: bool) -> int:
    """Where a new element goes: at the end, or after ``after`` (inside a section when
    ``after`` is a section's heading and the new element is a question)."""
    if after is None:
        return len(survey.elements)
    rows = block(survey, after)
    if survey.elements[rows.start].type == "begin_group" and not section:
        return rows.start + 1
    return rows.stop


def add_question(
    survey: Survey, kind: str, label: str, *, after: str | None = None
) -> tuple[Survey, str]:
    """Add a question of a designer kind (``KINDS``), labelled in the default language; its
    name comes from the label. Choose-one and tick-all questions get their own choice list
    (with two choices to edit), yes/no questions share the survey's yes/no list, and a scale
    runs from 0 to 10. Returns the survey and the new question's name."""
    chosen = KINDS[kind]
    name = name_from_label(label, _names(survey))
    language = label_language(survey)
    lists = dict(survey.choice_lists)
    list_name = ""
    parameters = ""
    if chosen.key == "yes_no":
        list_name = _yes_no_list(survey, lists)
    elif chosen.type in SELECT_TYPES:
        list_name = name_from_label(name, lists)
        lists[list_name] = _two_options(list_name, language)
    elif chosen.type == "range":
        parameters = scale_parameters(0, 10)
    question = Question(
        type=chosen.type,
        name=name,
        labels=with_text({}, language, label),
        list_name=list_name,
        appearance=chosen.appearance,
        parameters=parameters,
    )
    at = _insertion_point(survey, after, section=False)
    elements = [*survey.elements[:at], question, *survey.elements[at:]]
    return _rebuilt(replace(survey, choice_lists=lists), elements), name


def _two_options(list_name: str, language: str) -> ChoiceList:
    """A new question's choices, for the chair to overwrite."""
    return ChoiceList(
        list_name,
        tuple(Choice(f"option_{n}", with_text({}, language, f"Option {n}")) for n in (1, 2)),
    )


def _yes_no_list(survey: Survey, lists: dict[str, ChoiceList]) -> str:
    """The name of a list whose choices are exactly yes and no, added if the survey has none."""
    for name, choice_list in lists.items():
        if [n.lower() for n in choice_list.names()] == ["yes", "no"]:
            return name
    language = label_language(survey)
    name = name_from_label("yes_no", lists)
    lists[name] = ChoiceList(
        name,
        (
            Choice("yes", with_text({}, language, "Yes")),
            Choice("no", with_text({}, language, "No")),
        ),
    )
    return name


def add_section(survey: Survey, label: str, *, after: str | None = None) -> tuple[Survey, str]:
    """Add an empty section (an XLSForm group: a heading, one page in kiosk mode)."""
    name = name_from_label(label, _names(survey))
    begin = Question("begin_group", name, labels=with_text({}, label_language(survey), label))
    at = _insertion_point(survey, after, section=True)
    elements = [*survey.elements[:at], begin, Question("end_group", ""), *survey.elements[at:]]
    return _rebuilt(survey, elements), name


def remove(survey: Survey, name: str) -> Survey:
    """Remove a question, or a section's heading (its questions stay, out of the section).

    Rules of other questions that read the removed one are left as they are, so the problems
    list names them until they are changed."""
    rows = block(survey, name)
    if survey.elements[rows.start].type == "begin_group":
        dropped = {rows.start, rows.stop - 1}
    else:
        dropped = {rows.start}
    elements = [e for i, e in enumerate(survey.elements) if i not in dropped]
    return _rebuilt(survey, elements)


def move_to(survey: Survey, name: str, position: int) -> Survey:
    """Move a question (or a whole section) so it starts where element ``position`` was
    (``len(elements)`` for the end). Dragging in the question list lands here."""
    rows = block(survey, name)
    if rows.start <= position <= rows.stop:
        return survey
    moved = list(survey.elements[rows.start : rows.stop])
    rest = [e for i, e in enumerate(survey.elements) if i not in rows]
    at = position if position < rows.start else position - len(moved)
    return _rebuilt(survey, [*rest[:at], *moved, *rest[at:]])


def move_by(survey: Survey, name: str, step: int) -> Survey:
    """Move a question one place up (``step`` -1) or down (+1), into or out of sections as it
    passes their edges; a section moves past a whole neighbouring section."""
    rows = block(survey, name)
    elements = survey.elements
    is_section = elements[rows.start].type == "begin_group"
    if step < 0:
        if rows.start == 0:
            return survey
        target = rows.start - 1
        if is_section and elements[target].type == "end_group":
            target = _block_start_ending_at(survey, target)
        return move_to(survey, name, target)
    if rows.stop >= len(elements):
        return survey
    following = elements[rows.stop]
    if is_section and following.type == "begin_group":
        return move_to(survey, name, block(survey, following.name).stop)
    return move_to(survey, name, rows.stop + 1)


def _block_start_ending_at(survey: Survey, end: int) -> int:
    depth = 0
    for index in range(end, -1, -1):
        kind = survey.elements[index].type
        depth += {"end_group": 1, "begin_group": -1}.get(kind, 0)
        if depth == 0:
            return index
    return 0


# -- one question --------------------------------------------------------------------------


def question_changed(survey: Survey, current: str, /, **changes: object) -> Survey:
    """The survey with the question called ``current`` changed (any ``Question`` field). A
    new ``name`` is carried into every rule reading it and into the consent settings."""
    name = current
    index = index_of(survey, name)
    question = replace(survey.elements[index], **changes)  # type: ignore[arg-type]
    elements = list(survey.elements)
    elements[index] = question
    changed = replace(survey, elements=tuple(elements))
    if question.name != name:
        changed = _renamed(changed, name, question.name)
    return _rebuilt(changed, changed.elements)


def _renamed(survey: Survey, old: str, new: str) -> Survey:
    pattern = re.compile(r"\$\{\s*" + re.escape(old) + r"\s*\}")

    def carried(text: str) -> str:
        return pattern.sub("${" + new + "}", text)

    elements = [
        replace(
            e,
            relevant=carried(e.relevant),
            constraint=carried(e.constraint),
            required=carried(e.required),
            calculation=carried(e.calculation),
            choice_filter=carried(e.choice_filter),
            group=tuple(new if g == old else g for g in e.group),
        )
        for e in survey.elements
    ]
    return replace(
        survey,
        elements=tuple(elements),
        consent_quote=new if survey.consent_quote == old else survey.consent_quote,
        consent_share=new if survey.consent_share == old else survey.consent_share,
    )


def change_kind(survey: Survey, name: str, kind: str) -> Survey:
    """Make ``name`` a question of another designer kind, keeping its texts and rules; choices
    are added when it becomes a choice question, and a scale gets 0 to 10."""
    chosen = KINDS[kind]
    question = survey.question(name)
    if kind_of(survey, question) == kind or question.type in GROUP_TYPES:
        return survey
    lists = dict(survey.choice_lists)
    list_name = ""
    if chosen.key == "yes_no":
        list_name = _yes_no_list(survey, lists)
    elif chosen.type in SELECT_TYPES:
        if question.list_name and kind_of(survey, question) != "yes_no":
            list_name = question.list_name
        else:
            language = label_language(survey)
            list_name = name_from_label(name, lists)
            lists[list_name] = _two_options(list_name, language)
    parameters = scale_parameters(0, 10) if chosen.type == "range" else ""
    appearance = " ".join(w for w in question.appearance.split() if w != "multiline")
    if chosen.appearance:
        appearance = f"{appearance} {chosen.appearance}".strip()
    return question_changed(
        replace(survey, choice_lists=lists),
        name,
        type=chosen.type,
        list_name=list_name,
        or_other=question.or_other and chosen.type in SELECT_TYPES,
        parameters=parameters,
        appearance=appearance,
        constraint="" if chosen.type != question.type else question.constraint,
        constraint_messages={} if chosen.type != question.type else question.constraint_messages,
        choice_filter=question.choice_filter if chosen.type in SELECT_TYPES else "",
    )


def choices_changed(survey: Survey, list_name: str, choices: Sequence[Choice]) -> Survey:
    """The survey with the choice list ``list_name`` holding ``choices``, in this order.

    A list may be shared by several questions (one satisfaction scale for many items): they
    all change, which is what a chair editing "the satisfaction answers" means."""
    lists = dict(survey.choice_lists)
    lists[list_name] = ChoiceList(list_name, tuple(choices))
    return replace(survey, choice_lists=lists)


def questions_sharing(survey: Survey, list_name: str) -> list[Question]:
    """The questions drawing their choices from ``list_name``."""
    return [q for q in survey.questions if q.list_name == list_name]
