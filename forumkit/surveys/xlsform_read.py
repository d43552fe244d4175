"""Turning an XLSForm workbook into a ``Survey``, with warnings for what forumkit skips.

Follows the conventions real files rely on (pyxform's, the reference converter of ODK and
KoboToolbox): legacy type spellings, ``or_other``, groups, choice filters. Rows forumkit cannot
capture on a laptop (locations, photos, repeats, ...) are skipped with a warning naming the row,
and their expressions are not parsed; anything that would make the survey wrong is refused with
one sentence naming the sheet, row and column.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from forumkit.surveys.answers import parameter_parts
from forumkit.surveys.dependencies import describe_circle, find_circle
from forumkit.surveys.errors import ExpressionError, XLSFormError
from forumkit.surveys.expressions import column_names, parse, references, unknown_functions
from forumkit.surveys.model import (
    CAPTURED_TYPES,
    OTHER_CHOICE,
    SELECT_TYPES,
    Choice,
    ChoiceList,
    Question,
    Survey,
)
from forumkit.surveys.xlsform_sheets import Sheet, SheetRow, read_sheets
from forumkit.surveys.xlsform_types import (
    GROUP_WORDS,
    SELECT_SPELLINGS,
    SKIPPED_PREFIXES,
    SKIPPED_TYPES,
    TYPES,
)

XLSFORM_SHEETS = ("survey", "choices", "settings")
CONSENT_COLUMN = "forumkit_consent"

_SIMPLE_TYPES = {
    spelling: canonical for spelling, canonical in TYPES.items() if canonical in CAPTURED_TYPES
}
_SELECT = re.compile(
    "(" + "|".join(sorted(map(re.escape, SELECT_SPELLINGS), key=len, reverse=True)) + ")"
    r"(?: from)? (\S+)(?: (or_other|or specify other|or other))?",
    re.IGNORECASE,
)
_CONTROL = re.compile(r"(begin|end)[ _](group|repeat|looped group|lgroup|loop)\b", re.IGNORECASE)
_NAME = re.compile(r"[A-Za-z_][\w.\-]*")
_TRUE = frozenset({"yes", "true", "true()", "1"})
_FALSE = frozenset({"no", "false", "false()", "0"})
_RANGE_KEYS = frozenset({"start", "end", "step"})


@dataclass(frozen=True)
class ReadResult:
    """A survey read from an XLSForm, with warnings about what forumkit skipped or cannot check."""

    survey: Survey
    warnings: tuple[str, ...]


@dataclass
class _Builder:
    sheet: Sheet
    choice_lists: dict[str, ChoiceList]
    choice_columns: dict[str, set[str]]
    warnings: list[str] = field(default_factory=list)
    elements: list[Question] = field(default_factory=list)
    names: dict[str, int] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    consent: dict[str, str] = field(default_factory=dict)
    specify_other: dict[str, str] = field(default_factory=dict)
    """``NAME_other`` → NAME, for the text questions ``or_other`` adds."""

    def where(self, row: SheetRow, column: str | None = None) -> str:
        if column is None:
            return f"Row {row.number} of the {self.sheet.title} sheet"
        letter = self.sheet.letters.get(column, "?")
        return f"Row {row.number} of the {self.sheet.title} sheet, column {column} ({letter})"

    def refuse(self, row: SheetRow, column: str | None, message: str) -> XLSFormError:
        return XLSFormError(
            f"{self.where(row, column)}: {message}",
            sheet=self.sheet.title,
            row=row.number,
            column=self.sheet.letters.get(column or "", None),
        )


def read_xlsform(path: Path) -> ReadResult:
    """Read an XLSForm workbook into a survey; raise ``XLSFormError`` for a form it must refuse."""
    path = Path(path)
    sheets = read_sheets(path)
    warnings: list[str] = []
    survey_sheet = sheets.get("survey")
    if survey_sheet is None:
        if len(sheets) != 1:
            raise XLSFormError(
                f"“{path.name}” has no sheet called “survey”; an XLSForm keeps its questions there."
            )
        survey_sheet = next(iter(sheets.values()))
    for key, sheet in sheets.items():
        if sheet is survey_sheet or key in XLSFORM_SHEETS:
            continue
        guess = difflib.get_close_matches(key, XLSFORM_SHEETS, n=1, cutoff=0.75)
        hint = f" (did you mean “{guess[0]}”?)" if guess else ""
        warnings.append(f"The sheet “{sheet.title}” is not an XLSForm sheet and is ignored{hint}.")
    settings = _settings(sheets.get("settings"))
    allow_duplicates = settings.get("allow_choice_duplicates", "").lower() in _TRUE
    choice_lists, choice_columns = _choices(sheets.get("choices"), allow_duplicates, warnings)
    for column in ("type", "name"):
        if not survey_sheet.has(column):
            raise XLSFormError(
                f"The {survey_sheet.title} sheet has no “{column}” column; every XLSForm needs "
                "“type” and “name” headers in its first row.",
                sheet=survey_sheet.title,
                row=1,
            )
    builder = _Builder(survey_sheet, choice_lists, choice_columns, warnings)
    _read_rows(builder)
    _check_references(builder)
    _check_circles(builder)
    _check_shown(builder)
    form_id = settings.get("form_id") or path.stem.strip()
    default_language = _default_language(builder.elements, settings.get("default_language", ""))
    used_lists = {q.list_name for q in builder.elements if q.list_name}
    survey = Survey(
        form_id=form_id,
        title=settings.get("form_title") or form_id,
        elements=tuple(builder.elements),
        choice_lists={name: cl for name, cl in choice_lists.items() if name in used_lists},
        default_language=default_language,
        form_version=settings.get("version", ""),
        consent_quote=_consent(builder, "quote"),
        consent_share=_consent(builder, "share"),
        previous_form_id=settings.get("forumkit_previous", ""),
        allow_choice_duplicates=allow_duplicates,
    )
    return ReadResult(survey, tuple(warnings))


def _default_language(elements: list[Question], chosen: str) -> str:
    """The settings' default language if texts use it, else the plain or first label language."""
    label_languages = list(dict.fromkeys(lang for q in elements for lang in q.labels))
    languages = set(label_languages) | {lang for q in elements for lang in q.hints}
    if chosen in languages:
        return chosen
    if "" in label_languages or not label_languages:
        return ""
    return label_languages[0]


def _settings(sheet: Sheet | None) -> dict[str, str]:
    if sheet is None or not sheet.rows:
        return {}
    return dict(sheet.rows[0].cells)


def _choices(
    sheet: Sheet | None, allow_duplicates: bool, warnings: list[str]
) -> tuple[dict[str, ChoiceList], dict[str, set[str]]]:
    if sheet is None or not sheet.rows:
        return {}, {}
    for column in ("list_name", "name"):
        if not sheet.has(column):
            raise XLSFormError(
                f"The {sheet.title} sheet has no “{column}” column; it needs “list_name”, "
                "“name” and “label” headers in its first row.",
                sheet=sheet.title,
                row=1,
            )
    ignored = {"list_name", "name", "label", "image", "audio", "video", "big-image", "media"}
    filter_columns = [c for c in sheet.columns() if c.partition("::")[0] not in ignored]
    lists: dict[str, list[Choice]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in sheet.rows:
        list_name, name = row.get("list_name"), row.get("name")
        if not list_name and not name:
            # pyxform leaves out a choices row with no list name and no name (a stray label).
            warnings.append(
                f"Row {row.number} of the {sheet.title} sheet has neither a list_name nor a "
                "name, so it is left out."
            )
            continue
        if not list_name:
            # pyxform leaves it out too (a choice in no list is offered by no question); a
            # warning, since the list_name was more likely forgotten than meant.
            warnings.append(
                f"Row {row.number} of the {sheet.title} sheet has the choice “{name}” but no "
                f"list_name (column {sheet.letters['list_name']}), so no question offers it; "
                "it is left out."
            )
            continue
        if not name:
            raise XLSFormError(
                f"Row {row.number} of the {sheet.title} sheet has no name "
                f"(column {sheet.letters['name']}); every choice needs one.",
                sheet=sheet.title,
                row=row.number,
                column=sheet.letters["name"],
            )
        earlier = seen.get((list_name, name))
        if earlier is not None and not allow_duplicates:
            raise XLSFormError(
                f"Row {row.number} of the {sheet.title} sheet repeats the choice “{name}” of the "
                f"list “{list_name}” (first on row {earlier}); rename one, or set "
                "allow_choice_duplicates to yes in the settings sheet.",
                sheet=sheet.title,
                row=row.number,
                column=sheet.letters["name"],
            )
        seen.setdefault((list_name, name), row.number)
        filters = {c: row.get(c) for c in filter_columns if row.get(c)}
        lists.setdefault(list_name, []).append(Choice(name, row.translations("label"), filters))
    choice_lists = {name: ChoiceList(name, tuple(choices)) for name, choices in lists.items()}
    columns = {name: set(filter_columns) for name in lists}
    return choice_lists, columns


def _control(lowered: str) -> tuple[str, str] | None:
    """(``begin`` or ``end``, ``group`` or ``repeat``) for a row opening or closing a group,
    spelt any way pyxform accepts (``begin_group``, ``begin looped group``, ``end loop``)."""
    match = _CONTROL.match(lowered)
    if match is None or (lowered[match.end() :].strip() and match.group(1) == "end"):
        return None
    word = match.group(2).lower()
    return match.group(1).lower(), GROUP_WORDS.get(word, "loop" if word == "loop" else word)


def _ignored(builder: _Builder, row: SheetRow) -> bool:
    """Rows pyxform leaves out, and says so: ``disabled`` ones, and comment rows (no type,
    name or label: a heading or a note to the form's authors)."""
    if row.get("disabled").lower() in _TRUE:
        builder.warnings.append(f"{builder.where(row)} is disabled, so it is left out.")
        return True
    if not row.get("type") and not row.get("name") and not row.translations("label"):
        builder.warnings.append(
            f"{builder.where(row)} has no type, name or label, so it is read as a comment "
            "and left out."
        )
        return True
    return False


def _read_rows(builder: _Builder) -> None:
    groups: list[tuple[str, SheetRow]] = []
    skipping: list[SheetRow] = []
    ranking: _Ranking | None = None
    for row in builder.sheet.rows:
        if _ignored(builder, row):
            continue
        raw_type = " ".join(row.get("type").split())
        if not raw_type:
            raise builder.refuse(row, "type", "the row has no type; every row needs one.")
        lowered = raw_type.lower()
        control = _control(lowered)
        if skipping:
            if control is not None:
                if control[0] == "begin":
                    skipping.append(row)
                else:
                    skipping.pop()
            if row.get("name"):
                builder.skipped.add(row.get("name"))
            continue
        if ranking is not None:
            ranking = _rank_row(builder, row, lowered, ranking)
            continue
        if control is not None and control[1] != "group":
            kind = control[1]
            if control[0] == "end":
                raise builder.refuse(
                    row, "type", f"“{raw_type}” closes a {kind} that was never begun."
                )
            builder.warnings.append(
                f"{builder.where(row)}: the {kind} “{row.get('name')}” and every question in it "
                f"are skipped; forumkit does not capture {kind}s."
            )
            skipping.append(row)
            if row.get("name"):
                builder.skipped.add(row.get("name"))
            continue
        if control == ("end", "group"):
            if not groups:
                raise builder.refuse(
                    row, "type", "“end group” closes a group that was never begun."
                )
            groups.pop()
            builder.elements.append(Question("end_group", "", row=row.number))
            continue
        if lowered in _RANK_BEGIN:
            ranking = _begin_rank(builder, row, tuple(g for g, _ in groups))
            continue
        question = _question(builder, row, raw_type, tuple(g for g, _ in groups))
        if question is None:
            continue
        builder.elements.append(question)
        if question.type == "begin_group":
            groups.append((question.name, row))
        if question.or_other:
            builder.elements.append(_specify_other(builder, row, question))
    if skipping:
        raise builder.refuse(
            skipping[0], "type", f"“{skipping[0].get('type')}” is never closed; add its end row."
        )
    if ranking is not None:
        raise builder.refuse(
            ranking.row, "type", f"the ranking “{ranking.name}” is never closed; add “end_rank”."
        )
    if groups:
        name, row = groups[-1]
        raise builder.refuse(
            row, "type", f"the group “{name}” is never closed; add an “end group” row."
        )


def _skip_reason(lowered: str) -> tuple[str, str] | None:
    """(the type's name, why) for a row of a type forumkit does not capture, else None."""
    canonical = TYPES.get(lowered, lowered)
    if canonical in SKIPPED_TYPES:
        return canonical, SKIPPED_TYPES[canonical]
    for prefix, reason in SKIPPED_PREFIXES.items():
        if lowered.startswith(prefix + " "):
            return prefix, reason
    return None


def _question(
    builder: _Builder, row: SheetRow, raw_type: str, group: tuple[str, ...]
) -> Question | None:
    lowered = raw_type.lower()
    name = row.get("name")
    skipped = _skip_reason(lowered)
    if skipped is not None:
        kind, reason = skipped
        builder.warnings.append(
            f"{builder.where(row)}: the {kind} question “{name}” is skipped; {reason}."
        )
        if name:
            builder.skipped.add(name)
        return None
    kind, list_name, or_other = _parse_type(builder, row, raw_type)
    if not name and kind == "note":
        # pyxform names a note without a name after its row, and so does forumkit.
        name = f"generated_note_name_{row.number}"
    if not name:
        raise builder.refuse(row, "name", "the row has no name; every question needs one.")
    if not _NAME.fullmatch(name):
        raise builder.refuse(
            row,
            "name",
            f"“{name}” is not a usable name; start with a letter or _ and use only letters, "
            "digits, _, - and .",
        )
    _claim_name(builder, row, name)
    if kind in SELECT_TYPES and list_name not in builder.choice_lists:
        raise builder.refuse(
            row, "type", f"the choice list “{list_name}” is not on the choices sheet."
        )
    question = Question(
        type=kind,
        name=name,
        labels=row.translations("label"),
        hints=row.translations("hint"),
        list_name=list_name,
        or_other=or_other,
        required=_required(builder, row),
        required_messages=row.translations("required_message"),
        relevant=row.get("relevant"),
        constraint=row.get("constraint"),
        constraint_messages=row.translations("constraint_message"),
        default=row.get("default"),
        choice_filter=row.get("choice_filter") if kind in SELECT_TYPES else "",
        appearance=row.get("appearance"),
        calculation=row.get("calculation"),
        parameters=row.get("parameters") if kind == "range" else "",
        group=group,
        row=row.number,
    )
    for column, text in question.rules():
        _check_expression(builder, row, question, column, text)
    if kind == "range":
        _check_range(builder, row, question.parameters)
    consent = row.get(CONSENT_COLUMN).lower()
    if consent:
        _mark_consent(builder, row, question, consent)
    return question


def _claim_name(builder: _Builder, row: SheetRow, name: str) -> None:
    """Refuse a name already used (pyxform refuses it too); note where it is used."""
    if name in builder.specify_other:
        raise builder.refuse(
            row,
            "name",
            f"the name “{name}” is already the text question that or_other adds to "
            f"“{builder.specify_other[name]}” on row {builder.names[name]}; rename this one.",
        )
    if name in builder.names:
        raise builder.refuse(
            row, "name", f"the name “{name}” is already used on row {builder.names[name]}."
        )
    builder.names[name] = row.number


SPECIFY_OTHER_LABEL = "Specify other."
"""The label of the text question ``or_other`` adds, as pyxform writes it."""


def _specify_other(builder: _Builder, row: SheetRow, select: Question) -> Question:
    """The text question ``or_other`` adds after a select (``NAME_other``, asked when
    "Other" is chosen), as pyxform adds it: where the parent says what "Other" is. ODK
    Collect and KoboToolbox ask it and their exports have its column; forumkit does too.
    ``survey export`` leaves it out again (``or_other`` adds it back)."""
    name = f"{select.name}_other"
    _claim_name(builder, row, name)
    builder.specify_other[name] = select.name
    return Question(
        type="text",
        name=name,
        # In each language the select is labelled in (pyxform's English words in all).
        labels=dict.fromkeys(select.labels or ("",), SPECIFY_OTHER_LABEL),
        relevant=f"selected(${{{select.name}}}, '{OTHER_CHOICE}')",
        group=select.group,
        row=row.number,
    )


_RANK_BEGIN = frozenset({"begin_rank", "begin rank"})
_RANK_LEVEL = frozenset({"rank__level", "rank_level"})
_RANK_END = frozenset({"end_rank", "end rank"})
RANK_ITEMS = "kobo--rank-items"
"""KoboToolbox's column naming a ranking's choice list."""


@dataclass
class _Ranking:
    """A KoboToolbox ranking being read: ``begin_rank`` … ``rank__level`` rows … ``end_rank``."""

    row: SheetRow
    name: str
    group: tuple[str, ...]
    levels: int = 0


def _begin_rank(builder: _Builder, row: SheetRow, group: tuple[str, ...]) -> _Ranking:
    """KoboToolbox's form builder keeps a ranking as a block (its form downloads hold it so,
    with the choice list in ``kobo--rank-items``) and deploys it as one select per place;
    forumkit reads the block as one ``rank`` question, and its exports' ``NAME/_1st_choice``
    columns as the places of that ranking."""
    name = row.get("name")
    if not name or not _NAME.fullmatch(name):
        raise builder.refuse(row, "name", "a ranking needs a name of letters, digits and _.")
    list_name = row.get(RANK_ITEMS)
    if list_name not in builder.choice_lists:
        raise builder.refuse(
            row,
            RANK_ITEMS if builder.sheet.has(RANK_ITEMS) else "type",
            f"the ranking “{name}” needs its choice list in a “{RANK_ITEMS}” column, from the "
            "choices sheet.",
        )
    _claim_name(builder, row, name)
    builder.elements.append(
        Question(
            type="rank",
            name=name,
            labels=row.translations("label"),
            hints=row.translations("hint"),
            list_name=list_name,
            relevant=row.get("relevant"),
            group=group,
            row=row.number,
        )
    )
    for column, text in builder.elements[-1].rules():
        _check_expression(builder, row, builder.elements[-1], column, text)
    return _Ranking(row, name, group)


def _rank_row(builder: _Builder, row: SheetRow, lowered: str, ranking: _Ranking) -> _Ranking | None:
    """One row inside a KoboToolbox ranking: a place (kept as a name only), or its end."""
    if lowered in _RANK_LEVEL:
        ranking.levels += 1
        if row.get("name"):
            builder.skipped.add(row.get("name"))
        return ranking
    if lowered in _RANK_END:
        if not ranking.levels:
            raise builder.refuse(
                ranking.row, "type", f"the ranking “{ranking.name}” has no rank__level rows."
            )
        return None
    raise builder.refuse(
        row,
        "type",
        f"a ranking holds only rank__level rows, until its end_rank (“{ranking.name}”).",
    )


def _parse_type(builder: _Builder, row: SheetRow, raw_type: str) -> tuple[str, str, bool]:
    lowered = raw_type.lower()
    control = _control(lowered)
    if control == ("begin", "group"):
        return "begin_group", "", False
    simple = _SIMPLE_TYPES.get(lowered)
    if simple is not None:
        return simple, "", False
    match = _SELECT.fullmatch(raw_type)
    if match is not None:
        kind = SELECT_SPELLINGS[" ".join(match.group(1).lower().split())]
        return kind, match.group(2), match.group(3) is not None
    raise builder.refuse(row, "type", f"“{raw_type}” is not a question type XLSForm defines.")


def _required(builder: _Builder, row: SheetRow) -> str:
    text = row.get("required")
    if text.lower() in _TRUE:
        return "yes"
    if not text or text.lower() in _FALSE:
        return ""
    return text


def _check_expression(
    builder: _Builder, row: SheetRow, question: Question, column: str, text: str
) -> None:
    try:
        expression = parse(text)
    except ExpressionError as error:
        raise builder.refuse(
            row,
            column,
            f"the expression “{_shown(text)}” of “{question.name}” does not parse: {error.reason}.",
        ) from None
    for function in sorted(unknown_functions(expression)):
        builder.warnings.append(
            f"{builder.where(row, column)}: forumkit does not know the function {function}(), "
            f"so this {column} rule of “{question.name}” will not be checked."
        )
    if column == "choice_filter":
        known = builder.choice_columns.get(question.list_name, set())
        for bare in sorted(column_names(expression) - known):
            builder.warnings.append(
                f"{builder.where(row, column)}: “{bare}” is not a column of the choices sheet, "
                f"so it reads as empty in the choice filter of “{question.name}”."
            )


def _check_range(builder: _Builder, row: SheetRow, parameters: str) -> None:
    for key, value in parameter_parts(parameters):
        try:
            float(value)
        except ValueError:
            key = ""
        if key not in _RANGE_KEYS:
            part = f"{key}={value}" if value else key
            raise builder.refuse(
                row,
                "parameters",
                f"“{part}” is not a range parameter; use start=, end= and step= with numbers.",
            )


def _mark_consent(builder: _Builder, row: SheetRow, question: Question, kind: str) -> None:
    if kind not in ("quote", "share"):
        raise builder.refuse(
            row, CONSENT_COLUMN, f"“{kind}” is not a consent kind; write quote or share."
        )
    if question.type not in ("select_one", "acknowledge"):
        raise builder.refuse(
            row,
            CONSENT_COLUMN,
            f"“{question.name}” records consent, so it must be a yes/no question.",
        )
    if kind in builder.consent:
        raise builder.refuse(
            row,
            CONSENT_COLUMN,
            f"consent to {kind} is already recorded by “{builder.consent[kind]}”.",
        )
    builder.consent[kind] = question.name


def _consent(builder: _Builder, kind: str) -> str:
    if kind in builder.consent:
        return builder.consent[kind]
    for question in builder.elements:
        if question.name != f"consent_{kind}":
            continue
        if question.type == "acknowledge":
            return question.name
        if question.type == "select_one":
            names = {n.lower() for n in builder.choice_lists[question.list_name].names()}
            if "yes" in names:
                return question.name
    return ""


def _check_references(builder: _Builder) -> None:
    """Refuse references to names the form never defines; warn for skipped ones."""
    rows = {row.number: row for row in builder.sheet.rows}
    for question in builder.elements:
        for column, text in question.rules():
            for name in sorted(references(parse(text))):
                if name in builder.names:
                    continue
                row = rows[question.row]
                if name in builder.skipped:
                    builder.warnings.append(
                        f"{builder.where(row, column)}: the {column} rule of “{question.name}” "
                        f"reads ${{{name}}}, which is skipped, so it will not be checked."
                    )
                    continue
                raise builder.refuse(
                    row,
                    column,
                    f"the expression “{_shown(text)}” refers to ${{{name}}}, which is not a "
                    "question in this form.",
                )


def _check_shown(builder: _Builder) -> None:
    """Warn about what a form shows badly: questions with nothing to read, and a form with no
    question a parent answers at all (pyxform accepts both; a chair would only notice them
    when entering the first response)."""
    rows = {row.number: row for row in builder.sheet.rows}
    asked = [q for q in builder.elements if q.takes_answer and not q.is_metadata]
    unlabelled = [
        q
        for q in builder.elements
        if (q in asked or q.type == "note")
        and not any(q.labels.values())
        and not any(q.hints.values())
    ]
    for question in unlabelled:
        builder.warnings.append(
            f"{builder.where(rows[question.row])}: “{question.name}” has neither a label nor a "
            "hint forumkit can show (images, audio, video and guidance hints are not shown), so "
            "forumkit shows its name."
        )
    if not asked:
        builder.warnings.append(
            "The form has no question forumkit can ask a parent (what is left is notes, "
            "calculations, groups or metadata), so its responses would hold no answers."
        )


def _check_circles(builder: _Builder) -> None:
    """Refuse rules that wait on each other in a circle (see ``forumkit.surveys.dependencies``),
    naming the questions, at the row of the first one in form order."""
    circle = find_circle(builder.elements)
    if circle is None:
        return
    steps = {step.question: step for step in circle}
    first = next(q for q in builder.elements if q.name in steps and q.type != "end_group")
    how = steps[first.name].how
    rows = {row.number: row for row in builder.sheet.rows}
    column = how if how in ("relevant", "calculation") else None
    raise builder.refuse(rows[first.row], column, describe_circle(circle) + ".")


_SHOWN_CHARACTERS = 80


def _shown(text: str) -> str:
    """An expression as a message quotes it: whole, or its start and its length if long."""
    if len(text) <= _SHOWN_CHARACTERS:
        return text
    return f"{text[:_SHOWN_CHARACTERS]}… ({len(text):,} characters)"
