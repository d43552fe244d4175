"""What sets one online tool's export apart: header rows, metadata columns, separators.

Each source format is one ``SourceFormat`` value in its own module (``googleforms``,
``msforms``, ``surveymonkey``, ``kobo``, ``forumkit_export``, ``plain``); this module holds the
shape they share and the detection that picks one from a file's headers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from forumkit.importers.tables import Cell
from forumkit.importers.values import cell_text, normalise
from forumkit.surveys.model import Survey

ROLES = (
    "id",
    "started",
    "finished",
    "submitted",
    "edited",
    "email",
    "name",
    "first_name",
    "last_name",
    "username",
    "ignore",
)
"""What a tool's own column holds, other than an answer.

``id`` (the tool's response number), ``started``/``finished`` (times), ``submitted`` (upload
time, used when no finish time is given), ``edited`` (when the tool says the response was last
edited: a re-import changes a response only with a later version), identity columns that make
the respondent reference (``email`` first, else ``name``, ``first_name`` + ``last_name`` or
``username``), ``status`` (forumkit's own draft/complete), ``ignore``.
"""

HeaderRows = Sequence[Sequence[Cell]]


@dataclass(frozen=True)
class Heading:
    """One column's heading: the text a person sees, and its parts for matching.

    ``parts`` is ``(question text,)`` or ``(question text, option text)`` for tools that put
    each option of a multi-select in its own column under a shared question heading.
    """

    text: str
    parts: tuple[str, ...]


def single_row_headings(rows: HeaderRows) -> list[Heading]:
    """Headings of a file with one header row: the cell text is all there is."""
    return [Heading(text, (text,)) for text in (cell_text(cell) for cell in rows[0])]


@dataclass(frozen=True)
class SourceFormat:
    """How to read one tool's export."""

    name: str
    """The ``--format`` value and the middle of ``import:<format>:<file>``."""
    title: str
    header_rows: int
    separators: tuple[str, ...]
    """How the tool joins several ticked options in one cell."""
    detect: Callable[[HeaderRows, Survey], bool]
    roles: Mapping[str, str] = field(default_factory=dict)
    """Normalised heading → role; these columns are the tool's own, whatever the survey asks."""
    weak_roles: Mapping[str, str] = field(default_factory=dict)
    """Roles that apply only when no question of the survey matches the heading."""
    placeholders: frozenset[str] = frozenset()
    """Normalised identity values that mean “nobody” (Microsoft Forms' ``anonymous``)."""
    option_text: bool = False
    """A ticked one-column-per-option cell holds the option's text instead of 1/0."""
    headings: Callable[[HeaderRows], list[Heading]] = single_row_headings
    unescape: bool = False
    """In csv, strip the leading apostrophe a formula-injection defence put before = + - @."""
    prefer_option_columns: bool = False
    """When a multi-select has both a joined column and 0/1 columns, trust the 0/1 columns."""
    not_applicable: frozenset[str] = frozenset()
    """Cell texts that mean “not asked” and are read as empty (Ona's and KoboCAT's ``n/a``)."""
    header_count: Callable[[HeaderRows], int] | None = None
    """How many header rows this file has, when the tool's exports differ (SurveyMonkey's
    edited exports keep one; KoboToolbox adds a row of HXL hashtags on request); None means
    always :attr:`header_rows`."""

    def headers_in(self, rows: HeaderRows) -> int:
        """How many of the first rows (up to three given) are headers, never data."""
        return self.header_count(rows) if self.header_count is not None else self.header_rows

    def role(self, heading: Heading) -> str | None:
        """The tool's own role for a column, if it has one whatever the survey."""
        return self.roles.get(normalise(heading.text))


def first_row_keys(rows: HeaderRows) -> list[str]:
    """The normalised cells of the first header row, for detection."""
    return [normalise(cell_text(cell)) for cell in rows[0]] if rows else []
