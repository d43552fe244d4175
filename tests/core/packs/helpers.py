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
from forumkit.responses import Response
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.quotes.helpers import add_parent, add_quotes_survey

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


def make_pack_forum(folder: Path, *, parents: int = 12) -> PackForum:
    """A forum file with the quotes survey, ``parents`` consenting parents (phases mixed) and
    one who refused to share, and quotes under several key messages (see module docstring)."""
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
    return PackForum(path, survey, consenting, refusing, ids)
