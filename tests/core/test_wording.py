"""Counts read right everywhere: “1 response”, never “1 responses” (issue 14).

The helpers are tested directly, and every f-string in the core and the app is scanned: a number
put straight before a countable noun (``f"{count} responses"``) must go through
``forumkit.wording.plural`` instead, so no message can say “1 responses” or “1 questions”.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from forumkit.wording import listed, noun, numbered, plural
from tests.conftest import REPO_ROOT

COUNTED_NOUNS = (
    "answers|cells|changes|codes|columns|days|drafts|duplicates|entries|files|ids|lanes|minutes|"
    "options|passes|problems|questions|quotes|respondents|responses|rows|seconds|sections|"
    "surveys|times|versions|warnings"
)
_COUNTED = re.compile(rf"\s+(?:{COUNTED_NOUNS})\b")

# Files left out of the scan (none: the engine's “saved N times” now count with plural too).
ELSEWHERE: set[str] = set()


def test_plural_and_noun() -> None:
    assert plural(1, "response") == "1 response"
    assert plural(0, "response") == "0 responses"
    assert plural(2, "question") == "2 questions"
    assert plural(16_367, "column") == "16,367 columns"
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"
    assert noun(1, "is", "are") == "is" and noun(2, "is", "are") == "are"


def test_listed_names_a_few_then_counts_the_rest() -> None:
    assert listed([]) == ""
    assert listed(["a"]) == "a"
    assert listed(["a", "b"]) == "a and b"
    assert listed(["a", "b", "c"]) == "a, b and c"
    assert listed(str(n) for n in range(16_367)) == "0, 1, 2, 3, 4 and 16,362 more"
    assert numbered("row", [3]) == "row 3"
    assert numbered("row", [3, 5, 9]) == "rows 3, 5 and 9"
    assert numbered("row", list(range(1, 2001))) == "rows 1, 2, 3, 4, 5 and 1,995 more"


def _counted_before_noun(path: Path, root: Path = REPO_ROOT) -> list[str]:
    """f-string parts that put a value straight before a countable noun."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for value, after in zip(node.values, node.values[1:], strict=False):
            if not (isinstance(value, ast.FormattedValue) and isinstance(after, ast.Constant)):
                continue
            shown = value.value
            if isinstance(shown, ast.Name) and shown.id.isupper():
                continue  # a constant, never 1 (MIN_PASSPHRASE_CHARS)
            if isinstance(shown, ast.Call) and getattr(shown.func, "id", "") in ("plural", "noun"):
                continue
            if _COUNTED.match(str(after.value)):
                found.append(f"{path.relative_to(root)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_message_counts_without_the_plural_helper() -> None:
    sources = [
        path
        for package in ("forumkit", "ui")
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
        if str(path.relative_to(REPO_ROOT)) not in ELSEWHERE
    ]
    assert len(sources) > 50, "the scan found too few files: it is broken"
    found = [line for path in sources for line in _counted_before_noun(path)]
    assert not found, "use forumkit.wording.plural for these counts:\n" + "\n".join(found)


def test_the_scan_catches_a_bare_count(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    planted.write_text(
        "def f(n: int) -> str:\n    return f\"{n} responses held, {plural(n, 'row')} read\"\n"
    )
    assert _counted_before_noun(planted, tmp_path) == [
        "planted.py:2: f\"{n} responses held, {plural(n, 'row')} read\""
    ]
