"""The demo forum: the shipped survey matches its source, responses are deterministic and mixed."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

from forumkit.demo import DEMO_FORUM, IMPORT_SOURCE, DemoCounts, create_demo
from forumkit.paths import resource_path
from forumkit.responses import count_responses, list_responses
from forumkit.surveys import get_survey, list_surveys, read_xlsform, validate
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.test_cli import forumkit


def _answers_in_order(workspace: Workspace) -> list[tuple[str, str, dict[str, object]]]:
    survey_id = list_surveys(workspace.db)[0].id
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
