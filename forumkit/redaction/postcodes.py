"""UK postcodes, full ("SW1A 1AA") and, where it cannot be something else, outward-only ("LS6").

A full postcode is an outward code (area letters, a district digit, an optional digit or letter)
and an inward code (a digit and two letters, never C, I, K, M, O or V), with one space or none
between them, written in capitals or all in lower case (but not a lower-case one whose inward
code reads as an ordinal, "b1 2nd"), and its area must be one of the UK's postcode areas.

An outward code on its own ("we moved to LS6") is redacted only when it is unambiguous:

* written in capitals, as a whole word;
* its area is a real postcode area;
* a two-letter area ("LS6", "SW1A", "NW10") stands on its own; a one-letter area (B, E, G, L,
  M, N, S, W) only right after "postcode" (or "postcode is"), "in", "near", "from" or "around",
  because "M6" or "A1" is more often a motorway or a road;
* and it is not a common token of another kind that happens to have a postcode's shape
  (``NOT_POSTCODES``: CO2, WD40, CH4).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from forumkit.redaction.model import RedactionKind, RedactionSpan

# The UK's postcode areas (including Northern Ireland's BT and the Crown dependencies).
AREAS = """
AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY E
EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA LD LE LL
LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG SK SL SM SN
SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE
"""
POSTCODE_AREAS = frozenset(AREAS.split())
NOT_POSTCODES = frozenset({"CO2", "WD40", "CH4"})
ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})

FULL = re.compile(
    r"(?<![\w-])([A-Za-z]{1,2})(\d[A-Za-z\d]?)[ \t]?(\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2})(?![\w-])"
)
OUTWARD = re.compile(r"(?<![\w-])([A-Z]{1,2})(\d[A-Z\d]?)(?!\w)")
ONE_LETTER_CUE = re.compile(
    r"(?:\bpost\s?code(?:\s+(?:is|was))?|\bin|\bnear|\bfrom|\baround)\W{0,3}$", re.IGNORECASE
)


def find_postcodes(text: str) -> Iterator[RedactionSpan]:
    """Full UK postcodes, and outward codes on their own where unambiguous (module docstring)."""
    full_spans: list[tuple[int, int]] = []
    for match in FULL.finditer(text):
        written = match.group()
        letters = [c for c in written if c.isalpha()]
        if not (all(c.isupper() for c in letters) or all(c.islower() for c in letters)):
            continue
        if written.islower() and match.group(3)[1:] in ORDINAL_SUFFIXES:
            continue  # "b1 2nd" in lower case is more likely a list than a postcode
        if match.group(1).upper() in POSTCODE_AREAS:
            full_spans.append((match.start(), match.end()))
            yield RedactionSpan(match.start(), match.end(), RedactionKind.POSTCODE)
    for match in OUTWARD.finditer(text):
        area = match.group(1)
        if area not in POSTCODE_AREAS or match.group() in NOT_POSTCODES:
            continue
        if any(start <= match.start() < end for start, end in full_spans):
            continue
        before = text[max(0, match.start() - 12) : match.start()]
        if len(area) == 1 and not ONE_LETTER_CUE.search(before):
            continue
        yield RedactionSpan(match.start(), match.end(), RedactionKind.POSTCODE)
