"""Exporting responses: what a chair sees in Excel, and what must never happen on the way."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import msoffcrypto
import openpyxl
import pytest

from forumkit import audit
from forumkit.errors import WorkspaceClosed
from forumkit.exports import record_export, write_export
from forumkit.responses import (
    INCLUDE_DRAFTS,
    ExportError,
    ResponseQuery,
    add_response,
    export_responses,
    list_responses,
    prepare_responses_export,
)
from forumkit.responses.export import MARKER
from forumkit.surveys import Survey, import_xlsform
from forumkit.workspace import Workspace

from .helpers import (
    CHOICE_ROWS,
    SETTINGS_ROWS,
    SURVEY_ROWS,
    add_test_survey,
    complete_answers,
    write_rows,
)

INJECTIONS = ["=1+2", "+44 7700", "-cmd", "@SUM(A1)", "\tTabbed", "\rReturn", '=HYPERLINK("x")']
MARKER_TEXT = "Zebra-marker-7c1f our family waited"


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_test_survey(workspace, tmp_path)


@pytest.fixture
def filled(workspace: Workspace, survey: Survey) -> Survey:
    add_response(
        workspace,
        survey,
        complete_answers(experience=MARKER_TEXT),
        status="complete",
        respondent="ann@example.org",
    )
    add_response(workspace, survey, complete_answers(services=[], phase="early"), status="complete")
    add_response(workspace, survey, {"rating": 7})
    return survey


def _rows(path: Path, sheet: str = "Responses") -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(path)
    return list(workbook[sheet].iter_rows(values_only=True))


def test_xlsx_has_labels_names_choice_labels_and_option_columns(
    workspace: Workspace, filled: Survey, tmp_path: Path
) -> None:
    out = tmp_path / "out.xlsx"
    result = export_responses(workspace, filled, out, include_drafts=True)
    assert (result.responses, result.encrypted, result.format) == (3, False, "xlsx")
    labels, names, first, second, draft = _rows(out)
    column = {name: index for index, name in enumerate(names)}
    assert names[:6] == (
        "forumkit:id",
        "forumkit:status",
        "forumkit:respondent",
        "forumkit:started",
        "forumkit:finished",
        "forumkit:source",
    )
    assert labels[column["phase"]] == "Child's phase of education"
    assert labels[column["services/ot"]] == "Services used: Occupational therapy, physio"
    assert first[column["phase"]] == "Primary"
    assert first[column["services"]] == "Occupational therapy, physio; Speech and language therapy"
    assert (first[column["services/salt"]], first[column["services/ot"]]) == (1, 1)
    assert first[column["services/camhs"]] == 0
    assert first[column["rating"]] == 4
    assert first[column["plan_date"]] == "2025-03-01"
    assert first[column["forumkit:respondent"]] == "ann@example.org"
    assert first[column["forumkit:status"]] == "complete"
    assert second[column["services"]] is None and second[column["services/salt"]] is None
    assert second[column["plan_date"]] is None  # hidden by skip logic
    assert draft[column["forumkit:status"]] == "draft"
    assert draft[column["rating"]] == 7


def test_xlsx_describes_the_questions_and_carries_a_hidden_marker(
    workspace: Workspace, filled: Survey, tmp_path: Path
) -> None:
    out = tmp_path / "out.xlsx"
    export_responses(workspace, filled, out, include_drafts=True)
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["Responses", "Questions", "forumkit"]
    assert workbook["forumkit"].sheet_state == "hidden"
    facts = dict(workbook["forumkit"].iter_rows(values_only=True))
    assert facts[MARKER] == 1
    assert (facts["survey_id"], facts["version_id"], facts["responses"]) == (
        filled.id,
        filled.version_id,
        3,
    )
    questions = list(workbook["Questions"].iter_rows(values_only=True))
    by_name = {row[0]: row for row in questions[1:]}
    assert by_name["services"][1] == "select_multiple"
    assert "camhs = CAMHS" in str(by_name["services"][3])


def test_formula_like_text_stays_text_in_xlsx(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    for text in INJECTIONS:
        add_response(workspace, survey, {"experience": text}, respondent=text)
    out = tmp_path / "out.xlsx"
    export_responses(workspace, survey, out, include_drafts=True)
    workbook = openpyxl.load_workbook(out)
    sheet = workbook["Responses"]
    names = [cell.value for cell in sheet[2]]
    experience = names.index("experience") + 1
    cells = [sheet.cell(row=row, column=experience) for row in range(3, 3 + len(INJECTIONS))]
    expected = [text.replace("\r", "\n") for text in INJECTIONS]  # spreadsheet line breaks
    assert [cell.value for cell in cells] == expected
    assert {cell.data_type for cell in cells} == {"s"}
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            assert b"<f>" not in archive.read(name), name


def test_formula_like_text_gets_an_apostrophe_in_csv(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    for text in [*INJECTIONS, "'quoted", "Zoë's plan", "-"]:
        add_response(workspace, survey, {"experience": text, "rating": -0 + 3})
    out = tmp_path / "out.csv"
    result = export_responses(workspace, survey, out, include_drafts=True)
    assert result.format == "csv"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    experience = rows[1].index("experience")
    values = [row[experience] for row in rows[2:]]
    assert values == [f"'{text}" for text in INJECTIONS] + ["''quoted", "Zoë's plan", "'-"]
    assert rows[2][rows[1].index("rating")] == "3"


def test_password_protected_xlsx_opens_with_the_password_only(
    workspace: Workspace, filled: Survey, tmp_path: Path
) -> None:
    out = tmp_path / "protected.xlsx"
    result = export_responses(workspace, filled, out, password="p@ss word")
    assert result.encrypted
    raw = out.read_bytes()
    assert MARKER_TEXT.encode() not in raw
    office = msoffcrypto.OfficeFile(io.BytesIO(raw))
    assert office.is_encrypted()
    office.load_key(password="p@ss word")
    plain = io.BytesIO()
    office.decrypt(plain)
    workbook = openpyxl.load_workbook(plain)
    values = [v for row in workbook["Responses"].iter_rows(values_only=True) for v in row]
    assert MARKER_TEXT in values
    wrong = msoffcrypto.OfficeFile(io.BytesIO(raw))
    wrong.load_key(password="not it")
    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        wrong.decrypt(io.BytesIO())


@pytest.fixture
def private_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temp dir of its own for the export, watched for anything left behind."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv", "protected.xlsx"])
def test_no_plaintext_is_left_in_temp_or_beside_the_export(
    workspace: Workspace, filled: Survey, tmp_path: Path, private_temp: Path, name: str
) -> None:
    target_dir = tmp_path / "exports"
    target_dir.mkdir()
    password = "secret" if name.startswith("protected") else None
    export_responses(workspace, filled, target_dir / name, password=password)
    assert [p.name for p in target_dir.iterdir()] == [name]
    for path in private_temp.rglob("*"):
        if path.is_file():
            assert MARKER_TEXT.encode() not in path.read_bytes(), path
    assert list(private_temp.iterdir()) == []


def test_export_is_audited_with_ids_only(
    workspace: Workspace, filled: Survey, tmp_path: Path
) -> None:
    export_responses(workspace, filled, tmp_path / "out.xlsx", password="pw", include_drafts=True)
    [entry] = audit.entries(workspace.db, "responses_exported")
    assert entry.counts == {"responses": 3, "encrypted": 1}
    assert entry.object_ids[0] == filled.id and len(entry.object_ids) == 4
    image = bytes(workspace.db.conn.serialize())
    log = workspace.db.execute("SELECT counts || object_ids FROM audit_log").fetchall()
    assert all("ann@" not in row[0] and MARKER_TEXT not in row[0] for row in log)
    assert image


def test_refused_exports_write_nothing(
    workspace: Workspace, filled: Survey, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="csv file, which cannot carry a password"):
        export_responses(workspace, filled, tmp_path / "out.csv", password="pw")
    with pytest.raises(ExportError, match=r"must end in \.xlsx or \.csv"):
        export_responses(workspace, filled, tmp_path / "out.ods")
    # The forum file, its backup and (while open) its lock file are not exports.
    kept = [p.name for p in tmp_path.iterdir() if "forum.forumkit" not in p.name]
    assert sorted(kept) == ["family_2026.xlsx"]
    assert audit.entries(workspace.db, "responses_exported") == []


def test_an_export_replaces_an_older_file_whole(
    workspace: Workspace, filled: Survey, tmp_path: Path
) -> None:
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old contents")
    export_responses(workspace, filled, out, include_drafts=True)
    assert zipfile.is_zipfile(out)
    assert out.stat().st_size > 1000


def test_responses_of_every_survey_version_are_exported(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    add_response(workspace, survey, {"plan_date": "2024-05-06"})
    rows = [row for row in SURVEY_ROWS if row[1] != "plan_date"]
    rows.append(["text", "locality", "Where do you live?", "", "", "", ""])
    form = write_rows(tmp_path / "v2.xlsx", rows, CHOICE_ROWS, SETTINGS_ROWS)
    newer = import_xlsform(workspace, form).survey
    assert newer.version == 2
    add_response(workspace, newer, {"locality": "North"})
    out = tmp_path / "out.xlsx"
    export_responses(workspace, newer, out, include_drafts=True)
    _, names, old, new = _rows(out)
    assert names[-2:] == ("locality", "plan_date")  # latest version first, then older ones
    assert (old[-2], old[-1]) == (None, "2024-05-06")
    assert (new[-2], new[-1]) == ("North", None)


def test_an_export_is_prepared_then_written_then_recorded(
    workspace: Workspace, filled: Survey, tmp_path: Path
) -> None:
    """The app's three steps: reading writes nothing, writing logs nothing, recording logs."""
    out = tmp_path / "out.csv"
    job = prepare_responses_export(workspace, filled, out, include_drafts=False)
    assert not out.exists()
    assert write_export(job) == out
    assert audit.entries(workspace.db, "responses_exported") == []
    result = record_export(workspace, job)
    assert (result.responses, result.format, result.encrypted) == (2, "csv", False)
    [entry] = audit.entries(workspace.db, "responses_exported")
    assert entry.counts == {"responses": 2, "encrypted": 0}
    with out.open(encoding="utf-8-sig", newline="") as handle:
        statuses = [row[1] for row in list(csv.reader(handle))[2:]]
    assert statuses == ["complete", "complete"]  # the draft was left out, as asked


def test_an_export_that_cannot_be_recorded_does_not_stay_on_disk(
    workspace: Workspace, filled: Survey, tmp_path: Path
) -> None:
    out = tmp_path / "out.xlsx"
    job = prepare_responses_export(workspace, filled, out)
    write_export(job)
    workspace.close()  # the app locked itself while the worker wrote the file
    with pytest.raises(WorkspaceClosed):
        record_export(workspace, job)
    assert not out.exists()


def test_overwriting_an_export_keeps_no_backup_of_the_old_one(
    workspace: Workspace, filled: Survey, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    export_responses(workspace, filled, out)
    export_responses(workspace, filled, out)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("out")) == ["out.csv"]


def test_exports_leave_drafts_out_unless_asked_for_them(
    workspace: Workspace, filled: Survey, tmp_path: Path
) -> None:
    """An export is counted by whoever reads it: half-finished forms go only when asked for
    (issue 13: the app wrote 308 responses, drafts included, without saying so)."""
    assert not INCLUDE_DRAFTS
    finished = export_responses(workspace, filled, tmp_path / "done.csv")
    everything = export_responses(workspace, filled, tmp_path / "all.csv", include_drafts=True)
    assert (everything.responses, finished.responses) == (3, 2)


def test_an_export_of_a_query_holds_only_its_responses_in_its_order(
    workspace: Workspace, filled: Survey, tmp_path: Path
) -> None:
    everything = [r.id for r in list_responses(workspace.db, filled.id, limit=None)]
    query = ResponseQuery(sort_field="added", descending=True)
    out = tmp_path / "shown.csv"
    result = export_responses(workspace, filled, out, include_drafts=True, query=query)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        ids = [row[0] for row in list(csv.reader(handle))[2:]]
    assert result.responses == 3 and ids == everything[::-1]
    only_drafts = ResponseQuery(status="draft")
    none = export_responses(workspace, filled, tmp_path / "none.csv", query=only_drafts)
    assert none.responses == 0  # the drafts the query found stay out unless asked for
