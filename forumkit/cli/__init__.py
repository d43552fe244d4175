"""The ``forumkit`` command line (its contract: ``docs/cli.md``, tested against this parser).

Each command module offers ``register(commands)``, adding its sub-commands with a ``run``
function. ``main`` turns every typed error into one plain sentence on stderr and the documented
exit code; tracebacks appear only with ``FORUMKIT_DEBUG=1``, and never carry response text.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Protocol

from forumkit import __version__
from forumkit.cli import analyse, codebook, demo, forum, merging, pack, quotes, responses, survey
from forumkit.cli.terminal import say
from forumkit.errors import ForumkitError

EXIT_BAD_INPUT = 1
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a shell reports for any program whose reader stopped reading
(``yes | head``), so ``set -o pipefail`` scripts see the output was cut short."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="forumkit",
        description="forumkit: a parent carer forum's surveys, quotes and evidence packs, "
        "kept in one encrypted file.",
    )
    parser.add_argument("--version", action="version", version=f"forumkit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _command_modules():
        module.register(commands)
    return parser


class CommandModule(Protocol):
    def register(self, commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


def _command_modules() -> list[CommandModule]:
    return [forum, survey, responses, quotes, codebook, analyse, pack, merging, demo]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code.

    When the program reading the output stops reading (``forumkit … | head``), the command
    ends quietly with :data:`EXIT_BROKEN_PIPE`: no message, as there is nobody left to read
    it. A transaction still open at that moment is rolled back, as for any other stop.
    """
    try:
        code = _run(argv)
        sys.stdout.flush()  # a cut pipe shows here, not later in the interpreter's own flush
        return code
    except BrokenPipeError:
        _drop_closed_streams()
        return EXIT_BROKEN_PIPE


def _run(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    debug = os.environ.get("FORUMKIT_DEBUG") == "1"
    try:
        code: int = args.run(args)
        return code
    except ForumkitError as exc:
        if debug:
            raise
        say(f"forumkit: {exc}", sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        say("forumkit: stopped; the forum file was not changed.", sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except OSError as exc:
        if debug:
            raise
        where = f" “{exc.filename}”" if exc.filename else ""
        say(f"forumkit: could not use{where}: {exc.strerror or exc}.", sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        if debug:
            raise
        # The exception's text might quote data, so only its type is shown.
        say(
            f"forumkit: an internal error ({type(exc).__name__}) stopped the command; the forum "
            "file was left as it was. Run again with FORUMKIT_DEBUG=1 for details.",
            sys.stderr,
        )
        return EXIT_BAD_INPUT


def _drop_closed_streams() -> None:
    """Point stdout and stderr at the null device, so the interpreter's last flush of text
    nobody will read does not fail again ("Exception ignored … BrokenPipeError")."""
    null = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(null, stream.fileno())
        except (OSError, ValueError):
            continue
    os.close(null)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
