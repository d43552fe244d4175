"""``forumkit codebook list|export|import`` as a chair scripts them, in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from forumkit.suggest import key_message_keywords
from tests.conftest import PASSPHRASE
from tests.core.test_cli import WITH_PASSPHRASE, forumkit

FIXTURES = Path(__file__).parent / "fixtures"


def new_forum(tmp_path: Path, name: str = "forum") -> Path:
    path = tmp_path / f"{name}.forumkit"
    made = forumkit("new", path, "--forum", "Testshire PCF", env=WITH_PASSPHRASE)
    assert made.returncode == 0, made.stderr
    return path


def test_list_shows_the_codebooks_with_their_codes(tmp_path: Path) -> None:
    forum = new_forum(tmp_path)
    listed = forumkit("codebook", "list", forum, env=WITH_PASSPHRASE)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == "nnpcf-key-messages  Seven key messages  (7 codes, the default)"
    assert lines[1] == (
        "  [1] listen-early  Listen to families and intervene early  #E69F00  "
        "→ identified-early, right-help"
    )
    assert "  [7] coproduction  Coproduction  #CC79A7  → families-participate" in lines
    assert "preparing-for-adulthood  Preparing for Adulthood outcomes  (4 codes)" in lines

    as_json = forumkit("codebook", "list", forum, "--json", env=WITH_PASSPHRASE)
    assert as_json.returncode == 0, as_json.stderr
    books = json.loads(as_json.stdout)["codebooks"]
    assert [b["key"] for b in books] == [
        "nnpcf-key-messages",
        "inspection-areas",
        "areas-of-need",
        "preparing-for-adulthood",
    ]
    workforce = books[0]["codes"][4]
    assert workforce == {
        "id": workforce["id"],
        "key": "workforce",
        "label": "Right people, right knowledge, right skills",
        "description": "Training, knowledge of the law, attitudes, gatekeeping, SENCo capacity, "
        "staff turnover.",
        "colour": "#0072B2",
        "text_colour": "#FFFFFF",
        "shortcut": "5",
        "keywords": workforce["keywords"],
        "parent": None,
        "depth": 0,
        "codable": True,
        "inspection_areas": ["right-help"],
    }
    assert books[0]["default"] is True and books[1]["default"] is False
    # The key messages carry forumkit's suggestion keywords from the start (the forum may edit).
    assert list(workforce["keywords"]) == list(key_message_keywords()["workforce"])
    assert books[1]["codes"][0]["keywords"] == []


def test_export_and_import_between_two_forum_files(tmp_path: Path) -> None:
    first = new_forum(tmp_path, "first")
    second = new_forum(tmp_path, "second")
    taguette = forumkit(
        "codebook",
        "import",
        first,
        FIXTURES / "taguette-1.5.2.qdc",
        "--name",
        "From Taguette",
        env=WITH_PASSPHRASE,
    )
    assert taguette.returncode == 0, taguette.stderr
    assert taguette.stdout.strip() == (
        "Added the codebook “From Taguette” (from-taguette): 3 codes added, 0 updated, "
        "0 unchanged, 0 not in the file kept as they were."
    )
    out = tmp_path / "themes.qdc"
    exported = forumkit(
        "codebook", "export", first, "from-taguette", out, "--json", env=WITH_PASSPHRASE
    )
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["codes"] == 3
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<CodeBook')

    imported = forumkit("codebook", "import", second, out, "--json", env=WITH_PASSPHRASE)
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)
    assert (report["key"], report["created"], report["added"]) == ("themes", True, 3)
    again = forumkit("codebook", "import", second, out, "--json", env=WITH_PASSPHRASE)
    assert json.loads(again.stdout)["unchanged"] == 3


def test_import_warnings_go_to_stderr(tmp_path: Path) -> None:
    forum = new_forum(tmp_path)
    result = forumkit(
        "codebook", "import", forum, FIXTURES / "atlasti-23.4.0.qdc", env=WITH_PASSPHRASE
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("Warning: The file's 1 code set (groups of codes)")
    assert "1 code added" in result.stdout


def test_refusals_are_one_sentence_and_exit_1(tmp_path: Path) -> None:
    forum = new_forum(tmp_path)
    before = forum.read_bytes()
    hostile = tmp_path / "laughs.qdc"
    hostile.write_text(
        '<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY a "aaaa">]>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>&a;</Codes></CodeBook>',
        encoding="utf-8",
    )
    refused = forumkit("codebook", "import", forum, hostile, env=WITH_PASSPHRASE)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.startswith(
        "forumkit: “laughs.qdc” cannot be imported as a codebook: it declares a document type"
    )
    assert refused.stderr.count("\n") == 1
    assert forum.read_bytes() == before

    missing = forumkit("codebook", "export", forum, "nope", tmp_path / "x.qdc", env=WITH_PASSPHRASE)
    assert missing.returncode == 1
    assert missing.stderr.strip() == (
        "forumkit: This forum file has no codebook “nope”; `forumkit codebook list FILE` shows "
        "the ones it has."
    )
    absent = forumkit("codebook", "import", forum, tmp_path / "absent.qdc", env=WITH_PASSPHRASE)
    assert absent.returncode == 1
    assert "absent.qdc" in absent.stderr


def test_the_passphrase_is_needed(tmp_path: Path) -> None:
    forum = new_forum(tmp_path)
    wrong = forumkit("codebook", "list", forum, env={"FORUMKIT_PASSPHRASE": PASSPHRASE + " not"})
    assert wrong.returncode == 3
