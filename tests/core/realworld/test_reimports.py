"""Re-importing edited exports updates responses instead of adding them twice.

The real series: five exports of one Google Form (tests/fixtures/realworld/exports/googleforms,
EXPORTS.md), each made after moderators edited answers in the sheet (a Twitter handle and a
date taken out, line breaks saved again on Windows). Google Forms gives no response id and no
edit time, so a row is known by its submission (time and respondent) and an export's age by
when it was made: each copy here carries the date in its name as its modification time, as a
download does.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

from forumkit import audit
from forumkit.cli import main
from forumkit.importers import already_held, plan_import, run_import
from forumkit.merge import merge
from forumkit.responses import (
    add_incoming,
    count_responses,
    delete_response,
    erase_respondent,
    list_responses,
    restore_response,
    update_response,
)
from forumkit.surveys import Survey, import_xlsform
from forumkit.vault.storage import backup_path
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, decrypted
from tests.core.importers.helpers import (
    google_rows,
    make_survey,
    msforms_rows,
    write_csv,
    write_xlsx,
)
from tests.core.realworld.test_exports import _AUTISTICA, _AUTISTICA_CHOICES, EXPORTS
from tests.core.surveys.helpers import write_form

SERIES = sorted((EXPORTS / "googleforms").glob("autistica-*.csv"))
REPLACED = ("@xmorpheus", "20 th December")
"""Words moderators took out of answers between exports (in exports 2 and 4)."""


def _made(path: Path) -> float:
    """Noon UTC on the date in an export's name (``autistica-3-2020-06-26.csv``)."""
    day = dt.date.fromisoformat(path.stem.split("-", 2)[2])
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()


@pytest.fixture
def exports(tmp_path: Path) -> list[Path]:
    """The five exports as downloads: copies whose modification time is the export's date."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    copies = []
    for path in SERIES:
        copy = folder / path.name
        shutil.copyfile(path, copy)
        os.utime(copy, (_made(path), _made(path)))
        copies.append(copy)
    return copies


@pytest.fixture
def autistica(workspace: Workspace, tmp_path: Path) -> Survey:
    form = write_form(
        tmp_path / "autistica.xlsx", _AUTISTICA, _AUTISTICA_CHOICES, [["form_id"], ["autistica"]]
    )
    return import_xlsform(workspace, form).survey


def _submissions() -> int:
    """Every submission in the series once (its time: none is anonymous-shared here)."""
    stamps: set[str] = set()
    for path in SERIES:
        with path.open(encoding="utf-8", newline="") as handle:
            stamps.update(row[0] for row in list(csv.reader(handle))[1:])
    return len(stamps)


def _import(workspace: Workspace, survey: Survey, path: Path):  # type: ignore[no-untyped-def]
    plan = plan_import(survey, path)
    assert plan.problems == ()
    promised = already_held(workspace.db, plan)
    done = run_import(workspace, survey, plan)
    # The dry run reports exactly what the import does.
    assert (len(promised.new), len(promised.changed), promised.duplicates) == (
        done.added,
        done.updated,
        done.duplicates,
    )
    assert (promised.outdated, promised.removed_earlier) == (done.outdated, done.removed_earlier)
    return promised, done


def _texts(workspace: Workspace, survey: Survey) -> set[str]:
    return {str(r.answers.get("needs", "")) for r in list_responses(workspace.db, survey.id)}


def _as_newest(workspace: Workspace, survey: Survey, exports: list[Path]) -> None:
    """The file holds each submission as the newest export has it: importing that export
    again finds every row held as it is."""
    again = already_held(workspace.db, plan_import(survey, exports[-1]))
    assert (len(again.new), len(again.changed), again.outdated) == (0, 0, 0)
    assert again.duplicates == count_responses(workspace.db, survey.id) == _submissions()


def test_the_series_in_order_updates_edited_rows_and_purges_what_they_replaced(
    workspace: Workspace, autistica: Survey, exports: list[Path]
) -> None:
    changed = []
    for path in exports:
        promised, done = _import(workspace, autistica, path)
        changed.append((done.added, done.updated, promised.changed_rows))
    # 15 new, 19 new, the handle taken out (row 19), that answer edited again and 5 new, two
    # answers edited (a date taken out) and 3 new; line breaks saved again are no change.
    assert changed == [(15, 0, ()), (19, 0, ()), (0, 1, (19,)), (5, 1, (19,)), (3, 2, (14, 21))]
    assert count_responses(workspace.db, autistica.id) == _submissions() == 42
    _as_newest(workspace, autistica, exports)
    for path in (workspace.path, backup_path(workspace.path)):
        image = decrypted(path)
        for words in REPLACED:
            assert words.encode() not in image, (path.name, words)
    [entry, *_] = [
        e for e in audit.entries(workspace.db, "responses_imported") if e.counts["updated"]
    ]
    assert entry.counts["updated"] == 1


@pytest.mark.parametrize(
    "order",
    [(4, 3, 2, 1, 0), (2, 1, 4, 3, 0), (1, 0, 3, 2, 4), (0, 4, 1, 3, 2)],
    ids=lambda order: "-".join(str(n + 1) for n in order),
)
def test_the_series_in_any_order_ends_as_the_newest_export(
    workspace: Workspace, autistica: Survey, exports: list[Path], order: tuple[int, ...]
) -> None:
    for index in order:
        _import(workspace, autistica, exports[index])
    assert count_responses(workspace.db, autistica.id) == _submissions()
    _as_newest(workspace, autistica, exports)
    # What a newer export replaced never comes back, whichever export came first.
    assert not any(words in text for text in _texts(workspace, autistica) for words in REPLACED)
    for path in (workspace.path, backup_path(workspace.path)):
        assert b"@xmorpheus" not in decrypted(path)


def test_an_older_export_copied_afresh_writes_nothing_back(
    workspace: Workspace, autistica: Survey, exports: list[Path]
) -> None:
    """A copy of export 2 made today looks new by its time; the version it holds was replaced
    in this file before, and a tombstone remembers that version's digest."""
    for path in exports[1:3]:
        _import(workspace, autistica, path)
    now = dt.datetime.now(dt.UTC).timestamp()
    os.utime(exports[1], (now, now))
    _, done = _import(workspace, autistica, exports[1])
    assert (done.added, done.updated, done.outdated) == (0, 0, 1)
    assert not any("@xmorpheus" in text for text in _texts(workspace, autistica))


def test_an_updated_response_keeps_its_id_and_takes_the_export_time(
    workspace: Workspace, autistica: Survey, exports: list[Path]
) -> None:
    _import(workspace, autistica, exports[1])
    before = {r.finished: r for r in list_responses(workspace.db, autistica.id)}
    _, done = _import(workspace, autistica, exports[2])
    [updated] = done.updated_ids
    after = {r.id: r for r in list_responses(workspace.db, autistica.id)}[updated]
    assert before[after.finished].id == updated  # the same response, changed in place
    assert "@xmorpheus" in str(before[after.finished].answers["needs"])
    assert "@xmorpheus" not in str(after.answers["needs"])
    # ``modified`` is when the export was made, so merge's "later wins" prefers the later
    # export whichever laptop imported it last.
    made = dt.datetime.fromtimestamp(_made(exports[2]), dt.UTC).isoformat(timespec="seconds")
    assert after.modified == made
    [entry] = audit.entries(workspace.db, "responses_updated_by_import")
    assert entry.object_ids == [updated]


def test_a_correction_in_forumkit_is_never_overwritten(
    workspace: Workspace, autistica: Survey, exports: list[Path]
) -> None:
    _import(workspace, autistica, exports[1])
    [target] = [
        r for r in list_responses(workspace.db, autistica.id) if "@xmorpheus" in str(r.answers)
    ]
    corrected = {**target.answers, "needs": "Travel blog (link removed by the forum)."}
    update_response(workspace, target.id, corrected)
    promised, done = _import(workspace, autistica, exports[2])
    assert (done.updated, done.kept_corrected, promised.kept_rows) == (0, 1, (19,))
    assert "Travel blog (link removed by the forum)." in _texts(workspace, autistica)


def test_a_deleted_response_stays_out_in_an_edited_version(
    workspace: Workspace, autistica: Survey, exports: list[Path]
) -> None:
    _import(workspace, autistica, exports[1])
    [target] = [
        r for r in list_responses(workspace.db, autistica.id) if "@xmorpheus" in str(r.answers)
    ]
    delete_response(workspace, target.id)
    # Export 3 holds that row edited (a new fingerprint): its submission's tombstone keeps it out.
    _, done = _import(workspace, autistica, exports[2])
    assert (done.added, done.updated, done.removed_earlier) == (0, 0, 1)
    assert count_responses(workspace.db, autistica.id) == 33
    # Undo puts the very same response back, and then the edit applies to it.
    restore_response(workspace, target)
    _, done = _import(workspace, autistica, exports[2])
    assert (done.added, done.updated) == (0, 1)


def test_anonymous_rows_sharing_a_timestamp_are_never_merged(
    workspace: Workspace, autistica: Survey, tmp_path: Path
) -> None:
    """Export 2 with row 19's timestamp given to row 18 too: two anonymous submissions in the
    same second. An edited version of either is a response of its own, never a change."""
    with SERIES[1].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[17][0] = rows[18][0]  # rows[n] is spreadsheet row n + 1
    shared = write_csv(tmp_path / "shared.csv", rows)
    _, done = _import(workspace, autistica, shared)
    assert done.added == 34
    rows[18][2] = rows[18][2].replace(" (@xmorpheus)", "")
    edited = write_csv(tmp_path / "edited.csv", rows)
    later = dt.datetime.now(dt.UTC).timestamp()
    os.utime(edited, (later, later))
    promised, done = _import(workspace, autistica, edited)
    assert (done.added, done.updated, promised.changed_rows) == (1, 0, ())
    assert count_responses(workspace.db, autistica.id) == 35


def test_an_erased_respondent_stays_out_in_an_edited_version(
    workspace: Workspace, tmp_path: Path
) -> None:
    """Google Forms collecting emails: the erased parent's row, edited in the sheet since,
    is known by its submission (time and email) and stays out."""
    survey = make_survey(workspace, tmp_path)
    rows = google_rows()
    run_import(workspace, survey, plan_import(survey, write_xlsx(tmp_path / "a.xlsx", rows)))
    assert erase_respondent(workspace, "parent0@example.org").responses == 1
    rows[1][9] = "We waited two years."
    edited = write_xlsx(tmp_path / "b.xlsx", rows)
    _, done = _import(workspace, survey, edited)
    assert (done.added, done.updated, done.removed_earlier, done.duplicates) == (0, 0, 1, 2)


def test_rows_with_the_tools_id_update_too(workspace: Workspace, tmp_path: Path) -> None:
    """SurveyMonkey's Respondent ID (the real FiveThirtyEight export): a row edited since is
    the same response, changed."""
    form = write_form(
        tmp_path / "midwest.xlsx",
        [
            ["type", "name", "label"],
            [
                "text",
                "region",
                "In your own words, what would you call the part of the country you live in now?",
            ],
        ],
        [],
        [["form_id"], ["midwest"]],
    )
    survey = import_xlsform(workspace, form).survey
    source = EXPORTS / "surveymonkey" / "midwest.csv"
    first = tmp_path / "midwest-1.csv"
    shutil.copyfile(source, first)
    an_hour_ago = dt.datetime.now(dt.UTC).timestamp() - 3600
    os.utime(first, (an_hour_ago, an_hour_ago))
    _import(workspace, survey, first)
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[2][1] = "The Midwest (name removed)"
    second = write_csv(tmp_path / "midwest-2.csv", rows)
    promised, done = _import(workspace, survey, second)
    assert (done.added, done.updated, promised.changed_rows, done.duplicates) == (0, 1, (3,), 19)
    assert "The Midwest (name removed)" in {
        r.answers.get("region") for r in list_responses(workspace.db, survey.id)
    }


def test_microsoft_forms_last_modified_time_says_which_version_is_newer(
    workspace: Workspace, tmp_path: Path
) -> None:
    """The tool's own edit time for the row, not the file's time, orders two versions."""
    survey = make_survey(workspace, tmp_path)
    older = msforms_rows()
    older[1][5] = dt.datetime(2026, 4, 2, 9, 0)
    newer = [list(row) for row in older]
    newer[1][-1] = "We waited; it is better now."
    newer[1][5] = dt.datetime(2026, 4, 3, 9, 0)
    newer_path = write_xlsx(tmp_path / "newer.xlsx", newer)
    older_path = write_xlsx(tmp_path / "older.xlsx", older)
    # The older version's file is the one written last: its time says nothing here.
    _import(workspace, survey, newer_path)
    _, done = _import(workspace, survey, older_path)
    assert (done.added, done.updated, done.outdated) == (0, 0, 1)
    stories = {r.answers.get("story") for r in list_responses(workspace.db, survey.id)}
    assert "We waited; it is better now." in stories


def test_the_cli_dry_run_names_changed_rows_and_json_counts_updated(
    workspace: Workspace,
    autistica: Survey,
    exports: list[Path],
    forum_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_incoming(workspace, autistica, plan_import(autistica, exports[1]).rows)
    workspace.close()
    monkeypatch.setenv("FORUMKIT_PASSPHRASE", PASSPHRASE)
    args = ["responses", "import", str(forum_path), "autistica", str(exports[2])]
    assert main([*args, "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "Row 19 changed since imported: its response would be updated" in text
    assert "@xmorpheus" not in text
    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["imported"], report["updated"], report["changed_rows"]) == (0, 1, [19])
    assert main([*args, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["updated"], report["duplicates"]) == (0, 34)


def test_merging_a_copy_taken_before_an_update_never_brings_the_replaced_text_back(
    workspace: Workspace, autistica: Survey, exports: list[Path], tmp_path: Path
) -> None:
    """A copy of the forum file taken to another laptop while it held export 2's version of
    row 19 (a Twitter handle in it); the chair then imports export 3, which moderators had
    edited. Merging the
    copy into the chair's file keeps the edited answer and brings the handle back neither as an
    answer nor into the file; merging the chair's file into the copy updates the copy and
    purges the handle there too."""
    for path in exports[:2]:
        _import(workspace, autistica, path)
    copy = tmp_path / "laptop.forumkit"
    shutil.copyfile(workspace.path, copy)
    assert b"@xmorpheus" in decrypted(copy)
    _import(workspace, autistica, exports[2])
    merge(workspace, copy, PASSPHRASE)
    assert not any("@xmorpheus" in text for text in _texts(workspace, autistica))
    for path in (workspace.path, backup_path(workspace.path)):
        assert b"@xmorpheus" not in decrypted(path), path.name
    with Workspace.open(copy, PASSPHRASE) as laptop:
        merge(laptop, workspace.path, PASSPHRASE)
        assert not any("@xmorpheus" in text for text in _texts(laptop, autistica))
    for path in (copy, backup_path(copy)):
        if path.exists():
            assert b"@xmorpheus" not in decrypted(path), path.name
