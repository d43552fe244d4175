"""``forumkit pack``, ``packs`` and ``settings`` as a chair scripts them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from forumkit.responses import update_response
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.test_cli import WITH_PASSPHRASE, forumkit

from .helpers import PackForum, make_pack_forum


@pytest.fixture(scope="module")
def forum_file(tmp_path_factory: pytest.TempPathFactory) -> PackForum:
    return make_pack_forum(tmp_path_factory.mktemp("forum"))


def pack_json(forum: Path, out: Path, *args: str) -> dict[str, Any]:
    """``forumkit pack FORUM family_2026 OUT ARGS --json``, read."""
    made = forumkit("pack", forum, "family_2026", out, *args, "--json", env=WITH_PASSPHRASE)
    assert made.returncode == 0, made.stderr
    data: dict[str, Any] = json.loads(made.stdout)
    return data


@pytest.fixture
def forum(forum_file: PackForum, tmp_path: Path) -> Path:
    copy = tmp_path / "forum.forumkit"
    copy.write_bytes(forum_file.path.read_bytes())
    return copy


def test_a_generated_password_is_printed_once_and_opens_the_pack(
    forum: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pack.pdf"
    made = forumkit("pack", forum, "family_2026", out, env=WITH_PASSPHRASE)
    assert made.returncode == 0, made.stderr
    (line,) = [line for line in made.stdout.splitlines() if line.startswith("Password: ")]
    password = line.removeprefix("Password: ")
    assert len(password.split("-")) == 5
    assert "by phone" in made.stdout
    assert PdfReader(out, password=password).get_num_pages() > 3
    assert password not in made.stderr
    assert "Redaction found email again in quote" in made.stderr
    assert "Quotes left out of the pack (1 quote: not reviewed" in made.stderr
    assert "names nobody to contact" in made.stderr

    data = pack_json(forum, tmp_path / "again.pdf")
    assert len(data["password"].split("-")) == 5 and data["password"] != password
    assert (data["quotes"], data["responses"], data["counted"]) == (8, 7, 12)
    assert data["left_out"] == {"not reviewed": 1, "no consent to quote and share": 1}
    assert data["figures"] == ["phase", "services", "rating"] and data["compared_with"] is None


def test_a_quote_left_out_on_the_command_line_is_not_in_the_pack(
    forum_file: PackForum, forum: Path, tmp_path: Path
) -> None:
    whole = pack_json(forum, tmp_path / "whole.pdf")
    left_out = forum_file.quote_ids["polish"]
    data = pack_json(forum, tmp_path / "less.pdf", "--leave-out", f" {left_out} ,")
    assert data["left_out_by_chair"] == 1 and whole["left_out_by_chair"] == 0
    assert data["quotes"] == whole["quotes"] - 1
    stale = forum_file.quote_ids["unreviewed"]
    refused = forumkit(
        "pack",
        forum,
        "family_2026",
        tmp_path / "no.pdf",
        "--leave-out",
        stale,
        env=WITH_PASSPHRASE,
    )
    assert refused.returncode != 0 and not (tmp_path / "no.pdf").exists()


def test_the_chairs_password_is_never_printed(forum: Path, tmp_path: Path) -> None:
    secret = tmp_path / "pw.txt"
    secret.write_text("our own pack password\n", encoding="utf-8")
    out = tmp_path / "pack.pdf"
    made = forumkit(
        "pack", forum, "family_2026", out, "--password-file", secret, "--json", env=WITH_PASSPHRASE
    )
    assert made.returncode == 0, made.stderr
    data = json.loads(made.stdout)
    assert "password" not in data
    assert "our own pack password" not in made.stdout + made.stderr
    assert PdfReader(out, password="our own pack password").get_num_pages() > 3

    secret.write_text("short\n", encoding="utf-8")
    refused = forumkit(
        "pack",
        forum,
        "family_2026",
        tmp_path / "weak.pdf",
        "--password-file",
        secret,
        env=WITH_PASSPHRASE,
    )
    assert refused.returncode == 1
    assert "The pack's password is too short" in refused.stderr
    assert not (tmp_path / "weak.pdf").exists()


def test_packs_lists_what_was_made(forum: Path, tmp_path: Path) -> None:
    assert "No evidence pack has been made" in forumkit("packs", forum, env=WITH_PASSPHRASE).stdout
    first = pack_json(forum, tmp_path / "a.pdf")
    second = pack_json(forum, tmp_path / "b.pdf", "--codes", "workforce")
    listed = json.loads(forumkit("packs", forum, "--json", env=WITH_PASSPHRASE).stdout)["packs"]
    assert [(p["pack_id"], p["quotes"]) for p in listed] == [
        (first["pack_id"], 8),
        (second["pack_id"], 2),
    ]
    text = forumkit("packs", forum, env=WITH_PASSPHRASE).stdout
    assert f"{second['pack_id']}  family_2026: 2 quotes from 2 responses" in text


def test_settings_set_the_cover_of_later_packs(forum: Path, tmp_path: Path) -> None:
    shown = json.loads(forumkit("settings", forum, "--json", env=WITH_PASSPHRASE).stdout)
    assert shown == {
        "forum": "Testshire PCF",
        "area": "Testshire",
        "pack_title": "",
        "pack_contact": "",
        "suppression_threshold": 5,
    }
    changed = forumkit(
        "settings",
        forum,
        "--pack-title",
        "Parents' evidence 2026",
        "--pack-contact",
        "Jo Bloggs, chair, 01632 960001",
        env=WITH_PASSPHRASE,
    )
    assert changed.returncode == 0, changed.stderr
    assert "Pack title: Parents' evidence 2026" in changed.stdout
    out = tmp_path / "pack.pdf"
    made = pack_json(forum, out)
    reader = PdfReader(out, password=made["password"])
    assert reader.metadata is not None and reader.metadata.title == "Parents' evidence 2026"
    cover = reader.pages[0].extract_text()
    assert "Jo Bloggs, chair, 01632 960001" in cover
    assert not any("names nobody to contact" in w for w in made["warnings"])


def test_an_erasure_on_the_command_line_names_the_pack(
    forum: Path, forum_file: PackForum, tmp_path: Path
) -> None:
    with Workspace.open(forum, PASSPHRASE) as workspace:
        update_response(workspace, forum_file.consenting[0].id, respondent="jo@example.org")
        update_response(workspace, forum_file.consenting[1].id, respondent="sam@example.org")
    made = pack_json(forum, tmp_path / "p.pdf")
    erased = forumkit(
        "responses",
        "erase",
        forum,
        "--respondent",
        "jo@example.org",
        "--yes",
        "--json",
        env=WITH_PASSPHRASE,
    )
    assert erased.returncode == 0, erased.stderr
    (disclosure,) = json.loads(erased.stdout)["disclosures"]
    assert (disclosure["action"], disclosure["pack_id"]) == ("pack_created", made["pack_id"])
    in_words = forumkit(
        "responses",
        "erase",
        forum,
        "--respondent",
        "sam@example.org",
        "--yes",
        env=WITH_PASSPHRASE,
    )
    assert f"1 of them left the file in the evidence pack {made['pack_id']} made" in (
        in_words.stdout
    )


def test_bad_requests_change_nothing(forum: Path, tmp_path: Path) -> None:
    before = forum.read_bytes()
    for args, message in (
        (["--codes", "transport"], "“transport” is not one of the key messages"),
        (["--attributes", "rating"], "not a single- or multiple-choice question"),
        (["--title", "x" * 300], "a cover holds at most 200"),
        (["--questions", "phase,experiences"], "“experiences” is not a question of"),
        (["--compare", "family_2026"], "is the survey itself"),
        (["--compare", "family_2019"], "There is no survey “family_2019”"),
    ):
        failed = forumkit(
            "pack", forum, "family_2026", tmp_path / "p.pdf", *args, env=WITH_PASSPHRASE
        )
        assert failed.returncode == 1 and message in failed.stderr, failed.stderr
    wrong_name = forumkit("pack", forum, "family_2026", tmp_path / "p.txt", env=WITH_PASSPHRASE)
    assert wrong_name.returncode == 1 and "must end in .pdf" in wrong_name.stderr
    assert forum.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forum.forumkit"]
