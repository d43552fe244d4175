"""How fast are code suggestions? ``python benchmarks/bench_suggest.py [--quotes N] [--repeat R]``

Trains the suggester for the seven key messages (forumkit's shipped scope notes and keywords) on
``--quotes`` made-up tagged quotes (default 5,000; one or two key messages each, about 300
characters, the length of a survey's free-text answer), then suggests for 1,000 other quotes.
Reports the medians of ``--repeat`` runs (default 5) of:

* **train**: ``Suggester.train``, which reads every quote afresh each time (a suggester keeps
  no words from one training to the next; target: ≤ 1 s at 5,000 quotes);
* **suggest**: ``suggester.suggest(text)`` for one quote, median and 95th percentile over the
  1,000 quotes (target: ≤ 20 ms);
* **keywords**: ``keyword_suggestions(codes, text)`` for one quote.

The quotes mix words parents use with made-up rarer words (names, typos, local places), so the
vocabulary grows with the forum (about 28,000 distinct words at 5,000 quotes, more than a real
forum's) rather than staying a few hundred words that are all cached after the first quote.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
if str(_HERE.parent) not in sys.path:
    sys.path.insert(0, str(_HERE.parent))

from forumkit.paths import resource_path  # noqa: E402
from forumkit.suggest import (  # noqa: E402
    CodeProfile,
    Suggester,
    TaggedExample,
    key_message_keywords,
    keyword_suggestions,
)

TRAIN_TARGET_MS = 1000.0
SUGGEST_TARGET_MS = 20.0
QUOTE_CHARS = 300
SUGGEST_QUOTES = 1000

# Words of the kind parents write, and words leaning to one key message.
_COMMON_WORDS = (
    "my son daughter child school plan annual review months years because when although still "
    "never again nobody told us what happens next we asked they said he she was is not help "
    "support home teacher class lunch friends anxious tired letter meeting council week"
)
_LEANING = {
    "listen-early": "waited waiting list referral assessment CAMHS speech therapy OT threshold "
    "crisis diagnosis early help educational psychologist heard listened",
    "money": "funding budget cost paid pays cuts afford transport hours allocation banding "
    "money spend commissioned",
    "incentives": "excluded exclusion part-time timetable detention isolation behaviour "
    "mainstream results league inclusion sanction suspended",
    "accountability": "tribunal complaint unlawful deadline ombudsman appeal ignored legal "
    "inspection consequences duty solicitor",
    "workforce": "training trained SENCo staff turnover agency understand autism aware "
    "attitude knowledge qualified",
    "lifelong-outcomes": "college post-16 adult employment job independent living future "
    "transition apprenticeship nineteen supported",
    "coproduction": "involved decision consulted forum board tokenistic invited voice "
    "coproduction listened shut decided",
}


def _profiles() -> list[CodeProfile]:
    codebook = json.loads(
        resource_path("codebooks", "nnpcf-key-messages.json").read_text(encoding="utf-8")
    )
    keywords = key_message_keywords()
    return [
        CodeProfile(code["key"], code["label"], code["scope"], keywords[code["key"]])
        for code in codebook["codes"]
    ]


def _rare_word(rng: random.Random) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "".join(rng.choice(letters) for _ in range(rng.randint(4, 11)))


def make_quotes(count: int, seed: int) -> list[TaggedExample]:
    """``count`` made-up tagged quotes of about ``QUOTE_CHARS`` characters: common words, words
    leaning to their key messages, and a long tail of rare words."""
    rng = random.Random(seed)
    keys = sorted(_LEANING)
    common = _COMMON_WORDS.split()
    leaning = {key: words.split() for key, words in _LEANING.items()}
    rare = [_rare_word(rng) for _ in range(60_000)]
    quotes: list[TaggedExample] = []
    for _ in range(count):
        codes = frozenset(rng.sample(keys, 2 if rng.random() < 0.25 else 1))
        words: list[str] = []
        while sum(len(word) + 1 for word in words) < QUOTE_CHARS:
            draw = rng.random()
            if draw < 0.55:
                words.append(rng.choice(common))
            elif draw < 0.8:
                words.append(rng.choice(leaning[rng.choice(sorted(codes))]))
            else:
                # Skewed: a few rare words recur often, most appear once or twice.
                words.append(rare[int(len(rare) * rng.random() ** 2)])
        quotes.append(TaggedExample(" ".join(words).capitalize() + ".", codes))
    return quotes


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quotes", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()

    profiles = _profiles()
    training = make_quotes(arguments.quotes, seed=1)
    others = [quote.text for quote in make_quotes(SUGGEST_QUOTES, seed=2)]
    vocabulary = {word for quote in training for word in quote.text.lower().split()}

    train_times: list[float] = []
    suggester = Suggester.train(profiles)
    for _ in range(arguments.repeat):
        started = time.perf_counter()
        suggester = Suggester.train(profiles, training)
        train_times.append(_ms(time.perf_counter() - started))

    suggest_times: list[float] = []
    keyword_times: list[float] = []
    for text in others:
        started = time.perf_counter()
        suggester.suggest(text)
        suggest_times.append(_ms(time.perf_counter() - started))
        started = time.perf_counter()
        keyword_suggestions(profiles, text)
        keyword_times.append(_ms(time.perf_counter() - started))

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    train_ms = statistics.median(train_times)
    suggest_ms = statistics.median(suggest_times)
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print(
        f"{arguments.quotes:,} tagged quotes, {len(vocabulary):,} distinct words, "
        f"{len(profiles)} codes; medians of {arguments.repeat} runs, ms\n"
    )
    print("| measure | median | 95th percentile | target |")
    print("|---|---:|---:|---:|")
    print(f"| train | {train_ms:.0f} | {max(train_times):.0f} (max) | ≤ {TRAIN_TARGET_MS:.0f} |")
    print(
        f"| suggest, one quote | {suggest_ms:.2f} | {p95(suggest_times):.2f} "
        f"| ≤ {SUGGEST_TARGET_MS:.0f} |"
    )
    print(
        f"| keyword suggestions, one quote | {statistics.median(keyword_times):.2f} "
        f"| {p95(keyword_times):.2f} | |"
    )
    met = train_ms <= TRAIN_TARGET_MS and p95(suggest_times) <= SUGGEST_TARGET_MS
    print(f"\nTargets {'met' if met else 'NOT met'}.")


if __name__ == "__main__":
    main()
