"""The seven key messages as the suggester sees them, and the labelled quotes to judge it by."""

from __future__ import annotations

import csv
import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from forumkit.paths import resource_path
from forumkit.suggest import CodeProfile, TaggedExample, key_message_keywords

KEY_MESSAGES = (
    "listen-early",
    "money",
    "incentives",
    "accountability",
    "workforce",
    "lifelong-outcomes",
    "coproduction",
)


def key_message_profiles() -> list[CodeProfile]:
    """The shipped codebook's codes (label and scope note) with forumkit's keywords."""
    path = resource_path("codebooks", "nnpcf-key-messages.json")
    codebook = json.loads(path.read_text(encoding="utf-8"))
    keywords = key_message_keywords()
    return [
        CodeProfile(code["key"], code["label"], code["scope"], keywords[code["key"]])
        for code in codebook["codes"]
    ]


@dataclass(frozen=True)
class LabelledQuote:
    text: str
    primary: str
    codes: frozenset[str]


def labelled_quotes(shared_dir: Path) -> list[LabelledQuote]:
    """``fixtures/quotes/labelled.csv``: 180 quotes, each with one or two key messages."""
    path = shared_dir / "fixtures" / "quotes" / "labelled.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        LabelledQuote(
            row["quote"],
            row["primary"],
            frozenset(key for key in (row["primary"], row["secondary"]) if key),
        )
        for row in rows
    ]


def seed_quotes(shared_dir: Path) -> list[tuple[str, str]]:
    """Parents' quotes in seed 000 (the NNPCF's submission), with the key message whose heading
    they stand under: ``*"..."*`` lines after a ``## <label>`` heading, until the next ``##``."""
    labels = {profile.label: profile.key for profile in key_message_profiles()}
    path = shared_dir / "seeds" / "000_dd03ad60a5675d02.txt"
    quotes: list[tuple[str, str]] = []
    section: str | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("## "):
            section = labels.get(line[3:].strip())
        elif section is not None and re.fullmatch(r"\*[\"“].*[\"”]\*", line):
            quotes.append((line[2:-2], section))
    return quotes


Ranker = Callable[[str], Sequence[str]]


@dataclass(frozen=True)
class Accuracy:
    top1: float
    top3: float


def stratified_folds(quotes: Sequence[LabelledQuote], folds: int, seed: int) -> list[list[int]]:
    """Indices of ``quotes`` dealt into ``folds`` folds, each key message spread evenly."""
    by_primary: dict[str, list[int]] = defaultdict(list)
    for index, quote in enumerate(quotes):
        by_primary[quote.primary].append(index)
    shuffler = random.Random(seed)
    dealt: list[list[int]] = [[] for _ in range(folds)]
    position = 0
    for primary in sorted(by_primary):
        indices = by_primary[primary][:]
        shuffler.shuffle(indices)
        for index in indices:
            dealt[position % folds].append(index)
            position += 1
    return dealt


def cross_validate(
    quotes: Sequence[LabelledQuote],
    train: Callable[[list[TaggedExample]], Ranker],
    seeds: Sequence[int],
    folds: int = 5,
) -> list[Accuracy]:
    """Repeated stratified k-fold cross-validation, one ``Accuracy`` per seed.

    A quote counts as a hit at top 1 (top 3) when either of its key messages is first (among
    the first three).
    """
    results: list[Accuracy] = []
    for seed in seeds:
        top1 = top3 = 0
        for held_out in stratified_folds(quotes, folds, seed):
            held = set(held_out)
            ranker = train(
                [
                    TaggedExample(quote.text, quote.codes)
                    for index, quote in enumerate(quotes)
                    if index not in held
                ]
            )
            for index in held_out:
                ranked = ranker(quotes[index].text)
                top1 += ranked[0] in quotes[index].codes
                top3 += any(key in quotes[index].codes for key in ranked[:3])
        results.append(Accuracy(top1 / len(quotes), top3 / len(quotes)))
    return results
