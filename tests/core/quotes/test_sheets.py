"""The quotes spreadsheet round trip: export every quote and every answer still to quote, tag
them in a spreadsheet, import them back, all or nothing, problems named by row and column."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from forumkit import audit
from forumkit.quotes import (
    QuotesSheetError,
    QuotesSheetRejected,
    add_deny_term,
    count_quotes,
    create_quote,
    export_quotes,
    get_quote,
    import_quotes,
    list_quotes,
    quote_id_for,
    tag_quote,
)
from forumkit.quotes.sheet_export import COLUMNS, SUGGESTED
from forumkit.responses import add_response, erase_respondent, update_response
from forumkit.spreadsheets import decrypt_xlsx
from forumkit.surveys import Survey, import_xlsform
from forumkit.workspace import Workspace
from tests.core.responses.helpers import CHOICE_ROWS, SURVEY_ROWS, write_rows

from .helpers import DIFFERENCE, EXPERIENCE, add_parent, add_quotes_survey, answers

Rows = list[list[Any]]


@pytest.fixture
def survey(workspace: Workspace, tmp_path: Path) -> Survey:
    return add_quotes_survey(workspace, tmp_path)


def sheet_rows(path: Path, name: str = "Quotes", password: str | None = None) -> Rows:
    data = path.read_bytes()
    if password is not None:
        data = decrypt_xlsx(data, password)
    book = load_workbook(io.BytesIO(data))
    return [list(row) for row in book[name].iter_rows(values_only=True)]


def edited(path: Path, change: Callable[[Rows], None], out: Path | None = None) -> Path:
    """A copy of the Quotes sheet with ``change`` applied to its rows (header first)."""
    rows = sheet_rows(path)
    change(rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "Quotes"
    for row in rows:
        sheet.append(row)
    target = out or path.with_name(f"edited-{path.name}")
    book.save(target)
    return target


def column(rows: Rows, name: str) -> int:
    return rows[0].index(name)


def test_the_sheet_lists_quotes_and_answers_still_to_quote(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    first = add_parent(workspace, survey, respondent="ann@example.org")
    second = add_parent(
        workspace, survey, consent_share="no", phase="primary", experience="=SUM(A1) is a formula"
    )
    add_response(workspace, survey, {"experience": "A draft is not quoted yet"})
    quote = create_quote(workspace, first.id, "experience", 0, 5).after
    assert quote is not None
    tag_quote(workspace, quote.id, ["listen-early", "areas-of-need/sensory-physical"])
    result = export_quotes(workspace, survey, tmp_path / "quotes.xlsx")
    assert (result.quotes, result.answers, result.outdated, result.encrypted) == (1, 3, 0, False)
    rows = sheet_rows(tmp_path / "quotes.xlsx")
    assert tuple(rows[0][: len(COLUMNS)]) == COLUMNS
    assert rows[0][len(COLUMNS) :] == ["Child's phase of education"]
    assert rows[1:] == [
        [quote.id, first.id, "experience", "Jamie", "[name]",
         "listen-early, areas-of-need/sensory-physical", "no", "yes", "Secondary"],
        [None, first.id, "difference", DIFFERENCE, DIFFERENCE, None, "no", "yes", "Secondary"],
        [None, second.id, "experience", "=SUM(A1) is a formula", "=SUM(A1) is a formula",
         None, "no", "no", "Primary"],
        [None, second.id, "difference", DIFFERENCE, DIFFERENCE, None, "no", "no", "Primary"],
    ]  # fmt: skip
    book = load_workbook(tmp_path / "quotes.xlsx")
    assert book.sheetnames == ["Quotes", "Codes", "forumkit", "forumkit proposals"]
    assert book["forumkit"].sheet_state == book["forumkit proposals"].sheet_state == "hidden"
    digests = list(book["forumkit proposals"].iter_rows(values_only=True))
    assert [row[:2] for row in digests] == [(r[1], r[2]) for r in rows[2:]]
    assert all(DIFFERENCE not in str(row) for row in digests)  # digests, never the words
    assert book["Quotes"]["D4"].data_type == "s"  # text, never a formula
    codes = [row[0] for row in book["Codes"].iter_rows(min_row=2, values_only=True)]
    assert codes[:2] == ["listen-early", "money"] and "areas-of-need/sensory-physical" in codes
    [entry] = audit.entries(workspace.db, "quotes_exported")
    assert entry.object_ids == [survey.id, first.id, second.id]
    assert entry.counts == {"quotes": 1, "answers": 3, "responses": 2, "encrypted": 0}
    # The sheet held parents' words: erasing one tells the chair it left in an export.
    erasure = erase_respondent(workspace, "ann@example.org")
    assert [(d.what, d.responses) for d in erasure.disclosures] == [("an export", 1)]


def test_tagging_in_the_sheet_and_importing_it_back(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    first = add_parent(workspace, survey)
    second = add_parent(workspace, survey)
    quote = create_quote(workspace, first.id, "experience").after
    assert quote is not None
    tag_quote(workspace, quote.id, ["money"])
    path = tmp_path / "quotes.xlsx"
    export_quotes(workspace, survey, path)

    def tag(rows: Rows) -> None:
        codes, reviewed = column(rows, "codes"), column(rows, "reviewed")
        redacted, text = column(rows, "redacted text"), column(rows, "text")
        rows[1][codes] = "listen-early; workforce"  # the quote: codes replaced
        rows[1][reviewed] = "Yes"
        rows[2][codes] = "coproduction"  # first's difference: becomes a whole-answer quote
        rows[3][text] = "Jamie waited two years for speech therapy"  # a part of the answer
        rows[3][redacted] = "[name] waited two years for speech therapy"
        # rows[4] (second's difference) is left as exported: still an answer to quote later

    done = import_quotes(workspace, survey, edited(path, tag), by="Chair")
    assert (done.created, done.updated, done.unchanged, done.left) == (2, 1, 0, 1)
    assert done.warnings == ()
    now = get_quote(workspace.db, quote.id)
    assert set(now.references) == {"listen-early", "workforce"} and now.reviewed
    assert now.reviewed_by == "Chair"
    whole = get_quote(workspace.db, quote_id_for(first.id, "difference", 0, len(DIFFERENCE)))
    assert whole.references == ("coproduction",) and not whole.reviewed
    part = get_quote(workspace.db, quote_id_for(second.id, "experience", 0, 41))
    assert part.text == "Jamie waited two years for speech therapy"
    assert part.redacted_text == "[name] waited two years for speech therapy"
    assert part.tags == () and not part.redaction_edited
    [entry] = audit.entries(workspace.db, "quotes_imported")
    assert entry.counts == {"created": 2, "updated": 1, "unchanged": 0}
    # Importing the same sheet again changes nothing.
    generation = workspace.generation
    again = import_quotes(workspace, survey, path.with_name("edited-quotes.xlsx"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert workspace.generation == generation
    assert count_quotes(workspace.db, survey.id) == 3


def test_every_problem_is_named_by_row_and_column_and_nothing_changes(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    first = add_parent(workspace, survey)
    add_parent(workspace, survey)
    quote = create_quote(workspace, first.id, "experience").after
    assert quote is not None
    path = tmp_path / "quotes.xlsx"
    export_quotes(workspace, survey, path)
    # The answer is corrected after the sheet was made.
    update_response(workspace, first.id, answers(difference="Being heard."))
    before = workspace.path.read_bytes()

    def spoil(rows: Rows) -> None:
        codes, reviewed = column(rows, "codes"), column(rows, "reviewed")
        rows[1][codes] = "money, no-such-code"
        rows[1][reviewed] = "maybe"
        rows[2][codes] = "money"  # first's difference: its answer changed since
        rows[3][column(rows, "response id")] = "00000000-0000-0000-0000-000000000000"
        rows[4][column(rows, "redacted text")] = " "
        rows.append(list(rows[1]))  # the quote twice

    with pytest.raises(QuotesSheetRejected) as caught:
        import_quotes(workspace, survey, edited(path, spoil))
    problems = [(p.row, p.column) for p in caught.value.problems]
    assert problems == [
        (2, "codes"),
        (2, "reviewed"),
        (3, "text"),
        (4, "response id"),
        (5, "redacted text"),
        (6, "codes"),
        (6, "reviewed"),
        (6, "quote id"),
    ]
    reasons = [p.reason for p in caught.value.problems]
    assert "no-such-code" in reasons[0] and "yes or no" in reasons[1]
    assert "no longer matches the answer" in reasons[2]
    assert "repeats row 2" in reasons[7]
    message = str(caught.value)
    assert message.startswith("“edited-quotes.xlsx” has 8 problems, so nothing of it was applied")
    assert "Jamie" not in message + str(reasons)
    assert workspace.path.read_bytes() == before
    assert get_quote(workspace.db, quote.id) == quote


def test_a_corrected_answer_is_followed_or_reported(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    response = add_parent(workspace, survey, experience="We waited. Nobody listened.")
    part = create_quote(workspace, response.id, "experience", 11, 27).after
    whole = create_quote(workspace, response.id, "experience").after
    assert part is not None and whole is not None
    path = tmp_path / "quotes.xlsx"
    export_quotes(workspace, survey, path)
    corrected = "We waited a year. Nobody listened."
    update_response(workspace, response.id, answers(experience=corrected))

    with pytest.raises(QuotesSheetRejected) as caught:
        import_quotes(workspace, survey, path)
    [problem] = caught.value.problems  # the whole-answer quote; the part just moved
    assert (problem.row, problem.column) == (2, "text")
    assert "corrected after this quote was made" in problem.reason

    def renew(rows: Rows) -> None:
        rows[1][column(rows, "text")] = corrected  # the chair takes the corrected answer

    done = import_quotes(workspace, survey, edited(path, renew))
    assert done.updated == 2
    moved = get_quote(workspace.db, part.id)
    assert (moved.start, moved.state) == (18, "current")
    renewed = get_quote(workspace.db, whole.id)
    assert (renewed.text, renewed.state, renewed.end) == (corrected, "current", len(corrected))


def test_a_password_protected_sheet_needs_its_password(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    add_parent(workspace, survey)
    path = tmp_path / "quotes.xlsx"
    result = export_quotes(workspace, survey, path, password="s3cret pass", suggest=True)
    assert result.encrypted and result.suggested
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    rows = sheet_rows(path, password="s3cret pass")
    assert rows[0][len(COLUMNS)] == SUGGESTED
    suggested = rows[1][len(COLUMNS)].split(", ")
    assert len(suggested) == 3 and "listen-early" in suggested  # "waited two years for…"
    with pytest.raises(QuotesSheetError, match="password-protected"):
        import_quotes(workspace, survey, path)
    with pytest.raises(QuotesSheetError, match="password does not open"):
        import_quotes(workspace, survey, path, password="wrong")
    done = import_quotes(workspace, survey, path, password="s3cret pass")
    assert (done.created, done.left) == (0, 2)


def test_a_sheet_of_another_survey_or_not_a_quotes_sheet_is_refused(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    add_parent(workspace, survey)
    path = tmp_path / "quotes.xlsx"
    export_quotes(workspace, survey, path)
    form = write_rows(
        tmp_path / "other.xlsx",
        SURVEY_ROWS,
        CHOICE_ROWS,
        [["form_title", "form_id"], ["Young people's survey", "young_2026"]],
    )
    other = import_xlsform(workspace, form).survey
    with pytest.raises(QuotesSheetError, match="holds the quotes of another survey"):
        import_quotes(workspace, other, path)
    book = Workbook()
    book.active.append(["response id", "text"])
    book.save(tmp_path / "plain.xlsx")
    with pytest.raises(QuotesSheetError, match="lacks the columns “quote id”"):
        import_quotes(workspace, survey, tmp_path / "plain.xlsx")
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    with pytest.raises(QuotesSheetError, match="not an xlsx workbook"):
        import_quotes(workspace, survey, tmp_path / "notes.xlsx")
    with pytest.raises(QuotesSheetError, match=r"must end in \.xlsx"):
        export_quotes(workspace, survey, tmp_path / "quotes.csv")


def test_a_redaction_left_identifying_is_a_warning_naming_only_its_kind(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    response = add_parent(workspace, survey)
    path = tmp_path / "quotes.xlsx"
    export_quotes(workspace, survey, path)

    def reveal(rows: Rows) -> None:
        rows[1][column(rows, "redacted text")] = EXPERIENCE  # the reviewer undid the redaction
        rows[1][column(rows, "codes")] = "listen-early"

    done = import_quotes(workspace, survey, edited(path, reveal))
    [warning] = done.warnings
    assert warning.startswith("Row 2, column “redacted text”: still holds what looks like")
    assert "[name]" in warning and "[phone]" in warning and "Jamie" not in warning
    [quote] = list_quotes(workspace.db, survey.id)
    assert quote.response_id == response.id and quote.redaction_edited


def test_a_row_left_with_its_proposal_takes_the_deny_list_as_it_is_at_import(
    workspace: Workspace, survey: Survey, tmp_path: Path
) -> None:
    """The export keeps a digest of each proposal, so a row whose redaction the chair left
    alone is known without running redaction again, and is proposed afresh when quoted."""
    response = add_parent(workspace, survey)
    path = tmp_path / "quotes.xlsx"
    export_quotes(workspace, survey, path)
    book = load_workbook(path)  # edited in place: the hidden sheets stay
    sheet = book["Quotes"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(2, header.index("codes") + 1, "listen-early")
    book.save(path)
    add_deny_term(workspace, "Oakwood Academy", "school")  # after the export
    done = import_quotes(workspace, survey, path)
    assert (done.created, done.left) == (1, 1)
    [quote] = list_quotes(workspace.db, survey.id)
    assert quote.response_id == response.id and not quote.redaction_edited
    assert "[school]" in quote.redacted_text and "Oakwood" not in quote.redacted_text
