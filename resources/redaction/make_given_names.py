"""Write ``given-names-faker.txt`` from the first-name lists of a Faker wheel.

forumkit does not depend on Faker: this script reads the lists straight out of a downloaded wheel
(without running any of its code) and the committed text file is what forumkit ships. To refresh
the list:

    pip download faker --no-deps -d /tmp/faker
    python resources/redaction/make_given_names.py /tmp/faker/faker-*.whl

Faker is MIT-licensed (``LICENSE-faker.txt`` beside this script); ``README.md`` here says which
locales are taken and why, and what is left out.
"""

from __future__ import annotations

import ast
import re
import sys
import zipfile
from pathlib import Path

OUTPUT = Path(__file__).with_name("given-names-faker.txt")

# Faker locale -> the tuple (or OrderedDict) attributes holding its given names.
LOCALES = {
    "en_GB": ("first_names_male", "first_names_female"),
    "en_NZ": ("first_names_male", "first_names_female"),
    "pl_PL": ("first_names_male", "first_names_female"),
    "pt_PT": ("first_names_male", "first_names_female"),
}

# Names in those lists that are far more often places in a parent's sentence than a child's name
# (a place is the deny-list's job, with the [place] token).
PLACES = frozenset(
    {"Brooklyn", "Israel", "Kingston", "Lincoln", "Paris", "Savannah", "Warwick", "Zion"}
)

# One word of letters (accents allowed), optionally hyphenated or with an apostrophe inside.
NAME = re.compile(r"^[^\W\d_]{3,}(?:[-'][^\W\d_]{2,})*$")


def literal_names(source: str, attributes: tuple[str, ...]) -> list[str]:
    """The names assigned to ``attributes`` in a Faker person provider's source, in order."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if not any(isinstance(t, ast.Name) and t.id in attributes for t in targets):
            continue
        value = node.value
        if isinstance(value, ast.Call):  # OrderedDict(((name, weight), ...))
            value = value.args[0]
        assert value is not None
        for entry in ast.literal_eval(value):
            names.append(entry[0] if isinstance(entry, tuple) else entry)
    return names


def main(wheel: Path) -> None:
    kept: dict[str, list[str]] = {}
    with zipfile.ZipFile(wheel) as archive:
        for locale, attributes in LOCALES.items():
            member = f"faker/providers/person/{locale}/__init__.py"
            source = archive.read(member).decode("utf-8")
            for name in literal_names(source, attributes):
                if NAME.match(name) and name not in PLACES:
                    kept.setdefault(name, []).append(locale)
    version = wheel.name.split("-")[1]
    lines = [
        f"# Given names from the Faker package {version} (MIT; see LICENSE-faker.txt), person",
        f"# providers {', '.join(LOCALES)}: one name a line. Made by make_given_names.py;",
        "# single words of three letters or more, without a few place names (see README.md).",
        *sorted(kept, key=lambda n: (n.casefold(), n)),
    ]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(kept)} names to {OUTPUT.name}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python make_given_names.py FAKER.whl")
    main(Path(sys.argv[1]))
