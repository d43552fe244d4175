"""Turning a cell as an online tool wrote it into an answer forumkit's checks understand.

Tools write choices by their labels ("Speech and language therapy"), join several choices into
one cell with their own separator, write dates in the locale of whoever made the form, and
Excel turns dates into serial numbers. This module undoes each of those; whether the result is
an acceptable answer is left to ``forumkit.surveys.check_response``, so an import applies
exactly the rules a volunteer typing the answer in would meet.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from forumkit.surveys.model import ChoiceList, Survey

_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """A key that ignores case, spacing and punctuation: “Child's age?” → “childsage”."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def cell_text(cell: object) -> str:
    """A cell as the text a person would read in it ("" for an empty cell)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime) and not (cell.hour or cell.minute or cell.second):
        return cell.date().isoformat()
    return str(cell).strip()


@dataclass(frozen=True)
class ChoiceMatcher:
    """Finds choice names in a cell written with names or labels (any language).

    Several choices in one cell are split at ``separators``, but known choice texts are matched
    first, longest first, so a label that itself contains the separator (Google Forms joins
    ticks with ", " and a label may read "Respite, short breaks") is never cut in two.
    """

    by_key: dict[str, str]
    texts: tuple[tuple[str, str], ...]
    """(case-folded text, choice name), longest text first, for matching inside joined cells."""

    @classmethod
    def for_list(cls, survey: Survey, choice_list: ChoiceList, or_other: bool) -> ChoiceMatcher:
        by_key: dict[str, str] = {}
        texts: dict[str, str] = {}
        for choice in choice_list.choices:
            for label in choice.labels.values():
                by_key.setdefault(normalise(label), choice.name)
                texts.setdefault(label.strip().casefold(), choice.name)
        for choice in choice_list.choices:
            # Names win over labels: a name is exactly what forumkit and ODK tools export.
            by_key[normalise(choice.name)] = choice.name
            texts[choice.name.casefold()] = choice.name
        if or_other:
            by_key.setdefault("other", "other")
            texts.setdefault("other", "other")
        ordered = tuple(sorted(texts.items(), key=lambda item: -len(item[0])))
        return cls(by_key, ordered)

    def one(self, text: str) -> str:
        """The choice name ``text`` stands for, or ``text`` itself (which the checks refuse)."""
        stripped = text.strip()
        return self.by_key.get(normalise(stripped), stripped) if stripped else ""

    def many(self, text: str, separators: Sequence[str]) -> tuple[str, ...]:
        """Choice names in a joined cell; unknown pieces are kept so the checks refuse them."""
        whole = self.by_key.get(normalise(text))
        if whole is not None:
            return (whole,)
        folded = text.casefold()
        if len(folded) != len(text):  # a character whose case-fold changes length: go by pieces
            folded = text
        picked: list[str] = []
        position, end = 0, len(text)
        while position < end:
            position = _skip(text, position, separators)
            if position >= end:
                break
            for known, name in self.texts:
                stop = position + len(known)
                if folded.startswith(known, position) and _at_boundary(text, stop, separators):
                    picked.append(name)
                    position = stop
                    break
            else:
                stop = _next_separator(text, position, separators)
                piece = text[position:stop].strip()
                if piece:
                    picked.append(self.one(piece))
                position = stop
        return tuple(dict.fromkeys(picked))


def _skip(text: str, position: int, separators: Sequence[str]) -> int:
    moved = True
    while moved and position < len(text):
        moved = False
        while position < len(text) and text[position].isspace():
            position += 1
        for separator in separators:
            if separator.strip() and text.startswith(separator.strip(), position):
                position += len(separator.strip())
                moved = True
                break
    return position


def _at_boundary(text: str, position: int, separators: Sequence[str]) -> bool:
    rest = text[position:].lstrip()
    if not rest:
        return True
    return any(sep.strip() and rest.startswith(sep.strip()) for sep in separators) or (
        " " in separators and position < len(text) and text[position].isspace()
    )


def _next_separator(text: str, position: int, separators: Sequence[str]) -> int:
    stops = [text.find(sep, position) for sep in separators if sep]
    found = [stop for stop in stops if stop >= 0]
    return min(found) if found else len(text)


TRUE_FLAGS = frozenset({"1", "true", "yes", "y", "x", "selected", "checked"})
FALSE_FLAGS = frozenset({"", "0", "false", "no", "n"})


def is_ticked(cell: object, option_text: bool) -> bool | None:
    """Whether a one-column-per-option cell ticks its option; None when it cannot tell.

    ``option_text``: the tool writes the option's own text in a ticked cell (SurveyMonkey), so
    any non-empty cell is a tick.
    """
    if cell is None or cell is False:
        return False
    if cell is True:
        return True
    text = cell_text(cell).casefold()
    if option_text:
        return bool(text)
    if text in TRUE_FLAGS:
        return True
    if text in FALSE_FLAGS:
        return False
    return None


# ---- dates ---------------------------------------------------------------------------------

_NUMERIC_DATE = re.compile(
    r"(?P<a>\d{1,4})[/.\-](?P<b>\d{1,2})[/.\-](?P<c>\d{1,4})"
    r"(?:[ T,]+(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
    # A zone after the time: an offset, or the abbreviation Google Forms' csv ends with (CET).
    r"(?:\s*(?:[A-Z]{1,5})?(?:[+-]\d{1,2}(?::?\d{2})?)?)?"
)
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS = {
    name[:length]: number
    for number, name in enumerate(_MONTH_NAMES, 1)
    for length in (3, len(name))
}
_MONTHS["sept"] = 9
_NAMED_DATE = re.compile(
    r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?[ \-]+(?P<m1>[A-Za-z]{3,9})\.?,?[ \-]+(?P<y1>\d{2,4})"
    r"|(?P<m2>[A-Za-z]{3,9})\.?[ \-]+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?[ \-]+(?P<y2>\d{2,4}))"
    r"(?:[ T,]+(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\s*(?P<ampm>[AaPp][Mm])?)?"
)
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_SERIAL_RANGE = (10000.0, 100000.0)
"""Serial numbers read as dates: 1927 to 2173, so a year or an age typed in is never one."""


class UnreadableDate(ValueError):
    """A cell that is not a date in any format forumkit reads."""


def _year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:
        year += 2000 if year < 70 else 1900
    return year


def _clock(time: str | None, ampm: str | None) -> dt.time:
    if not time:
        return dt.time()
    parts = [float(part) for part in time.split(":")]
    hour, minute = int(parts[0]), int(parts[1])
    second = int(parts[2]) if len(parts) > 2 else 0
    if ampm:
        pm = ampm.lower().startswith("p")
        if not 1 <= hour <= 12:
            raise UnreadableDate
        hour = hour % 12 + (12 if pm else 0)
    return dt.time(hour, minute, second)


def numeric_date_order(text: str) -> str | None:
    """What a numeric date says about the file's order: ``dmy``, ``mdy``, ``either`` or None.

    None means the cell is not a day/month/year date with the year last (ISO dates and
    year-first dates are never ambiguous and say nothing about the order).
    """
    match = _NUMERIC_DATE.fullmatch(text.strip())
    if match is None or len(match["a"]) > 2:
        return None
    first, second = int(match["a"]), int(match["b"])
    if first > 12 and second <= 12:
        return "dmy"
    if second > 12 and first <= 12:
        return "mdy"
    if first <= 12 and second <= 12:
        return "either"
    return None


def choose_date_order(orders: Iterable[str | None]) -> tuple[str, bool]:
    """The file's date order (``dmy`` or ``mdy``) and whether every numeric date was ambiguous.

    The evidence is the cells that can be read only one way; when it conflicts the larger side
    wins and the other cells are reported as problems. No evidence at all means day-first, as
    dates are written in England.
    """
    counts = {"dmy": 0, "mdy": 0, "either": 0}
    for order in orders:
        if order is not None:
            counts[order] += 1
    if counts["dmy"] == 0 and counts["mdy"] == 0:
        return "dmy", counts["either"] > 0
    return ("mdy" if counts["mdy"] > counts["dmy"] else "dmy"), False


def read_datetime(cell: object, order: str, *, serials: bool = True) -> dt.datetime:
    """A date and time from an xlsx value, an Excel serial number or text in ``order``."""
    if isinstance(cell, dt.datetime):
        return cell
    if isinstance(cell, dt.date):
        return dt.datetime(cell.year, cell.month, cell.day)
    if isinstance(cell, bool):
        raise UnreadableDate
    if isinstance(cell, int | float):
        if serials and _SERIAL_RANGE[0] <= cell < _SERIAL_RANGE[1]:
            return (EXCEL_EPOCH + dt.timedelta(days=float(cell))).replace(microsecond=0)
        raise UnreadableDate
    text = cell_text(cell)
    if serials and re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return read_datetime(float(text), order)
    try:
        return _from_text(text, order)
    except (ValueError, OverflowError):
        raise UnreadableDate from None


def _from_text(text: str, order: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(text)
        return parsed
    except ValueError:
        pass
    match = _NUMERIC_DATE.fullmatch(text)
    if match is not None:
        a, b, c = match["a"], match["b"], match["c"]
        if len(a) == 4:
            year, month, day = int(a), int(b), int(c)
        elif len(c) in (2, 4):
            year = _year(c)
            day, month = (int(a), int(b)) if order == "dmy" else (int(b), int(a))
        else:
            raise UnreadableDate
        return dt.datetime.combine(dt.date(year, month, day), _clock(match["time"], match["ampm"]))
    match = _NAMED_DATE.fullmatch(text)
    if match is not None:
        month_text = (match["m1"] or match["m2"]).casefold()
        if month_text not in _MONTHS:
            raise UnreadableDate
        day = int(match["d1"] or match["d2"])
        year = _year(match["y1"] or match["y2"])
        return dt.datetime.combine(
            dt.date(year, _MONTHS[month_text], day), _clock(match["time"], match["ampm"])
        )
    raise UnreadableDate
