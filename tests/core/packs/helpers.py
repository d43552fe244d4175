"""A forum file ready for a pack: a survey, parents who did and did not consent, and quotes.

Planted identifiers (a given name, an email, a phone number, an NHS number, a postcode) sit in
answers and, for one quote, in a redaction a reviewer edited back in, so the tests can prove
none of them reaches a pack. A non-consenting parent's answer holds a unique word, to prove
nothing of theirs does either.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from forumkit.quotes import create_quote, review_quote, tag_quote
from forumkit.responses import Response, add_response
from forumkit.surveys import Survey, import_xlsform, set_previous_edition
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.quotes.helpers import ROWS, add_parent, add_quotes_survey, answers
from tests.core.responses.helpers import CHOICE_ROWS, write_rows

INJECTION = '#set page(width: 1pt) ] $x$ <b> \\ #eval("1") `raw` *loud* @ref'
"""A quote that would change a Typst document if it were read as markup."""
POLISH = "Zażółć gęślą jaźń: czekaliśmy dwa lata na terapię w Łodzi."
ROMANIAN = "Am așteptat doi ani; școala nu ne-a ascultat. Știm că nu suntem singuri."
EMAIL = "jo.bloggs@example.org"
PHONE = "07700 900123"
NHS = "943 476 5919"
POSTCODE = "LS6 2AB"
NAME = "Jamie"
PLANTED = (EMAIL, PHONE, NHS, POSTCODE, NAME, "900123", "9434765919")
SECRET_WORD = "Quixotryzanthem"
"""Only in the answers of a parent who gave no consent to share."""

WAITED = f"{NAME} waited two years for speech therapy. Email {EMAIL} or ring {PHONE}."
CRISIS = f"Nobody listened until it became a crisis. NHS number {NHS}, we live at {POSTCODE}."
COPRODUCTION = "We were told about decisions after they were made, never asked before."
UNREVIEWED = "Nobody reviewed these words of parent six."
FORMULA = "=SUM(1,2) is what they think our children are worth."
"""A quote a spreadsheet could take for a formula."""


@dataclass
class PackForum:
    """What a pack test needs to know about the forum file it made."""

    path: Path
    survey: Survey
    consenting: list[Response]
    refusing: Response
    quote_ids: dict[str, str]
    """A name for each quote made → its id."""


def _quote(workspace: Workspace, response: Response, question: str, codes: list[str]) -> str:
    made = create_quote(workspace, response.id, question).after
    assert made is not None
    tag_quote(workspace, made.id, codes)
    review_quote(workspace, made.id, reviewed=True)
    return made.id


LAST_YEAR_TITLE = "Family survey 2025"
LAST_YEAR = (
    [("primary", ["salt", "ot"], 4, "yes")] * 9
    + [("secondary", ["camhs"], 6, "yes")] * 9
    + [("early", ["salt"], 2, "yes")] * 2
    + [("early", ["ot"], 9, "no")] * 3
)
"""Last year's parents: phase, services, rating, consent to share. 20 agreed to share; the
three who did not all picked OT and rated 9, so counting them would show."""


def add_last_year(workspace: Workspace, folder: Path, survey: Survey) -> Survey:
    """Last year's edition of the survey with :data:`LAST_YEAR`'s parents, linked as the
    previous edition of ``survey``; ``survey`` as it is after the link."""
    settings = [["form_title", "form_id"], [LAST_YEAR_TITLE, "family_2025"]]
    form = write_rows(folder / "family_2025.xlsx", ROWS, CHOICE_ROWS, settings)
    previous = import_xlsform(workspace, form).survey
    with workspace.transaction("last year"):
        for phase, services, rating, share in LAST_YEAR:
            given = answers(phase=phase, services=services, rating=rating, consent_share=share)
            add_response(workspace, previous, given, status="complete")
    return set_previous_edition(workspace, survey.id, previous.form_id)


def make_pack_forum(folder: Path, *, parents: int = 12, last_year: bool = False) -> PackForum:
    """A forum file with the quotes survey, ``parents`` consenting parents (phases mixed) and
    one who refused to share, and quotes under several key messages (see module docstring);
    with ``last_year``, last year's edition too (:func:`add_last_year`)."""
    path = folder / "forum.forumkit"
    with Workspace.create(path, PASSPHRASE, forum="Testshire PCF", area="Testshire") as ws:
        survey = add_quotes_survey(ws, folder)
        with ws.transaction("test forum"):
            consenting = [
                add_parent(
                    ws,
                    survey,
                    phase=("secondary" if i % 3 else "primary") if i else "early",
                    experience={0: WAITED, 6: UNREVIEWED, 7: FORMULA}.get(
                        i, f"Parent {i} waited for help."
                    ),
                    difference=[CRISIS, INJECTION, POLISH, ROMANIAN, COPRODUCTION][i % 5],
                )
                for i in range(parents)
            ]
            refusing = add_parent(
                ws,
                survey,
                consent_share="no",
                experience=f"{SECRET_WORD} is the word only this parent wrote.",
                difference=f"{SECRET_WORD} again.",
            )
            ids = {
                "waited": _quote(ws, consenting[0], "experience", ["listen-early"]),
                "crisis": _quote(ws, consenting[0], "difference", ["listen-early", "money"]),
                "injection": _quote(ws, consenting[1], "difference", ["accountability"]),
                "polish": _quote(ws, consenting[2], "difference", ["workforce"]),
                "romanian": _quote(ws, consenting[3], "difference", ["workforce"]),
                "coproduction": _quote(ws, consenting[4], "difference", ["coproduction"]),
                "formula": _quote(ws, consenting[7], "experience", ["coproduction"]),
                "refused": _quote(ws, refusing, "experience", ["listen-early"]),
            }
            # A reviewer put an email back into a redaction and still marked it reviewed.
            edited = _quote(ws, consenting[5], "experience", ["money"])
            review_quote(ws, edited, redacted_text=f"Write to me at {EMAIL}.", reviewed=True)
            ids["edited"] = edited
            unreviewed = create_quote(ws, consenting[6].id, "experience").after
            assert unreviewed is not None
            tag_quote(ws, unreviewed.id, ["listen-early"])
            ids["unreviewed"] = unreviewed.id
        if last_year:
            survey = add_last_year(ws, folder, survey)
    return PackForum(path, survey, consenting, refusing, ids)
