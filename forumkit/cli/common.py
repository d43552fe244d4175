"""What every ``forumkit`` command shares: passphrases, opening the file, printing results.

Passphrases come from an environment variable, else a file's first line, else a prompt without
echo; never from a command-line argument, which other users of the machine could see.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from forumkit.cli.terminal import for_stream, say, slow_work_notice
from forumkit.errors import FileChangedOnDisk, FileLocked, ForumkitError
from forumkit.merge import merge_changed_file
from forumkit.vault.keys import TEST_KDF_ENV, KdfParams
from forumkit.wording import plural
from forumkit.workspace import Workspace

T = TypeVar("T")

LOCK_WAIT_S = 5.0
"""How long a command waits for another forumkit to let go of the file before giving up."""

PASSPHRASE_ENV = "FORUMKIT_PASSPHRASE"
_RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")
NEW_PASSPHRASE_ENV = "FORUMKIT_NEW_PASSPHRASE"


class PassphraseUnavailable(ForumkitError):
    """No passphrase could be read (no variable, no file, no terminal)."""


def add_file_arguments(parser: argparse.ArgumentParser, *, writes: bool = True) -> None:
    """FILE and --passphrase-file, shared by every command that opens a forum file, and
    --break-stale-lock and --accept-older-copy for those that change it."""
    parser.add_argument("file", metavar="FILE", type=Path, help="the .forumkit file")
    parser.add_argument(
        "--passphrase-file",
        type=Path,
        metavar="PATH",
        help=f"read the passphrase from this file's first line (else ${PASSPHRASE_ENV}, "
        "else a prompt)",
    )
    if writes:
        add_break_stale_lock_argument(parser)
        parser.add_argument(
            "--merge-if-changed",
            action="store_true",
            help="if another program saved FILE meanwhile, merge its changes in and save "
            "(else the command stops, exit 1, and nothing is written)",
        )


def add_break_stale_lock_argument(parser: argparse.ArgumentParser) -> None:
    """--break-stale-lock, and --accept-older-copy: the two things a command that changes a
    forum file may be told to go ahead with."""
    parser.add_argument(
        "--break-stale-lock",
        action="store_true",
        help="open the file even though a forumkit that is no longer running (or another "
        "computer that has not used it for an hour) left it locked",
    )
    parser.add_argument(
        "--accept-older-copy",
        action="store_true",
        help="change the file even though it is an older copy of one this computer has seen "
        "saved more often (its saves then count on from that one's)",
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


def add_password_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """--password-file: the password of a spreadsheet written or read (``what`` it does)."""
    parser.add_argument("--password-file", type=Path, metavar="PATH", help=what)


def read_password_file(path: Path | None) -> str | None:
    """A spreadsheet's password from ``path``'s first line (None without a path); an empty
    first line is refused rather than taken as no password."""
    if path is None:
        return None
    password = _first_line(path, "password")
    if not password:
        raise ForumkitError(f"The password file “{path}” has an empty first line.")
    return password


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
    asked = for_stream(f"{question} Type yes to go ahead: ", sys.stderr)
    print(asked, end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def warn(message: str) -> None:
    say(f"Warning: {message}", sys.stderr)


def kdf_words(params: KdfParams) -> str:
    """The key derivation in words: “Argon2id, 256 MiB, 3 passes, 4 lanes”."""
    memory = params.memory_kib
    size = f"{memory // 1024:,} MiB" if memory % 1024 == 0 else f"{memory:,} KiB"
    return (
        f"Argon2id, {size}, {plural(params.iterations, 'pass', 'passes')}, "
        f"{plural(params.lanes, 'lane')}"
    )


def warn_if_test_strength(workspace: Workspace) -> None:
    """Say loudly that ``FORUMKIT_INSECURE_TEST_KDF=1`` just gave the file a test-strength key.

    The variable exists for forumkit's own tests; anyone who sets it by mistake must learn at
    once that the file's passphrase can be guessed fast, and how to put it right: without the
    variable the passphrase no longer opens such a file, but the recovery key does (it has no
    slow derivation to check), and ``recover`` then writes a full-strength passphrase slot.
    """
    warn_if_test_strength_params(workspace.path.name, workspace.vault.header.passphrase_slot.params)


def warn_if_test_strength_params(name: str, params: KdfParams) -> None:
    """:func:`warn_if_test_strength` for the file ``name`` whose passphrase slot has ``params``."""
    if not params.is_reduced():
        return
    say(
        f"WARNING: “{name}” now has a TEST-STRENGTH KEY ({kdf_words(params)}) because "
        f"{TEST_KDF_ENV}=1 is set. Anyone who gets a copy of the file can try passphrases "
        "very fast. That setting is for forumkit's tests only: to give the file a full-strength "
        f"key, unset it and set the passphrase again with the recovery key (“forumkit recover "
        f"{name}”) before the file holds real answers.",
        sys.stderr,
    )


def group_key(key: str) -> str:
    """A recovery key on two indented lines, for reading out and copying down."""
    groups = key.split("-")
    half = (len(groups) + 1) // 2
    return "\n".join("    " + "-".join(line) for line in (groups[:half], groups[half:]))


class StaleLock(ForumkitError):
    """The file is locked by a forumkit that looks gone, and nobody confirmed breaking it."""


class OlderCopyRefused(ForumkitError):
    """A command would change an older copy of a forum file, and nobody confirmed it."""


def settle_older_copy(args: argparse.Namespace, workspace: Workspace) -> None:
    """Before a command changes an older copy: go ahead when told (--accept-older-copy, or yes
    on a terminal); otherwise close it unchanged and exit 1, saying how to go ahead."""
    older = workspace.older_copy
    if older is None or workspace.read_only:
        return
    name = f"“{workspace.path.name}”"
    if getattr(args, "accept_older_copy", False) or (
        sys.stdin.isatty()
        and ask_yes(
            f"{name} is an older copy (saved {plural(older.generation, 'time')}; this computer "
            f"has seen it saved {plural(older.newest_seen, 'time')}). Carry on with this copy?"
        )
    ):
        workspace.accept_older_copy()
        workspace.flush()  # an upgrade or a recovered passphrase waiting for the answer
        return
    workspace.close(discard_unsaved=True)
    raise OlderCopyRefused(
        f"{name} was left as it was: it is an older copy (saved "
        f"{plural(older.generation, 'time')}, against {older.newest_seen:,}). Find the newer "
        "copy, or add --accept-older-copy to carry on with this one."
    )


def with_stale_lock_confirmed(args: argparse.Namespace, open_it: Callable[[bool], T]) -> T:
    """``open_it(break_stale_lock)``: first as asked on the command line; when the lock is
    stale, ask on a terminal whether to break it (without one, say how)."""
    try:
        return open_it(bool(getattr(args, "break_stale_lock", False)))
    except FileLocked as locked:
        if not locked.stale:
            raise
        if not sys.stdin.isatty():
            raise StaleLock(f"{locked} To do so, add --break-stale-lock.") from None
        if not ask_yes(f"{locked} Open it anyway?"):
            raise StaleLock(f"“{args.file.name}” was left as it was.") from None
    return open_it(True)


def open_workspace(args: argparse.Namespace, *, read_only: bool = False) -> Workspace:
    """Open FILE with its passphrase, printing any warnings (e.g. an older copy) to stderr.

    Commands that change the file take its writer lock, waiting up to :data:`LOCK_WAIT_S` for
    another forumkit to let go; those that only read open it read-only, beside any writer.
    """
    passphrase = passphrase_for(args)

    def open_it(break_stale_lock: bool) -> Workspace:
        return Workspace.open(
            args.file,
            passphrase,
            read_only=read_only,
            wait_s=LOCK_WAIT_S,
            break_stale_lock=break_stale_lock,
        )

    # Deriving the key takes a second with forumkit's settings, longer for a file made with
    # heavier ones (up to the reader's ceiling): past a second, a terminal is told why it waits.
    unlocking = f"Unlocking “{args.file.name}”: working out the key from the passphrase"
    with slow_work_notice(unlocking):
        workspace = with_stale_lock_confirmed(args, open_it)
    show_warnings(workspace)
    if not read_only:
        settle_older_copy(args, workspace)
    if getattr(args, "merge_if_changed", False):
        workspace.merge_when_changed_on_disk(_merge_changed)
    return workspace


def _merge_changed(workspace: Workspace, refused: FileChangedOnDisk) -> None:
    """``--merge-if-changed``: the save was refused because another program saved the file;
    merge that version in and save, saying so on stderr."""
    merged = merge_changed_file(workspace)
    say(
        f"{refused.what_happened[:1].upper()}{refused.what_happened[1:]} Its changes were "
        f"merged in before saving ({plural(merged.added, 'record')} added, "
        f"{merged.updated} updated, {plural(merged.conflicts, 'conflict')} kept for review).",
        sys.stderr,
    )


def show_warnings(workspace: Workspace) -> None:
    for message in workspace.warnings:
        warn(message)
    workspace.warnings.clear()


def emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    """Print ``data`` as JSON with --json, else ``text`` for people (escaped on a terminal)."""
    if getattr(args, "json", False):
        sys.stdout.write(json_text(data) + "\n")
    else:
        say(text)


def json_text(data: dict[str, Any]) -> str:
    """``data`` as JSON, with every control character escaped: JSON itself escapes only those
    below U+0020, and DEL or a C1 character (U+009B starts an escape sequence on some
    terminals) would otherwise reach the terminal raw. The value read back is the same."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _RAW_IN_JSON.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
