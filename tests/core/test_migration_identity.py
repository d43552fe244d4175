"""A forum file written by forumkit 0.1.0 (data version 3) opens, migrates to data version 4,
passes ``verify`` and then behaves as one made today (``release_files/``)."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

from forumkit import schema, tombstones
from forumkit.cli import main
from forumkit.responses import IncomingResponse, add_incoming, list_responses, words_may_leave
from forumkit.surveys import get_survey, import_xlsform, list_surveys
from forumkit.vault import backup_path
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.importers.helpers import CHOICE_ROWS, SETTINGS_ROWS, SURVEY_ROWS
from tests.core.surveys.helpers import write_form

RELEASE_FILE = Path(__file__).parent / "release_files" / "forum-0.1.forumkit"


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    copy = tmp_path / "forum.forumkit"
    shutil.copyfile(RELEASE_FILE, copy)
    return copy


def test_the_release_file_opens_migrates_and_verifies(
    old_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = old_file.read_bytes()
    with Workspace.open(old_file, PASSPHRASE) as workspace:
        assert workspace.schema_version == schema.latest_version() >= 4
        forum = workspace.forum
        assert forum.forum_id == str(uuid.UUID(hex=forum.file_id)) == forum.origin_id
    assert backup_path(old_file).read_bytes() == before  # the pre-upgrade file, kept
    monkeypatch.setenv("FORUMKIT_PASSPHRASE", PASSPHRASE)
    assert main(["verify", str(old_file)]) == 0
    assert "is sound" in capsys.readouterr().out
    with Workspace.open(old_file, PASSPHRASE) as again:
        assert again.schema_version == schema.latest_version()


def test_migrated_version_ids_are_those_a_fresh_import_gives(
    old_file: Path, tmp_path: Path
) -> None:
    first = write_form(tmp_path / "v1.xlsx", SURVEY_ROWS, CHOICE_ROWS, SETTINGS_ROWS)
    rows = [*SURVEY_ROWS, ["text", "anything_else", "Anything else?", ""]]
    second = write_form(tmp_path / "v2.xlsx", rows, CHOICE_ROWS, SETTINGS_ROWS)
    with Workspace.create(tmp_path / "new.forumkit", PASSPHRASE, forum="New") as fresh:
        # The other order on purpose: ids depend on content, not on history.
        v2_fresh = import_xlsform(fresh, second).survey
        v1_fresh = import_xlsform(fresh, first).survey
    with Workspace.open(old_file, PASSPHRASE) as workspace:
        current = get_survey(workspace.db, "send2026")
        assert (current.version, current.version_id) == (2, v2_fresh.version_id)
        assert get_survey(workspace.db, "send2026", version=1).version_id == v1_fresh.version_id
        assert import_xlsform(workspace, second).status == "unchanged"
        assert import_xlsform(workspace, first).status == "made_current"
        versions = {r.version_id for r in list_responses(workspace.db, current.id, limit=None)}
        assert versions == {v1_fresh.version_id, v2_fresh.version_id}
        [summary] = list_surveys(workspace.db)
        assert summary.versions == 2


def test_consent_is_derived_and_deletions_became_tombstones(old_file: Path) -> None:
    with Workspace.open(old_file, PASSPHRASE) as workspace:
        survey = get_survey(workspace.db, "send2026")
        assert (survey.consent_quote, survey.consent_share) == ("consent_quote", "consent_share")
        responses = list_responses(workspace.db, survey.id, limit=None)
        assert len(responses) == 5
        by_story = {str(r.answers.get("story", "")): r for r in responses}
        kept = by_story["Version one story, consent given."]
        assert (kept.consent_quote, kept.consent_share, words_may_leave(kept)) == (
            True,
            True,
            True,
        )
        no_quote = by_story["No quote consent here."]
        assert (no_quote.consent_quote, words_may_leave(no_quote)) == (False, False)
        assert tombstones.count(workspace.db) == {"deleted": 1, "erased": 1}
        # The imported rows are recognised, and nothing deleted comes back.
        again = add_incoming(
            workspace,
            survey,
            [
                IncomingResponse(
                    {"consent_share": "no", "child_age": 11, "ehcp": "no"},
                    source="import:googleforms:export.csv",
                    source_key="googleforms:2026-01-11T11:00:00",
                )
            ],
        )
        assert (again.added, again.duplicates) == (0, 1)
        columns = [c[1] for c in workspace.db.execute("PRAGMA table_info(responses)")]
        assert "consent_quote" not in columns  # derived when read, never stored
