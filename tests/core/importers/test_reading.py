"""Reading csv in every encoding Excel writes, sniffing delimiters, and refusing what is not a
spreadsheet, with one sentence naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from forumkit.importers import ImportFileError
from forumkit.importers.tables import read_table, sniff_delimiter, start_encoding
from tests.core.importers.helpers import write_csv, write_xlsx

ROWS = [
    ["Timestamp", "Which services do you use?", "Tell us more"],
    ["01/03/2026 09:30:15", "Respite, short breaks, CAMHS", "Café visits – “lovely” staff"],
]


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8 with BOM"),
        ("utf-16", "utf-16"),
        ("cp1252", "cp1252"),
    ],
)
def test_csv_encodings_are_detected_once_per_file(
    tmp_path: Path, encoding: str, detected: str
) -> None:
    table = read_table(write_csv(tmp_path / "export.csv", ROWS, encoding=encoding))
    assert table.encoding == detected
    assert [cells for _, cells in table.rows] == [tuple(row) for row in ROWS]


def test_utf16_big_endian_with_mark_and_tabs(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    text = "\r\n".join("\t".join(row) for row in ROWS) + "\r\n"
    path.write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    table = read_table(path)
    assert table.rows[1][1][2] == ROWS[1][2]


def test_a_file_whose_accented_rows_are_all_cp1252_is_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes("Name,Note\nA,caf\u00e9\nB,plain\nC,na\u00efve\n".encode("cp1252"))
    table = read_table(path)
    assert table.encoding == "cp1252" and not table.warnings
    assert [cells[1] for _, cells in table.rows] == ["Note", "caf\u00e9", "plain", "na\u00efve"]
    assert start_encoding("Name,Note\nA,caf\u00e9\n".encode()) == "utf-8"
    assert start_encoding(b"\xef\xbb\xbfName") == "utf-8-sig"


def test_semicolon_delimiter_with_commas_inside_quoted_labels(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "semi.csv", ROWS, delimiter=";")
    assert sniff_delimiter(path.read_text()) == ";"
    assert read_table(path).rows[0][1] == tuple(ROWS[0])


def test_comma_delimiter_is_not_fooled_by_commas_in_labels() -> None:
    text = '"Q1, part one","Q2"\n"a, b","c"\n'
    assert sniff_delimiter(text) == ","


def test_row_numbers_count_headers_and_skip_blank_rows(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "gaps.xlsx", [["A", "B"], [1, 2], [None, None], [3, 4]])
    assert [number for number, _ in read_table(path).rows] == [1, 2, 4]


def test_old_excel_files_are_refused_plainly(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(ImportFileError, match=r"old\.xls.*save it from Excel"):
        read_table(path)


def test_a_damaged_workbook_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFileError, match=r"broken\.xlsx"):
        read_table(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match=r"missing\.csv"):
        read_table(tmp_path / "missing.csv")
