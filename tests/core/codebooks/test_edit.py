"""A forum edits its codebooks: labels, scope notes, colours, shortcuts, keywords, new codes and
codebooks, deleting and merging codes, and the inspection-area mapping. Every change is saved
whole (it is there after reopening), audit-logged by ids only, and a refused change leaves the
file exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit import audit, codebooks
from forumkit.codebooks import (
    CodebookNotFound,
    CodeInUse,
    CodeNotFound,
    CodeValueError,
)
from forumkit.workspace import Change, Workspace
from tests.conftest import PASSPHRASE, decrypted


def changes_of(workspace: Workspace) -> list[Change]:
    seen: list[Change] = []
    workspace.subscribe(seen.append)
    return seen


def test_editing_a_key_message_is_saved_and_marks_the_change(
    workspace: Workspace, forum_path: Path
) -> None:
    seen = changes_of(workspace)
    code = codebooks.edit_code(
        workspace,
        "money",
        label="Enough money, spent well",
        description="Funding and who pays.",
        colour="#abc",
        keywords=["EHCP funding", " top-up  funding ", "ehcp FUNDING"],
        shortcut="M",
    )
    assert (code.label, code.description, code.colour, code.shortcut) == (
        "Enough money, spent well",
        "Funding and who pays.",
        "#AABBCC",
        "m",
    )
    assert code.keywords == ("EHCP funding", "top-up funding")
    # The key and id never change: spreadsheets and other files refer to them.
    assert (code.key, code.id) == (
        "money",
        codebooks.code_id_for(codebooks.KEY_MESSAGES_ID, "money"),
    )
    [change] = seen
    assert change.touched == {"codebooks": {code.codebook_id, code.id}}
    workspace.close()
    with Workspace.open(forum_path, PASSPHRASE) as again:
        assert codebooks.resolve_code(again.db, "money") == code
        [entry] = audit.entries(again.db, "code_edited")
        assert entry.object_ids == [code.id]
    assert b"Funding and who pays." in decrypted(forum_path)


def test_the_audit_log_holds_ids_not_the_forums_words(workspace: Workspace) -> None:
    book = codebooks.create_codebook(workspace, "Local themes", description="Our own themes")
    code = codebooks.add_code(workspace, book.key, "School transport", description="Taxis")
    codebooks.edit_code(workspace, code.id, label="Transport to school")
    logged = repr(audit.entries(workspace.db))
    for words in ("Local themes", "Our own themes", "School transport", "Taxis", "Transport"):
        assert words not in logged
    assert code.id in logged and book.id in logged


def test_adding_codes_and_codebooks(workspace: Workspace) -> None:
    book = codebooks.create_codebook(workspace, "Local themes")
    assert (book.key, book.shipped, book.codes) == ("local-themes", False, ())
    first = codebooks.add_code(workspace, "local-themes", "Speech & language")
    second = codebooks.add_code(
        workspace, book.id, "Waits", key="waits", parent="speech-language", shortcut="w"
    )
    third = codebooks.add_code(workspace, book.id, "Speech & language therapy")
    assert first.key == "speech-language" and third.key == "speech-language-therapy"
    assert first.id == codebooks.code_id_for(book.id, "speech-language")
    assert second.parent_id == first.id
    assert [c.colour for c in (first, second, third)] == list(codebooks.OKABE_ITO[:3])
    stored = codebooks.get_codebook(workspace.db, "local-themes")
    assert [(depth, c.key) for depth, c in stored.walk()] == [
        (0, "speech-language"),
        (1, "waits"),
        (0, "speech-language-therapy"),
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "orange"}, "not usable: give it as #RRGGBB"),
        ({"shortcut": "2"}, "already belongs to “Make sure there is enough money"),
        ({"shortcut": "F1"}, "one digit or letter"),
        ({"label": "   "}, "needs a name"),
        ({"label": "x" * 301}, "at most 300 characters"),
        ({"label": "tab\x07bell"}, "control characters"),
        ({"description": "y" * 20_001}, "at most 20,000 characters"),
        ({"keywords": ["z" * 101]}, "at most 100 characters"),
        ({"parent": "no-such-code"}, "has no code “no-such-code”"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(
    workspace: Workspace, forum_path: Path, change: dict[str, object], message: str
) -> None:
    before = forum_path.read_bytes()
    with pytest.raises(CodeValueError, match=message):
        codebooks.edit_code(workspace, "listen-early", **change)  # type: ignore[arg-type]
    assert forum_path.read_bytes() == before
    assert codebooks.resolve_code(workspace.db, "listen-early").colour == "#E69F00"


def test_a_code_cannot_sit_below_itself(workspace: Workspace) -> None:
    book = codebooks.create_codebook(workspace, "Tree")
    codebooks.add_code(workspace, book.key, "Top")
    codebooks.add_code(workspace, book.key, "Middle", parent="top")
    codebooks.add_code(workspace, book.key, "Bottom", parent="middle")
    with pytest.raises(CodeValueError, match="cannot sit below itself"):
        codebooks.edit_code(workspace, "tree/top", parent="bottom")
    moved = codebooks.edit_code(workspace, "tree/bottom", parent=None)
    assert moved.parent_id is None


def test_keys_and_codebook_keys_must_be_new(workspace: Workspace) -> None:
    with pytest.raises(CodeValueError, match="already has a code “money”"):
        codebooks.add_code(workspace, "nnpcf-key-messages", "Money again", key="money")
    with pytest.raises(CodeValueError, match="already has a codebook"):
        codebooks.create_codebook(workspace, "Again", key="areas-of-need")
    with pytest.raises(CodeValueError, match="key “Bad Key”"):
        codebooks.add_code(workspace, "areas-of-need", "Other", key="Bad Key")


def test_codes_are_found_by_id_qualified_key_or_key(workspace: Workspace) -> None:
    money = codebooks.resolve_code(workspace.db, "money")
    assert codebooks.resolve_code(workspace.db, money.id) == money
    assert codebooks.resolve_code(workspace.db, money.id.upper()) == money
    assert codebooks.resolve_code(workspace.db, "nnpcf-key-messages/money") == money
    assert codebooks.resolve_code(workspace.db, "employment").key == "employment"
    book = codebooks.create_codebook(workspace, "Mine")
    codebooks.add_code(workspace, book.key, "Employment")
    with pytest.raises(CodeNotFound, match=r"in several codebooks.*mine/employment"):
        codebooks.resolve_code(workspace.db, "employment")
    with pytest.raises(CodeNotFound, match="has a code “nothing”"):
        codebooks.resolve_code(workspace.db, "nothing")
    with pytest.raises(CodebookNotFound, match="no codebook “nope”"):
        codebooks.resolve_code(workspace.db, "nope/money")


# -- deleting and merging -----------------------------------------------------------------------


def add_tags_table(workspace: Workspace) -> None:
    """A table shaped as the quotes store's tags are (another store that uses codes): it
    declares REFERENCES codes (id). The quotes store's own tags are tested in tests/core/quotes."""
    with workspace.transaction():
        workspace.db.execute(
            "CREATE TABLE stand_in_tags (quote_id TEXT NOT NULL, "
            "code_id TEXT NOT NULL REFERENCES codes (id), PRIMARY KEY (quote_id, code_id))"
        )


def tag(workspace: Workspace, quote: str, code: str) -> None:
    with workspace.transaction():
        workspace.db.execute(
            "INSERT INTO stand_in_tags VALUES (?, ?)",
            [quote, codebooks.resolve_code(workspace.db, code).id],
        )


def tags(workspace: Workspace) -> set[tuple[str, str]]:
    rows = workspace.db.execute(
        "SELECT t.quote_id, c.key FROM stand_in_tags t JOIN codes c ON c.id = t.code_id"
    ).fetchall()
    return {(quote, key) for quote, key in rows}


def test_an_unused_code_is_deleted(workspace: Workspace) -> None:
    code = codebooks.add_code(workspace, "areas-of-need", "Other needs")
    gone = codebooks.delete_code(workspace, code.id)
    assert (gone.code_id, gone.merged_into, gone.moved) == (code.id, None, {})
    with pytest.raises(CodeNotFound):
        codebooks.get_code(workspace.db, code.id)
    assert audit.entries(workspace.db, "code_deleted")[0].object_ids == [code.id]


def test_a_used_code_is_not_deleted_silently(workspace: Workspace, forum_path: Path) -> None:
    add_tags_table(workspace)
    tag(workspace, "q1", "money")
    tag(workspace, "q2", "money")
    assert codebooks.code_uses(workspace.db, codebooks.resolve_code(workspace.db, "money").id) == {
        "stand_in_tags.code_id": 2
    }
    before = forum_path.read_bytes()
    with pytest.raises(CodeInUse, match=r"“Make sure there is enough money.*” is used 2 times"):
        codebooks.delete_code(workspace, "money")
    assert forum_path.read_bytes() == before
    assert tags(workspace) == {("q1", "money"), ("q2", "money")}


def test_merging_moves_uses_children_and_areas_and_drops_duplicates(
    workspace: Workspace,
) -> None:
    add_tags_table(workspace)
    child = codebooks.add_code(workspace, "nnpcf-key-messages", "Top-up funding", parent="money")
    tag(workspace, "q1", "money")
    tag(workspace, "q2", "money")
    tag(workspace, "q2", "workforce")  # q2 ends up tagged once, not twice
    seen = changes_of(workspace)
    merged = codebooks.delete_code(workspace, "money", merge_into="workforce")
    workforce = codebooks.resolve_code(workspace.db, "workforce")
    assert merged.merged_into == workforce.id
    assert (merged.moved, merged.dropped) == (
        {"stand_in_tags.code_id": 1},
        {"stand_in_tags.code_id": 1},
    )
    assert tags(workspace) == {("q1", "workforce"), ("q2", "workforce")}
    assert codebooks.get_code(workspace.db, child.id).parent_id == workforce.id
    assert [a.key for a in codebooks.inspection_areas_of(workspace.db, workforce.id)] == [
        "right-help"
    ]
    assert seen[0].touched["codebooks"] >= {merged.code_id, workforce.id}
    [entry] = audit.entries(workspace.db, "code_merged")
    assert entry.counts == {"moved": 1, "dropped": 1}


def test_merging_unions_the_inspection_areas(workspace: Workspace) -> None:
    codebooks.delete_code(workspace, "coproduction", merge_into="incentives")
    areas = codebooks.inspection_areas_of(
        workspace.db, codebooks.resolve_code(workspace.db, "incentives").id
    )
    assert [a.key for a in areas] == ["families-participate", "valued-included"]


def test_merges_that_make_no_sense_are_refused(workspace: Workspace) -> None:
    child = codebooks.add_code(workspace, "nnpcf-key-messages", "Top-up", parent="money")
    with pytest.raises(CodeValueError, match="into itself"):
        codebooks.delete_code(workspace, "money", merge_into="money")
    with pytest.raises(CodeValueError, match="one of its own sub-codes"):
        codebooks.delete_code(workspace, "money", merge_into=child.id)
    with pytest.raises(CodeValueError, match="another code of “Seven key messages”"):
        codebooks.delete_code(workspace, "money", merge_into="employment")
    with pytest.raises(CodeValueError, match="has 1 sub-code; move or delete it first"):
        codebooks.delete_code(workspace, "money")


def test_deleting_an_inspection_area_unmaps_it(workspace: Workspace) -> None:
    codebooks.delete_code(workspace, "inspection-areas/next-steps")
    lifelong = codebooks.resolve_code(workspace.db, "lifelong-outcomes")
    assert codebooks.inspection_areas_of(workspace.db, lifelong.id) == ()


def test_codebooks_of_the_forums_own_can_be_deleted_unless_used(workspace: Workspace) -> None:
    book = codebooks.create_codebook(workspace, "Mine")
    codebooks.add_code(workspace, book.key, "Parent")
    codebooks.add_code(workspace, book.key, "Child", parent="parent")
    add_tags_table(workspace)
    tag(workspace, "q1", "mine/child")
    with pytest.raises(CodeInUse):
        codebooks.delete_codebook(workspace, book.key)
    with workspace.transaction():
        workspace.db.execute("DELETE FROM stand_in_tags")
    codebooks.delete_codebook(workspace, book.key)
    with pytest.raises(CodebookNotFound):
        codebooks.get_codebook(workspace.db, book.key)
    for kept in ("nnpcf-key-messages", "inspection-areas"):
        with pytest.raises(CodeValueError, match="evidence packs rely on it"):
            codebooks.delete_codebook(workspace, kept)
    areas = codebooks.get_codebook(workspace.db, "areas-of-need")
    codebooks.delete_codebook(workspace, areas.key)  # shipped, unused: the forum's choice
    assert len(codebooks.list_codebooks(workspace.db)) == 3


# -- the inspection-area mapping ----------------------------------------------------------------


def test_the_inspection_area_mapping_is_editable(workspace: Workspace, forum_path: Path) -> None:
    areas = codebooks.set_inspection_areas(workspace, "money", ["valued-included", "right-help"])
    assert [a.key for a in areas] == ["right-help", "valued-included"]
    mine = codebooks.create_codebook(workspace, "Mine")
    transport = codebooks.add_code(workspace, mine.key, "Transport")
    codebooks.set_inspection_areas(workspace, transport.id, ["inspection-areas/right-help"])
    codebooks.set_inspection_areas(workspace, "coproduction", [])
    workspace.close()
    with Workspace.open(forum_path, PASSPHRASE) as again:
        mapping = codebooks.inspection_area_map(again.db)
        money = codebooks.resolve_code(again.db, "money")
        coproduction = codebooks.resolve_code(again.db, "coproduction")
        assert [a.key for a in mapping[money.id]] == ["right-help", "valued-included"]
        assert [a.key for a in mapping[transport.id]] == ["right-help"]
        assert coproduction.id not in mapping


def test_only_inspection_areas_can_be_mapped_to(workspace: Workspace) -> None:
    with pytest.raises(CodeNotFound, match="has no code “employment”"):
        codebooks.set_inspection_areas(workspace, "money", ["employment"])
    with pytest.raises(CodeValueError, match="is itself an inspection area"):
        codebooks.set_inspection_areas(workspace, "right-help", ["next-steps"])
