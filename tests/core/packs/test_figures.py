"""A pack's headline figures: the analysis's published (suppressed) figures and nothing else."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forumkit.analysis import Scope, Settings, analyse, set_suppression_threshold
from forumkit.packs import PackError, PackRequest, gather, list_packs, make_pack
from forumkit.packs.appendix import appendix_xlsx
from forumkit.packs.content import published_sources
from forumkit.packs.document import pack_data
from forumkit.surveys import get_survey
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, decrypted

from .helpers import LAST_YEAR_TITLE, make_pack_forum

PASSWORD = "inspectors' own words 2026"


@pytest.fixture
def forum(tmp_path: Path) -> Workspace:
    made = make_pack_forum(tmp_path, last_year=True)
    workspace = Workspace.open(made.path, PASSPHRASE)
    yield workspace
    workspace.close(discard_unsaved=True)


def _published(workspace: Workspace, form_id: str, threshold: int = 5) -> dict[str, dict]:
    survey = get_survey(workspace.db, form_id)
    data = analyse(workspace.db, survey, Scope(share_consent_only=True), Settings(threshold)).data()
    return {question["name"]: question for question in data["questions"]}


def test_each_question_is_its_published_table_and_chart(forum: Workspace) -> None:
    survey = get_survey(forum.db, "family_2026")
    content = gather(forum, PackRequest(survey))
    published = _published(forum, "family_2026")
    figures = content.figures
    # Choices, ratings and numbers by default; not the free text, dates or consent questions.
    assert [h.name for h in figures.headlines] == ["phase", "services", "rating"]
    assert figures.responses == content.responses == 12
    for headline in figures.headlines:
        table = published[headline.name]
        assert headline.chart == table["chart"]
        assert headline.columns == ("Answer", "Responses", "Per cent")
        expected = [
            (label, table["counts"][name], table["percentages"][name])
            for name, label in table["labels"].items()
        ]
        assert list(headline.rows) == [*expected, ("No answer", table["no_answer"], None)]
    # Early years 1, primary 3, secondary 8 of 12: two small counts, and the secondary count
    # withheld too (with it and the total the two small ones would add up to 4, pinned).
    phase = figures.headlines[0]
    assert [row[1] for row in phase.rows] == ["<5", "<5", "*", 0]
    assert all(bar["count"] is None for bar in phase.chart["bars"][:3])
    assert "8" not in phase.chart["alt_text"] and "3 " not in phase.chart["alt_text"]
    assert any("“*” a count withheld" in note for note in phase.notes)


def test_nothing_unsuppressed_reaches_the_pages_or_the_appendix(forum: Workspace) -> None:
    survey = get_survey(forum.db, "family_2026")
    content = gather(forum, PackRequest(survey, questions=("phase",)))
    pages = pack_data(content, "0" * 64)
    (section,) = [s for s in pages["sections"] if s["heading"] == "Headline figures"]
    (part,) = section["parts"]
    assert part["table"]["rows"] == [
        ["Early years", "<5", "–"],
        ["Primary", "<5", "–"],
        ["Secondary", "*", "–"],
        ["No answer", "0", "–"],
    ]
    # No bar has a length: the only published count is the zero.
    sides = [side for row in part["chart"]["rows"] for side in row["sides"]]
    assert [(side["length"], side["text"]) for side in sides] == [
        (None, "<5"),
        (None, "<5"),
        (None, "*"),
        (None, "0"),
    ]
    book = load_workbook(io.BytesIO(appendix_xlsx(content)))
    rows = [[cell.value for cell in row] for row in book["Figures"].iter_rows()]
    assert rows[0][:4] == ["question", "answer", "responses", "per cent"]
    assert [row[1:4] for row in rows[1:]] == [
        ["Early years", "<5", None],
        ["Primary", "<5", None],
        ["Secondary", "*", None],
        ["No answer", 0, None],
    ]


def test_the_forums_own_threshold_is_used(forum: Workspace) -> None:
    set_suppression_threshold(forum, 10)
    survey = get_survey(forum.db, "family_2026")
    content = gather(forum, PackRequest(survey, questions=("services", "phase")))
    assert content.threshold == content.figures.threshold == 10
    services, phase = content.figures.headlines
    assert services.rows[0] == ("Speech and language therapy", 12, 100.0)
    published = _published(forum, "family_2026", 10)["phase"]
    shown = [*published["counts"].values(), published["no_answer"]]
    assert [row[1] for row in phase.rows] == shown == ["<10", "<10", "<10", 0]


def test_last_year_beside_this_year(forum: Workspace) -> None:
    survey = get_survey(forum.db, "family_2026")
    previous = get_survey(forum.db, "family_2025")
    content = gather(forum, PackRequest(survey, questions=("services", "phase"), compare=previous))
    figures = content.figures
    assert figures.previous_title == LAST_YEAR_TITLE
    # 20 of last year's 23 parents agreed to share: the other three are not counted.
    assert figures.previous_responses == 20
    assert content.survey_ids == (survey.id, previous.id)
    services = figures.headlines[0]
    assert services.columns[1:] == (
        f"{LAST_YEAR_TITLE}: responses",
        f"{LAST_YEAR_TITLE}: per cent",
        "Family survey 2026: responses",
        "Family survey 2026: per cent",
        "Change (points)",
    )
    assert services.rows[:3] == (
        ("Speech and language therapy", 11, 55.0, 12, 100.0, 45.0),
        ("Occupational therapy, physio", 9, 45.0, 0, 0.0, -45.0),
        ("CAMHS", 9, 45.0, 0, 0.0, -45.0),
    )
    chart = services.chart
    assert chart["type"] == "paired_bar"
    assert chart["editions"] == (LAST_YEAR_TITLE, "Family survey 2026")
    assert "Speech and language therapy: 55% in Family survey 2025, 100% in" in chart["alt_text"]
    # Last year: 2 early years (small), 9 primary and 9 secondary, one of the nines withheld
    # with the small one; this year 1, 3 and 8.
    phase = figures.headlines[1]
    assert [row[1] for row in phase.rows] == ["<5", "*", 9, 0]
    assert [row[3] for row in phase.rows] == ["<5", "<5", "*", 0]
    assert all(row[5] is None for row in phase.rows)


def test_questions_are_checked_and_nothing_is_written(forum: Workspace, tmp_path: Path) -> None:
    survey = get_survey(forum.db, "family_2026")
    out = tmp_path / "pack.pdf"
    for wrong in (("no_such_question",), ("consent_share",)):
        with pytest.raises(PackError, match=wrong[0]):
            make_pack(forum, PackRequest(survey, questions=wrong), out, password=PASSWORD)
    previous = get_survey(forum.db, "family_2025")
    with pytest.raises(PackError, match="not an earlier edition"):
        make_pack(forum, PackRequest(previous, compare=survey), out, password=PASSWORD)
    assert not out.exists()


def test_no_questions_no_figures(forum: Workspace) -> None:
    survey = get_survey(forum.db, "family_2026")
    content = gather(forum, PackRequest(survey, questions=()))
    assert content.figures.headlines == ()
    headings = [section["heading"] for section in pack_data(content, "0" * 64)["sections"]]
    assert "Headline figures" not in headings
    assert "Figures" not in load_workbook(io.BytesIO(appendix_xlsx(content))).sheetnames


def test_made_with_figures_the_file_keeps_no_pack_text(forum: Workspace, tmp_path: Path) -> None:
    survey = get_survey(forum.db, "family_2026")
    made = make_pack(forum, PackRequest(survey), tmp_path / "pack.pdf", password=PASSWORD)
    assert made.counted == 12
    assert b"Headline figures" not in decrypted(forum.path)


def test_how_responses_came_in_cannot_give_a_small_count_away() -> None:
    # Printed beside "It counts 12 responses": 10 typed in would give the 2 from the kiosk away.
    typed, kiosk = "typed in", "on the kiosk"
    assert published_sources([(typed, 10), (kiosk, 2)], 5) == (
        (typed, "*"),
        (kiosk, "fewer than 5"),
    )
    assert published_sources([(typed, 10), (kiosk, 8)], 5) == ((typed, "10"), (kiosk, "8"))
    assert published_sources([(typed, 1_200)], 10) == ((typed, "1,200"),)
    assert published_sources([], 5) == ()


def test_a_pack_beside_last_year_names_both_surveys_in_the_audit_log(
    forum: Workspace, tmp_path: Path
) -> None:
    survey = get_survey(forum.db, "family_2026")
    previous = get_survey(forum.db, "family_2025")
    request = PackRequest(survey, questions=("services",), compare=previous)
    made = make_pack(forum, request, tmp_path / "pack.pdf", password=PASSWORD)
    assert (made.figures, made.compared_with) == (("services",), "family_2025")
    (record,) = list_packs(forum.db)
    assert record.survey_ids == (survey.id, previous.id) and record.counted == 12


def test_a_number_question_is_counted_in_the_same_cells_in_both_editions(
    forum: Workspace,
) -> None:
    """Last year's parents rated 2, 4 and 6, this year's all 3: each edition alone would have
    bins of its own; side by side both are counted in 2 to 6."""
    survey = get_survey(forum.db, "family_2026")
    previous = get_survey(forum.db, "family_2025")
    content = gather(forum, PackRequest(survey, questions=("rating",), compare=previous))
    (rating,) = content.figures.headlines
    assert [row[0] for row in rating.rows] == ["2", "3", "4", "5", "6", "No answer"]
    assert [row[3] for row in rating.rows] == [0, 12, 0, 0, 0, 0]
    # Last year 2 of them rated 2: small, and one of the nines withheld with it.
    assert [row[1] for row in rating.rows] == ["<5", 0, "*", 0, 9, 0]
