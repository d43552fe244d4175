"""What goes into an evidence pack, read from the forum file on the database thread.

:func:`gather` reads everything a pack shows and returns it as plain data (:class:`PackContent`),
so that laying it out, building the appendix and encrypting (``forumkit.packs.document``) can run
in a worker without touching the database. The rules it applies, in the core so that the app and
the command line cannot differ:

- **who counts**: only complete responses whose parent agreed to share their answers with
  inspectors; nothing from any other response appears anywhere in the pack;
- **which quotes**: those ``forumkit.quotes.leaving_quotes`` lets out (consent to quote and to
  share, reviewed, answer unchanged) that are tagged with a selected key message (all seven
  unless the chair narrows them) or a code under one; only their redacted text;
- **redaction again**: every included text is scanned again with the forum's deny-list; what is
  still found is redacted in the pack and reported to the chair (quote ids and kinds only);
- **small numbers**: every count is shown as "fewer than t" from 1 to t−1, and what is said
  about a family beside a quote follows ``forumkit.packs.attributes``;
- **headline figures** are the analysis's, over the same responses, always suppressed with
  the forum's threshold (``forumkit.packs.figures``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlite_utils

from forumkit import audit
from forumkit.analysis import Display, earlier_editions, protect_counts, suppression_threshold
from forumkit.codebooks import (
    INSPECTION_AREAS_ID,
    KEY_MESSAGES_ID,
    Code,
    Codebook,
    CodebookNotFound,
    default_codebook,
    get_codebook,
    inspection_area_map,
)
from forumkit.importers import FORMATS
from forumkit.packs.attributes import Attribute, AttributeGate, Value, attribute_questions
from forumkit.packs.errors import PackError
from forumkit.packs.figures import Figures, check_questions, default_questions, headline_figures
from forumkit.packs.settings import clean_contact, clean_title, default_title, pack_settings
from forumkit.quotes import LeavingQuote, deny_list, leaving_quotes, list_quotes, reasons_to_stay
from forumkit.quotes import responses_of as quote_responses
from forumkit.redaction import DenyTerm, propose, rescan
from forumkit.responses import Response, list_responses, survey_for_version
from forumkit.surveys import Survey
from forumkit.wording import plural

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

MAX_STATEMENT = 20_000


@dataclass(frozen=True)
class PackRequest:
    """What the chair asks a pack to hold. ``None`` title or contact: the forum's settings."""

    survey: Survey
    codes: tuple[str, ...] = ()
    """Key-message keys to include; empty for all of them."""
    by_inspection_area: bool = False
    title: str | None = None
    contact: str | None = None
    statement: str = ""
    attributes: tuple[str, ...] | None = None
    """Attribute question names; None for the form's first section's choice questions."""
    questions: tuple[str, ...] | None = None
    """The questions whose headline figures (a chart and a table each) the pack shows, in
    this order; None for every choice, rating and number question (``default_questions``),
    empty for none."""
    compare: Survey | None = None
    """An earlier edition of the survey (last year's) to set the headline figures beside."""
    leave_out: frozenset[str] = frozenset()
    """Ids of quotes the chair chose to leave out (unticked in the wizard), among those that
    could go in: the pack holds them nowhere, and counts without them."""


@dataclass(frozen=True)
class PackQuote:
    """One quote as the pack shows it."""

    number: int
    quote_id: str
    response_id: str
    text: str = field(repr=False)
    """The redacted text, redacted again at pack time where need be."""
    question: str
    """The label of the question it answers."""
    key_messages: tuple[str, ...]
    """The ids of the selected key messages it falls under, in the codebook's order."""
    areas: tuple[str, ...]
    """The ids of the inspection areas it speaks to."""
    attributes: tuple[str, ...]
    """For each attribute question, the family's answer in words, or "" when not shown."""

    @property
    def reference(self) -> str:
        """How the pack names it: ``Q12``."""
        return f"Q{self.number}"


@dataclass(frozen=True)
class QuoteSection:
    """A key message or an inspection area, with the quotes under it."""

    code_id: str
    key: str
    label: str
    quotes: tuple[int, ...]
    """Indices into :attr:`PackContent.quotes`."""
    respondents: int


@dataclass(frozen=True)
class PackRedaction:
    """A quote in which redaction found something again at pack time (redacted in the pack)."""

    quote_id: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class PackContent:
    """Everything one pack shows, read from the forum file (module docstring)."""

    pack_id: str
    created: str
    """UTC, ISO 8601."""
    forum: str
    area: str
    forum_id: str
    title: str
    contact: str
    statement: tuple[str, ...] = field(repr=False)
    """The forum's statement, one string a paragraph (empty: none)."""
    survey_id: str
    form_id: str
    survey_title: str
    versions: tuple[tuple[int, str], ...]
    """The survey versions the counted responses answered: (version, version id)."""
    threshold: int
    responses: int
    """Complete responses whose parent agreed to share: the responses the pack counts."""
    sources: tuple[tuple[str, str], ...]
    """How those responses were collected, in words, with how many each way as published
    (protected like any table of counts: ``published_sources``)."""
    first_month: str
    last_month: str
    attributes: tuple[Attribute, ...]
    figures: Figures
    """The headline figures, as the analysis publishes them (suppressed)."""
    quotes: tuple[PackQuote, ...]
    key_messages: tuple[QuoteSection, ...]
    areas: tuple[QuoteSection, ...] | None
    redacted: tuple[PackRedaction, ...]
    left_out: tuple[tuple[str, int], ...]
    """Quotes of the selected key messages that stay in the file, by reason."""
    warnings: tuple[str, ...]
    left_out_by_chair: int = 0
    """Quotes that could have gone in and that the chair left out (``PackRequest.leave_out``)."""

    @property
    def response_ids(self) -> tuple[str, ...]:
        """The responses whose words the pack holds (for the audit log and erasures)."""
        return tuple(sorted({quote.response_id for quote in self.quotes}))

    @property
    def survey_ids(self) -> tuple[str, ...]:
        """The surveys whose responses the pack counts (last year's edition too, if shown)."""
        previous = self.figures.previous_survey_id
        return (self.survey_id, previous) if previous else (self.survey_id,)


def shown_count(count: int, threshold: int) -> str:
    """A count as a pack may print it: "fewer than t" from 1 to t−1, else the number."""
    if 0 < count < threshold:
        return f"fewer than {threshold}"
    return f"{count:,}"


def key_message_codebook(db: sqlite_utils.Database) -> Codebook:
    """The seven key messages (or, if the forum removed that codebook, its default one)."""
    try:
        return get_codebook(db, KEY_MESSAGES_ID)
    except CodebookNotFound:
        return default_codebook(db)


def selected_key_messages(book: Codebook, keys: Sequence[str]) -> list[Code]:
    """The key messages a pack covers: the codebook's top-level codes, or those of ``keys``."""
    top = [code for code in book.children(None) if code.codable or book.children(code.id)]
    if not keys:
        return top
    chosen: list[Code] = []
    for key in keys:
        found = next((code for code in top if code.key == key.strip()), None)
        if found is None:
            known = ", ".join(code.key for code in top)
            raise PackError(f"“{key}” is not one of the key messages ({known}).")
        if found not in chosen:
            chosen.append(found)
    return [code for code in top if code in chosen]


def _below(book: Codebook, code: Code) -> set[str]:
    ids = {code.id}
    for child in book.children(code.id):
        ids |= _below(book, child)
    return ids


def _month(moment: str | None) -> str:
    if not moment:
        return ""
    try:
        when = dt.datetime.fromisoformat(moment)
    except ValueError:
        return ""
    return when.strftime("%B %Y")


def _when(response: Response) -> str:
    return response.finished or response.started or response.modified


def collected_how(responses: Iterable[Response]) -> list[tuple[str, int]]:
    """How responses were collected, in words and counted: typed in, kiosk, per import tool.
    An import's file name is never shown (it might name someone)."""
    counts: Counter[str] = Counter()
    for response in responses:
        if response.source == "entered":
            counts["typed in by the forum's volunteers (often from paper forms)"] += 1
        elif response.source == "kiosk":
            counts["filled in by parents themselves on the forum's laptop"] += 1
        elif response.source.startswith("import:"):
            name = response.source.split(":", 2)[1]
            found = FORMATS.get(name)
            tool = found.title if found is not None else "a spreadsheet"
            counts[f"imported from {tool}"] += 1
        else:
            counts["collected another way"] += 1
    return counts.most_common()


def published_sources(
    sources: Sequence[tuple[str, int]], threshold: int
) -> tuple[tuple[str, str], ...]:
    """How many responses came each way, as a pack may print them: a one-way table whose total
    (the responses counted) is printed too, so protected as the analysis protects one
    (``forumkit.analysis.protect_counts``): "fewer than t" for a small count, and "*" for a
    count that would give a small one away beside the total."""
    if not sources:
        return ()
    displays, _ = protect_counts([count for _, count in sources], threshold)
    shown = {
        Display.NUMBER: None,
        Display.FEWER_THAN: f"fewer than {threshold}",
        Display.HIDDEN: "*",
        Display.WITHHELD: "*",
    }
    return tuple(
        (how, shown[display] or f"{count:,}")
        for (how, count), display in zip(sources, displays, strict=True)
    )


def _paragraphs(text: str) -> tuple[str, ...]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(" ".join(line.split()))
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    return tuple(paragraphs)


def check_statement(statement: str) -> tuple[str, ...]:
    """The forum's statement as paragraphs; too long a statement is refused."""
    if len(statement) > MAX_STATEMENT:
        raise PackError(
            f"The statement is {len(statement):,} characters long; a pack takes at most "
            f"{MAX_STATEMENT:,} (about four pages)."
        )
    return _paragraphs(statement)


class _Versions:
    """Survey versions by id, each read once."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.found: dict[str, Survey] = {}

    def __call__(self, version_id: str) -> Survey:
        if version_id not in self.found:
            self.found[version_id] = survey_for_version(self.db, version_id)
        return self.found[version_id]


def _question_label(version: Survey, name: str) -> str:
    try:
        return version.label(version.question(name)) or name
    except (KeyError, ValueError):
        return name


def _left_out(
    db: sqlite_utils.Database, survey_id: str, wanted: frozenset[str]
) -> list[tuple[str, int]]:
    quotes = [quote for quote in list_quotes(db, survey_id) if quote.code_ids & wanted]
    responses = quote_responses(db, quotes)
    reasons: Counter[str] = Counter()
    for quote in quotes:
        for reason in reasons_to_stay(quote, responses[quote.response_id]):
            reasons[reason] += 1
    return reasons.most_common()


def gather(workspace: Workspace, request: PackRequest) -> PackContent:
    """Read everything the pack of ``request`` shows (module docstring), on the database
    thread."""
    db = workspace.db
    forum = workspace.forum
    survey = request.survey
    settings = pack_settings(db)
    title = clean_title(request.title if request.title is not None else settings.title)
    title = title or default_title(forum.name)
    contact = clean_contact(request.contact if request.contact is not None else settings.contact)
    statement = check_statement(request.statement)
    threshold = suppression_threshold(db)
    book = key_message_codebook(db)
    messages = selected_key_messages(book, request.codes)
    message_of: dict[str, str] = {}
    for message in messages:
        for code_id in _below(book, message):
            message_of[code_id] = message.id
    attributes = attribute_questions(survey, request.attributes)
    names = (
        default_questions(survey)
        if request.questions is None
        else check_questions(survey, request.questions)
    )
    previous = request.compare
    if previous is not None and previous.id not in {e.id for e in earlier_editions(db, survey)}:
        raise PackError(
            f"“{previous.form_id}” is not an earlier edition of “{survey.form_id}”: link the two "
            "first (the Surveys page, or the form's forumkit_previous setting)."
        )
    figures = headline_figures(db, survey, names, previous)

    counted = [
        response
        for response in list_responses(db, survey.id, status="complete", limit=None)
        if response.consent_share is True
    ]
    by_id = {response.id: response for response in counted}
    gate = AttributeGate(
        [tuple(a.value_of(r.answers) for a in attributes) for r in counted], threshold
    )
    versions = _Versions(db)
    deny = deny_list(db)
    leaving = leaving_quotes(db, survey.id, code_ids=message_of)
    area_map = inspection_area_map(db) if request.by_inspection_area else {}

    order = {message.id: index for index, message in enumerate(messages)}
    could_go_in = [quote for quote in leaving if quote.response_id in by_id]
    _check_leave_out(request.leave_out, could_go_in)
    ranked = sorted(
        (quote for quote in could_go_in if quote.quote_id not in request.leave_out),
        key=lambda quote: min(order[message_of[c]] for c in quote.code_ids if c in message_of),
    )
    quotes: list[PackQuote] = []
    redacted: list[PackRedaction] = []
    for quote in ranked:
        response = by_id[quote.response_id]
        text, kinds = _redacted_again(quote, deny)
        if kinds:
            redacted.append(PackRedaction(quote.quote_id, kinds))
        values: tuple[Value, ...] = tuple(a.value_of(response.answers) for a in attributes)
        shown = gate.shown(values)
        quote_messages = tuple(
            m.id for m in messages if any(message_of.get(c) == m.id for c in quote.code_ids)
        )
        quotes.append(
            PackQuote(
                number=len(quotes) + 1,
                quote_id=quote.quote_id,
                response_id=quote.response_id,
                text=text,
                question=_question_label(versions(response.version_id), quote.question),
                key_messages=quote_messages,
                areas=_areas_of(quote, quote_messages, area_map),
                attributes=tuple(
                    attribute.shown(value) if keep else ""
                    for attribute, value, keep in zip(attributes, values, shown, strict=True)
                ),
            )
        )

    key_sections = tuple(
        _section(message, quotes, [q.number - 1 for q in quotes if message.id in q.key_messages])
        for message in messages
    )
    area_sections = None
    if request.by_inspection_area:
        area_sections = tuple(
            _section(area, quotes, [q.number - 1 for q in quotes if area.id in q.areas])
            for area in get_codebook(db, INSPECTION_AREAS_ID).children(None)
        )
    months = sorted(filter(None, (_when(response) for response in counted)))
    used_versions = sorted({(versions(r.version_id).version, r.version_id) for r in counted})
    return PackContent(
        pack_id=str(uuid.uuid4()),
        created=audit.now_iso(),
        forum=forum.name,
        area=forum.area,
        forum_id=forum.forum_id,
        title=title,
        contact=contact,
        statement=statement,
        survey_id=survey.id,
        form_id=survey.form_id,
        survey_title=survey.title,
        versions=tuple(used_versions),
        threshold=threshold,
        responses=len(counted),
        sources=published_sources(collected_how(counted), threshold),
        first_month=_month(months[0]) if months else "",
        last_month=_month(months[-1]) if months else "",
        attributes=tuple(attributes),
        figures=figures,
        quotes=tuple(quotes),
        key_messages=key_sections,
        areas=area_sections,
        redacted=tuple(redacted),
        left_out=tuple(_left_out(db, survey.id, frozenset(message_of))),
        warnings=tuple(_warnings(contact, statement, deny, quotes)),
        left_out_by_chair=len(request.leave_out),
    )


def _check_leave_out(leave_out: frozenset[str], could_go_in: Sequence[LeavingQuote]) -> None:
    """Refuse ids of quotes the pack would not hold anyway: a stale choice (the key messages
    changed since) must not pass silently as a count of quotes left out."""
    unknown = leave_out - {quote.quote_id for quote in could_go_in}
    if unknown:
        raise PackError(
            f"{plural(len(unknown), 'quote')} to leave out "
            f"({', '.join(sorted(unknown)[:3])}{'…' if len(unknown) > 3 else ''}) "
            f"{'is' if len(unknown) == 1 else 'are'} not among the quotes this pack could hold: "
            "review the quotes again."
        )


def _redacted_again(quote: LeavingQuote, deny: Sequence[DenyTerm]) -> tuple[str, tuple[str, ...]]:
    found = rescan(quote.redacted_text, deny)
    if found.is_clean:
        return quote.redacted_text, ()
    kinds = tuple(sorted({span.kind.value for span in found.spans}))
    return found.redacted_text, kinds


def _areas_of(
    quote: LeavingQuote,
    messages: tuple[str, ...],
    area_map: Mapping[str, tuple[Code, ...]],
) -> tuple[str, ...]:
    if not area_map:
        return ()
    areas: dict[str, int] = {}
    for code_id in (*messages, *quote.code_ids):
        for area in area_map.get(code_id, ()):
            areas[area.id] = area.position
    return tuple(sorted(areas, key=lambda area_id: areas[area_id]))


def _section(code: Code, quotes: Sequence[PackQuote], indices: Sequence[int]) -> QuoteSection:
    respondents = len({quotes[i].response_id for i in indices})
    return QuoteSection(code.id, code.key, code.label, tuple(indices), respondents)


def _warnings(
    contact: str, statement: tuple[str, ...], deny: Sequence[DenyTerm], quotes: Sequence[PackQuote]
) -> list[str]:
    warnings: list[str] = []
    if not contact:
        warnings.append(
            "The pack names nobody to contact: set the forum's pack contact, or give one."
        )
    if not quotes:
        warnings.append("No quote may leave the file for these key messages: the pack has none.")
    kinds = sorted(
        {span.kind.value for paragraph in statement for span in propose(paragraph, deny).spans}
    )
    if kinds:
        warnings.append(
            f"The forum's statement seems to hold identifying details ({', '.join(kinds)}); it "
            "goes into the pack as written, so check it."
        )
    return warnings


def describe_left_out(left_out: Sequence[tuple[str, int]]) -> str:
    """Why quotes of the chosen key messages stay in the file, in one sentence ("" if none)."""
    if not left_out:
        return ""
    parts = [f"{plural(count, 'quote')}: {reason}" for reason, count in left_out]
    return "Quotes left out of the pack (" + "; ".join(parts) + ")."
