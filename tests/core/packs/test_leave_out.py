"""Quotes the chair leaves out (unticked in the wizard): nowhere in the pack, not counted, and
the audit entry says how many (never which words)."""

from __future__ import annotations

import io
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forumkit import audit
from forumkit.packs import PackError, PackRequest, gather, make_pack, shown_count
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, require_tool

from .helpers import POLISH, ROMANIAN, PackForum, make_pack_forum

PASSWORD = "left out by the chair 2026"


@pytest.fixture(scope="module")
def forum_file(tmp_path_factory: pytest.TempPathFactory) -> PackForum:
    return make_pack_forum(tmp_path_factory.mktemp("forum"))


@pytest.fixture
def forum(forum_file: PackForum, tmp_path: Path) -> Iterator[tuple[Workspace, PackForum]]:
    copy = tmp_path / "forum.forumkit"
    copy.write_bytes(forum_file.path.read_bytes())
    with Workspace.open(copy, PASSPHRASE) as workspace:
        yield workspace, forum_file


def _qpdf(*args: str | Path) -> bytes:
    done = subprocess.run(
        [require_tool("qpdf"), f"--password={PASSWORD}", *map(str, args)],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_left_out_quote_is_nowhere_and_the_counts_agree(
    forum: tuple[Workspace, PackForum], tmp_path: Path
) -> None:
    workspace, made = forum
    polish = made.quote_ids["polish"]
    request = PackRequest(made.survey, leave_out=frozenset({polish}))
    whole = gather(workspace, PackRequest(made.survey))
    content = gather(workspace, request)
    assert polish not in {quote.quote_id for quote in content.quotes}
    assert len(content.quotes) == len(whole.quotes) - 1
    # The quotes are numbered again without a gap.
    assert [quote.number for quote in content.quotes] == list(range(1, len(content.quotes) + 1))
    sections = {section.key: len(section.quotes) for section in content.key_messages}
    before = {section.key: len(section.quotes) for section in whole.key_messages}
    assert sections == {**before, "workforce": before["workforce"] - 1}

    pdf = tmp_path / "pack.pdf"
    result = make_pack(workspace, request, pdf, password=PASSWORD)
    assert (result.quotes, result.left_out_by_chair) == (len(whole.quotes) - 1, 1)

    text = subprocess.run(
        [require_tool("pdftotext"), "-upw", PASSWORD, str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert text.returncode == 0, text.stderr
    words = " ".join(text.stdout.split())
    assert "Zażółć" not in words and POLISH[:20] not in words
    assert "Am așteptat doi ani" in words  # the other workforce quote is still there

    appendix = _qpdf("--show-attachment=appendix.xlsx", pdf)
    manifest = json.loads(_qpdf("--show-attachment=manifest.json", pdf))
    assert manifest["counts"]["quotes"] == len(whole.quotes) - 1
    book = load_workbook(io.BytesIO(appendix))
    cells = [[c.value for c in row] for sheet in book for row in sheet.iter_rows()]
    everything = json.dumps(cells, ensure_ascii=False)
    assert "Zażółć" not in everything and ROMANIAN in everything
    assert len(list(book["Quotes"].iter_rows())) == 1 + len(whole.quotes) - 1
    by_message = {row[0].value: row[1].value for row in book["Quotes by key message"].iter_rows()}
    for section in content.key_messages:
        shown = shown_count(len(section.quotes), content.threshold)
        assert str(by_message[section.label]) == shown

    (entry,) = audit.entries(workspace.db, "pack_created")
    assert entry.counts["left_out_by_chair"] == 1 and entry.counts["quotes"] == 7
    # Ids only: the left-out quote's words are nowhere in the audit log.
    assert "Zażółć" not in repr(audit.entries(workspace.db))
    # The response whose only quote was left out is not named as one whose words left.
    assert made.consenting[2].id not in entry.object_ids


def test_leaving_out_a_quote_the_pack_could_not_hold_is_refused(
    forum: tuple[Workspace, PackForum],
) -> None:
    workspace, made = forum
    for stale in (made.quote_ids["unreviewed"], made.quote_ids["refused"], "no-such-quote"):
        with pytest.raises(PackError, match="not among the quotes this pack could hold"):
            gather(workspace, PackRequest(made.survey, leave_out=frozenset({stale})))
    # Narrowed to one key message, a quote of another is no longer one it could hold.
    with pytest.raises(PackError, match="1 quote to leave out"):
        gather(
            workspace,
            PackRequest(
                made.survey,
                codes=("coproduction",),
                leave_out=frozenset({made.quote_ids["polish"]}),
            ),
        )
