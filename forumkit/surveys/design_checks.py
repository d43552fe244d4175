"""What is wrong with a survey being designed, question by question, as the chair works.

The designer lists these problems as they arise and saving refuses a survey that has any
(``SurveyDesignError``), so nothing broken reaches the forum file. Each problem names the
question by what it says and by its name; none repeats a parent's answer (a design holds none).
The rules are those the XLSForm reader enforces on an imported form, plus the designer's own:
every question needs words, and skip logic may only read questions asked before it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from forumkit.errors import ForumkitError
from forumkit.surveys.dependencies import describe_circle, find_circle
from forumkit.surveys.design import is_usable_name
from forumkit.surveys.design_rules import is_yes_no, read_skip_rule, scale_of
from forumkit.surveys.errors import ExpressionError
from forumkit.surveys.expressions import parse, references
from forumkit.surveys.model import SELECT_TYPES, Question, Survey


@dataclass(frozen=True)
class DesignProblem:
    """One thing to put right before the survey can be saved; ``question`` is its name ("" for
    the survey as a whole)."""

    question: str
    message: str


class SurveyDesignError(ForumkitError):
    """A designed survey that cannot be saved as it is; ``problems`` lists everything wrong."""

    def __init__(self, problems: list[DesignProblem]) -> None:
        self.problems = problems
        more = len(problems) - 1
        extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        super().__init__(f"{problems[0].message}{extra}")


def _called(survey: Survey, question: Question) -> str:
    label = survey.label(question)
    if label == question.name or not question.name:
        return f"The question “{question.name}”"
    short = label if len(label) <= 60 else label[:57] + "…"
    kind = "section" if question.type == "begin_group" else "question"
    return f"The {kind} “{short}” ({question.name})"


def design_problems(survey: Survey) -> list[DesignProblem]:
    """Every problem of ``survey`` in form order; an empty list means it can be saved."""
    problems: list[DesignProblem] = []

    def add(question: Question | None, message: str) -> None:
        problems.append(DesignProblem(question.name if question else "", message))

    if not survey.title.strip():
        add(None, "The survey has no title; give it the name parents and volunteers will see.")
    if not is_usable_name(survey.form_id):
        add(None, f"The survey's form id “{survey.form_id}” is not usable; use letters and digits.")
    if not any(q.takes_answer for q in survey.questions):
        add(None, "The survey has no questions yet.")
    counts = Counter(e.name for e in survey.elements if e.type != "end_group")
    position: dict[str, int] = {}
    for index, element in enumerate(survey.elements):
        if element.type != "end_group":
            position.setdefault(element.name, index)
    for index, element in enumerate(survey.elements):
        if element.type == "end_group":
            continue
        called = _called(survey, element)
        if not is_usable_name(element.name):
            add(
                element,
                f"{called} has the name “{element.name}”, which is not usable; start with a "
                "letter and use only letters, digits and _.",
            )
        elif counts[element.name] > 1 and position[element.name] != index:
            add(element, f"{called} has the same name as another question, “{element.name}”.")
        if element.type not in ("calculate",) and not any(element.labels.values()):
            add(element, f"{called} has no words: write what it asks.")
        if element.type in SELECT_TYPES:
            problems.extend(_choice_problems(survey, element, called))
        if element.type == "range":
            start, end = scale_of(element)
            if start == end:
                add(element, f"{called} has a scale that starts and ends at {start}.")
        problems.extend(_rule_problems(survey, element, called, index, position))
    for kind, name in (("quote", survey.consent_quote), ("share", survey.consent_share)):
        if not name:
            continue
        try:
            question = survey.question(name)
        except KeyError:
            add(None, f"The consent to {kind} question “{name}” is not in the survey.")
            continue
        if not is_yes_no(survey, question):
            add(
                question,
                f"{_called(survey, question)} records consent, so it must be a yes/no question.",
            )
    if survey.consent_quote and survey.consent_quote == survey.consent_share:
        question = survey.question(survey.consent_quote)
        add(
            question,
            f"{_called(survey, question)} records both consents; ask to quote and to share "
            "with inspectors in two questions, so a parent can say yes to one only.",
        )
    if not problems:
        circle = find_circle(survey.elements)
        if circle is not None:
            add(None, describe_circle(circle) + ".")
    return problems


def _choice_problems(survey: Survey, question: Question, called: str) -> list[DesignProblem]:
    found: list[DesignProblem] = []
    choice_list = survey.choice_lists.get(question.list_name)
    if choice_list is None or not choice_list.choices:
        return [DesignProblem(question.name, f"{called} has no choices to pick from.")]
    seen: set[str] = set()
    for choice in choice_list.choices:
        if not choice.name.strip():
            found.append(DesignProblem(question.name, f"{called} has a choice with no name."))
        elif choice.name in seen and not survey.allow_choice_duplicates:
            found.append(
                DesignProblem(question.name, f"{called} has two choices called “{choice.name}”.")
            )
        elif " " in choice.name:
            found.append(
                DesignProblem(
                    question.name,
                    f"{called} has the choice name “{choice.name}”, with a space; use _ instead.",
                )
            )
        seen.add(choice.name)
        if not any(choice.labels.values()):
            found.append(
                DesignProblem(
                    question.name, f"{called} has a choice with no words ({choice.name})."
                )
            )
    return found


def _rule_problems(
    survey: Survey, question: Question, called: str, index: int, position: dict[str, int]
) -> list[DesignProblem]:
    found: list[DesignProblem] = []
    words = {"relevant": "skip rule", "constraint": "limit", "required": "required rule"}
    for column, text in question.rules():
        what = words.get(column, f"{column} rule")
        try:
            expression = parse(text)
        except ExpressionError as error:
            found.append(
                DesignProblem(
                    question.name, f"{called} has a {what} that does not read: {error.reason}."
                )
            )
            continue
        for name in sorted(references(expression)):
            if name not in position:
                found.append(
                    DesignProblem(
                        question.name,
                        f"{called} has a {what} reading “{name}”, which is not in the survey.",
                    )
                )
            elif column == "relevant" and position[name] >= index:
                where = "itself" if name == question.name else f"“{name}”, a later question"
                found.append(
                    DesignProblem(
                        question.name,
                        f"{called} has a {what} reading {where}; a skip rule can only read "
                        "questions asked before it.",
                    )
                )
    rule = read_skip_rule(survey, question.relevant) if question.relevant else None
    if rule is not None:
        asked = survey.question(rule.question)
        offered = asked.list_name in survey.choice_lists and asked.type in SELECT_TYPES
        if offered and rule.choice not in survey.choice_labels(asked):
            found.append(
                DesignProblem(
                    question.name,
                    f"{called} has a skip rule waiting for the answer “{rule.choice}”, which "
                    f"“{survey.label(asked)}” no longer offers.",
                )
            )
    return found


def language_name(survey: Survey, name: str) -> str:
    """A new language's name as XLSForm headers carry it (``label::Polski (pl)``), checked:
    not empty, not one the survey has, and without ``::`` (which would split the header)."""
    cleaned = " ".join(name.split())
    if not cleaned or "::" in cleaned:
        message = "Name the language as people know it, with its code: for example Polski (pl)."
        raise SurveyDesignError([DesignProblem("", message)])
    if cleaned in survey.languages:
        raise SurveyDesignError([DesignProblem("", f"The survey is already in {cleaned}.")])
    return cleaned


def check_design(survey: Survey) -> None:
    """Raise ``SurveyDesignError`` listing every problem of ``survey``, if it has any."""
    problems = design_problems(survey)
    if problems:
        raise SurveyDesignError(problems)
