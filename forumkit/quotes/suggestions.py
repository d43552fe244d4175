"""Code suggestions for quotes, from a codebook's codes and the forum's own tagging.

The suggester (``forumkit.suggest``) knows nothing of the forum file; this hands it a
codebook's codes (label, scope note and keywords, all editable by the forum) and the quotes
the forum has tagged with them, so its suggestions follow the forum's own way of tagging.
"""

from __future__ import annotations

import sqlite_utils

from forumkit.codebooks import Codebook, default_codebook, get_codebook
from forumkit.quotes.model import Quote
from forumkit.suggest import CodeProfile, Suggester, TaggedExample


def code_profiles(codebook: Codebook) -> list[CodeProfile]:
    """What the suggester knows of each code that can be used for tagging."""
    return [
        CodeProfile(code.key, code.label, code.description, code.keywords)
        for code in codebook.codes
        if code.codable
    ]


def tagged_examples(db: sqlite_utils.Database, codebook: Codebook) -> list[TaggedExample]:
    """The forum's quotes tagged with codes of ``codebook``: their words and those codes' keys.

    Read straight from the tags (no quote objects are built), so training on thousands of
    tagged quotes stays quick.
    """
    rows = db.execute(
        "SELECT q.id, q.text, c.key FROM quote_tags t JOIN quotes q ON q.id = t.quote_id "
        "JOIN codes c ON c.id = t.code_id WHERE c.codebook_id = ? ORDER BY q.seq",
        [codebook.id],
    ).fetchall()
    texts: dict[str, str] = {}
    keys: dict[str, set[str]] = {}
    for quote_id, text, key in rows:
        texts[str(quote_id)] = str(text)
        keys.setdefault(str(quote_id), set()).add(str(key))
    return [TaggedExample(texts[q], frozenset(keys[q])) for q in texts]


def suggester_inputs(
    db: sqlite_utils.Database, codebook: str | None = None
) -> tuple[tuple[CodeProfile, ...], tuple[TaggedExample, ...]]:
    """What a suggester for ``codebook`` learns from, read on the database thread, so that
    ``Suggester.train(*inputs)`` can run in a worker."""
    book = default_codebook(db) if codebook is None else get_codebook(db, codebook)
    return tuple(code_profiles(book)), tuple(tagged_examples(db, book))


def train_suggester(db: sqlite_utils.Database, codebook: str | None = None) -> Suggester:
    """A suggester for ``codebook`` (key or id; the default codebook when None), trained on the
    forum's tagged quotes. It holds quoted words: drop it when the file is locked or closed."""
    return Suggester.train(*suggester_inputs(db, codebook))


def suggested_codes(suggester: Suggester, quote: Quote | str, limit: int = 3) -> list[str]:
    """The keys of the ``limit`` codes that best fit a quote (or any words), best first."""
    text = quote if isinstance(quote, str) else quote.text
    return [suggestion.key for suggestion in suggester.suggest(text, limit=limit)]
