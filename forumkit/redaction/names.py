"""Given names, from the lists shipped in ``resources/redaction/`` (sources and licences there).

The rule, in the order it is applied:

1. **Whole words only.** A name is a whole run of letters: never part of a longer word, and not
   glued to digits or an underscore ("Jamie2"). Accents are compared without their marks, so the
   list's "Zoe" finds "Zoë" and "Zoé". A possessive keeps its ending: "Jamie's EHCP" becomes
   "[name]'s EHCP", "James' mum" becomes "[name]' mum".
2. **Case.** A name written with a capital ("Jamie"), in capitals ("JAMIE", four letters or more,
   so "EMA" or "ADA" stay acronyms) or all in lower case ("jamie", as parents often type) is a
   name, unless it is also an ordinary English word.
3. **Names that are also words** (``word-names.txt``: "Will", "May", "Grace", "Hope", "Rose",
   "Mark", "Summer", …) must be written with a capital, and then count as names only where the
   context does not say otherwise:

   * a *time* name (a month, "May", "June", "April", "Jan", or the season "Summer") next to a
     day or a year ("3 May", "May 2024", "May 3rd", "Summer 2023") or after a word of time ("in
     May", "since June", "end of April", "now June") is a time, whatever else is true; at the
     start of a sentence it is a time too;
   * a possessive ("Will's"), or a word that introduces a person just before it ("Mr", "Mrs",
     "Miss", "Dr", "my son", "daughter", "called", "named", "Nan", …) makes it a name;
   * glued by a hyphen to a word that is not a name ("Summer-born"), or followed by "term",
     "holidays", "born", "school", … ("Summer term") it is a word;
   * at the start of a sentence (or a line, or after a colon) a capital says nothing. A name that
     is often a verb ("Will", "Hope", "Mark", "Rose", …) is then a name only when the next word
     reads as what a person does ("Will has autism", "Will loves…", "Will struggled", "Will
     and…") or a comma follows, not when it reads as a verb ("Will encourage…", "Hope this
     helps"). Any other is a name unless the next word shows a noun use ("Grace is 7" is a
     name, "Jack of all trades" is not);
   * inside a sentence a capital is the signal: "I will ask Will" redacts only the second, except
     after an article ("a Christian school", "the Grant") or after another capitalised word that
     is not a name (a title such as "Disabled Facilities Grant").

Surnames are not detected: the deny-list covers staff, and "[name] Smith" no longer identifies a
child on its own in most cases; reviewers see every quote before it leaves the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from forumkit.paths import resource_path
from forumkit.redaction.model import RedactionKind, RedactionSpan

NAME_FILES = ("given-names-faker.txt", "given-names-forumkit.txt")
WORD_NAMES_FILE = "word-names.txt"

COMBINING_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# A run of letters (with combining marks), the unit names are looked up by.
WORD = re.compile(rf"[^\W\d_](?:[^\W\d_]|[{COMBINING_MARKS}])*")
GLUE = re.compile(r"[\d_@]")
POSSESSIVE = re.compile(r"['’]s(?![\w])")
PLAIN_APOSTROPHE = re.compile(r"['’](?![\w])")


def word_set(words: str) -> frozenset[str]:
    """A set of lower-case words written as one space-separated string, for readability."""
    return frozenset(words.split())


# Words that introduce a person, just before a name (with a full stop, comma or colon allowed).
PERSON_CUES = word_set(
    """
    mr mrs ms miss mx dr prof sir dame son daughter child boy girl brother sister twin twins
    grandson granddaughter nephew niece baby stepson stepdaughter cousin sibling friend called
    named aunt auntie aunty uncle nan nana nanny gran granny grandma grandad grandpa teacher
    senco ta keyworker
    """
)
CUE_GAP = re.compile(r"\.?[,:]?\s+")
# After a capitalised word-name at the start of a sentence, these show it is a verb or a noun.
WORD_USE_NEXT = word_set(
    """
    i you he she it we they this that these those there be not have so my your his her its our
    their the a an of to me him us them
    """
)
# After a name that is often a verb, at the start of a sentence, only these (or a word ending in
# -s or -ed: "Will loves", "Will struggled") show a name: "Will encourage…" and "Hope this helps"
# are verbs.
NAME_FOLLOWERS = word_set(
    """
    is was has had and or said can can't cannot could couldn't would wouldn't will won't did
    didn't does doesn't got went came left ran saw felt made took gave told knew thought also
    still never always often now then just only
    """
)
NAME_FOLLOWER_ENDING = re.compile(r"(?:[^s]s|ed)$")
# After a word-name, these show it is a season or a thing ("Summer term").
THING_NEXT = word_set("term terms half holiday holidays born fair camp school schools break time")
ARTICLES = word_set("a an the every each any some another such")
# Before a month or season, these show it is a time ("in May", "end of June", "mid-April").
TIME_WORDS = word_set(
    """
    in since until till by before after during last next this early mid late of through
    throughout between around every each end start beginning middle now
    """
)
DAY_BEFORE = re.compile(
    r"(?<!\d)(?:3[01]|[12]?\d)(?:st|nd|rd|th)?\s*(?:of\s+)?(?:the\s+)?$", re.IGNORECASE
)
# "Year 6 May…" is a school year before a name, not a day before a month.
NOT_A_DAY = re.compile(r"\b(?:year|yr|y|age|aged|ks|stage|p|s)\s*$", re.IGNORECASE)
DAY_OR_YEAR_AFTER = re.compile(r"\s*,?\s*(?:the\s+)?\d|\s*['’]\d\d", re.IGNORECASE)
SENTENCE_ENDS = ".!?:;…"
OPENERS = "\"'“‘(-*–—•"
SPACED_DASH = re.compile(r"\s[-*–—•]\s|^[-*–—•]\s|\s[-*–—•]$")
PLACE_TOKENS = (RedactionKind.SCHOOL.token, RedactionKind.PLACE.token)
NAME_TOKEN = RedactionKind.NAME.token


@dataclass(frozen=True)
class GivenName:
    """What forumkit knows of a listed name: whether it is also a word, a time or a verb."""

    word: bool
    time: bool = False  # a month, a month's abbreviation or a season
    verb: bool = False  # often a verb at the start of a sentence ("Will encourage…")


def fold(word: str) -> str:
    """A word without accents or case, the key names are looked up by ("Zoë" → "zoe").

    Not cached: a cache would keep the words of parents' answers in memory after their use.
    """
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def read_list(filename: str) -> list[str]:
    """The non-comment lines of a shipped list."""
    text = resource_path("redaction", filename).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


@lru_cache(maxsize=1)
def shipped_names() -> dict[str, GivenName]:
    """Every shipped given name, by its folded form; read once per process."""
    names = {
        fold(name): GivenName(word=False) for filename in NAME_FILES for name in read_list(filename)
    }
    for line in read_list(WORD_NAMES_FILE):
        name, _, tag = line.partition(" ")
        names[fold(name)] = GivenName(word=True, time=tag == "time", verb=tag == "verb")
    return names


@lru_cache(maxsize=1)
def names_as_written() -> frozenset[str]:
    """Every shipped name, case-folded but with its accents (for :func:`lookup`)."""
    written = {name.casefold() for filename in NAME_FILES for name in read_list(filename)}
    written.update(line.partition(" ")[0].casefold() for line in read_list(WORD_NAMES_FILE))
    return frozenset(written)


def lookup(names: dict[str, GivenName], text: str) -> GivenName | None:
    """The given name ``text`` is, if any.

    Accents are ignored ("Zoe" and "Zoë" are one name), except on the first letter: a word whose
    first letter carries an accent matches only a name written with it, so the Romanian "Țara"
    (the country) is not taken for Tara, while "Łukasz" is found as written.
    """
    name = names.get(fold(text))
    if name is None or text[:1].isascii():
        return name
    return name if text.casefold() in names_as_written() else None


@dataclass(frozen=True)
class Word:
    """One run of letters in the text, with its place."""

    start: int
    end: int
    text: str

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper() and not any(c.isupper() for c in self.text[1:])


def written_as_name(word: Word, name: GivenName) -> bool:
    """Rule 2 of the module docstring: the case a name may be written in."""
    if word.capitalised:
        return True
    if name.word:
        return False
    return word.text.islower() or (word.text.isupper() and len(word.text) >= 4)


class NameContext:
    """The words of one text, to judge a word-name by its neighbours (module docstring)."""

    def __init__(
        self,
        text: str,
        words: list[Word],
        names: dict[str, GivenName],
        stand_in_ends: set[int],
    ) -> None:
        self.text = text
        self.words = words
        self.names = names
        self.stand_in_ends = stand_in_ends

    def names_word(self, i: int) -> bool:
        """Whether the word at ``i`` is a listed name or a ``[name]`` token."""
        return self.neighbour(i) in self.names or self.neighbour(i) == NAME_TOKEN

    def gap_before(self, i: int) -> str:
        start = self.words[i - 1].end if i > 0 else 0
        return self.text[start : self.words[i].start]

    def gap_after(self, i: int) -> str:
        end = self.words[i + 1].start if i + 1 < len(self.words) else len(self.text)
        return self.text[self.words[i].end : end]

    def neighbour(self, i: int) -> str:
        """The folded word at index ``i``, or "" outside the text."""
        return fold(self.words[i].text) if 0 <= i < len(self.words) else ""

    def starts_sentence(self, i: int) -> bool:
        """Whether the word opens a sentence, a line or a list item, so its capital says nothing.

        Decided by the characters just before it (not by the words), so that a detail replaced by
        a token reads the same: "07700 900000 Hope" and "[phone] Hope" are both mid-sentence.
        """
        text, j = self.text, self.words[i].start
        skipped = ""
        while j > 0 and (text[j - 1].isspace() or text[j - 1] in OPENERS):
            skipped = text[j - 1] + skipped
            j -= 1
        if j == 0 or "\n" in skipped:
            return True
        # A dash with space around it, or a bullet, breaks the sentence: "Jamie - Hope this helps".
        if SPACED_DASH.search(skipped):
            return True
        if j in self.stand_in_ends:
            return False  # a token, or a detail that will become one, is never a full stop
        return text[j - 1] in SENTENCE_ENDS

    def capitalised_non_name(self, i: int) -> bool:
        """A capitalised word that is not a name, as in a title ("Disabled Facilities Grant").

        A ``[school]`` or ``[place]`` token stands for the capitalised name it replaced; other
        tokens for names or figures.
        """
        word = self.words[i]
        if word.text in PLACE_TOKENS:
            return True
        return (
            word.text[0].isupper()
            and word.text != "I"
            and not self.starts_sentence(i)
            and fold(word.text) not in self.names
        )

    def is_time(self, i: int) -> bool:
        word = self.words[i]
        before = self.text[max(0, word.start - 24) : word.start]
        day = DAY_BEFORE.search(before)
        if day and not NOT_A_DAY.search(before, 0, day.start()):
            return True
        if DAY_OR_YEAR_AFTER.match(self.text, word.end):
            return True
        gap = self.gap_before(i)
        return self.neighbour(i - 1) in TIME_WORDS and gap.strip() in ("", "-")

    def is_name(self, i: int, name: GivenName) -> bool:
        """Whether the word-name at ``i`` is used as a name here (rule 3)."""
        word = self.words[i]
        if name.time and self.is_time(i):
            return False
        if POSSESSIVE.match(self.text, word.end) or (
            word.text.endswith("s") and PLAIN_APOSTROPHE.match(self.text, word.end)
        ):
            return True
        if self.neighbour(i - 1) in PERSON_CUES and CUE_GAP.fullmatch(self.gap_before(i)):
            return True
        after, before = self.gap_after(i), self.gap_before(i)
        glued_after = after == "-" and not self.names_word(i + 1)
        glued_before = before == "-" and not self.names_word(i - 1)
        if glued_after or glued_before:
            return False
        if after.isspace() and self.neighbour(i + 1) in THING_NEXT:
            return False
        if self.starts_sentence(i):
            if name.time:
                return False
            follower = self.neighbour(i + 1) if after.isspace() else ""
            if name.verb:
                return follower not in WORD_USE_NEXT and (
                    follower in NAME_FOLLOWERS
                    or NAME_FOLLOWER_ENDING.search(follower) is not None
                    or after.startswith(",")
                )
            return follower not in WORD_USE_NEXT
        if before.isspace() and i > 0:
            previous = self.words[i - 1]
            if fold(previous.text) in ARTICLES:
                return False
            if self.capitalised_non_name(i - 1):
                return False
        return True


def find_given_names(
    text: str, stand_ins: Iterable[tuple[int, int, str]] = ()
) -> Iterator[RedactionSpan]:
    """Given names in ``text`` by the rule of the module docstring.

    ``stand_ins`` are ``(start, end, token)``: the tokens already in an edited text (``[name]``)
    and what the other detectors will replace. Nothing inside them is proposed, and each reads
    to the rule as its token, one word, so that a name is judged the same in the original and in
    its redacted text ("Mrs Okafor Hope" on a deny-list and "[name] Hope" agree).
    """
    names = shipped_names()
    ranges = sorted(stand_ins)
    placeholders = [Word(start, end, token) for start, end, token in ranges]
    covered = {i for start, end, _ in ranges for i in range(start, end)}
    words = sorted(
        [
            *placeholders,
            *(
                Word(m.start(), m.end(), m.group())
                for m in WORD.finditer(text)
                if m.start() not in covered
            ),
        ],
        key=lambda w: w.start,
    )
    context = NameContext(text, words, names, stand_in_ends={end for _, end, _ in ranges})
    for i, word in enumerate(words):
        if word.start in covered:
            continue
        name = lookup(names, word.text)
        if name is None or not written_as_name(word, name):
            continue
        if (word.start > 0 and GLUE.match(text, word.start - 1)) or GLUE.match(text, word.end):
            continue
        if name.word and not context.is_name(i, name):
            continue
        yield RedactionSpan(word.start, word.end, RedactionKind.NAME)
