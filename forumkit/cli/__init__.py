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
from forumkit.cli import codebook, demo, forum, responses, survey
from forumkit.errors import ForumkitError

EXIT_BAD_INPUT = 1
EXIT_INTERRUPTED = 130


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
    return [forum, survey, responses, codebook, demo]


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = os.environ.get("FORUMKIT_DEBUG") == "1"
    try:
        code: int = args.run(args)
        return code
    except ForumkitError as exc:
        if debug:
            raise
        print(f"forumkit: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("forumkit: stopped; the forum file was not changed.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        if debug:
            raise
        where = f" “{exc.filename}”" if exc.filename else ""
        print(f"forumkit: could not use{where}: {exc.strerror or exc}.", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:
        if debug:
            raise
        # The exception's text might quote data, so only its type is shown.
        print(
            f"forumkit: an internal error ({type(exc).__name__}) stopped the command; the forum "
            "file was left as it was. Run again with FORUMKIT_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
