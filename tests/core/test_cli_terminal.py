"""Other people's text reaches a terminal harmless, and a pipe closed early ends the command
quietly (issue 14). ``tests/core/test_reliability.py`` runs both for real, on a pty and into
``head``; these pin the rules."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from forumkit import cli
from forumkit.cli.common import json_text
from forumkit.cli.terminal import escaped, for_stream
from forumkit.spreadsheets import csv_bytes, csv_text
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE

ANSWER = "Waited \x1b]0;PWNED\x07\x1b[2J two years\r\x00 \x7f \x9b31m\tthen\nmore"


def test_control_characters_are_written_out_on_a_terminal() -> None:
    assert escaped(ANSWER) == (
        "Waited \\x1b]0;PWNED\\x07\\x1b[2J two years\\r\\x00 \\x7f \\x9b31m\tthen\nmore"
    )
    assert escaped("Café – “quoted” 😀") == "Café – “quoted” 😀"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_only_a_terminal_gets_the_escaped_text() -> None:
    assert for_stream(ANSWER, _Terminal()) == escaped(ANSWER)
    assert for_stream(ANSWER, io.StringIO()) == ANSWER  # a file or a pipe gets the text as held


def test_json_escapes_every_control_character_and_reads_back_the_same() -> None:
    text = json_text({"story": ANSWER})
    assert all(ord(char) >= 0x20 and not 0x7F <= ord(char) <= 0x9F for char in text if char != "\n")
    assert json.loads(text) == {"story": ANSWER}


def test_a_nul_never_reaches_a_csv_export() -> None:
    assert csv_text("before\x00after") == "before\ufffdafter"
    data = csv_bytes([["id", "story"], ["1", ANSWER]])
    assert b"\x00" not in data
    assert b"Waited \x1b]0;PWNED" in data  # the rest is written as held


def test_an_error_naming_a_hostile_file_is_escaped_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORUMKIT_PASSPHRASE", PASSPHRASE)
    monkeypatch.setattr("sys.stderr", _Terminal())
    assert cli.main(["info", str(tmp_path / "forum\x1b]0;PWNED\x07.forumkit")]) == 4
    said = sys.stderr.getvalue()
    assert "“forum\\x1b]0;PWNED\\x07.forumkit” cannot be opened" in said
    assert "\x1b" not in said and "\x07" not in said


class _ClosedPipe(io.StringIO):
    """A stdout whose reader has gone: every write fails as a closed pipe does."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_output_into_a_closed_pipe_ends_quietly_with_141(
    forum_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Workspace.create(forum_path, PASSPHRASE, forum="Testshire PCF"):
        pass
    monkeypatch.setenv("FORUMKIT_PASSPHRASE", PASSPHRASE)
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stdout", _ClosedPipe())
    monkeypatch.setattr("sys.stderr", stderr)
    assert cli.main(["info", str(forum_path)]) == cli.EXIT_BROKEN_PIPE == 141
    assert stderr.getvalue() == ""
