"""The analysis tables export: the workbook holds exactly the published figures, says when
they are for the forum only, can carry a password, and is recorded in the audit log."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from forumkit import audit
from forumkit.analysis import Scope, analyse, analyse_by, settings_for
from forumkit.analysis.published import FORUM_ONLY
from forumkit.analysis.workbook import (
    TABLES_EXPORTED,
    TablesExportError,
    export_tables,
    prepare_tables_export,
)
from forumkit.spreadsheets import decrypt_xlsx
from forumkit.workspace import Workspace
from tests.core.analysis.helpers import family_survey


def sheet_rows(data: bytes, name: str) -> list[tuple[object, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(row) for row in book[name].iter_rows(values_only=True)]


def test_the_tables_hold_the_published_figures_and_the_export_is_logged(
    workspace: Workspace, tmp_path: Path
) -> None:
    survey = family_survey(workspace, tmp_path)
    analysis = analyse(workspace.db, survey, Scope(), settings_for(workspace.db))
    result = export_tables(workspace, analysis, tmp_path / "tables.xlsx")
    assert result.suppressed and not result.encrypted
    assert result.questions == len(analysis.questions)
    data = (tmp_path / "tables.xlsx").read_bytes()
    rows = sheet_rows(data, "Tables")
    for question in analysis.questions:
        spec = question.chart()
        start = next(i for i, row in enumerate(rows) if row and row[0] == spec["title"])
        for offset, bar in enumerate(spec["bars"], start=2):
            written = rows[start + offset]
            expected = bar["count"] if not bar["suppressed"] else bar["shown"]
            assert written[:3] == (bar["label"], expected, bar["percent"])
    marks = [row[1] for row in rows if len(row) > 1 and isinstance(row[1], str)]
    assert any(mark.startswith("<") for mark in marks)
    about = sheet_rows(data, "About")
    assert "suppressed" in str(about[0][0]) and FORUM_ONLY not in str(about)
    (entry,) = audit.entries(workspace.db, TABLES_EXPORTED)
    assert entry.counts == {"questions": len(analysis.questions), "suppressed": 1, "encrypted": 0}


def test_every_figure_says_for_the_forum_only_and_can_carry_a_password(
    workspace: Workspace, tmp_path: Path
) -> None:
    survey = family_survey(workspace, tmp_path)
    grouped = analyse_by(
        workspace.db, survey, "phase", Scope(), settings_for(workspace.db, suppressed=False)
    )
    result = export_tables(workspace, grouped, tmp_path / "all.xlsx", password="chair-only")
    assert result.encrypted and not result.suppressed
    data = decrypt_xlsx((tmp_path / "all.xlsx").read_bytes(), "chair-only")
    assert sheet_rows(data, "About")[0][0] == FORUM_ONLY
    rows = sheet_rows(data, "Tables")
    assert not any(isinstance(cell, str) and cell.startswith("<") for row in rows for cell in row)


def test_a_bad_name_or_empty_password_writes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    survey = family_survey(workspace, tmp_path)
    analysis = analyse(workspace.db, survey, Scope(), settings_for(workspace.db))
    with pytest.raises(TablesExportError, match=r"must end in \.xlsx"):
        prepare_tables_export(analysis, tmp_path / "tables.csv")
    with pytest.raises(TablesExportError, match="password is empty"):
        prepare_tables_export(analysis, tmp_path / "tables.xlsx", password="")
    assert not list(tmp_path.glob("tables.*"))
    assert audit.entries(workspace.db, TABLES_EXPORTED) == []


def test_year_on_year_tables_pair_both_editions_and_name_what_was_not_compared(
    workspace: Workspace, tmp_path: Path
) -> None:
    from forumkit.analysis import compare_editions
    from forumkit.responses import add_response
    from forumkit.surveys import import_xlsform, set_previous_edition
    from tests.core.analysis.test_editions import LAST_YEAR, LAST_YEAR_CHOICES, LAST_YEAR_ROWS
    from tests.core.responses.helpers import write_rows

    settings = [["form_title", "form_id"], ["Family survey 2025", "family_2025"]]
    form = write_rows(tmp_path / "2025.xlsx", LAST_YEAR_ROWS, LAST_YEAR_CHOICES, settings)
    previous = import_xlsform(workspace, form).survey
    with workspace.transaction("last_year"):
        for phase, satisfaction, share in LAST_YEAR:
            answers = {"phase": phase, "satisfaction": satisfaction, "consent_share": share}
            add_response(workspace, previous, answers, status="complete")
    current = set_previous_edition(
        workspace, family_survey(workspace, tmp_path).id, previous.form_id
    )
    comparison = compare_editions(
        workspace.db, current, previous, Scope(), settings_for(workspace.db)
    )
    export_tables(workspace, comparison, tmp_path / "years.xlsx")
    rows = sheet_rows((tmp_path / "years.xlsx").read_bytes(), "Tables")
    for compared in comparison.questions:
        spec = compared.chart()
        start = next(i for i, row in enumerate(rows) if row and row[0] == spec["title"])
        assert rows[start + 1][1] == "Family survey 2025 count"
        for offset, bar in enumerate(spec["bars"], start=2):
            assert rows[start + offset][0] == bar["label"]
            assert rows[start + offset][5] == bar["change"]
    assert any(row and row[0] == "A question dropped this year" for row in rows)
    about = sheet_rows((tmp_path / "years.xlsx").read_bytes(), "About")
    assert ("compared with", "Family survey 2025") in about
    (entry,) = audit.entries(workspace.db, TABLES_EXPORTED)
    assert entry.object_ids == [current.id, previous.id]
