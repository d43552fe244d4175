"""Hostile and odd files given to an import (issue 14): bounded memory, plain refusals, warnings
that name rows, and no waiting for ever. ``tests/core/test_reliability.py`` runs the same kinds
of input through the command line; these check the reading itself, with the limits lowered."""

from __future__ import annotations

import os
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from forumkit.importers import ImportFileError, plan_import
from forumkit.importers import tables as tables_module
from forumkit.importers.tables import read_table
from forumkit.surveys import XLSFormError, read_xlsform
from forumkit.workspace import Workspace
from tests.core.importers.helpers import LABELS, make_survey, write_csv

MIB = 1 << 20


def _one_long_line(path: Path, megabytes: int) -> Path:
    with path.open("wb") as handle:
        handle.write(b"Timestamp,Tell us about your experience\n01/03/2026 09:30,")
        block = b"x" * MIB
        for _ in range(megabytes):
            handle.write(block)
        handle.write(b"\n")
    return path


def test_a_csv_with_one_huge_line_is_refused_after_reading_a_bounded_piece(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _one_long_line(tmp_path / "huge.csv", 40)
    monkeypatch.setattr(tables_module, "MAX_ROW_CHARS", MIB)
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError, match=r"Row 2 of “huge\.csv” is longer than 1,048,576"):
            read_table(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The old reader held the file, its text and a copy at once: over 120 MB for 40 MB.
    assert peak < 12 * MIB, f"peak {peak / MIB:.1f} MiB"


def test_a_long_cell_is_refused_naming_row_and_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables_module, "MAX_CELL_CHARS", 1000)
    rows = [["A", "B", "C"], ["1", "2", "3"], ["4", "5", "y" * 1001]]
    with pytest.raises(ImportFileError, match=r"row 3, column C, holds a cell of more than 1,000"):
        read_table(write_csv(tmp_path / "long.csv", rows))


def test_a_quoted_cell_running_over_many_lines_counts_as_one_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables_module, "MAX_ROW_CHARS", 10_000)
    path = tmp_path / "many-lines.csv"
    path.write_text('A,B\n1,"' + "a short line\n" * 2000 + '"\n', encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"Row 2 of “many-lines\.csv” is longer"):
        read_table(path)


def test_rows_with_line_breaks_and_old_mac_line_ends_keep_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes(b'A,B\r1,"two\rlines"\r\r3,4\r')
    table = read_table(path)
    assert [(number, cells) for number, cells in table.rows] == [
        (1, ("A", "B")),
        (2, ("1", "two\rlines")),
        (4, ("3", "4")),
    ]


def test_a_csv_mixing_utf8_and_cp1252_rows_is_read_row_by_row_and_named(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    lines = [
        ("Name,Note\n", "utf-8"),
        ("A,caf\u00e9\n", "utf-8"),
        ("B,na\u00efve\n", "cp1252"),
        ("C,plain\n", "utf-8"),
        ("D,cr\u00e8me\n", "utf-8"),
        ("E,\u00e0 la carte\n", "cp1252"),
    ]
    path.write_bytes(b"".join(text.encode(encoding) for text, encoding in lines))
    table = read_table(path)
    assert [cells[1] for _, cells in table.rows] == [
        "Note",
        "caf\u00e9",
        "na\u00efve",
        "plain",
        "cr\u00e8me",
        "\u00e0 la carte",
    ]
    assert table.encoding == "utf-8 and cp1252 (mixed)"
    (warning,) = table.warnings
    assert "rows 3 and 6 are in Windows-1252 (older Excel)" in warning


def test_the_mixed_encoding_warning_reaches_the_plan(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "f.forumkit", "correct horse battery", forum="F") as ws:
        survey = make_survey(ws, tmp_path)
    path = tmp_path / "mixed.csv"
    head = f"{LABELS[0]},{LABELS[2]},{LABELS[4]},{LABELS[7]}\n"
    path.write_bytes(
        head.encode()
        + "Yes,7,No,Caf\u00e9 visits\n".encode()
        + "Yes,8,No,Na\u00efve plans\n".encode("cp1252")
        + "Yes,9,No,Cr\u00e8me\n".encode()
    )
    plan = plan_import(survey, path)
    assert not plan.problems
    assert any("row 3 is in Windows-1252" in warning for warning in plan.warnings)
    assert [row.answers["story"] for row in plan.rows] == [
        "Caf\u00e9 visits",
        "Na\u00efve plans",
        "Cr\u00e8me",
    ]


def test_text_in_no_encoding_excel_writes_is_refused_naming_the_row(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"A,B\n1,2\n3,\x81\x8d\x8f\x90\n")  # bytes Windows-1252 leaves undefined
    with pytest.raises(ImportFileError, match=r"not text in an encoding Excel writes .* row 3"):
        read_table(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)  # nobody ever writes to it: opening it to read would wait for ever
    with pytest.raises(ImportFileError, match=r"“export\.csv”: it is a named pipe \(FIFO\)"):
        read_table(fifo)
    form = tmp_path / "form.xlsx"
    os.mkfifo(form)
    with pytest.raises(XLSFormError, match=r"“form\.xlsx”: it is a named pipe"):
        read_xlsform(form)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_or_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"it is a device, not a file"):
        read_table(Path("/dev/zero"))
    with pytest.raises(ImportFileError, match=r"it is a folder, not a file"):
        read_table(tmp_path)
    with pytest.raises(XLSFormError, match=r"it is a folder, not a file"):
        read_xlsform(tmp_path)


def _with_entities(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    plain = path.with_name("plain-" + path.name)
    workbook.save(plain)
    declarations = b"".join(
        b'<!ENTITY e%d "%s">' % (level, (b"&e%d;" % (level - 1)) * 10) for level in range(1, 9)
    )
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                start = data.index(b"<worksheet")
                body = data[start:].replace(
                    b"</row>", b'<c r="Z1" t="inlineStr"><is><t>&e8;</t></is></c></row>', 1
                )
                data = b'<!DOCTYPE w [<!ENTITY e0 "lol">' + declarations + b"]>" + body
            out.writestr(item, data)
    return path


def test_xml_entities_in_an_xlsx_are_refused_plainly(tmp_path: Path) -> None:
    data = _with_entities(tmp_path / "data.xlsx", [["A", "B"], [1, 2]])
    with pytest.raises(ImportFileError, match=r"“data\.xlsx” .* its XML declares entities"):
        read_table(data)
    form = _with_entities(tmp_path / "form.xlsx", [["type", "name", "label"], ["text", "q", "Q"]])
    with pytest.raises(XLSFormError, match=r"“form\.xlsx” .* its XML declares entities"):
        read_xlsform(form)


def test_formula_cells_without_a_saved_result_are_warned_by_row(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    for row in (["A", "B"], [1, "=A2*2"], [2, "text"], [3, "=SUM(A1:A3)"], [4, "=A5"]):
        sheet.append(row)
    workbook.save(tmp_path / "formulas.xlsx")
    table = read_table(tmp_path / "formulas.xlsx")
    assert [cells[1] for _, cells in table.rows[1:]] == [None, "text", None, None]
    (warning,) = table.warnings
    assert "rows 2, 4 and 5 have formula cells with no saved result" in warning


def test_formulas_with_saved_results_say_nothing(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.append(["A", "B"])
    workbook.active.append([1, "=A2*2"])
    workbook.save(tmp_path / "unsaved.xlsx")
    # As Excel or LibreOffice save it: the formula with its result.
    saved = tmp_path / "saved.xlsx"
    with zipfile.ZipFile(tmp_path / "unsaved.xlsx") as source, zipfile.ZipFile(saved, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b"<f>A2*2</f><v />" in data
                data = data.replace(b"<f>A2*2</f><v />", b"<f>A2*2</f><v>2</v>")
            out.writestr(item, data)
    table = read_table(saved)
    assert table.rows[1][1] == (1, 2) and table.warnings == ()


def test_sixteen_thousand_unmatched_columns_make_one_warning(tmp_path: Path) -> None:
    with Workspace.create(tmp_path / "f.forumkit", "correct horse battery", forum="F") as ws:
        survey = make_survey(ws, tmp_path)
    extra = [f"extra {i}" for i in range(16_380)]
    rows = [
        [LABELS[0], LABELS[2], LABELS[4], *extra],
        ["Yes", 7, "No", *(["x"] * len(extra))],
    ]
    plan = plan_import(survey, write_csv(tmp_path / "wide.csv", rows))
    unmatched = [w for w in plan.warnings if "match no question" in w]
    assert len(unmatched) == 1
    assert "16,380 columns match no question" in unmatched[0]
    assert "and 16,375 more." in unmatched[0]
    few = plan_import(survey, write_csv(tmp_path / "few.csv", [r[:5] for r in rows]))
    assert [w for w in few.warnings if "matches no question" in w] == [
        "Column D “extra 0” matches no question of the survey and was not imported.",
        "Column E “extra 1” matches no question of the survey and was not imported.",
    ]
