"""``docs/cli.md`` is the CLI's contract, checked against the real parser (the sqlite-utils habit).

Each line of the doc's Commands block documents one command: ``forumkit``, its words, then its
arguments and options, optional ones in ``[ ]``, choices as ``a|b|c``, a repeatable option followed
by ``...``. The tests below read those lines and compare them with ``forumkit.cli.build_parser()``:
every command is documented and every documented command exists; each line shows exactly the
positional arguments, options, option values, choices and required-ness its command has. The exit
codes table and the environment table are checked against the code too. Failures name the doc's
line and say what to change.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import forumkit
from forumkit import cli
from forumkit.errors import ForumkitError
from tests.conftest import REPO_ROOT

DOC = REPO_ROOT / "docs" / "cli.md"
USAGE_EXIT = 2  # argparse's own exit code for a usage error

Words = tuple[str, ...]


@dataclass(frozen=True)
class Option:
    """One option as documented or as the parser takes it."""

    name: str
    value: str | None  # the value's placeholder (or ``a|b|c`` choices); None for a flag
    optional: bool
    repeatable: bool = False


@dataclass
class Documented:
    """One command line of the doc's Commands (or Planned) block."""

    line: int
    words: Words
    positionals: list[tuple[str, bool]] = field(default_factory=list)  # (metavar, optional)
    options: dict[str, Option] = field(default_factory=dict)

    @property
    def command(self) -> str:
        return " ".join(("forumkit", *self.words))


# ---- reading the doc ---------------------------------------------------------------------------


def section(text: str, title: str) -> tuple[list[str], int]:
    """The lines of the ``## title`` section and the doc line number of its first line."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == f"## {title}"]
    if not starts:
        raise AssertionError(f"docs/cli.md has no “## {title}” section.")
    start = starts[0] + 1
    end = next(
        (i for i in range(start, len(lines)) if lines[i].startswith("## ")),
        len(lines),
    )
    return lines[start:end], start + 1


def code_block(lines: list[str], first_line: int) -> list[tuple[int, str]]:
    """The numbered lines of the first fenced block in ``lines``."""
    fences = [i for i, line in enumerate(lines) if line.startswith("```")]
    if len(fences) < 2:
        raise AssertionError(f"docs/cli.md: no fenced block in the section at line {first_line}.")
    return [(first_line + i, lines[i]) for i in range(fences[0] + 1, fences[1])]


_TOKEN = re.compile(r"\[[^\]]*\](?:\.\.\.)?|\S+")
_WORD = re.compile(r"[a-z][a-z0-9-]*")


def parse_synopsis(line: int, synopsis: str, problems: list[str]) -> Documented:
    """One command from its synopsis: ``forumkit WORDS... ARGS [OPTIONS]``."""
    tokens = _TOKEN.findall(synopsis)
    documented = Documented(line, ())
    position = 1  # after "forumkit"
    while position < len(tokens) and _WORD.fullmatch(tokens[position]):
        documented.words += (tokens[position],)
        position += 1
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if token.startswith("["):
            repeatable = token.endswith("...")
            inner = token.removesuffix("...")[1:-1].split()
            if not inner:
                problems.append(f"docs/cli.md line {line}: empty brackets in “{synopsis}”.")
            elif inner[0].startswith("-"):
                value = " ".join(inner[1:]) or None
                documented.options[inner[0]] = Option(inner[0], value, True, repeatable)
            else:
                documented.positionals.append((" ".join(inner), True))
        elif token.startswith("-"):
            value = None
            following = tokens[position] if position < len(tokens) else ""
            if following and not following.startswith(("-", "[")):
                value, position = following, position + 1
            documented.options[token] = Option(token, value, False)
        else:
            documented.positionals.append((token, False))
    return documented


def parse_block(block: list[tuple[int, str]], problems: list[str]) -> list[Documented]:
    """The commands of a Commands-style block (see the doc's own description of the format)."""
    commands: list[Documented] = []
    current: tuple[int, str] | None = None

    def finish() -> None:
        if current is not None:
            commands.append(parse_synopsis(*current, problems))

    for number, text in block:
        stripped = text.strip()
        if not stripped:
            continue
        if text.startswith("forumkit ") or text == "forumkit":
            finish()
            current = (number, re.split(r"\s{2,}", stripped, maxsplit=1)[0])
        elif text[:1].isspace() and stripped.startswith(("[", "--")) and current is not None:
            more = re.split(r"\s{2,}", stripped, maxsplit=1)[0]
            current = (current[0], f"{current[1]} {more}")
        elif not text[:1].isspace():
            problems.append(
                f"docs/cli.md line {number}: “{stripped}” is neither a command (starting with "
                "“forumkit ”) nor an indented description."
            )
    finish()
    return commands


# ---- reading the parser ------------------------------------------------------------------------


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def parser_tree(
    parser: argparse.ArgumentParser, words: Words = ()
) -> dict[Words, argparse.ArgumentParser]:
    """Every command path (groups included) and its parser."""
    tree = {words: parser}
    for name, child in _subcommands(parser).items():
        tree.update(parser_tree(child, (*words, name)))
    return tree


def _own_options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        action
        for action in parser._actions
        if action.option_strings and not isinstance(action, argparse._HelpAction)
    ]


def runnable_commands(parser: argparse.ArgumentParser) -> dict[Words, argparse.ArgumentParser]:
    """The commands a user types: leaves, and groups with options of their own (``--version``)."""
    return {
        words: sub
        for words, sub in parser_tree(parser).items()
        if not _subcommands(sub) or _own_options(sub)
    }


def _long_name(action: argparse.Action) -> str:
    return max(action.option_strings, key=len)


def taken(parser: argparse.ArgumentParser) -> Documented:
    """What ``parser`` takes, in the doc's terms."""
    result = Documented(0, ())
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        if not action.option_strings:
            metavar = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
            result.positionals.append((metavar, action.nargs in ("?", "*")))
            continue
        value: str | None
        if action.nargs == 0:
            value = None
        elif action.choices is not None:
            value = "|".join(str(choice) for choice in action.choices)
        else:
            value = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
        name = _long_name(action)
        # --version is a command of its own (it prints and stops): its line shows it unbracketed.
        optional = not action.required and not isinstance(action, argparse._VersionAction)
        result.options[name] = Option(
            name, value, optional, isinstance(action, argparse._AppendAction)
        )
    return result


# ---- comparing ---------------------------------------------------------------------------------


def _shown(option: Option) -> str:
    text = option.name + (f" {option.value}" if option.value else "")
    text = f"[{text}]" if option.optional else text
    return text + ("..." if option.repeatable else "")


def _args(positionals: list[tuple[str, bool]]) -> str:
    return " ".join(f"[{name}]" if optional else name for name, optional in positionals) or "none"


def synopsis(words: Words, parser: argparse.ArgumentParser) -> str:
    """The doc line a command should have, from its parser."""
    real = taken(parser)
    parts = ["forumkit", *words]
    parts += [f"[{name}]" if optional else name for name, optional in real.positionals]
    return " ".join(parts + [_shown(option) for option in real.options.values()])


def compare(documented: Documented, parser: argparse.ArgumentParser) -> list[str]:
    """What the doc's line for one command gets wrong about ``parser``."""
    where = f"docs/cli.md line {documented.line} (`{documented.command}`)"
    real = taken(parser)
    problems = []
    if documented.positionals != real.positionals:
        problems.append(
            f"{where}: shows arguments {_args(documented.positionals)}, but the parser takes "
            f"{_args(real.positionals)}."
        )
    for name in sorted(real.options.keys() - documented.options.keys()):
        add = _shown(real.options[name])
        problems.append(f"{where}: does not show its option {name}; add {add}.")
    for name in sorted(documented.options.keys() - real.options.keys()):
        problems.append(f"{where}: shows {name}, which the command does not take; remove it.")
    for name in sorted(documented.options.keys() & real.options.keys()):
        doc, parser_option = documented.options[name], real.options[name]
        if doc != parser_option:
            problems.append(
                f"{where}: shows {_shown(doc)}, but the parser takes {_shown(parser_option)}."
            )
    return problems


def contract_problems(text: str, parser: argparse.ArgumentParser) -> list[str]:
    """Everything in ``text`` (a cli.md) that disagrees with ``parser``, one sentence each."""
    problems: list[str] = []
    lines, first = section(text, "Commands")
    documented = parse_block(code_block(lines, first), problems)
    commands = runnable_commands(parser)
    seen: dict[Words, int] = {}
    for entry in documented:
        if entry.words in seen:
            problems.append(
                f"docs/cli.md line {entry.line}: `{entry.command}` is documented twice "
                f"(also line {seen[entry.words]})."
            )
            continue
        seen[entry.words] = entry.line
        if entry.words not in commands:
            problems.append(
                f"docs/cli.md line {entry.line}: `{entry.command}` is not a command the parser "
                "has; remove it, or move it under Planned."
            )
            continue
        problems += compare(entry, commands[entry.words])
    for words in sorted(commands.keys() - seen.keys()):
        command = " ".join(("forumkit", *words))
        problems.append(
            f"`{command}` is not documented: add “{synopsis(words, commands[words])}” and a "
            "line saying what it does to the Commands block of docs/cli.md."
        )
    return problems


def planned_problems(text: str, parser: argparse.ArgumentParser) -> list[str]:
    """Planned commands that exist already."""
    problems: list[str] = []
    lines, first = section(text, "Planned")
    tree = parser_tree(parser)
    for entry in parse_block(code_block(lines, first), problems):
        if entry.words in tree:
            problems.append(
                f"docs/cli.md line {entry.line}: `{entry.command}` exists now: move its line from "
                "Planned to Commands."
            )
    return problems


# ---- the tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_command_is_documented_as_the_parser_takes_it(doc_text: str) -> None:
    problems = contract_problems(doc_text, cli.build_parser())
    assert not problems, "docs/cli.md and the parser disagree:\n" + "\n".join(problems)


def test_planned_commands_do_not_exist_yet(doc_text: str) -> None:
    problems = planned_problems(doc_text, cli.build_parser())
    assert not problems, "\n".join(problems)


def _all_core_modules() -> None:
    for module in pkgutil.walk_packages(forumkit.__path__, "forumkit."):
        if module.name != "forumkit.__main__":
            importlib.import_module(module.name)


def _subclasses(base: type[ForumkitError]) -> set[type[ForumkitError]]:
    found = set(base.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_documented_exit_codes_are_the_ones_the_cli_gives(doc_text: str) -> None:
    _all_core_modules()
    codes = {0, USAGE_EXIT, cli.EXIT_BAD_INPUT, cli.EXIT_INTERRUPTED, cli.EXIT_BROKEN_PIPE}
    codes.add(ForumkitError.exit_code)
    codes |= {error.exit_code for error in _subclasses(ForumkitError)}
    lines, _ = section(doc_text, "Exit codes")
    documented = {int(match[1]) for line in lines if (match := re.match(r"\|\s*(\d+)\s*\|", line))}
    assert documented == codes, (
        f"docs/cli.md's exit codes table lists {sorted(documented)}; the CLI gives "
        f"{sorted(codes)} (forumkit.errors' exit_code values, argparse's 2, forumkit.cli's own)."
    )


def test_every_environment_variable_is_documented(doc_text: str) -> None:
    read = set()
    for path in (REPO_ROOT / "forumkit").rglob("*.py"):
        read |= set(re.findall(r"[\"'](FORUMKIT_[A-Z_]+)[\"']", path.read_text(encoding="utf-8")))
    lines, _ = section(doc_text, "Environment")
    documented = {match[1] for line in lines if (match := re.match(r"\|\s*`(FORUMKIT_\w+)`", line))}
    assert read, "no FORUMKIT_* variable found: the search is broken"
    missing, stale = sorted(read - documented), sorted(documented - read)
    assert not missing, f"add to docs/cli.md's Environment table: {missing}"
    assert not stale, f"forumkit never reads these (in the Environment table): {stale}"


# ---- the checker itself catches each kind of mismatch -------------------------------------------

SAMPLE_PARSER_DOC = """\
## Commands

```
forumkit --version
forumkit survey export FILE SURVEY OUT.xlsx [--version N] [--passphrase-file PATH]
    write the survey
forumkit survey import FILE FORM.xlsx --json [--force]
forumkit survey list FILE [--passphrase-file PATH] [--json]
forumkit survey list FILE [--json]
forumkit responses import FILE SURVEY DATA [--format auto|csv]
                          [--mapping MAP.json] [--dry-run] [--passphrase-file PATH] [--json]
forumkit responses show FILE [--respondent REF] [--passphrase-file PATH] [--json]
forumkit responses export FILE SURVEY [--password-file PATH] [--passphrase-file PATH] [--json]
forumkit no-such-command FILE [--json]
stray text
```
"""


def test_the_checker_names_each_mismatch() -> None:
    problems = contract_problems(SAMPLE_PARSER_DOC, cli.build_parser())
    text = "\n".join(problems)
    expected = [
        "line 5 (`forumkit survey export`): does not show its option --json; add [--json].",
        "line 7 (`forumkit survey import`): does not show its option --passphrase-file",
        "line 7 (`forumkit survey import`): shows --force, which the command does not take",
        "line 7 (`forumkit survey import`): shows --json, but the parser takes [--json]",
        "line 9: `forumkit survey list` is documented twice (also line 8)",
        "line 10 (`forumkit responses import`): shows [--format auto|csv], but the parser takes "
        "[--format auto|forumkit|",
        "line 12 (`forumkit responses show`): shows [--respondent REF], but the parser takes "
        "--respondent REF.",
        "line 13 (`forumkit responses export`): shows arguments FILE SURVEY, but the parser "
        "takes FILE SURVEY OUT.",
        "line 14: `forumkit no-such-command` is not a command the parser has",
        "line 15: “stray text” is neither a command",
        "`forumkit new` is not documented: add “forumkit new FILE [--passphrase-file PATH] "
        "--forum NAME [--area NAME] [--json]”",
        "`forumkit responses erase` is not documented",
    ]
    for sentence in expected:
        assert sentence in text, f"{sentence!r} not in:\n{text}"


def test_a_planned_command_that_exists_is_named() -> None:
    doc = "## Planned\n\n```\nforumkit no-such-command FILE\nforumkit survey list FILE\n```\n"
    problems = planned_problems(doc, cli.build_parser())
    assert problems == [
        "docs/cli.md line 5: `forumkit survey list` exists now: move its line from Planned to "
        "Commands."
    ]


def test_the_doc_is_the_one_the_readme_points_at() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/cli.md" in readme and "shared/design/cli.md" not in readme
    assert Path(DOC).is_file()
