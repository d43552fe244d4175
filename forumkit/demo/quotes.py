"""The demo's quotes: parents' sentences tagged with all seven key messages, as a chair
half-way through tagging leaves them.

Each quote is one sentence of a free-text answer, picked by the words it starts with and tagged
as a chair would (a few with two key messages). Most are reviewed; every fourth is not yet, and
the parent's answer holding a phone number is quoted whole and left for its redaction review.
Some parents did not agree to be quoted or to share: their quotes stay in the file, and the app
says why they may not leave it.
"""

from __future__ import annotations

from dataclasses import dataclass

from forumkit.demo.responses import PLANTED_PHONE
from forumkit.quotes import create_quote, review_quote
from forumkit.responses import list_responses
from forumkit.surveys import Survey
from forumkit.workspace import Workspace

CHAIR = "Demo chair"
PER_SENTENCE = 3
"""How many parents' copies of one sentence are quoted."""
UNREVIEWED_EVERY = 4
QUESTIONS = ("biggest_difference", "experience")

SENTENCE_CODES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Being listened to the first time", ("listen-early",)),
    ("Shorter waits for speech and language therapy", ("listen-early",)),
    ("CAMHS seeing children before", ("listen-early",)),
    ("It took a long time to get anyone to listen", ("listen-early",)),
    ("CAMHS turned us down twice", ("listen-early",)),
    ("A school place near home", ("money",)),
    ("Respite, even a few hours a month", ("money",)),
    ("Clear information about who pays for what", ("money", "accountability")),
    ("The school is trying, but they say they have no money", ("money",)),
    ("School put", ("incentives",)),
    ("was excluded twice", ("incentives",)),
    ("Primary school were brilliant", ("incentives",)),
    ("We had to go to tribunal", ("accountability",)),
    ("The annual review was cancelled twice", ("accountability",)),
    ("Reviews that happen on time", ("accountability",)),
    ("The EHCP took nearly a year", ("accountability", "listen-early")),
    ("Staff who understand autism", ("workforce",)),
    ("Training for all teaching assistants", ("workforce",)),
    ("has had a teaching assistant who really understands them", ("workforce",)),
    ("Help with the move to college", ("lifelong-outcomes",)),
    ("I have had to give up work", ("lifelong-outcomes",)),
    ("Being treated as the expert on my own child", ("coproduction",)),
    ("One person who knows our family", ("coproduction",)),
    ("Things only moved once we asked the forum", ("coproduction",)),
)
"""The start of a sentence (or words in it) and the key messages a chair tags it with."""


@dataclass(frozen=True)
class DemoQuotes:
    """What :func:`add_demo_quotes` made."""

    quotes: int
    reviewed: int
    phone_quote_id: str


def add_demo_quotes(workspace: Workspace, survey: Survey) -> DemoQuotes:
    """Quote and tag parents' sentences in ``survey``'s free-text answers (module docstring),
    in one change."""
    made: dict[str, int] = {}
    quotes = reviewed = 0
    phone_quote = ""
    with workspace.transaction("demo_quotes_added"):
        for response in list_responses(workspace.db, survey.id, status="complete", limit=None):
            for question in QUESTIONS:
                text = response.answers.get(question)
                if not isinstance(text, str):
                    continue
                if PLANTED_PHONE in text and not phone_quote:
                    quote = create_quote(
                        workspace, response.id, question, codes=("listen-early",), by=CHAIR
                    ).after
                    assert quote is not None
                    phone_quote = quote.id
                    quotes += 1
                    continue
                found = _first_sentence(text, made)
                if found is None:
                    continue
                (start, end), words, codes = found
                quote = create_quote(
                    workspace, response.id, question, start, end, codes=codes, by=CHAIR
                ).after
                assert quote is not None
                made[words] = made.get(words, 0) + 1
                quotes += 1
                if quotes % UNREVIEWED_EVERY:
                    review_quote(workspace, quote.id, reviewed=True, by=CHAIR)
                    reviewed += 1
    return DemoQuotes(quotes=quotes, reviewed=reviewed, phone_quote_id=phone_quote)


def _first_sentence(
    text: str, made: dict[str, int]
) -> tuple[tuple[int, int], str, tuple[str, ...]] | None:
    """The span of the first sentence of ``text`` a chair would quote (still short of
    PER_SENTENCE copies), its key words and codes."""
    for words, codes in SENTENCE_CODES:
        if made.get(words, 0) >= PER_SENTENCE:
            continue
        at = text.find(words)
        if at < 0:
            continue
        start = text.rfind(". ", 0, at)
        start = 0 if start < 0 else start + 2
        end = text.find(".", at)
        end = len(text) if end < 0 else end + 1
        return (start, end), words, codes
    return None
