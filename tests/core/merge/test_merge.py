"""Merging volunteers' copies into the chair's file: nothing lost, nothing twice, nothing erased
back, and a failed merge leaves the chair's file exactly as it was."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from forumkit import audit, tombstones
from forumkit.analysis import set_suppression_threshold, suppression_threshold
from forumkit.codebooks import (
    add_code,
    delete_code,
    edit_code,
    get_code,
    resolve_code,
    set_inspection_areas,
)
from forumkit.errors import DamagedFile, WrongPassphrase
from forumkit.merge import OtherForumFile, SameFile, list_conflicts, merge
from forumkit.quotes import (
    add_deny_term,
    create_quote,
    delete_quote,
    get_quote,
    list_deny_terms,
    merge_code,
    tag_quote,
)
from forumkit.responses import (
    count_responses,
    delete_response,
    erase_respondent,
    export_responses,
    get_response,
    keep_draft,
    list_responses,
    update_response,
)
from forumkit.surveys import Survey, get_survey, import_xlsform, list_surveys, rename_survey
from forumkit.vault import backup_path
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, decrypted
from tests.core.merge.helpers import (
    VOLUNTEER_PASSPHRASE,
    capture,
    dump,
    make_chair,
    make_copy,
    opened,
    story,
)
from tests.core.responses.helpers import (
    CHOICE_ROWS,
    SETTINGS_ROWS,
    SURVEY_ROWS,
    complete_answers,
    write_rows,
)

SECRET = "Zebedee-Secret-4471 my son's school refused the assessment"


@pytest.fixture
def chair(tmp_path: Path) -> tuple[Path, Survey]:
    return make_chair(tmp_path)


def _stories(ws: Workspace, survey: Survey) -> list[str]:
    return sorted(
        str(r.answers.get("experience")) for r in list_responses(ws.db, survey.id, limit=None)
    )


def test_three_laptops_merge_with_nothing_lost_or_twice(chair: tuple[Path, Survey]) -> None:
    path, survey = chair
    copies = [make_copy(path, f"laptop{n}.forumkit") for n in range(3)]
    for n, copy in enumerate(copies):
        with opened(copy) as ws:
            for k in range(4):
                capture(ws, survey, f"laptop {n} parent {k}")
    with opened(path) as ws:
        capture(ws, survey, "typed in by the chair")
        results = [merge(ws, copy, PASSPHRASE) for copy in copies]
        assert [r.kind("response").added for r in results] == [4, 4, 4]
        assert all(r.conflicts == 0 and r.erased == 0 for r in results)
        again = [merge(ws, copy, PASSPHRASE) for copy in copies]
        assert [(r.added, r.updated, r.conflicts) for r in again] == [(0, 0, 0)] * 3
        assert count_responses(ws.db, survey.id) == 13
        assert len(set(_stories(ws, survey))) == 13
        # Each response remembers the laptop it was captured on.
        devices = {r.device_id for r in list_responses(ws.db, survey.id, limit=None)}
        assert len(devices) == 4


def test_the_order_of_merging_does_not_matter(tmp_path: Path) -> None:
    path, survey = make_chair(tmp_path)
    first = shutil.copyfile(path, tmp_path / "chair-a.forumkit")
    second = shutil.copyfile(path, tmp_path / "chair-b.forumkit")
    copies = [make_copy(path, f"laptop{n}.forumkit") for n in range(2)]
    with opened(copies[0]) as ws:
        shared = capture(ws, survey, "captured on laptop 0").id
    # Laptop 1 got laptop 0's response through a merge, then both corrected it.
    with opened(copies[1]) as ws:
        merge(ws, copies[0], PASSPHRASE)
        update_response(ws, shared, complete_answers(experience="corrected on laptop 1"))
        capture(ws, survey, "captured on laptop 1")
    with opened(copies[0]) as ws:
        update_response(ws, shared, complete_answers(experience="corrected on laptop 0"))
    with opened(Path(first)) as ws:
        merge(ws, copies[0], PASSPHRASE)
        merge(ws, copies[1], PASSPHRASE)
        a = dump(ws)
    # The same chair's file, copied: this computer has seen the first copy saved since.
    with Workspace.open(Path(second), PASSPHRASE, accept_older_copy=True) as ws:
        merge(ws, copies[1], PASSPHRASE)
        merge(ws, copies[0], PASSPHRASE)
        b = dump(ws)
    assert a == b
    assert len(a["conflicts"]) == 1  # the two corrections: one current, one kept


def test_a_correction_made_on_one_laptop_wins_without_a_conflict(
    chair: tuple[Path, Survey],
) -> None:
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        made = capture(ws, survey, "first words")
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        # The chair corrects it later; the laptop still has the first words.
        update_response(ws, made.id, complete_answers(experience="corrected by the chair"))
        result = merge(ws, copy, PASSPHRASE)
        assert (result.updated, result.conflicts) == (0, 0)
        assert story(ws, made.id) == "corrected by the chair"
    # And the other way: the laptop corrects it, the chair did not.
    with opened(copy) as ws:
        merge(ws, path, PASSPHRASE)
        assert story(ws, made.id) == "corrected by the chair"
        update_response(ws, made.id, complete_answers(experience="corrected on the laptop"))
    with opened(path) as ws:
        result = merge(ws, copy, PASSPHRASE)
        assert (result.kind("response").updated, result.conflicts) == (1, 0)
        assert "  1 response updated." in result.summary().splitlines()
        assert story(ws, made.id) == "corrected on the laptop"
        assert list_conflicts(ws.db) == []


def test_a_change_made_in_both_keeps_the_later_and_the_other_for_review(
    chair: tuple[Path, Survey],
) -> None:
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        made = capture(ws, survey, "first words")
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        update_response(ws, made.id, complete_answers(experience="chair's correction"))
    with opened(copy) as ws:
        update_response(ws, made.id, complete_answers(experience="laptop's correction"))
    with opened(path) as ws:
        result = merge(ws, copy, PASSPHRASE)
        assert result.conflicts == 1
        [conflict] = list_conflicts(ws.db)
        versions = {story(ws, made.id), str(_story_of(conflict.theirs.row["answers"]))}
        assert versions == {"chair's correction", "laptop's correction"}
        assert conflict.differs == ("the answer to experience",)
        assert merge(ws, copy, PASSPHRASE).conflicts == 0  # kept once, not again
        assert len(list_conflicts(ws.db)) == 1


def _story_of(answers: object) -> object:
    return json.loads(str(answers)).get("experience")


def test_drafts_stay_on_the_laptop_unless_asked(chair: tuple[Path, Survey]) -> None:
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        capture(ws, survey, "finished")
        keep_draft(ws, survey, {"experience": "half typed"})
    with opened(path) as ws:
        result = merge(ws, copy, PASSPHRASE)
        assert (result.kind("response").added, result.drafts_left) == (1, 1)
        assert count_responses(ws.db, survey.id, status="draft") == 0
        asked = merge(ws, copy, PASSPHRASE, include_drafts=True)
        assert asked.kind("response").added == 1
        assert count_responses(ws.db, survey.id, status="draft") == 1


def test_an_erasure_on_a_laptop_erases_in_the_chairs_file_and_its_backup(
    chair: tuple[Path, Survey], tmp_path: Path
) -> None:
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        made = capture(ws, survey, SECRET, respondent="parent@example.org")
        quote = create_quote(ws, made.id, "experience").after
        assert quote is not None
        tag_quote(ws, quote.id, ["listen-early"])
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        # The chair exported it before the parent asked to be erased.
        export_responses(ws, survey, tmp_path / "out.csv")
        capture(ws, survey, "another parent")  # the backup now holds the secret too
    assert SECRET.encode() in decrypted(backup_path(path))
    with opened(copy) as ws:
        erase_respondent(ws, "parent@example.org")
    with opened(path) as ws:
        result = merge(ws, copy, PASSPHRASE)
        assert result.erased == 1
        assert [d.action for d in result.disclosures] == ["responses_exported"]
        assert count_responses(ws.db, survey.id) == 1
        assert tombstones.reason(ws.db, made.id) == "erased"
        assert tombstones.reason(ws.db, quote.id) == "erased"
    for image in (decrypted(path), decrypted(backup_path(path))):
        assert SECRET.encode() not in image
    # Nothing brings it back: not the laptop, not an older copy of the chair's file.
    with opened(path) as ws:
        assert merge(ws, copy, PASSPHRASE).added == 0


def test_an_erasure_in_the_chairs_file_names_a_volunteers_export(
    chair: tuple[Path, Survey], tmp_path: Path
) -> None:
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        capture(ws, survey, SECRET, respondent="parent@example.org")
        export_responses(ws, survey, tmp_path / "volunteer.csv")
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        erasure = erase_respondent(ws, "parent@example.org")
        assert [d.action for d in erasure.disclosures] == ["responses_exported"]


def test_what_the_chair_erased_or_deleted_does_not_come_back(chair: tuple[Path, Survey]) -> None:
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        erased = capture(ws, survey, SECRET, respondent="parent@example.org")
        deleted = capture(ws, survey, "deleted by the chair")
        kept = capture(ws, survey, "kept")
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        erase_respondent(ws, "parent@example.org")
        delete_response(ws, deleted.id)
        result = merge(ws, copy, PASSPHRASE)
        assert result.added == 0 and result.removed_earlier == 2
        assert [r.id for r in list_responses(ws.db, survey.id)] == [kept.id]
    with opened(copy) as ws:
        result = merge(ws, path, PASSPHRASE)
        assert (result.erased, result.deleted) == (1, 1)
        assert [r.id for r in list_responses(ws.db, survey.id)] == [kept.id]
        assert tombstones.reason(ws.db, erased.id) == "erased"


def test_quotes_and_tags_come_across_and_a_deleted_quote_stays_deleted(
    chair: tuple[Path, Survey],
) -> None:
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        made = capture(ws, survey, "We waited two years for a plan.")
        first = create_quote(ws, made.id, "experience").after
        second = create_quote(ws, made.id, "experience", 0, 9).after
        assert first is not None and second is not None
        tag_quote(ws, first.id, ["listen-early", "money"], by="Amira")
    with opened(path) as ws:
        result = merge(ws, copy, PASSPHRASE)
        assert result.kind("quote").added == 2
        merged = get_quote(ws.db, first.id)
        assert sorted(merged.references) == ["listen-early", "money"]
        assert {tag.tagged_by for tag in merged.tags} == {"Amira"}
        delete_quote(ws, second.id)
    with opened(copy) as ws:
        merge(ws, path, PASSPHRASE)
        assert ws.db.execute("SELECT COUNT(*) FROM quotes").fetchone()[0] == 1


def test_a_new_survey_version_comes_along_and_the_later_one_is_current(
    chair: tuple[Path, Survey], tmp_path: Path
) -> None:
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit")
    rows = [*SURVEY_ROWS, ["text", "school_name", "Which school?", "", "", "", ""]]
    form = write_rows(tmp_path / "v2.xlsx", rows, CHOICE_ROWS, SETTINGS_ROWS)
    with opened(copy) as ws:
        newer = import_xlsform(ws, form).survey
        capture(ws, newer, "captured with the new question")
    with opened(path) as ws:
        result = merge(ws, copy, PASSPHRASE)
        assert result.survey_versions == 1
        current = get_survey(ws.db, survey.id)
        assert current.version_id == newer.version_id
        assert [s.versions for s in list_surveys(ws.db)] == [2]
        assert count_responses(ws.db, survey.id) == 1


def test_the_forums_settings_travel_and_a_rename_in_one_copy_wins(
    chair: tuple[Path, Survey],
) -> None:
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        rename_survey(ws, survey.id, "Family survey (spring events)")
        add_deny_term(ws, "Brookfield Academy", "school")
    with opened(path) as ws:
        edit_code(ws, "listen-early", label="Listen to us early")
        merge(ws, copy, PASSPHRASE)
        assert get_survey(ws.db, survey.id).title == "Family survey (spring events)"
        assert [e.text for e in list_deny_terms(ws.db)] == ["Brookfield Academy"]
        assert list_conflicts(ws.db) == []
    with opened(copy) as ws:
        merge(ws, path, PASSPHRASE)
        assert get_code(ws.db, _code_id(ws, "listen-early")).label == "Listen to us early"


def test_a_volunteers_copy_never_changes_the_forums_small_cell_threshold(
    chair: tuple[Path, Survey],
) -> None:
    """The threshold is the chair's decision for the forum: a laptop whose copy was made before
    the chair raised it (or whose volunteer lowered it) merges its responses, not its threshold."""
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        assert suppression_threshold(ws.db) == 5
        set_suppression_threshold(ws, 3)
        capture(ws, survey, "at the event")
    with opened(path) as ws:
        set_suppression_threshold(ws, 10)
        merge(ws, copy, PASSPHRASE)
        assert count_responses(ws.db, survey.id) == 1
        assert suppression_threshold(ws.db) == 10
    with opened(path) as ws:
        assert suppression_threshold(ws.db) == 10


def _code_id(ws: Workspace, key: str) -> str:
    return resolve_code(ws.db, key).id


def test_codes_deleted_or_merged_in_one_copy_go_everywhere_without_losing_tags(
    chair: tuple[Path, Survey],
) -> None:
    path, survey = chair
    with opened(path) as ws:
        add_code(ws, "nnpcf-key-messages", "Transport", key="transport")
        add_code(ws, "nnpcf-key-messages", "Unused idea", key="unused")
        mapped = set_inspection_areas(ws, "transport", ["right-help"])
        assert mapped
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        made = capture(ws, survey, "The taxi to school never came.")
        quote = create_quote(ws, made.id, "experience").after
        assert quote is not None
        tag_quote(ws, quote.id, ["transport"])
    with opened(path) as ws:
        delete_code(ws, "unused")
        merge_code(ws, "transport", "money")
        merge(ws, copy, PASSPHRASE)
        assert get_quote(ws.db, quote.id).references == ("money",)
        gone = "SELECT COUNT(*) FROM codes WHERE key IN ('unused', 'transport')"
        assert ws.db.execute(gone).fetchone()[0] == 0
    with opened(copy) as ws:
        merge(ws, path, PASSPHRASE)
        keys = {row[0] for row in ws.db.execute("SELECT key FROM codes")}
        assert "unused" not in keys and "transport" not in keys
        assert get_quote(ws.db, quote.id).references == ("money",)
        with opened(path) as chair_ws:
            assert dump(ws)["codes"] == dump(chair_ws)["codes"]
            assert dump(ws)["tags"] == dump(chair_ws)["tags"]


def test_a_file_of_another_forum_is_refused_unless_asked(
    chair: tuple[Path, Survey], tmp_path: Path
) -> None:
    path, survey = chair
    other, _ = make_chair(tmp_path, "other-forum.forumkit")
    with opened(other) as ws:
        capture(ws, get_survey(ws.db, survey.form_id), "another forum's parent")
    with opened(path) as ws:
        before = dump(ws)
        with pytest.raises(OtherForumFile, match="another forum"):
            merge(ws, other, PASSPHRASE)
        assert dump(ws) == before
        assert merge(ws, other, PASSPHRASE, other_forum=True).kind("response").added == 1
        with pytest.raises(SameFile):
            merge(ws, path, PASSPHRASE)


def test_a_wrong_passphrase_or_a_damaged_file_changes_nothing(
    chair: tuple[Path, Survey],
) -> None:
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit", VOLUNTEER_PASSPHRASE)
    with opened(copy, VOLUNTEER_PASSPHRASE) as ws:
        capture(ws, survey, "on the laptop")
    on_disk = path.read_bytes()
    with opened(path) as ws:
        generation = ws.generation
        with pytest.raises(WrongPassphrase):
            merge(ws, copy, PASSPHRASE)
        damaged = copy.with_name("damaged.forumkit")
        data = bytearray(copy.read_bytes())
        data[len(data) // 2] ^= 0xFF
        damaged.write_bytes(bytes(data))
        with pytest.raises(DamagedFile):
            merge(ws, damaged, VOLUNTEER_PASSPHRASE)
        truncated = copy.with_name("truncated.forumkit")
        truncated.write_bytes(copy.read_bytes()[:300])
        with pytest.raises(DamagedFile):
            merge(ws, truncated, VOLUNTEER_PASSPHRASE)
        assert ws.generation == generation
        assert count_responses(ws.db, survey.id) == 0
    assert path.read_bytes() == on_disk


def test_a_failure_half_way_leaves_the_file_as_it_was(
    chair: tuple[Path, Survey], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        capture(ws, survey, "on the laptop")
    import forumkit.merge.run as run

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the quotes step failed")

    monkeypatch.setattr(run, "_merge_quotes", broken)
    on_disk = path.read_bytes()
    with opened(path) as ws:
        before = dump(ws)
        with pytest.raises(RuntimeError):
            merge(ws, copy, PASSPHRASE)
        assert dump(ws) == before
    assert path.read_bytes() == on_disk


def test_the_merge_is_audit_logged_with_counts_only(chair: tuple[Path, Survey]) -> None:
    path, survey = chair
    copy = make_copy(path, "laptop.forumkit")
    with opened(copy) as ws:
        capture(ws, survey, SECRET, respondent="parent@example.org")
        origin = ws.forum.origin_id
    with opened(path) as ws:
        merge(ws, copy, PASSPHRASE)
        [entry] = audit.entries(ws.db, "file_merged")
        assert entry.object_ids == [origin]
        assert entry.counts["responses_added"] == 1
        # The laptop's own entries travelled (its capture), its file events did not.
        actions = [e.action for e in audit.entries(ws.db)]
        assert actions.count("response_added") == 1
        assert actions.count("forum_created") == 1
        assert "volunteer_copy_created" not in actions
        text = str([(e.action, e.counts, e.object_ids) for e in audit.entries(ws.db)])
        assert "parent@example.org" not in text and "Zebedee" not in text
        assert get_response(ws.db, list_responses(ws.db, survey.id)[0].id).respondent
