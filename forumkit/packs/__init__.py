"""Evidence packs: a private, password-protected, accessible PDF straight to inspectors.

A pack is one PDF an inspector opens with an ordinary reader and the password the chair gives by
phone: a cover with the confidentiality notice, how the evidence was gathered, parents' quotes
by key message (and optionally by inspection area), the forum's statement, and attached inside
it an appendix workbook and ``manifest.json``. Tagged (PDF/UA-1), encrypted with AES-256, written
atomically, audit-logged with the ids of the responses whose words it holds.

The public API (the app's pack wizard and the command line use these):

- making one: ``PackRequest`` (survey, key messages, inspection areas, title, contact, statement,
  attribute questions, headline questions, the earlier edition to compare with),
  ``prepare_pack(workspace, request, path, password=None)`` → an ``ExportJob`` whose render
  runs in a worker, ``make_pack`` (all in a row) → ``PackResult`` (pack id, counts, the
  generated password once, what was redacted again, warnings, the figures' questions);
- what goes in: ``gather`` (on the database thread) → ``PackContent``; ``render_pack(content,
  password)`` → the sealed bytes; ``preview_pages(content)`` → the same pages as PNG images, in
  memory (the wizard's preview); ``PackRequest.leave_out``: quote ids the chair unticked;
- headline figures: ``Figures`` / ``Headline`` (``forumkit.packs.figures``), the analysis's
  published figures with the forum's threshold, never unsuppressed;
- passwords: ``generate_password()`` (five words), ``check_pack_password``;
- the forum's defaults: ``pack_settings(db)``, ``set_pack_settings(workspace, title=,
  contact=)``;
- the packs made so far: ``list_packs(db)`` → ``PackRecord`` (from the audit log).
"""

from __future__ import annotations

from forumkit.packs.appendix import APPENDIX, MANIFEST
from forumkit.packs.attributes import Attribute, attribute_questions
from forumkit.packs.content import (
    PackContent,
    PackQuote,
    PackRedaction,
    PackRequest,
    QuoteSection,
    describe_left_out,
    gather,
    shown_count,
)
from forumkit.packs.document import preview_pages, render_pack
from forumkit.packs.errors import (
    PackError,
    PackLayoutFailed,
    PackPasswordRefused,
    PackSettingsError,
)
from forumkit.packs.figures import Figures, Headline, default_questions
from forumkit.packs.pack import PackResult, make_pack, prepare_pack
from forumkit.packs.password import check_pack_password, generate_password, word_list
from forumkit.packs.records import PackRecord, list_packs
from forumkit.packs.settings import (
    PackSettings,
    default_title,
    pack_settings,
    set_pack_settings,
)
from forumkit.responses import PACK_CREATED

__all__ = [
    "APPENDIX",
    "MANIFEST",
    "PACK_CREATED",
    "Attribute",
    "Figures",
    "Headline",
    "PackContent",
    "PackError",
    "PackLayoutFailed",
    "PackPasswordRefused",
    "PackQuote",
    "PackRecord",
    "PackRedaction",
    "PackRequest",
    "PackResult",
    "PackSettings",
    "PackSettingsError",
    "QuoteSection",
    "attribute_questions",
    "check_pack_password",
    "default_questions",
    "default_title",
    "describe_left_out",
    "gather",
    "generate_password",
    "list_packs",
    "make_pack",
    "pack_settings",
    "prepare_pack",
    "preview_pages",
    "render_pack",
    "set_pack_settings",
    "shown_count",
    "word_list",
]
