"""Counting a survey's answers for the responses in scope, overall or per group.

Choice questions are counted from the derived index of chosen options
(``forumkit.schema.derived``: one row per option a response picked), in one ``GROUP BY`` for the
whole survey, so counting stays quick at 100,000 responses; grouped by a single-choice
attribute, the index is joined to itself. Numbers and "answered or not" of the other questions
come from one pass over the answers' JSON (``json_each``, one parse per response). The
responses in scope are those :func:`forumkit.analysis.scope.fill_scope` put in ``temp``.

Nothing here decides what is shown: the counts go on to :mod:`.tables` and suppression.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import sqlite_utils

from forumkit.analysis.numbers import exact, in_units, scale_for
from forumkit.analysis.scope import SCOPE_TABLE
from forumkit.schema import derived
from forumkit.surveys import Question, Survey

Kind = Literal["single", "rating", "multiple", "number", "answered"]
"""How a question is analysed: one choice; one choice on a numbered scale (also a score);
several choices; a number; or only whether it was answered (text, dates, ticks)."""

CHOICE_KINDS = frozenset({"single", "rating", "multiple"})
NUMBER_TYPES = frozenset({"integer", "decimal", "range"})
MULTIPLE_TYPES = frozenset({"select_multiple", "rank"})

NO_GROUP = ""
"""The group of responses with no answer to the attribute (a choice name is never empty)."""


@dataclass
class Tally:
    """One question's counts in one group of responses."""

    responses: int
    """How many responses the group holds (answered or not)."""
    answered: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    """Choice name → how many picked it (choice questions)."""
    values: list[object] = field(default_factory=list)
    """The answers themselves (number questions), as stored."""

    @property
    def no_answer(self) -> int:
        return self.responses - self.answered


def analysed_questions(survey: Survey) -> list[Question]:
    """The questions an analysis covers: every one a parent answers, in survey order."""
    return [q for q in survey.questions if q.takes_answer and not q.is_metadata]


def kind_of(question: Question, choices: Iterable[str]) -> Kind:
    """How ``question`` is analysed, given every choice name it has or was answered with."""
    if question.type == "select_one":
        names = list(choices)
        scored = len(names) >= 2 and all(_whole(name) is not None for name in names)
        return "rating" if scored else "single"
    if question.type in MULTIPLE_TYPES:
        return "multiple"
    if question.type in NUMBER_TYPES:
        return "number"
    return "answered"


def _whole(name: str) -> int | None:
    text = name.strip()
    digits = text[1:] if text[:1] in "+-" else text
    return int(text) if digits.isdigit() else None


def rating_value(name: str) -> int:
    """The score a rating choice stands for (its name is a whole number)."""
    value = _whole(name)
    if value is None:
        raise ValueError(f"{name!r} is not a score")
    return value


_IN_SCOPE = f"SELECT seq FROM temp.{SCOPE_TABLE}"  # noqa: S608 (constant SQL)


def group_sizes(db: sqlite_utils.Database, survey: Survey, attribute: str) -> dict[str, int]:
    """How many responses in scope picked each choice of ``attribute`` (a single-choice
    question); :data:`NO_GROUP` for those with no answer to it."""
    sql, params = derived.chosen_counts_sql(survey.id, attribute)
    rows = db.execute(f"{sql} AND c.seq IN ({_IN_SCOPE}) GROUP BY choice", params).fetchall()
    sizes = {str(choice): int(count) for choice, count in rows}
    total: int = db.execute(f"SELECT count(*) FROM temp.{SCOPE_TABLE}").fetchone()[0]  # noqa: S608
    sizes[NO_GROUP] = total - sum(sizes.values())
    return sizes


def group_of_each(db: sqlite_utils.Database, survey: Survey, attribute: str) -> dict[int, str]:
    """``seq`` → the attribute choice of each response in scope that answered it."""
    rows = db.execute(
        f"SELECT c.seq, o.choice FROM temp.{derived.CHOICES_TABLE} c "  # noqa: S608
        f"JOIN temp.{derived.OPTIONS_TABLE} o ON o.id = c.option "
        f"WHERE o.survey_id = ? AND o.question = ? AND c.seq IN ({_IN_SCOPE})",
        [survey.id, attribute],
    ).fetchall()
    return {int(seq): str(choice) for seq, choice in rows}


def _choice_rows(
    db: sqlite_utils.Database, survey: Survey, attribute: str | None
) -> list[tuple[str, str, str, int]]:
    """(group, question, choice, count) over every choice question of the survey."""
    options = f"temp.{derived.OPTIONS_TABLE}"
    picks = f"temp.{derived.CHOICES_TABLE}"
    if attribute is None:
        sql = (
            f"SELECT '', o.question, o.choice, count(*) FROM temp.{SCOPE_TABLE} s "  # noqa: S608
            f"JOIN {picks} c ON c.seq = s.seq JOIN {options} o ON o.id = c.option "
            "GROUP BY c.option"
        )
        params: list[object] = []
    else:
        sql = (
            f"SELECT g.choice, o.question, o.choice, count(*) FROM temp.{SCOPE_TABLE} s "  # noqa: S608
            f"JOIN {picks} a ON a.seq = s.seq JOIN {options} g ON g.id = a.option "
            f"JOIN {picks} c ON c.seq = s.seq JOIN {options} o ON o.id = c.option "
            "WHERE g.survey_id = ? AND g.question = ? GROUP BY a.option, c.option"
        )
        params = [survey.id, attribute]
    return [(str(g), str(q), str(c), int(n)) for g, q, c, n in db.execute(sql, params).fetchall()]


def _answered_rows(
    db: sqlite_utils.Database, survey: Survey, names: Sequence[str], attribute: str | None
) -> list[tuple[str, str, int]]:
    """(group, question, how many responses picked anything) for multi-select questions."""
    if not names:
        return []
    options = f"temp.{derived.OPTIONS_TABLE}"
    picks = f"temp.{derived.CHOICES_TABLE}"
    marks = ", ".join("?" for _ in names)
    if attribute is None:
        sql = (
            f"SELECT '', o.question, count(DISTINCT c.seq) FROM temp.{SCOPE_TABLE} s "  # noqa: S608
            f"JOIN {picks} c ON c.seq = s.seq JOIN {options} o ON o.id = c.option "
            f"WHERE o.question IN ({marks}) GROUP BY o.question"
        )
        params: list[object] = list(names)
    else:
        sql = (
            f"SELECT g.choice, o.question, count(DISTINCT c.seq) "  # noqa: S608
            f"FROM temp.{SCOPE_TABLE} s "
            f"JOIN {picks} a ON a.seq = s.seq JOIN {options} g ON g.id = a.option "
            f"JOIN {picks} c ON c.seq = s.seq JOIN {options} o ON o.id = c.option "
            f"WHERE g.survey_id = ? AND g.question = ? AND o.question IN ({marks}) "
            "GROUP BY a.option, o.question"
        )
        params = [survey.id, attribute, *names]
    return [(str(g), str(q), int(n)) for g, q, n in db.execute(sql, params).fetchall()]


def _answer_rows(db: sqlite_utils.Database, names: Sequence[str]) -> list[tuple[int, str, object]]:
    """(seq, question, answer) for the named questions of every response in scope."""
    if not names:
        return []
    marks = ", ".join("?" for _ in names)
    sql = (
        f"SELECT s.seq, j.key, j.value FROM temp.{SCOPE_TABLE} s "  # noqa: S608
        "JOIN responses r ON r.seq = s.seq, json_each(r.answers) j "
        f"WHERE j.key IN ({marks})"
    )
    return [(int(seq), str(key), value) for seq, key, value in db.execute(sql, list(names))]


def _answered(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


@dataclass
class Counts:
    """Every analysed question's tally, over all responses in scope and, when grouped by an
    attribute, per group (each choice of the attribute, and :data:`NO_GROUP`)."""

    overall: dict[str, Tally]
    groups: dict[str, dict[str, Tally]] = field(default_factory=dict)


def _add_choices(
    into: dict[str, dict[str, Tally]],
    rows: Iterable[tuple[str, str, str, int]],
    by_name: dict[str, Question],
) -> None:
    for group, name, choice, count in rows:
        question = by_name.get(name)
        if question is None or group not in into:
            continue
        tally = into[group][name]
        tally.counts[choice] = tally.counts.get(choice, 0) + count
        if question.type == "select_one":
            tally.answered += count


def count_answers(
    db: sqlite_utils.Database,
    survey: Survey,
    questions: Sequence[Question],
    responses: int,
    attribute: str | None = None,
    group_names: Sequence[str] = (),
) -> Counts:
    """The tallies of ``questions`` over the ``responses`` in scope, and per group of
    ``attribute`` (a single-choice question) when given.

    The group with no answer to the attribute gets the whole scope's counts less the others';
    ``group_names`` (the attribute's choices) are groups even when nobody picked them.
    """
    by_name = {q.name: q for q in questions}
    overall = {q.name: Tally(responses) for q in questions}
    sizes: dict[str, int] = {}
    if attribute is not None:
        found = group_sizes(db, survey, attribute)
        sizes = {name: found.pop(name, 0) for name in group_names} | found
    groups = {g: {q.name: Tally(size) for q in questions} for g, size in sizes.items()}
    _add_choices({"": overall}, _choice_rows(db, survey, None), by_name)
    multiple = [q.name for q in questions if q.type in MULTIPLE_TYPES]
    for _, name, count in _answered_rows(db, survey, multiple, None):
        overall[name].answered = count
    if attribute is not None:
        _add_choices(groups, _choice_rows(db, survey, attribute), by_name)
        for group, name, count in _answered_rows(db, survey, multiple, attribute):
            groups[group][name].answered = count
    others = [q.name for q in questions if q.type not in derived.CHOICE_QUESTION_TYPES]
    group_of = group_of_each(db, survey, attribute) if attribute is not None else {}
    for seq, name, value in _answer_rows(db, others):
        is_number = by_name[name].type in NUMBER_TYPES
        if not _answered(value) or (is_number and exact(value) is None):
            continue
        tallies = [overall[name]]
        if attribute is not None:
            tallies.append(groups[group_of.get(seq, NO_GROUP)][name])
        for tally in tallies:
            tally.answered += 1
            if is_number:
                tally.values.append(value)
    if attribute is not None:
        _fill_rest(groups, overall, questions)
    return Counts(overall, groups)


def _fill_rest(
    groups: dict[str, dict[str, Tally]], overall: dict[str, Tally], questions: Sequence[Question]
) -> None:
    """The choice counts of the group with no answer to the attribute: the whole scope's less
    those of the groups that answered it (each response is in one group at most)."""
    named = [tallies for group, tallies in groups.items() if group != NO_GROUP]
    rest = groups[NO_GROUP]
    for question in questions:
        if question.type not in derived.CHOICE_QUESTION_TYPES:
            continue
        total = overall[question.name]
        mine = rest[question.name]
        mine.answered = total.answered - sum(t[question.name].answered for t in named)
        for choice, count in total.counts.items():
            mine.counts[choice] = count - sum(t[question.name].counts.get(choice, 0) for t in named)


def units_of(values: Sequence[object], question: Question | None) -> tuple[list[int], int]:
    """Number answers in whole units (see :mod:`.numbers`), and the unit's scale."""
    numbers = [n for n in (exact(v) for v in values) if n is not None]
    scale = scale_for(numbers, question)
    return [in_units(n, scale) for n in numbers], scale
