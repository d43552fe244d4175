"""A conflict shown side by side (``side_by_side``): every field and answer of both versions
in words, named for people, so the chair can compare them in the app and keep one."""

from __future__ import annotations

from pathlib import Path

from forumkit.codebooks import get_code, resolve_code
from forumkit.merge import list_conflicts, merge, side_by_side
from forumkit.quotes import create_quote, tag_quote
from forumkit.responses import update_response
from tests.conftest import PASSPHRASE
from tests.core.merge.helpers import capture, make_chair, make_copy, opened
from tests.core.responses.helpers import complete_answers

ON_THE_LAPTOP = "Zebedee-Laptop-7710 corrected on the laptop"
BY_THE_CHAIR = "corrected by the chair"


def test_a_response_side_by_side_names_each_answer_and_what_differs(tmp_path: Path) -> None:
    chair, survey = make_chair(tmp_path)
    laptop = make_copy(chair, "laptop.forumkit")
    with opened(laptop) as ws:
        made = capture(ws, survey, "as first told")
    with opened(chair) as ws:
        merge(ws, laptop, PASSPHRASE)
        update_response(ws, made.id, complete_answers(experience=BY_THE_CHAIR))
    with opened(laptop) as ws:
        update_response(ws, made.id, complete_answers(experience=ON_THE_LAPTOP))
    with opened(chair) as ws:
        merge(ws, laptop, PASSPHRASE)
        [conflict] = list_conflicts(ws.db)
        lines = side_by_side(ws.db, conflict)
    [line] = [line for line in lines if line.differs]
    assert line.label == survey.label(survey.question("experience"))
    assert {line.mine, line.theirs} == {BY_THE_CHAIR, ON_THE_LAPTOP}
    by_label = {line.label: line for line in lines}
    assert (by_label["Status"].mine, by_label["Status"].theirs) == ("complete", "complete")
    assert by_label["Survey"].mine == survey.title  # ids shown by their names
    assert by_label["Survey version"].mine == "version 1"
    started = by_label["Started"].mine
    assert started[10] == " " and len(started) == 16  # to the minute
    assert ON_THE_LAPTOP not in repr(lines)


def test_a_quotes_codes_side_by_side_by_their_labels(tmp_path: Path) -> None:
    chair, survey = make_chair(tmp_path)
    laptop = make_copy(chair, "laptop.forumkit")
    with opened(chair) as ws:
        made = capture(ws, survey, "the waiting list was two years long")
        quote = create_quote(ws, made.id, "experience").quote_id
    with opened(laptop) as ws:
        merge(ws, chair, PASSPHRASE)
        tag_quote(ws, quote, ["money"])
    with opened(chair) as ws:
        tag_quote(ws, quote, ["workforce"])
        merge(ws, laptop, PASSPHRASE)
        [conflict] = list_conflicts(ws.db)
        codes = next(line for line in side_by_side(ws.db, conflict) if line.label == "Codes")
        money = get_code(ws.db, resolve_code(ws.db, "money").id).label
        workforce = get_code(ws.db, resolve_code(ws.db, "workforce").id).label
    assert codes.differs and {codes.mine, codes.theirs} == {money, workforce}
