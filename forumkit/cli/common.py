"""What every ``forumkit`` command shares: passphrases, opening the file, printing results.

Passphrases come from an environment variable, else a file's first line, else a prompt without
echo; never from a command-line argument, which other users of the machine could see.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from forumkit.errors import ForumkitError
from forumkit.workspace import Workspace

PASSPHRASE_ENV = "FORUMKIT_PASSPHRASE"
NEW_PASSPHRASE_ENV = "FORUMKIT_NEW_PASSPHRASE"


class PassphraseUnavailable(ForumkitError):
    """No passphrase could be read (no variable, no file, no terminal)."""


def add_file_arguments(parser: argparse.ArgumentParser) -> None:
    """FILE and --passphrase-file, shared by every command that opens a forum file."""
    parser.add_argument("file", metavar="FILE", type=Path, help="the .forumkit file")
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="PATH",
        help=f"read the passphrase from this file's first line (else ${PASSPHRASE_ENV}, "
        "else a prompt)",
    )


def add_json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def _first_line(path: Path, what: str) -> str:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ForumkitError(f"Cannot read the {what} file “{path}”: {exc.strerror}.") from None
    except UnicodeDecodeError:
        raise ForumkitError(f"The {what} file “{path}” is not UTF-8 text.") from None
    lines = text.splitlines()
    return lines[0] if lines else ""


def read_secret(
    *,
    env: str,
    file: Path | None,
    file_option: str,
    prompt: str,
    confirm: bool = False,
    what: str = "passphrase",
) -> str:
    """A passphrase from ``env``, else ``file``'s first line, else a terminal prompt."""
    value = os.environ.get(env)
    if value:
        return value
    if file is not None:
        return _first_line(file, what)
    if not sys.stdin.isatty():
        raise PassphraseUnavailable(
            f"No {what} given: set {env} or use {file_option} PATH "
            "(there is no terminal to ask on)."
        )
    first = getpass.getpass(prompt)
    if confirm:
        second = getpass.getpass("Type it again: ")
        if first != second:
            raise ForumkitError(f"The two {what}s typed differ; nothing was changed.")
    return first


def passphrase_for(args: argparse.Namespace, *, confirm: bool = False) -> str:
    """The passphrase of FILE (for ``new``, the new file's passphrase, asked twice)."""
    file: Path = args.file
    return read_secret(
        env=PASSPHRASE_ENV,
        file=args.passphrase_file,
        file_option="--passphrase-file",
        prompt=f"Passphrase for {file.name}: ",
        confirm=confirm,
    )


def add_new_passphrase_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--new-passphrase-file",
        type=Path,
        metavar="PATH",
        help=f"read the new passphrase from this file's first line (else ${NEW_PASSPHRASE_ENV}, "
        "else a prompt that asks twice)",
    )


def new_passphrase_for(args: argparse.Namespace) -> str:
    return read_secret(
        env=NEW_PASSPHRASE_ENV,
        file=args.new_passphrase_file,
        file_option="--new-passphrase-file",
        prompt="New passphrase: ",
        confirm=True,
        what="new passphrase",
    )


class ConfirmationNeeded(ForumkitError):
    """Something that cannot be undone was asked for without a terminal to confirm on and
    without ``--yes``."""


def ask_yes(question: str) -> bool:
    """Ask ``question`` on the terminal; True only when the answer is yes."""
    print(f"{question} Type yes to go ahead: ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def warn(message: str) -> None:
    print(f"Warning: {message}", file=sys.stderr)


def open_workspace(args: argparse.Namespace) -> Workspace:
    """Open FILE with its passphrase, printing any warnings (e.g. an older copy) to stderr."""
    workspace = Workspace.open(args.file, passphrase_for(args))
    for message in workspace.warnings:
        warn(message)
    workspace.warnings.clear()
    return workspace


def emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    """Print ``data`` as JSON with --json, else ``text`` for people."""
    if getattr(args, "json", False):
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(text)
