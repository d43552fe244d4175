"""The suggester ranks every code, learns the forum's own words and corrects its keywords."""

from __future__ import annotations

import random

import pytest

from forumkit.suggest import CodeProfile, Suggester, SuggestionError, TaggedExample
from tests.core.suggest.helpers import KEY_MESSAGES, key_message_profiles


def keys(suggester: Suggester, text: str) -> list[str]:
    return [suggestion.key for suggestion in suggester.suggest(text)]


def tagged(text: str, *codes: str) -> TaggedExample:
    return TaggedExample(text, frozenset(codes))


def test_before_any_tagging_every_code_is_ranked_from_its_scope_note_and_keywords() -> None:
    suggester = Suggester.train(key_message_profiles())
    suggestions = suggester.suggest("We have waited eighteen months for a CAMHS appointment.")
    assert suggestions[0].key == "listen-early"
    assert sorted(s.key for s in suggestions) == sorted(KEY_MESSAGES)
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    assert sum(s.score for s in suggestions) == pytest.approx(1.0)
    assert "CAMHS" in suggestions[0].because
    assert keys(suggester, "The school excluded him and put him on a part-time timetable.")[0] == (
        "incentives"
    )
    assert keys(suggester, "Nobody asked the forum; the decision was imposed on us.")[0] == (
        "coproduction"
    )


def test_limit_gives_the_best_few() -> None:
    suggester = Suggester.train(key_message_profiles())
    text = "The tribunal found the council had acted unlawfully."
    assert [s.key for s in suggester.suggest(text, limit=3)] == keys(suggester, text)[:3]
    assert suggester.suggest(text, limit=0) == []


def test_it_learns_the_forums_own_words() -> None:
    # "Rainbow Room" is a made-up local isolation unit: in no scope note and no keyword.
    profiles = key_message_profiles()
    quote = "Sent to the Rainbow Room again for the whole afternoon."
    assert keys(Suggester.train(profiles), quote)[0] != "incentives"
    examples = [
        tagged("He spent every lunchtime in the Rainbow Room this week.", "incentives"),
        tagged("The Rainbow Room is where they put the children they can't manage.", "incentives"),
        tagged("Third day in the Rainbow Room, no lessons at all.", "incentives"),
        tagged("We waited two years for speech and language therapy.", "listen-early"),
        tagged("The council would not say who pays for the transport.", "money"),
    ]
    assert keys(Suggester.train(profiles, examples), quote)[0] == "incentives"


def test_the_forums_tagging_overrides_a_keyword_that_misleads_it() -> None:
    codes = [
        CodeProfile("outcomes", "Lifelong outcomes", keywords=("health",)),
        CodeProfile("early", "Listen early", keywords=("waiting list",)),
    ]
    quote = "The health visitor never came back to us."
    assert keys(Suggester.train(codes), quote)[0] == "outcomes"
    examples = [
        tagged(f"Health visitor visit {n} was cancelled, nobody followed up.", "early")
        for n in range(6)
    ] + [tagged("He is at college now and hopes to find work.", "outcomes")]
    trained = Suggester.train(codes, examples)
    assert keys(trained, quote)[0] == "early"
    # The keyword is still reported, so a reviewer sees what was found.
    by_key = {s.key: s for s in trained.suggest(quote)}
    assert by_key["outcomes"].because == ("health",)


def test_codes_from_other_codebooks_and_quotes_without_this_codebooks_codes_are_ignored() -> None:
    profiles = key_message_profiles()
    examples = [
        tagged("We are still on the waiting list for speech therapy.", "listen-early", "c-and-i"),
        tagged("Sensory processing needs at home.", "sensory-physical"),
        tagged("The college course is only three days a week.", "lifelong-outcomes"),
    ]
    suggester = Suggester.train(profiles, examples)
    counts = suggester.tagged_counts
    assert counts["listen-early"] == 1 and counts["lifelong-outcomes"] == 1
    assert sum(counts.values()) == 2
    assert set(counts) == set(KEY_MESSAGES)
    assert [code.key for code in suggester.codes] == list(KEY_MESSAGES)


def test_a_quote_with_no_known_word_falls_back_on_how_often_codes_were_used() -> None:
    codes = [CodeProfile("a", "Alpha"), CodeProfile("b", "Beta"), CodeProfile("c", "Gamma")]
    examples = [tagged("beta one", "b"), tagged("beta two", "b"), tagged("gamma", "c")]
    suggester = Suggester.train(codes, examples)
    suggestions = suggester.suggest("zzz")
    assert [s.key for s in suggestions] == ["b", "c", "a"]
    assert [s.score for s in suggestions] == pytest.approx([1 / 3] * 3)
    assert keys(Suggester.train(codes), "") == ["a", "b", "c"]


def test_the_order_of_the_tagged_quotes_does_not_change_the_suggestions() -> None:
    profiles = key_message_profiles()
    examples = [
        tagged("No one at the school had any autism training.", "workforce"),
        tagged("The SENCo works two days a week for 300 children.", "workforce", "money"),
        tagged("We were never invited to the meeting about the new unit.", "coproduction"),
        tagged("They said he didn't meet the threshold for an assessment.", "listen-early"),
        tagged("The complaint went unanswered for months.", "accountability"),
    ]
    shuffled = examples[:]
    random.Random(7).shuffle(shuffled)
    quote = "The new SENCo has had no training and the meeting was cancelled."
    first = Suggester.train(profiles, examples).suggest(quote)
    second = Suggester.train(profiles, shuffled).suggest(quote)
    assert [s.key for s in first] == [s.key for s in second]
    assert [s.score for s in first] == pytest.approx([s.score for s in second])


def test_codes_that_cannot_be_suggested_from_are_refused_in_a_sentence() -> None:
    with pytest.raises(SuggestionError, match="no codes"):
        Suggester.train([])
    with pytest.raises(SuggestionError, match="“money” appears twice"):
        Suggester.train([CodeProfile("money", "Money"), CodeProfile("money", "Funding")])


def test_a_codebook_of_one_code_always_suggests_it() -> None:
    suggester = Suggester.train([CodeProfile("only", "The only code")], [tagged("words", "only")])
    assert [(s.key, s.score) for s in suggester.suggest("any words at all")] == [("only", 1.0)]
