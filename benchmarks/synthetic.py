"""Synthetic survey responses for the benchmarks: deterministic, plausible in shape, never real.

There is no responses schema in forumkit yet (a later issue adds it), so the benchmarks use two
tables of their own, shaped like the likely real ones: ``bench_responses`` (one row per
response, UUID ids so they merge across laptops) and ``bench_answers`` (one row per answer,
keyed by response and question). Every response answers :data:`QUESTIONS_PER_RESPONSE`
questions; a quarter of them are free text of about :data:`FREE_TEXT_CHARS` characters, the
rest short choice values.

The functions take a plain :class:`sqlite3.Connection` so the same rows go into a forum
file's in-memory database and into the on-disk reference database.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Iterator

QUESTIONS_PER_RESPONSE = 20
FREE_TEXT_EVERY = 4  # every fourth question is free text: a quarter of the answers
FREE_TEXT_CHARS = 300
SURVEY_ID = "0b6f1d52-8c1e-4a55-9d59-6a3f2c7e1b01"

QUESTIONS = [f"q{i:02d}" for i in range(1, QUESTIONS_PER_RESPONSE + 1)]
FREE_TEXT_QUESTIONS = frozenset(QUESTIONS[FREE_TEXT_EVERY - 1 :: FREE_TEXT_EVERY])

_CHOICES = (
    "yes",
    "no",
    "sometimes",
    "not_applicable",
    "very_satisfied",
    "satisfied",
    "neutral",
    "dissatisfied",
    "very_dissatisfied",
    "0_5",
    "6_10",
    "11_16",
    "17_25",
)
# Words of the kind parents write (only their lengths matter to the benchmark).
_VOCABULARY = (
    "my son daughter child school SENCO EHCP plan annual review waited months for an assessment "
    "speech and language therapy occupational physio CAMHS referral autism ADHD diagnosis "
    "transport respite short breaks social worker local offer tribunal appeal support was "
    "not in place teachers did listen after we asked again the council never replied letter "
    "meeting provision hours funding key worker transition college placement anxiety sleep "
    "because when although finally better worse still no one explained what happens next"
)
_WORDS = tuple(_VOCABULARY.split())

SCHEMA = """
CREATE TABLE bench_responses (
    id TEXT PRIMARY KEY,
    survey_id TEXT NOT NULL,
    submitted TEXT NOT NULL,
    respondent_ref TEXT
);
CREATE TABLE bench_answers (
    response_id TEXT NOT NULL REFERENCES bench_responses(id),
    question TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (response_id, question)
);
"""

Response = tuple[str, str, str, str]
Answer = tuple[str, str, str]


def create_tables(conn: sqlite3.Connection) -> None:
    """Create the two benchmark tables (statement by statement: no implicit COMMIT)."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def _prose(rng: random.Random, chars: int) -> str:
    words: list[str] = []
    length = 0
    while length < chars:
        word = rng.choice(_WORDS)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


class _TextSource:
    """Free-text answers cut at random places from one long stretch of random prose.

    Drawing every word separately for 500,000 answers would make building the 100,000-response
    forum take longer than the measurements; slices of a 1 MB text are as varied in practice.
    """

    def __init__(self, rng: random.Random, size: int = 1_000_000) -> None:
        self._rng = rng
        self._text = _prose(rng, size + 2 * FREE_TEXT_CHARS)
        self._size = size

    def answer(self) -> str:
        start = self._rng.randrange(self._size)
        length = self._rng.randint(FREE_TEXT_CHARS - 60, FREE_TEXT_CHARS + 60)
        return self._text[start : start + length].strip().capitalize() + "."


def make_response(
    rng: random.Random, texts: _TextSource, number: int
) -> tuple[Response, list[Answer]]:
    """One response with its answers; ``number`` only shapes the timestamp and reference."""
    response_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    day = 1 + number % 28
    second = number % 86_400
    submitted = f"2026-10-{day:02d}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}Z"
    response = (response_id, SURVEY_ID, submitted, f"R{number:07d}")
    answers = [
        (response_id, q, texts.answer() if q in FREE_TEXT_QUESTIONS else rng.choice(_CHOICES))
        for q in QUESTIONS
    ]
    return response, answers


def responses(count: int, seed: int = 2026) -> Iterator[tuple[Response, list[Answer]]]:
    """``count`` responses, the same ones for the same seed."""
    rng = random.Random(seed)
    texts = _TextSource(rng)
    for number in range(count):
        yield make_response(rng, texts, number)


def insert_response(conn: sqlite3.Connection, response: Response, answers: list[Answer]) -> None:
    """Insert one response and its answers (the caller owns the transaction)."""
    conn.execute("INSERT INTO bench_responses VALUES (?, ?, ?, ?)", response)
    conn.executemany("INSERT INTO bench_answers VALUES (?, ?, ?)", answers)


def fill(conn: sqlite3.Connection, count: int, seed: int = 2026, batch: int = 2_000) -> None:
    """Create the tables and insert ``count`` responses (the caller owns the transaction)."""
    create_tables(conn)
    batch_responses: list[Response] = []
    batch_answers: list[Answer] = []
    for response, answers in responses(count, seed):
        batch_responses.append(response)
        batch_answers.extend(answers)
        if len(batch_responses) >= batch:
            _flush(conn, batch_responses, batch_answers)
    _flush(conn, batch_responses, batch_answers)


def _flush(conn: sqlite3.Connection, rows: list[Response], answers: list[Answer]) -> None:
    conn.executemany("INSERT INTO bench_responses VALUES (?, ?, ?, ?)", rows)
    conn.executemany("INSERT INTO bench_answers VALUES (?, ?, ?)", answers)
    rows.clear()
    answers.clear()
