"""Properties over generated answers: nothing detected survives anywhere in the redacted text
(not even where the same word was used as a word), offsets are code points whatever precedes
them (emoji, accents), and accepting every proposal leaves a text that re-scans clean."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from forumkit.redaction import DenyKind, DenyTerm, propose, rescan

from .helpers import nhs_number

# Neutral pieces of a parent's answer: no names, numbers or anything else a detector looks for,
# with emoji (several code points each), accents and other scripts to shift offsets.
FILLERS = [
    "the panel said no",
    "we waited",
    "😊",
    "👍🏽",
    "👨‍👩‍👧",
    "café",
    "naïve",
    "Große Sorge",
    "مرحبا",
    "বাংলা",
    "the EHCP",
    "CAMHS",
    "SENCo",
    "Local Offer",
    "14 weeks",
    "£6000",
    "part-time",
    "—",
    "(again)",
    "!",
    # names that are also words, used as words
    "in May",
    "by June",
    "we hope so",
    "Hope this helps",
    "Will you help",
    "by the grace of the panel",
    "Summer term",
]
SEPARATORS = [" ", ", ", ". ", "\n", " - ", " 🙏 "]
NAMES = ["Jamie", "Olivia", "Zoë", "Oliwia", "Mohammed", "Aisha", "Harpreet", "jamie", "Chidi"]
DENY = (
    DenyTerm("Oakwood Academy", DenyKind.SCHOOL),
    DenyTerm("Little Hadley", DenyKind.PLACE),
    DenyTerm("Mrs Okafor", DenyKind.PERSON),
)


@st.composite
def nhs_numbers(draw: st.DrawFn) -> str:
    first_nine = draw(st.from_regex(r"[4-7]\d{8}", fullmatch=True))
    try:
        digits = nhs_number(first_nine)
    except ValueError:
        digits = nhs_number("943476591")
    if draw(st.booleans()):
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return digits


def digits(n: int) -> st.SearchStrategy[str]:
    return st.from_regex(rf"\d{{{n}}}", fullmatch=True)


# Names that are also words, in a name's context: (before, name, after).
WORD_NAMES_AS_NAMES = [
    ("I told ", "May", "."),
    ("my son ", "Will", "."),
    ("", "Grace", "'s EHCP"),
    ("Mrs ", "Hope", " said no."),
    ("born on ", "3rd April", "."),
]

DETAILS = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from(WORD_NAMES_AS_NAMES),
    st.builds(lambda n: f"07700 900{n}", digits(3)),
    st.builds(lambda n: f"+44 20 7946 {n}", digits(4)),
    st.builds(lambda n: f"(0121) 496 {n}", digits(4)),
    st.builds(
        lambda local, n: f"{local}{n}@example.org", st.sampled_from(["jo", "mum", "a.b"]), digits(2)
    ),
    st.builds(lambda n: f"https://example.org/case/{n}", digits(4)),
    nhs_numbers(),
    st.sampled_from(["SW1A 1AA", "M1 1AE", "B33 8TH", "LS6 2AB", "EC1A 1BB"]),
    st.builds(
        lambda d, m, y: f"{d}/{m}/{y}",
        st.integers(1, 28),
        st.integers(1, 12),
        st.integers(2005, 2025),
    ),
    st.builds(
        lambda d, m, y: f"{d} {m} {y}",
        st.integers(1, 28),
        st.sampled_from(["January", "March", "April", "October", "Dec"]),
        st.integers(2005, 2025),
    ),
    st.sampled_from([t.text for t in DENY]),
)


@dataclass(frozen=True)
class Answer:
    text: str
    details: tuple[tuple[int, int], ...]  # where each inserted detail lies, in code points


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    pieces: list[str] = []
    details: list[tuple[int, int]] = []
    position = 0
    for _ in range(draw(st.integers(1, 12))):
        if pieces:
            separator = draw(st.sampled_from(SEPARATORS))
            pieces.append(separator)
            position += len(separator)
        if draw(st.booleans()):
            detail = draw(DETAILS)
            before, core, after = detail if isinstance(detail, tuple) else ("", detail, "")
            piece = before + core + after
            details.append((position + len(before), position + len(before) + len(core)))
        else:
            piece = draw(st.sampled_from(FILLERS))
        pieces.append(piece)
        position += len(piece)
    return Answer("".join(pieces), tuple(details))


@settings(max_examples=300, deadline=None)
@given(answers())
def test_no_detected_detail_survives_and_offsets_are_code_points(answer: Answer) -> None:
    result = propose(answer.text, DENY)
    for start, end in answer.details:
        detail = answer.text[start:end]
        # Each inserted detail lies inside exactly one proposed span, found at its code points.
        covering = [s for s in result.spans if s.start <= start and end <= s.end]
        assert len(covering) == 1, (detail, result)
        assert detail not in result.redacted_text
    for span in result.spans:
        assert result.detected(span) not in result.redacted_text
    assert rescan(result.redacted_text, DENY).is_clean


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_ordered_non_overlapping_spans(text: str) -> None:
    result = propose(text, DENY)
    previous_end = 0
    pieces = []
    for span in result.spans:
        assert previous_end <= span.start < span.end <= len(text)
        pieces += [text[previous_end : span.start], span.replacement]
        previous_end = span.end
    pieces.append(text[previous_end:])
    assert result.redacted_text == "".join(pieces)
