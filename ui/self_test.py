"""``forumkit-app --self-test``: prove forumkit works on the machine it landed on.

Offscreen (no window is shown), in a temporary folder removed afterwards, with its own settings
folder (the computer's forumkit settings and recent files are not touched), it goes through
what a forum does with forumkit, one printed line per step:

1. create a forum file (the real key derivation and encryption);
2. import the demo survey (an XLSForm read with openpyxl);
3. add a response through the data-entry form widget (the form filled, checked and saved);
4. save the file to disk, and 5. reopen it with the passphrase and find the response again;
6. quote and tag the parent's words, and mark the quote reviewed;
7. render an evidence pack (Typst, the appendix, AES-256) and 8. read it back with its
   password (and not without it).

It stops at the first step that fails, saying which and why, and exits 0 only if every step
worked. Everything it writes is made up here; nothing is sent anywhere.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from forumkit.demo import DEMO_SURVEY, DEMO_SURVEY_FILE
from forumkit.packs import PackRequest, make_pack
from forumkit.paths import resource_path
from forumkit.quotes import create_quote, leaving_quotes, review_quote
from forumkit.responses import complete_response, list_responses
from forumkit.surveys import Survey, get_survey, import_xlsform
from forumkit.wording import plural
from forumkit.workspace import Workspace
from ui.form import SurveyForm

PASSPHRASE = "self-test passphrase, made up"
PACK_PASSWORD = "self-test-pack-password"
FORUM = "Self-test Parent Carer Forum"
WORDS = "We waited eighteen months for speech and language therapy before anyone listened."
ANSWERS: dict[str, object] = {
    "age_phase": "primary",
    "child_age": 8,
    "need_areas": ("communication",),
    "support": "sen_support",
    "services_score": 4,
    "waited_for": ("salt",),
    "experience": WORDS,
    "consent_quote": "yes",
    "consent_share": "yes",
}


class SelfTestFailed(Exception):
    """A step found something other than what it expected."""


@dataclass
class SelfTest:
    """The steps' shared state: the temporary folder, the open forum file, what was made."""

    folder: Path
    out: TextIO
    workspace: Workspace | None = None
    survey: Survey | None = None
    response_id: str = ""
    quote_id: str = ""
    pack: Path | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def forum_file(self) -> Path:
        return self.folder / "self-test.forumkit"

    def open_workspace(self) -> Workspace:
        if self.workspace is None:
            raise SelfTestFailed("the forum file is not open")
        return self.workspace

    def the_survey(self) -> Survey:
        if self.survey is None:
            raise SelfTestFailed("no survey was imported")
        return self.survey

    # -- the steps ---------------------------------------------------------------------------

    def create_forum_file(self) -> str:
        self.workspace = Workspace.create(self.forum_file, PASSPHRASE, forum=FORUM, area="Test")
        return f"{self.forum_file.stat().st_size:,} bytes, encrypted"

    def import_demo_survey(self) -> str:
        imported = import_xlsform(self.open_workspace(), resource_path(*DEMO_SURVEY_FILE))
        self.survey = imported.survey
        return plural(len(imported.survey.questions), "question")

    def add_response_through_the_form(self) -> str:
        survey = self.the_survey()
        form = SurveyForm(survey)
        try:
            form.set_answers(ANSWERS)
            problems = form.check(final=True).problems
            if problems:
                found = plural(len(problems), "problem")
                raise SelfTestFailed(f"the form found {found} in its answers")
            typed = form.typed_answers()
            saved = complete_response(
                self.open_workspace(), survey, typed, started=form.started, source="entered"
            )
        finally:
            form.dispose()
            form.deleteLater()
        if saved.answers.get("experience") != WORDS:
            raise SelfTestFailed("the saved response does not hold what the form was given")
        self.response_id = saved.id
        return plural(len(typed), "answer")

    def save(self) -> str:
        workspace = self.open_workspace()
        workspace.flush()
        if workspace.has_unsaved_changes:
            raise SelfTestFailed("changes are still waiting to be written")
        workspace.close()
        self.workspace = None
        return f"{self.forum_file.stat().st_size:,} bytes"

    def reopen(self) -> str:
        self.workspace = Workspace.open(self.forum_file, PASSPHRASE)
        survey = get_survey(self.workspace.db, DEMO_SURVEY)
        self.survey = survey
        held = [r.id for r in list_responses(self.workspace.db, survey.id, limit=None)]
        if held != [self.response_id]:
            raise SelfTestFailed(f"expected the one response saved, found {len(held)}")
        return "the response is there"

    def tag_a_quote(self) -> str:
        workspace = self.open_workspace()
        start = WORDS.index("We waited")
        end = WORDS.index(" before")
        quote = create_quote(
            workspace, self.response_id, "experience", start, end, codes=("listen-early",)
        ).after
        if quote is None:
            raise SelfTestFailed("no quote was made")
        review_quote(workspace, quote.id, reviewed=True)
        self.quote_id = quote.id
        leaving = [q.quote_id for q in leaving_quotes(workspace.db, self.the_survey().id)]
        if leaving != [quote.id]:
            raise SelfTestFailed("the reviewed, consented quote may not leave the file")
        return "tagged “Listen to families and intervene early”, reviewed"

    def render_pack(self) -> str:
        self.pack = self.folder / "evidence-pack.pdf"
        result = make_pack(
            self.open_workspace(),
            PackRequest(self.the_survey()),
            self.pack,
            password=PACK_PASSWORD,
        )
        if result.quotes != 1:
            held = plural(result.quotes, "quote")
            raise SelfTestFailed(f"the pack holds {held}, not the one quote tagged")
        return f"{self.pack.stat().st_size:,} bytes"

    def read_pack_back(self) -> str:
        from pypdf import PdfReader

        if self.pack is None:
            raise SelfTestFailed("no pack was made")
        data = self.pack.read_bytes()
        locked = PdfReader(io.BytesIO(data))
        if not locked.is_encrypted or locked.decrypt("not the password"):
            raise SelfTestFailed("the pack opens without its password")
        reader = PdfReader(io.BytesIO(data))
        if not reader.decrypt(PACK_PASSWORD):
            raise SelfTestFailed("the pack does not open with its password")
        text = " ".join((page.extract_text() or "") for page in reader.pages)
        flat = " ".join(text.split())
        quoted = WORDS[: WORDS.index(" before")]
        if FORUM not in flat or quoted not in flat:
            raise SelfTestFailed("the pack opened but its cover or quote is missing")
        return f"{len(reader.pages)} pages, opened with the password"

    def close(self) -> None:
        if self.workspace is not None:
            self.workspace.close(discard_unsaved=True)
            self.workspace = None


STEPS: tuple[tuple[str, Callable[[SelfTest], str]], ...] = (
    ("create a forum file", SelfTest.create_forum_file),
    ("import the demo survey", SelfTest.import_demo_survey),
    ("add a response through the form", SelfTest.add_response_through_the_form),
    ("save", SelfTest.save),
    ("reopen", SelfTest.reopen),
    ("tag a quote", SelfTest.tag_a_quote),
    ("render a pack", SelfTest.render_pack),
    ("read the pack back with its password", SelfTest.read_pack_back),
)


def run_self_test(out: TextIO | None = None) -> int:
    """Run every step (module docstring), one line each on ``out``; 0 if all worked, else 1.

    Needs a QApplication (the form is a widget): ``forumkit-app --self-test`` makes an
    offscreen one.
    """
    out = out or sys.stdout
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="forumkit-self-test-"))
    saved_config = os.environ.get("FORUMKIT_CONFIG_DIR")
    os.environ["FORUMKIT_CONFIG_DIR"] = str(folder / "settings")
    test = SelfTest(folder, out)
    try:
        for number, (name, step) in enumerate(STEPS, start=1):
            began = time.monotonic()
            try:
                said = step(test)
            except Exception as exc:
                # The data is made up, so the error's own words are safe to print.
                print(
                    f"self-test {number}/{len(STEPS)} FAILED {name}: {type(exc).__name__}: {exc}",
                    file=out,
                    flush=True,
                )
                return 1
            ms = (time.monotonic() - began) * 1000
            print(f"self-test {number}/{len(STEPS)} ok   {name} ({said}; {ms:.0f} ms)", file=out)
            out.flush()
    finally:
        test.close()
        shutil.rmtree(folder, ignore_errors=True)
        if saved_config is None:
            os.environ.pop("FORUMKIT_CONFIG_DIR", None)
        else:
            os.environ["FORUMKIT_CONFIG_DIR"] = saved_config
    total = time.monotonic() - started
    print(f"self-test passed: all {len(STEPS)} steps in {total:.1f} s", file=out, flush=True)
    return 0
