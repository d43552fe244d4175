"""The demo forum: the shipped survey matches its source, responses are deterministic and mixed."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from forumkit.codebooks import default_codebook
from forumkit.demo import (
    DEMO_FORUM,
    DEMO_PACK_PASSWORD,
    DEMO_SURVEY,
    DEMO_VOLUNTEER_PASSPHRASE,
    IMPORT_SOURCE,
    LAST_YEAR_SURVEY,
    PLANTED_PHONE,
    VOLUNTEER_RESPONSES,
    DemoCounts,
    DemoFileExists,
    create_demo,
    make_demo,
    volunteer_copy_path,
)
from forumkit.merge import merge
from forumkit.packs import check_pack_password
from forumkit.paths import resource_path
from forumkit.quotes import leaving_quotes, list_quotes, reasons_to_stay
from forumkit.responses import count_responses, get_response, list_responses
from forumkit.surveys import get_survey, is_archived, list_surveys, read_xlsform, validate
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.test_cli import forumkit


def _answers_in_order(workspace: Workspace) -> list[tuple[str, str, dict[str, object]]]:
    survey_id = get_survey(workspace.db, DEMO_SURVEY).id
    return [
        (r.status, r.source, dict(r.answers))
        for r in list_responses(workspace.db, survey_id, limit=None)
    ]


def test_committed_workbook_matches_its_script(tmp_path: Path) -> None:
    script = resource_path("demo", "make_demo_survey.py")
    spec = importlib.util.spec_from_file_location("make_demo_survey", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = module.write_workbook(tmp_path / "fresh.xlsx")
    shipped = read_xlsform(resource_path("demo", "parent-survey-2026.xlsx"))
    assert read_xlsform(fresh).survey == shipped.survey
    assert shipped.warnings == ()
    last_year = module.write_workbook(tmp_path / "2025.xlsx", last_year=True)
    shipped_last_year = read_xlsform(resource_path("demo", "parent-survey-2025.xlsx"))
    assert read_xlsform(last_year).survey == shipped_last_year.survey
    assert shipped_last_year.warnings == ()
    # Last year's edition lacks the question new this year, so year on year has one to skip.
    names = {q.name for q in shipped.survey.questions}
    assert names - {q.name for q in shipped_last_year.survey.questions} == {"part_time"}


def test_demo_survey_has_what_forums_ask() -> None:
    survey = read_xlsform(resource_path("demo", "parent-survey-2026.xlsx")).survey
    types = Counter(q.type for q in survey.questions)
    assert types["text"] == 2 and types["range"] == 1 and types["select_multiple"] >= 2
    assert survey.consent_quote == "consent_quote"
    assert survey.consent_share == "consent_share"
    assert [e.name for e in survey.elements if e.relevant] == ["ehcp"]
    assert survey.languages == ["English (en)", "Polski (pl)"]
    assert survey.unenforced_rules() == []


def test_demo_is_deterministic_with_counts_and_sources(tmp_path: Path) -> None:
    with create_demo(tmp_path / "a.forumkit", PASSPHRASE) as first:
        assert first.forum.name == DEMO_FORUM
        rows = _answers_in_order(first)
        survey = list_surveys(first.db)[0]
        assert survey.form_id == DEMO_SURVEY  # this year's first: last year's is archived
        assert count_responses(first.db, survey.id, status="draft") == DemoCounts().kiosk_drafts
    with create_demo(tmp_path / "b.forumkit", PASSPHRASE) as second:
        assert _answers_in_order(second) == rows
    counts = DemoCounts()
    assert len(rows) == counts.total and 250 <= counts.total <= 400
    sources = Counter(source for _, source, _ in rows)
    assert sources == {
        "entered": counts.entered,
        "kiosk": counts.kiosk + counts.kiosk_drafts,
        IMPORT_SOURCE: counts.imported,
    }
    assert {status for status, source, _ in rows if source != "kiosk"} == {"complete"}


def test_demo_answers_are_valid_and_varied(tmp_path: Path) -> None:
    with create_demo(tmp_path / "demo.forumkit", PASSPHRASE) as workspace:
        survey = get_survey(workspace.db, "parent-survey-2026")
        rows = _answers_in_order(workspace)
    complete = [answers for status, _, answers in rows if status == "complete"]
    assert all(validate(survey, answers) == [] for answers in complete)
    with_ehcp = [a for a in complete if a["support"] == "ehcp"]
    assert with_ehcp and all("ehcp_process" in a for a in with_ehcp)
    assert not any("ehcp_process" in a for a in complete if a["support"] != "ehcp")
    quote = Counter(a["consent_quote"] for a in complete)
    assert quote["yes"] > quote["no"] > 0
    texts = [a["experience"] for a in complete if "experience" in a]
    assert len(texts) > 100 and len(set(texts)) > len(texts) * 0.8


def test_cli_demo_writes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "demo.forumkit"
    env = {"FORUMKIT_PASSPHRASE": PASSPHRASE}
    made = forumkit("demo", path, "--json", env=env)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["responses"] == DemoCounts().total
    with Workspace.open(path, PASSPHRASE) as workspace:
        assert len(_answers_in_order(workspace)) == DemoCounts().total
    again = forumkit("demo", path, env=env)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_cli_demo_says_what_it_made(tmp_path: Path) -> None:
    path = tmp_path / "demo.forumkit"
    made = forumkit("demo", path, env={"FORUMKIT_PASSPHRASE": PASSPHRASE})
    assert made.returncode == 0, made.stderr
    for shown in (DEMO_VOLUNTEER_PASSPHRASE, DEMO_PACK_PASSWORD, str(volunteer_copy_path(path))):
        assert shown in made.stdout
    assert volunteer_copy_path(path).is_file()


def test_demo_refuses_a_taken_volunteer_copy_name_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "demo.forumkit"
    volunteer_copy_path(path).write_bytes(b"somebody's file")
    with pytest.raises(DemoFileExists, match=r"demo-volunteer\.forumkit"):
        create_demo(path, PASSPHRASE)
    assert not path.exists()
    assert volunteer_copy_path(path).read_bytes() == b"somebody's file"


@pytest.fixture(scope="module")
def completed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, DemoCounts]]:
    folder = tmp_path_factory.mktemp("completed-demo")
    workspace, counts = make_demo(folder / "demo.forumkit", PASSPHRASE)
    with workspace:
        yield workspace, counts


def test_demo_has_last_years_edition_with_its_own_responses(
    completed: tuple[Workspace, DemoCounts],
) -> None:
    workspace, counts = completed
    this_year = get_survey(workspace.db, DEMO_SURVEY)
    last_year = get_survey(workspace.db, LAST_YEAR_SURVEY)
    assert this_year.previous_form_id == LAST_YEAR_SURVEY
    assert is_archived(workspace.db, LAST_YEAR_SURVEY)
    assert not is_archived(workspace.db, DEMO_SURVEY)
    earlier = list_responses(workspace.db, last_year.id, status="complete", limit=None)
    assert len(earlier) == counts.last_year >= 100
    assert all(validate(last_year, dict(r.answers)) == [] for r in earlier)
    mean = {
        year: sum(int(str(r.answers["services_score"])) for r in rows) / len(rows)
        for year, rows in (
            (2025, earlier),
            (2026, list_responses(workspace.db, this_year.id, status="complete", limit=None)),
        )
    }
    assert mean[2026] > mean[2025]  # something to see year on year


def test_demo_quotes_cover_every_key_message_in_every_state(
    completed: tuple[Workspace, DemoCounts],
) -> None:
    workspace, counts = completed
    survey = get_survey(workspace.db, DEMO_SURVEY)
    quotes = list_quotes(workspace.db, survey.id)
    assert len(quotes) == counts.quotes >= 40
    key_messages = {code.id for code in default_codebook(workspace.db).codes}
    tagged = Counter(code for quote in quotes for code in quote.code_ids)
    assert set(tagged) == key_messages and min(tagged.values()) >= 3
    assert any(len(quote.code_ids) == 2 for quote in quotes)
    reviewed = [q for q in quotes if q.reviewed]
    assert len(reviewed) == counts.reviewed and 0 < len(reviewed) < len(quotes)
    reasons = Counter(
        reason
        for quote in quotes
        for reason in reasons_to_stay(quote, get_response(workspace.db, quote.response_id))
    )
    assert reasons["not reviewed"] and any("consent" in reason for reason in reasons), reasons
    leaving = leaving_quotes(workspace.db, survey.id)
    assert 10 <= len(leaving) < len(reviewed)  # what a pack would take


def test_demo_plants_one_phone_number_awaiting_redaction_review(
    completed: tuple[Workspace, DemoCounts],
) -> None:
    workspace, _ = completed
    survey = get_survey(workspace.db, DEMO_SURVEY)
    with_phone = [q for q in list_quotes(workspace.db, survey.id) if PLANTED_PHONE in q.text]
    assert len(with_phone) == 1
    quote = with_phone[0]
    assert not quote.reviewed and "[phone]" in quote.redacted_text
    assert PLANTED_PHONE not in quote.redacted_text
    answers = [r.answers.get("experience") for r in list_responses(workspace.db, survey.id)]
    assert sum(PLANTED_PHONE in str(text) for text in answers) == 1


def test_demo_volunteer_copy_merges_its_responses(
    completed: tuple[Workspace, DemoCounts],
) -> None:
    workspace, counts = completed
    assert counts.volunteer_copy is not None and counts.volunteer_responses == VOLUNTEER_RESPONSES
    with Workspace.open(counts.volunteer_copy, DEMO_VOLUNTEER_PASSPHRASE) as laptop:
        assert laptop.forum.forum_id == workspace.forum.forum_id
        survey_id = get_survey(laptop.db, DEMO_SURVEY).id
        assert count_responses(laptop.db, survey_id) == VOLUNTEER_RESPONSES
    # Last in this module: it changes the shared demo file.
    before = count_responses(workspace.db, survey_id, status="complete")
    result = merge(workspace, counts.volunteer_copy, DEMO_VOLUNTEER_PASSPHRASE)
    after = count_responses(workspace.db, survey_id, status="complete")
    assert after == before + VOLUNTEER_RESPONSES
    assert result.conflicts == 0


def test_demo_pack_password_is_one_a_pack_takes() -> None:
    assert check_pack_password(DEMO_PACK_PASSWORD) == DEMO_PACK_PASSWORD


def test_some_demo_parents_left_a_contact_to_try_a_request_with(tmp_path: Path) -> None:
    """Issue 13: a data-protection request found nothing for typed-in or kiosk responses; the
    demo's parents now left contacts, in every source, and one answered twice."""
    from forumkit.demo import DEMO_CONTACT
    from forumkit.responses import find_respondent

    with create_demo(tmp_path / "demo.forumkit", PASSPHRASE) as demo:
        survey_id = list_surveys(demo.db)[0].id
        responses = list_responses(demo.db, survey_id, limit=None)
        with_contact = [r for r in responses if r.respondent]
        assert 0.2 * len(responses) < len(with_contact) < 0.45 * len(responses)
        assert {r.source for r in with_contact} >= {"entered", "kiosk", IMPORT_SOURCE}
        assert all(
            r.respondent.endswith("@example.org") or r.respondent.startswith("07700 900")
            for r in with_contact
            if r.respondent
        )
        assert len(find_respondent(demo.db, DEMO_CONTACT).responses) == 2
