"""Codes' keywords suggest codes before a forum has tagged anything, and say why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import forumkit.suggest.keywords as keywords_module
from forumkit.suggest import (
    CodeProfile,
    SuggestionError,
    key_message_keywords,
    keyword_suggestions,
)
from forumkit.suggest.text import terms
from tests.core.suggest.helpers import KEY_MESSAGES, key_message_profiles


def test_a_keyword_phrase_is_found_however_it_is_inflected() -> None:
    codes = key_message_profiles()
    suggestions = keyword_suggestions(
        codes, "We waited two years; nobody knew who was paying for what."
    )
    keys = [suggestion.key for suggestion in suggestions]
    assert set(keys[:2]) == {"listen-early", "money"}
    by_key = {suggestion.key: suggestion for suggestion in suggestions}
    assert "wait" in by_key["listen-early"].because
    assert "who pays for what" in by_key["money"].because


def test_longer_phrases_weigh_more_and_codes_without_keywords_found_are_left_out() -> None:
    codes = [
        CodeProfile("a", "A", keywords=("tribunal",)),
        CodeProfile("b", "B", keywords=("brink of tribunal",)),
        CodeProfile("c", "C", keywords=("college",)),
    ]
    suggestions = keyword_suggestions(codes, "We were on the brink of a tribunal again.")
    assert [s.key for s in suggestions] == ["b", "a"]
    assert suggestions[0].score == pytest.approx(2 / 3)
    assert sum(s.score for s in suggestions) == pytest.approx(1.0)
    assert keyword_suggestions(codes, "Nothing here matches.") == []


def test_a_keyword_counts_once_however_often_the_quote_repeats_it() -> None:
    codes = [
        CodeProfile("a", "A", keywords=("tribunal",)),
        CodeProfile("b", "B", keywords=("college", "work experience")),
    ]
    suggestions = keyword_suggestions(
        codes, "Tribunal, tribunal, tribunal. College and work experience."
    )
    assert [s.key for s in suggestions] == ["b", "a"]
    assert suggestions[0].because == ("college", "work experience")


def test_keywords_of_function_words_only_never_match() -> None:
    codes = [CodeProfile("a", "A", keywords=("at", "the"))]
    assert keyword_suggestions(codes, "at the school") == []


def test_codes_that_cannot_be_suggested_from_are_refused_in_a_sentence() -> None:
    with pytest.raises(SuggestionError, match="no codes"):
        keyword_suggestions([], "a quote")
    with pytest.raises(SuggestionError, match="appears twice"):
        keyword_suggestions([CodeProfile("a", "A"), CodeProfile("a", "Again")], "a quote")
    with pytest.raises(SuggestionError, match=r"Code number 2 .* has no key"):
        keyword_suggestions([CodeProfile("a", "A"), CodeProfile("  ", "Blank")], "a quote")


def test_the_shipped_keywords_cover_the_seven_key_messages() -> None:
    keywords = key_message_keywords()
    assert tuple(keywords) == KEY_MESSAGES
    assert all(len(words) >= 30 for words in keywords.values())


def test_every_shipped_keyword_comes_from_the_scope_notes_or_the_seeds(shared_dir: Path) -> None:
    """The keywords were drawn from domain.md's scope notes and the seed documents only (never
    from the quotes suggestions are judged by); each must stand in one of them, word for word
    after stemming."""
    domain = (shared_dir / "design" / "domain.md").read_text(encoding="utf-8")
    scope_notes = domain.split("## The seven key messages")[1].split("The wording of the labels")[0]
    sources = [terms(scope_notes)] + [
        terms(path.read_text(encoding="utf-8"))
        for path in sorted((shared_dir / "seeds").glob("0*.txt"))
    ]

    def stands_in_a_source(phrase: list[str]) -> bool:
        size = len(phrase)
        return any(
            source[start : start + size] == phrase
            for source in sources
            for start in range(len(source) - size + 1)
        )

    strays = [
        (key, keyword)
        for key, words in key_message_keywords().items()
        for keyword in words
        if not stands_in_a_source(terms(keyword))
    ]
    assert strays == []


def test_a_damaged_keyword_list_is_refused_in_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    damaged = tmp_path / "key-messages-keywords.json"
    monkeypatch.setattr(keywords_module, "resource_path", lambda *parts: damaged)
    for content in (
        "{not json",
        json.dumps({"keywords": ["money"]}),
        json.dumps({"keywords": {"money": [1]}}),
    ):
        damaged.write_text(content, encoding="utf-8")
        with pytest.raises(SuggestionError, match=r"keyword list .* is damaged; reinstall"):
            key_message_keywords()
