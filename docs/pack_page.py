"""Render pages of an evidence pack made from the demo forum, for the README.

    python docs/pack_page.py [OUTDIR]     (default docs/screenshots; needs pdftoppm)

It builds the demo forum in a temporary folder (which comes with quotes of its own, most of
them reviewed), quotes the free-text answers of the first 60 parents who agreed to be quoted
and to share, tags each with the key message forumkit suggests
first, marks them reviewed (as a chair would after reading them), makes a pack with the
inspection areas, three headline figures and a statement, and renders its cover, its first
page of headline figures and its first page of quotes to ``pack-cover.png``,
``pack-figures.png`` and ``pack-quotes.png``. Everything it shows is the demo's made-up data.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("FORUMKIT_INSECURE_TEST_KDF", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forumkit.demo import DEMO_PASSPHRASE, create_demo
from forumkit.packs import PackRequest, make_pack
from forumkit.quotes import (
    QuoteExists,
    create_quote,
    review_quote,
    suggested_codes,
    tag_quote,
    train_suggester,
)
from forumkit.responses import list_responses, words_may_leave
from forumkit.surveys import get_survey, list_surveys
from forumkit.vault.keys import TEST_KDF

PARENTS = 60
QUESTIONS = ("age_phase", "ehcp_in_time", "services_satisfaction")
STATEMENT = (
    "Parents in Brookfield tell us the same thing year after year: they wait too long for help, "
    "and they are heard only once things have gone wrong.\n\n"
    "We ask the inspection team to look closely at waiting times for speech and language "
    "therapy and at how families are involved in decisions about their children's plans."
)


def make(outdir: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="forumkit-pack-page-") as temp:
        folder = Path(temp)
        with create_demo(folder / "demo.forumkit", DEMO_PASSPHRASE, kdf=TEST_KDF) as workspace:
            survey = get_survey(workspace.db, list_surveys(workspace.db)[0].id)
            suggester = train_suggester(workspace.db)
            parents = [
                response
                for response in list_responses(
                    workspace.db, survey.id, status="complete", limit=None
                )
                if words_may_leave(response) and response.answers.get("experience")
            ][:PARENTS]
            with workspace.transaction("pack page"):
                for response in parents:
                    try:
                        made = create_quote(workspace, response.id, "experience").after
                    except QuoteExists:  # the demo's own quote of this whole answer
                        continue
                    assert made is not None
                    tag_quote(workspace, made.id, suggested_codes(suggester, made.text, 1))
                    review_quote(workspace, made.id, reviewed=True)
            pdf = folder / "pack.pdf"
            result = make_pack(
                workspace,
                PackRequest(
                    survey,
                    by_inspection_area=True,
                    questions=QUESTIONS,
                    contact="Sam Taylor, chair: chair@brookfield-pcf.example, 01632 960123",
                    statement=STATEMENT,
                ),
                pdf,
            )
        assert result.password is not None
        pages = {
            "pack-cover": 1,
            "pack-figures": _first_page(pdf, result.password, "Each chart and table below"),
            "pack-quotes": _first_page(pdf, result.password, "The quotes below are grouped"),
        }
        for name, page in pages.items():
            subprocess.run(
                [
                    "pdftoppm",
                    "-upw",
                    result.password,
                    "-f",
                    str(page),
                    "-l",
                    str(page),
                    "-r",
                    "70",
                    "-png",
                    "-singlefile",
                    str(pdf),
                    str(outdir / name),
                ],
                check=True,
            )


def _first_page(pdf: Path, password: str, words: str) -> int:
    """The number of the first page (from 1) whose text holds ``words``."""
    from pypdf import PdfReader

    reader = PdfReader(pdf, password=password)
    for number, page in enumerate(reader.pages, start=1):
        if words in " ".join(page.extract_text().split()):
            return number
    raise LookupError(f"no page of the pack holds “{words}”")


if __name__ == "__main__":
    make(
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "screenshots"
    )
