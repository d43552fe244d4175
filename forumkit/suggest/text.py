"""From a parent's words to the stemmed tokens the suggester counts.

Quotes, scope notes and keywords all go through ``terms`` so they meet on the same terms:
lower case, Unicode compatibility forms folded (curly apostrophes, ligatures), contractions
opened up ("didn't" → "did", "not", so a negation is a word the suggester can see), possessives
dropped ("Jamie's" → "jamie"), hyphenated words split ("part-time" reads as "part time") except
after a prefix that is not a word on its own ("co-production" reads as "coproduction"), common
function words left out, and every other word Porter-stemmed.
"""

from __future__ import annotations

import re
import unicodedata

from forumkit.suggest.stemmer import stem

# A word is letters and digits, with an apostrophe inside it ("don't", "child's") and hyphens
# joining parts ("off-rolled", "post-16").
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*(?:-[^\W_]+(?:'[^\W_]+)*)*")

# Prefixes written with a hyphen that are not words on their own: joined to what follows, so
# "co-produce" and "coproduce" are one word.
_JOINED_PREFIXES = frozenset({"co", "re", "pre", "non"})

# Negative contractions whose verb is not simply the part before "n't" ("can't" → "ca" + "n't").
_NEGATED = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}

# Common English function words that say nothing about which key message a quote is about,
# dropped before stemming (stemming would fold "one" into "on"). Negations ("not", "no", "never",
# "without") are deliberately absent: "not heard" and "no support" are what parents say when
# they are not listened to.
_STOP_WORDS = """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself nor of on once only or other ought our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    s t d ll m re ve
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def _fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return folded.replace("\u2019", "'").replace("\u2018", "'").replace("\u2010", "-")


def _split_word(word: str) -> list[str]:
    """One matched word as plain words: contractions opened, possessives dropped."""
    parts: list[str] = []
    for hyphened in word.split("-"):
        if parts and parts[-1] in _JOINED_PREFIXES:
            parts[-1] += hyphened
        else:
            parts.append(hyphened)
    words: list[str] = []
    for part in parts:
        base, _, suffix = part.partition("'")
        if base == "cannot":
            words.extend(("can", "not"))
        elif suffix == "t" and base.endswith("n") and len(base) > 1:
            verb = base[:-1]
            words.append(_NEGATED.get(verb, verb))
            words.append("not")
        else:
            words.append(base)
    return words


def _word_terms(word: str) -> tuple[str, ...]:
    return tuple(stem(part) for part in _split_word(word) if part and part not in STOP_WORDS)


class TermReader:
    """Reads texts into terms, remembering each word's terms, since quotes repeat their words.

    The memory belongs to the reader, not the module: it holds words of parents' quotes, so it
    must go when its owner (a ``Suggester``) is dropped, for example when the forum file locks.
    """

    # Past this many distinct words the memory starts again, so a long session stays small.
    REMEMBERED_WORDS = 200_000

    def __init__(self) -> None:
        self._remembered: dict[str, tuple[str, ...]] = {}

    def terms(self, text: str) -> list[str]:
        """The stemmed words of ``text`` that can say what it is about, in order.

        Stop words are left out, so a keyword phrase matches however it is worded around them:
        "knowledge of the law" is ``["knowledg", "law"]`` and also matches "knowledge of law".
        """
        remembered = self._remembered
        result: list[str] = []
        for match in _WORD.finditer(_fold(text)):
            word = match.group()
            found = remembered.get(word)
            if found is None:
                if len(remembered) >= self.REMEMBERED_WORDS:
                    remembered.clear()
                found = remembered[word] = _word_terms(word)
            result.extend(found)
        return result


def terms(text: str) -> list[str]:
    """The stemmed words of ``text`` that can say what it is about (see ``TermReader.terms``)."""
    return TermReader().terms(text)
