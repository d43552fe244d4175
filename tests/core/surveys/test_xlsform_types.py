"""forumkit's table of XLSForm type spellings is pyxform's own: checked against the installed
pyxform (the reference converter, in the test extra), so a spelling pyxform adds, drops or
reads differently fails here instead of refusing a chair's form."""

from __future__ import annotations

from typing import Any

from pyxform import aliases, constants
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT

from forumkit.surveys.xlsform_sheets import SHEET_ALIASES, normalise_header
from forumkit.surveys.xlsform_types import (
    GROUP_WORDS,
    SELECT_SPELLINGS,
    SKIPPED_PREFIXES,
    SKIPPED_TYPES,
    TYPES,
)


def _spelling(text: str) -> str:
    """As forumkit reads a type: lower case, single spaces."""
    return " ".join(text.lower().split())


PYXFORM_TYPES = {_spelling(name): definition for name, definition in QUESTION_TYPE_DICT.items()}
_SELECTS = {
    constants.SELECT_ONE: "select_one",
    constants.SELECT_ALL_THAT_APPLY: "select_multiple",
    constants.RANK: "rank",
}


def _what(definition: dict[str, Any]) -> tuple[object, object]:
    """What pyxform makes of a type: its bind type and its control."""
    return definition.get("bind", {}).get("type"), definition.get("control", {}).get("tag")


def test_every_question_type_pyxform_knows_is_read() -> None:
    unknown = [name for name in PYXFORM_TYPES if name not in TYPES | SELECT_SPELLINGS]
    assert unknown == []


def test_spellings_forumkit_reads_as_one_type_are_one_type_to_pyxform() -> None:
    """Each spelling means what the type's own name means to pyxform (same bind type and
    control). pyxform's ``trigger`` alone has no bind type where ``acknowledge`` has ``string``:
    both are the tick of an acknowledgement."""
    differing = {}
    for spelling, canonical in TYPES.items():
        if spelling not in PYXFORM_TYPES:
            continue  # an alias of pyxform's alias map, checked below
        own = PYXFORM_TYPES[_spelling(canonical.replace("_", " "))]
        if _what(PYXFORM_TYPES[spelling]) != _what(own):
            differing[spelling] = canonical
    assert differing == {"trigger": "acknowledge"}


def test_pyxforms_type_aliases_read_as_their_type() -> None:
    for alias, meant in aliases._type_alias_map.items():
        assert TYPES[_spelling(alias)] == TYPES[_spelling(meant)], alias


def test_every_select_spelling_pyxform_accepts_is_read_with_its_meaning() -> None:
    for spelling, meant in aliases.select.items():
        spelling = _spelling(spelling)
        if meant in _SELECTS:
            if spelling in SELECT_SPELLINGS:
                assert SELECT_SPELLINGS[spelling] == _SELECTS[meant], spelling
            else:  # choices from a file: skipped, with the reason
                assert spelling in SKIPPED_PREFIXES, spelling
        else:
            assert meant == constants.SELECT_ONE_EXTERNAL
            assert spelling in SKIPPED_PREFIXES or TYPES.get(spelling) in SKIPPED_TYPES


def test_forumkit_invents_no_spelling() -> None:
    """Every spelling forumkit reads is one of pyxform's: its question type dictionary, its
    type alias map or its select aliases."""
    known = set(PYXFORM_TYPES) | set(aliases._type_alias_map) | set(map(_spelling, aliases.select))
    assert sorted(set(TYPES) - known) == []
    assert sorted(set(SELECT_SPELLINGS) - known) == []
    assert sorted(set(SKIPPED_PREFIXES) - known - set(aliases.osm)) == []


def test_group_words_are_pyxforms_control_aliases() -> None:
    # ``loop`` is read apart (a repeat over a list, skipped as repeats are).
    assert set(GROUP_WORDS) | {"loop"} == set(aliases.control)
    for word, meant in GROUP_WORDS.items():
        assert meant == aliases.control[word], word


READ_COLUMNS = {
    "type",
    "name",
    "label",
    "hint",
    "relevant",
    "required",
    "constraint",
    "constraint_message",
    "required_message",
    "calculation",
    "choice_filter",
    "appearance",
    "default",
    "parameters",
}
"""The survey sheet's columns forumkit reads."""


def _read_as(alias: str, sheet: str) -> str:
    key = normalise_header(alias)
    return SHEET_ALIASES[sheet].get(key, key)


def test_every_header_spelling_pyxform_reads_for_a_column_forumkit_reads_is_read() -> None:
    """pyxform's ``survey_header`` and ``list_header``: an older header (``command`` for type,
    ``value`` for name, ``relevance``, ``caption``…) means the column it means to pyxform."""
    meaning = {column: aliases.survey_header.get(column, column) for column in READ_COLUMNS}
    for alias, target in aliases.survey_header.items():
        for column, meant in meaning.items():
            if target == meant and alias != column:
                assert _read_as(alias, "survey") == column, alias
    for alias, target in aliases.list_header.items():
        if target in ("name", "label"):
            assert _read_as(alias, "choices") == target, alias
    assert _read_as("list name", "choices") == "list_name"


def test_forumkit_invents_no_sheet_alias() -> None:
    for sheet, header in (("survey", aliases.survey_header), ("choices", aliases.list_header)):
        for alias, column in SHEET_ALIASES[sheet].items():
            assert header[alias] == header.get(column, column), alias
