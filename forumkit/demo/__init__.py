"""The demo forum: a realistic, completed sample forum file a newcomer sees first.

A made-up forum in a made-up area, half-way through its year, so every part of forumkit has
something real to show:

- this year's parent survey (``resources/demo/parent-survey-2026.xlsx``) with a few hundred
  responses typed in, given on the laptop (a few unfinished kiosk drafts) and imported;
- last year's edition (``parent-survey-2025.xlsx``) with its own responses, linked as this
  year's previous edition (for year on year) and archived, as a forum does once a year is over;
- parents' sentences quoted and tagged with all seven key messages: most reviewed, some not yet,
  some from parents who did not agree to be quoted or to share, and one answer with a phone
  number in it waiting for its redaction review;
- about a third of this year's parents left a contact (a made-up email or phone number) for
  data-protection requests, so finding and erasing what is held about one of them can be tried
  (:data:`DEMO_CONTACT`, who answered twice);
- a volunteer's copy beside it, with a morning's responses captured on their laptop, ready to
  merge (:mod:`forumkit.demo.volunteer`);
- a password for the demo's evidence packs, shown on screen with the passphrases, so a newcomer
  makes and opens a pack within minutes.

Everything comes from fixed seeds, so two demo files hold the same answers; all text was
written for the demo and is about no real people, places or schools.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forumkit.demo.answers import LAST_YEAR, THIS_YEAR, demo_answers
from forumkit.demo.quotes import DemoQuotes, add_demo_quotes
from forumkit.demo.responses import (
    DEMO_CONTACT,
    ENTERED,
    IMPORT_SOURCE,
    IMPORTED,
    KIOSK,
    KIOSK_DRAFTS,
    LAST_YEAR_ENTERED,
    LAST_YEAR_IMPORTED,
    PLANTED_PHONE,
    SEED,
    add_demo_responses,
    add_last_year_responses,
)
from forumkit.demo.volunteer import (
    DEMO_VOLUNTEER_PASSPHRASE,
    VOLUNTEER_RESPONSES,
    make_volunteer_copy,
    volunteer_copy_path,
)
from forumkit.errors import ForumkitError
from forumkit.paths import resource_path
from forumkit.surveys import archive_survey, import_xlsform, set_previous_edition, template
from forumkit.vault import KdfParams
from forumkit.workspace import Workspace

DEMO_PASSPHRASE = "demo forum only"
"""The demo file's passphrase, shown on screen by ``forumkit-app --demo``: it holds no real data."""
DEMO_PACK_PASSWORD = "demo-pack-made-up-answers"
"""The password to give the demo's evidence packs, shown on screen with the passphrase (a real
forum's pack gets its own, given to the inspector by phone)."""

DEMO_FORUM = "Brookfield Parent Carer Forum"
"""A made-up forum in a made-up local area."""
DEMO_AREA = "Brookfield"
DEMO_SURVEY_FILE = template("parent-experience").resource
"""The demo's survey is the template a chair starts a new survey from (Surveys → New survey…)."""
LAST_YEAR_SURVEY_FILE = ("demo", "parent-survey-2025.xlsx")
DEMO_SURVEY = "parent-survey-2026"
LAST_YEAR_SURVEY = "parent-survey-2025"


@dataclass(frozen=True)
class DemoCounts:
    """How many responses of each kind the demo forum holds, and what else it made."""

    entered: int = ENTERED
    kiosk: int = KIOSK
    kiosk_drafts: int = KIOSK_DRAFTS
    imported: int = IMPORTED
    last_year: int = LAST_YEAR_ENTERED + LAST_YEAR_IMPORTED
    quotes: int = 0
    reviewed: int = 0
    volunteer_copy: Path | None = None
    volunteer_responses: int = 0

    @property
    def complete(self) -> int:
        """This year's complete responses."""
        return self.entered + self.kiosk + self.imported

    @property
    def total(self) -> int:
        """This year's responses, the unfinished drafts included."""
        return self.complete + self.kiosk_drafts


class DemoFileExists(ForumkitError):
    """A file is already where the demo would write its forum or volunteer copy."""


def create_demo(
    path: Path | str,
    passphrase: str = DEMO_PASSPHRASE,
    *,
    kdf: KdfParams | None = None,
    with_volunteer_copy: bool = True,
) -> Workspace:
    """Write the demo forum file at ``path`` (and its volunteer copy beside it, see
    :func:`volunteer_copy_path`) and return it open (see :func:`fill_demo`)."""
    return make_demo(path, passphrase, kdf=kdf, with_volunteer_copy=with_volunteer_copy)[0]


def make_demo(
    path: Path | str,
    passphrase: str = DEMO_PASSPHRASE,
    *,
    kdf: KdfParams | None = None,
    with_volunteer_copy: bool = True,
) -> tuple[Workspace, DemoCounts]:
    """:func:`create_demo`, also returning what the demo holds."""
    path = Path(path)
    copy = volunteer_copy_path(path) if with_volunteer_copy else None
    if copy is not None and copy.exists():
        # Checked before the forum file is made, so a refusal leaves nothing behind.
        raise DemoFileExists(
            f"“{copy.name}” already exists beside “{path.name}”: the demo puts its volunteer "
            "copy there; move it or choose another name."
        )
    workspace = Workspace.create(path, passphrase, forum=DEMO_FORUM, area=DEMO_AREA, kdf=kdf)
    try:
        counts = fill_demo(workspace, copy, kdf=kdf)
    except BaseException:
        workspace.close(discard_unsaved=True)
        raise
    return workspace, counts


def fill_demo(
    workspace: Workspace, volunteer_copy: Path | None = None, *, kdf: KdfParams | None = None
) -> DemoCounts:
    """Put the demo's surveys, responses and quotes into a just-made forum file, and make its
    volunteer copy at ``volunteer_copy`` (None: no copy).

    Each step is its own change (the surveys, each edition's responses, the editions' link and
    last year's archiving, the quotes), so the file is saved a few times. The app makes the
    file's keys in a worker and calls this on its database thread; :func:`create_demo` does
    both for the command line. The volunteer copy derives two keys (making it, then opening it
    to type in its responses): about a second and a half with the default key derivation.
    """
    survey = import_xlsform(workspace, resource_path(*DEMO_SURVEY_FILE)).survey
    last_year = import_xlsform(workspace, resource_path(*LAST_YEAR_SURVEY_FILE)).survey
    with workspace.transaction("demo_responses_added"):
        add_demo_responses(workspace, survey)
        add_last_year_responses(workspace, last_year)
    set_previous_edition(workspace, survey.id, last_year.form_id)
    archive_survey(workspace, last_year.id)
    quoted = add_demo_quotes(workspace, survey)
    volunteered = 0
    if volunteer_copy is not None:
        volunteered = make_volunteer_copy(workspace, volunteer_copy, survey.form_id, kdf=kdf)
    return DemoCounts(
        quotes=quoted.quotes,
        reviewed=quoted.reviewed,
        volunteer_copy=volunteer_copy,
        volunteer_responses=volunteered,
    )


__all__ = [
    "DEMO_AREA",
    "DEMO_CONTACT",
    "DEMO_FORUM",
    "DEMO_PACK_PASSWORD",
    "DEMO_PASSPHRASE",
    "DEMO_SURVEY",
    "DEMO_SURVEY_FILE",
    "DEMO_VOLUNTEER_PASSPHRASE",
    "IMPORT_SOURCE",
    "LAST_YEAR",
    "LAST_YEAR_SURVEY",
    "LAST_YEAR_SURVEY_FILE",
    "PLANTED_PHONE",
    "SEED",
    "THIS_YEAR",
    "VOLUNTEER_RESPONSES",
    "DemoCounts",
    "DemoFileExists",
    "DemoQuotes",
    "create_demo",
    "demo_answers",
    "fill_demo",
    "make_demo",
    "volunteer_copy_path",
]
