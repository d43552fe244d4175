"""A forum file written before codebooks existed (release 0.1.0, data version 3) gets the shipped
codebooks when it is opened: the same codebooks, codes, ids and inspection-area mapping as a file
made today, so the two can later be merged."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from forumkit import audit, codebooks, schema
from forumkit.cli import main
from forumkit.vault import backup_path
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE

RELEASE_FILE = Path(__file__).parents[1] / "release_files" / "forum-0.1.forumkit"


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    copy = tmp_path / "forum.forumkit"
    shutil.copyfile(RELEASE_FILE, copy)
    return copy


def snapshot(workspace: Workspace) -> list[object]:
    mapping = codebooks.inspection_area_map(workspace.db)
    return [
        (
            book.id,
            book.key,
            book.name,
            book.is_default,
            [
                (c.id, c.key, c.label, c.description, c.colour, c.shortcut, c.parent_id)
                for c in book.codes
            ],
            {c.id: [a.id for a in mapping.get(c.id, ())] for c in book.codes},
        )
        for book in codebooks.list_codebooks(workspace.db)
    ]


def test_the_release_file_gets_the_shipped_codebooks(
    old_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = old_file.read_bytes()
    with Workspace.create(tmp_path / "new.forumkit", PASSPHRASE, forum="New") as fresh:
        expected = snapshot(fresh)
    with Workspace.open(old_file, PASSPHRASE) as workspace:
        assert workspace.schema_version == schema.latest_version() >= 5
        assert snapshot(workspace) == expected
        assert codebooks.default_codebook(workspace.db).key == "nnpcf-key-messages"
        [upgrade] = audit.entries(workspace.db, "schema_upgraded")
        assert upgrade.counts == {"to_version": schema.latest_version()}
    assert backup_path(old_file).read_bytes() == before  # the pre-upgrade file, kept
    monkeypatch.setenv("FORUMKIT_PASSPHRASE", PASSPHRASE)
    assert main(["verify", str(old_file)]) == 0


def test_the_upgraded_file_is_edited_like_a_new_one(old_file: Path) -> None:
    with Workspace.open(old_file, PASSPHRASE) as workspace:
        codebooks.edit_code(workspace, "coproduction", description="Being involved.")
        codebooks.add_code(workspace, "preparing-for-adulthood", "Transition to adult services")
    with Workspace.open(old_file, PASSPHRASE) as again:
        assert codebooks.resolve_code(again.db, "coproduction").description == "Being involved."
        adulthood = codebooks.get_codebook(again.db, "preparing-for-adulthood")
        assert adulthood.codes[-1].key == "transition-to-adult-services"
        # Opening again does not seed twice.
        assert len(codebooks.list_codebooks(again.db)) == 4
