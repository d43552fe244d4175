"""Finding quotes by their words and by code, question, review, consent and the respondent's
other answers; the quotes' search index agrees with the stored quotes after every change."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from forumkit import codebooks
from forumkit.quotes import (
    QuoteQuery,
    add_deny_term,
    count_search,
    create_quote,
    delete_quote,
    export_quotes,
    get_quote,
    import_quotes,
    quotes_of_response,
    relocate_quote,
    restore_quote,
    review_quote,
    search_quotes,
    tag_quote,
)
from forumkit.responses import (
    delete_response,
    erase_respondent,
    get_response,
    restore_response,
    update_response,
)
from forumkit.schema import derived
from forumkit.schema.quote_index import QUOTE_SEARCH_TABLE, quote_search_clause
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE

from .helpers import add_parent, add_quotes_survey, answers


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_quotes_survey(workspace, tmp_path)


def _words(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    conn.execute(
        f"CREATE VIRTUAL TABLE temp.check_quote_words USING fts5vocab(temp, {QUOTE_SEARCH_TABLE}, "
        "instance)"
    )
    try:
        return conn.execute(
            "SELECT term, doc, col, offset FROM temp.check_quote_words ORDER BY 1, 2, 3, 4"
        ).fetchall()
    finally:
        conn.execute("DROP TABLE temp.check_quote_words")


def assert_quote_index_agrees(workspace: Workspace) -> None:
    """The live index, kept by triggers, equals one built afresh from the stored quotes, and
    every stored quote is found by its own words."""
    conn = workspace.db.conn
    assert derived.installed(conn)
    fresh = sqlite3.connect(":memory:")
    fresh.deserialize(conn.serialize())
    derived.rebuild(fresh)
    assert _words(conn) == _words(fresh)
    fresh.close()
    for seq, text in conn.execute("SELECT seq, text FROM main.quotes").fetchall():
        clause = quote_search_clause('"' + text.replace('"', " ") + '"', "seq")
        assert clause is not None
        sql = f"SELECT seq FROM main.quotes WHERE {clause[0]}"  # noqa: S608 (a constant clause)
        matched = conn.execute(sql, clause[1])
        assert (seq,) in matched.fetchall()


def found(workspace: Workspace, survey: Survey, **filters: object) -> set[str]:
    query = QuoteQuery(survey.id, **filters)  # type: ignore[arg-type]
    quotes = search_quotes(workspace.db, query)
    assert count_search(workspace.db, query) == len(quotes)
    return {quote.text for quote in quotes}


def quote(workspace: Workspace, survey: Survey, words: str, **changes: object) -> str:
    response = add_parent(workspace, survey, experience=words, **changes)
    made = create_quote(workspace, response.id, "experience").after
    assert made is not None
    return made.id


def test_words_phrases_and_prefixes(workspace: Workspace, survey: Survey) -> None:
    quote(workspace, survey, "We waited two years for the SENCo to listen.")
    quote(workspace, survey, "Two long years waiting; the café staff were kind.")
    quote(workspace, survey, "Jamie's EHCP took years.")
    assert found(workspace, survey, text="years two") == {
        "We waited two years for the SENCo to listen.",
        "Two long years waiting; the café staff were kind.",
    }
    assert found(workspace, survey, text='"two years"') == {
        "We waited two years for the SENCo to listen."
    }
    assert found(workspace, survey, text="wait*") == {
        "We waited two years for the SENCo to listen.",
        "Two long years waiting; the café staff were kind.",
    }
    assert found(workspace, survey, text="wait") == set()  # whole words, unless a prefix
    assert found(workspace, survey, text="CAFE senco") == set()  # every word must be there
    assert found(workspace, survey, text="CAFE") == {
        "Two long years waiting; the café staff were kind."
    }
    # The redacted text is searched too: "[name]" stands for Jamie.
    assert found(workspace, survey, text="name") == {"Jamie's EHCP took years."}
    # Operators and stray quotes are words, never FTS5 syntax.
    assert found(workspace, survey, text='years OR "NEAR(') == set()
    assert found(workspace, survey, text=' " * - ') == {q for q in found(workspace, survey)}


def test_filters_by_code_question_review_consent_and_attributes(
    workspace: Workspace, survey: Survey
) -> None:
    early = quote(workspace, survey, "Nobody listened until crisis.", phase="secondary")
    primary = quote(workspace, survey, "Nobody listened at primary.", phase="primary")
    refused = quote(
        workspace, survey, "Nobody listened, do not share.", phase="secondary", consent_share="no"
    )
    money = quote(workspace, survey, "Funding was cut.", phase="secondary")
    for quote_id in (early, primary, refused):
        tag_quote(workspace, quote_id, ["listen-early"])
    tag_quote(workspace, money, ["money"])
    review_quote(workspace, early, reviewed=True)
    review_quote(workspace, refused, reviewed=True)
    # "quotes tagged listen-early from parents of secondary-age children"
    assert found(
        workspace, survey, codes=("listen-early",), attributes={"phase": ("secondary",)}
    ) == {"Nobody listened until crisis.", "Nobody listened, do not share."}
    assert found(workspace, survey, codes=("listen-early",), consent=True) == {
        "Nobody listened until crisis.",
        "Nobody listened at primary.",
    }
    assert found(workspace, survey, may_leave=True) == {"Nobody listened until crisis."}
    assert found(workspace, survey, reviewed=False) == {
        "Nobody listened at primary.",
        "Funding was cut.",
    }
    assert found(workspace, survey, codes=("money", "listen-early"), text="cut") == {
        "Funding was cut."
    }
    assert found(workspace, survey, question="difference") == set()
    # A code's sub-codes count as the code.
    child = codebooks.add_code(workspace, "nnpcf-key-messages", "Top-up funding", parent="money")
    tag_quote(workspace, primary, [child.id])
    assert found(workspace, survey, codes=("money",)) == {
        "Funding was cut.",
        "Nobody listened at primary.",
    }
    page = search_quotes(workspace.db, QuoteQuery(survey.id, consent=True), offset=1, limit=1)
    assert [q.id for q in page] == [primary]


def test_the_index_agrees_after_every_change_undo_and_erasure(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    first = add_parent(workspace, survey, respondent="ann@example.org")
    made = create_quote(workspace, first.id, "experience", 0, 12).after
    whole = create_quote(workspace, first.id, "difference").after
    assert made is not None and whole is not None
    assert_quote_index_agrees(workspace)
    review_quote(workspace, made.id, redacted_text="Quince-only redaction")
    assert_quote_index_agrees(workspace)
    assert found(workspace, survey, text="quince") == {made.text}
    update_response(workspace, first.id, answers(experience="Later: " + made.text))
    relocate_quote(workspace, made.id)
    relocate_quote(workspace, made.id, 0, 5)
    assert_quote_index_agrees(workspace)
    assert found(workspace, survey, text="quince") == set()
    earlier = get_quote(workspace.db, made.id)
    gone = delete_quote(workspace, made.id)
    assert_quote_index_agrees(workspace)
    assert gone.before is not None
    restore_quote(workspace, gone.before)
    assert get_quote(workspace.db, made.id) == earlier
    assert_quote_index_agrees(workspace)
    # Undoing a response's deletion: the response, then the quotes kept before deleting it.
    response = get_response(workspace.db, first.id)
    kept = quotes_of_response(workspace.db, first.id)
    delete_response(workspace, first.id)
    assert_quote_index_agrees(workspace)
    assert found(workspace, survey) == set()
    restore_response(workspace, response)
    for earlier_quote in kept:
        restore_quote(workspace, earlier_quote)
    assert quotes_of_response(workspace.db, first.id) == kept
    assert_quote_index_agrees(workspace)
    add_deny_term(workspace, "Oakwood", "school")
    assert_quote_index_agrees(workspace)
    path = tmp_path / "quotes.xlsx"
    export_quotes(workspace, survey, path)
    second = add_parent(workspace, survey)
    import_quotes(workspace, survey, path)
    tag_quote(workspace, whole.id, ["money"])
    create_quote(workspace, second.id, "experience")
    assert_quote_index_agrees(workspace)
    # A change that fails is undone in the index as in the file.
    with pytest.raises(RuntimeError), workspace.transaction():
        workspace.db.execute("UPDATE quotes SET redacted_text = 'Xylophone'")
        workspace.db.execute("DELETE FROM quote_tags")
        workspace.db.execute("DELETE FROM quotes WHERE seq = (SELECT MIN(seq) FROM quotes)")
        raise RuntimeError("stop")
    assert_quote_index_agrees(workspace)
    assert found(workspace, survey, text="xylophone") == set()
    erase_respondent(workspace, "ann@example.org")
    assert_quote_index_agrees(workspace)
    assert found(workspace, survey, text="listens") == set()
    assert len(found(workspace, survey)) == 1
    # Opened again, the index is built afresh from the file.
    workspace.close()
    with Workspace.open(workspace.path, PASSPHRASE) as again:
        assert_quote_index_agrees(again)
        # The parent's words and the redacted text are both searched.
        [by_words] = search_quotes(again.db, QuoteQuery(survey.id, text="jamie oakwood"))
        [by_tokens] = search_quotes(again.db, QuoteQuery(survey.id, text='"[name] waited"'))
        assert by_words == by_tokens
