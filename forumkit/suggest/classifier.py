"""A small classifier learned from the forum's own tagging, with the codes' descriptions as prior.

It is complement naive Bayes over TF-IDF weighted terms (Rennie, Shih, Teevan and Karger, 2003,
"Tackling the poor assumptions of naive Bayes text classifiers"): each code is scored by how
*unlike* the quotes tagged with other codes a quote is, which copes with a few hundred short,
unevenly tagged quotes far better than plain naive Bayes. Two pieces of knowledge the forum did
not have to teach it are added:

* each code's label, scope note and keywords form one more tagged document of that code,
  weighted as ``PROFILE_WEIGHT`` quotes, so suggestions make sense before anything is tagged and
  matter less as the forum's own tagging grows;
* each keyword found in the quote adds ``KEYWORD_WEIGHT`` per term to its code's score, since a
  phrase such as "who pays for what" is stronger evidence than its words one by one; scaled by
  how often the forum, tagging quotes that hold the keyword, agreed with it.

Training counts words once (no iteration), so retraining on demand is cheap: see
``benchmarks/bench_suggest.py`` for the measured times.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from forumkit.suggest.keywords import KeywordMatcher
from forumkit.suggest.model import CodeProfile, Suggestion, TaggedExample, check_codes
from forumkit.suggest.text import TermReader

# Laplace smoothing of every term's weight for every code: a word never seen with a code is
# unlikely for it, not impossible.
SMOOTHING = 1.0

# A code's label, scope note and keywords count as much as this many tagged quotes.
PROFILE_WEIGHT = 5.0

# What one term of a keyword found in the quote adds to its code's score.
KEYWORD_WEIGHT = 1.0

# How many quotes' worth of trust a keyword starts with before the forum's tagging shows how
# often it really goes with its code.
KEYWORD_TRUST = 1.0


def _weighted(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """Rennie et al.'s document transform: log term frequency, times IDF, unit length.

    Dampens a word repeated in a long quote, favours words few documents share, and lets a
    short quote weigh as much as a long one.
    """
    vector = {
        term: math.log1p(count) * idf[term]
        for term, count in counts.items()
        if idf.get(term, 0.0) > 0.0
    }
    length = math.sqrt(sum(value * value for value in vector.values()))
    if length == 0.0:
        return {}
    return {term: value / length for term, value in vector.items()}


class Suggester:
    """Ranks a codebook's codes for an untagged quote; build one with ``Suggester.train``.

    Its answers never change once trained, so it can be trained in a worker thread and used
    from another (one thread at a time: it remembers the words it has read). It holds the words
    of the quotes it learned from: drop it when the forum file is locked or closed.
    """

    def __init__(
        self,
        codes: Sequence[CodeProfile],
        weights: list[dict[str, float]],
        tagged: list[int],
        keywords: KeywordMatcher,
        trust: list[dict[str, float]],
        reader: TermReader,
    ) -> None:
        self._codes = tuple(codes)
        self._weights = weights
        self._vocabulary = weights[0].keys()
        self._tagged = tagged
        self._keywords = keywords
        self._trust = trust
        self._reader = reader

    @classmethod
    def train(
        cls, codes: Sequence[CodeProfile], examples: Iterable[TaggedExample] = ()
    ) -> Suggester:
        """Learn from ``examples`` (the forum's tagged quotes) to rank ``codes``.

        Only the examples' codes that are among ``codes`` count; a quote tagged with no code of
        this codebook says nothing about it and is skipped. With no examples at all the
        suggester ranks from the codes' labels, scope notes and keywords alone.
        Raises ``SuggestionError`` for an empty codebook or a blank or repeated key.
        """
        check_codes(codes)
        index_of = {code.key: index for index, code in enumerate(codes)}
        reader = TermReader()
        terms = reader.terms
        documents: list[tuple[Counter[str], tuple[int, ...], float]] = []
        for index, code in enumerate(codes):
            profile = Counter(terms(code.label))
            profile.update(terms(code.description))
            for keyword in code.keywords:
                profile.update(terms(keyword))
            documents.append((profile, (index,), PROFILE_WEIGHT))
        tagged = [0] * len(codes)
        keywords = KeywordMatcher(codes, reader)
        found_in: list[Counter[str]] = [Counter() for _ in codes]
        found_with_code: list[Counter[str]] = [Counter() for _ in codes]
        for example in examples:
            labels = tuple(sorted(index_of[key] for key in example.codes if key in index_of))
            if not labels:
                continue
            for label in labels:
                tagged[label] += 1
            example_terms = terms(example.text)
            documents.append((Counter(example_terms), labels, 1.0))
            for index, found in enumerate(keywords.found(example_terms)):
                found_in[index].update(found.keys())
                if index in labels:
                    found_with_code[index].update(found.keys())
        # A keyword starts fully trusted and loses trust each time the forum tags a quote that
        # holds it with other codes only: (times with its code + 1) / (times found + 1).
        trust = [
            {
                keyword: (found_with_code[index][keyword] + KEYWORD_TRUST) / (count + KEYWORD_TRUST)
                for keyword, count in found_in[index].items()
            }
            for index in range(len(codes))
        ]

        document_frequency: Counter[str] = Counter()
        for counts, _, _ in documents:
            document_frequency.update(counts.keys())
        total_documents = len(documents)
        idf = {
            term: math.log(total_documents / frequency)
            for term, frequency in document_frequency.items()
        }

        everywhere: defaultdict[str, float] = defaultdict(float)
        by_code: list[defaultdict[str, float]] = [defaultdict(float) for _ in codes]
        for counts, labels, weight in documents:
            for term, value in _weighted(counts, idf).items():
                everywhere[term] += weight * value
                for label in labels:
                    by_code[label][term] += weight * value

        vocabulary = [term for term in idf if idf[term] > 0.0]
        everywhere_mass = sum(everywhere.values())
        weights: list[dict[str, float]] = []
        for own in by_code:
            # The complement: everything tagged with any other code.
            denominator = math.log(
                everywhere_mass - sum(own.values()) + SMOOTHING * len(vocabulary)
            )
            weights.append(
                {
                    term: math.log(max(everywhere[term] - own.get(term, 0.0), 0.0) + SMOOTHING)
                    - denominator
                    for term in vocabulary
                }
            )
        return cls(codes, weights, tagged, keywords, trust, reader)

    @property
    def codes(self) -> tuple[CodeProfile, ...]:
        """The codes this suggester ranks, in the codebook's order."""
        return self._codes

    @property
    def tagged_counts(self) -> dict[str, int]:
        """How many of the training quotes carried each code: what it learned from."""
        return {code.key: count for code, count in zip(self._codes, self._tagged, strict=True)}

    def suggest(self, text: str, limit: int | None = None) -> list[Suggestion]:
        """The codes ranked for ``text``, best first (the first ``limit`` if given).

        Ties (a quote with no word the suggester knows) fall back on how often each code was
        used, then the codebook's order.
        """
        quote_terms = self._reader.terms(text)
        # As in Rennie et al., the quote's own words count by plain frequency; words the
        # training never saw (or saw everywhere) say nothing and are left out.
        counts = Counter(term for term in quote_terms if term in self._vocabulary)
        found = self._keywords.found(quote_terms)
        raw: list[float] = []
        for index in range(len(self._codes)):
            weights = self._weights[index]
            # Complement naive Bayes: the less a quote looks like the other codes' quotes
            # (the more negative their log-likelihood), the better this code fits.
            score = -sum(count * weights[term] for term, count in counts.items())
            trust = self._trust[index]
            score += KEYWORD_WEIGHT * sum(
                length * trust.get(keyword, 1.0) for keyword, length in found[index].items()
            )
            raw.append(score)
        order = sorted(
            range(len(self._codes)), key=lambda index: (-raw[index], -self._tagged[index], index)
        )
        if limit is not None:
            order = order[: max(limit, 0)]
        top = max(raw)
        exponentials = [math.exp(score - top) for score in raw]
        total = sum(exponentials)
        return [
            Suggestion(self._codes[index].key, exponentials[index] / total, tuple(found[index]))
            for index in order
        ]
