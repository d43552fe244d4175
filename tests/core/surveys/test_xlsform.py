"""Reading and writing XLSForms: real files from pyxform's suite, and each refusal's message."""

from __future__ import annotations

import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from forumkit.surveys.answers import Scale, range_scale
from forumkit.surveys.errors import XLSFormError
from forumkit.surveys.model import pick_text
from forumkit.surveys.xlsform_read import read_xlsform
from forumkit.surveys.xlsform_write import export_xlsform
from tests.core.surveys.helpers import YES_NO, write_form

REALWORLD_FORMS = Path(__file__).parents[2] / "fixtures" / "realworld" / "forms"

FIXTURES = (
    "UCL_Biomass_Plot_Form.xlsx",
    "case_insensitivity.xlsx",
    "choice_filter_test.xlsx",
    "duplicate_columns.xlsx",
    "extra_sheet_names.xlsx",
    "field-list.xlsx",
    "group.xlsx",
    "loop.xlsx",
    "or_other.xlsx",
    "specify_other.xlsx",
    "text_and_integer.xlsx",
    "xlsform_spec_test.xlsx",
    "yes_or_no_question.xlsx",
)
IMPORTABLE = tuple(name for name in FIXTURES if name != "duplicate_columns.xlsx")


@pytest.fixture
def xlsforms(shared_dir: Path) -> Path:
    folder = shared_dir / "fixtures" / "xlsform"
    assert folder.is_dir(), f"the XLSForm fixtures are missing at {folder}"
    return folder


def test_every_fixture_is_covered(xlsforms: Path) -> None:
    assert sorted(p.name for p in xlsforms.glob("*.xlsx")) == sorted(FIXTURES)


@pytest.mark.parametrize("name", IMPORTABLE)
def test_every_fixture_imports_and_round_trips(xlsforms: Path, tmp_path: Path, name: str) -> None:
    result = read_xlsform(xlsforms / name)
    assert result.survey.questions, name
    exported = tmp_path / "exported.xlsx"
    export_xlsform(result.survey, exported)
    again = read_xlsform(exported)
    # A question with nothing to show (only an image) is exported labelled with its name, as
    # forumkit shows it, so that pyxform reads the export too; the rest comes back the same.
    unlabelled = {
        q.name
        for q in result.survey.questions
        if not q.labels and not q.hints and not q.is_metadata
    }
    assert [q for q in again.survey.elements if q.name not in unlabelled] == [
        q for q in result.survey.elements if q.name not in unlabelled
    ]
    for name in unlabelled:
        assert again.survey.label(again.survey.question(name)) == name
    assert replace(again.survey, elements=()) == replace(result.survey, elements=())
    if not unlabelled:
        assert again.survey.languages == result.survey.languages


def test_duplicate_columns_are_refused_naming_sheet_and_columns(xlsforms: Path) -> None:
    with pytest.raises(XLSFormError) as caught:
        read_xlsform(xlsforms / "duplicate_columns.xlsx")
    message = str(caught.value)
    assert "survey sheet" in message
    assert "“label” twice" in message
    assert "columns D and E" in message
    assert caught.value.sheet == "survey"
    assert caught.value.row == 1


def test_a_real_field_form_loads_fast_skipping_what_needs_a_phone(xlsforms: Path) -> None:
    started = time.perf_counter()
    result = read_xlsform(xlsforms / "UCL_Biomass_Plot_Form.xlsx")
    assert time.perf_counter() - started < 2.0
    survey = result.survey
    assert survey.default_language == "Swahili (sw)"
    assert survey.languages == ["Swahili (sw)", "English (en)"]
    slope = survey.question("slope")
    assert slope.labels == {
        "Swahili (sw)": "Asilimia ya Uteremko",
        "English (en)": "Slope (percent)",
    }
    assert pick_text(slope.labels, "English (en)", survey.default_language) == "Slope (percent)"
    assert survey.form_version.startswith("2022-04-11")
    warnings = "\n".join(result.warnings)
    assert "Row 22 of the survey sheet: the geopoint question “center_point” is skipped" in warnings
    assert "Row 23" in warnings and "image" in warnings
    assert "Row 16" in warnings and "select_one_from_file" in warnings
    assert "Row 32" in warnings and "repeat “trees”" in warnings
    names = {q.name for q in survey.questions}
    assert {"center_point", "tag", "cbh", "region_id"}.isdisjoint(names)
    # Curly quotes in an expression and a header with a trailing space.
    assert survey.question("leader_name_other").relevant == "${leader_name} = ‘other’"
    assert "Aloyce" in survey.choice_lists["enumerator"].names()


def test_sheet_and_column_names_are_case_insensitive(xlsforms: Path) -> None:
    result = read_xlsform(xlsforms / "case_insensitivity.xlsx")
    survey = result.survey
    assert survey.form_id == "YesNo"
    assert survey.title == "Yes or no"
    assert survey.default_language == "EN"
    assert survey.question("q1").labels == {"EN": "Are you good?"}
    assert any("“EXTERNAL_CHOICES” is not an XLSForm sheet" in w for w in result.warnings)


def test_legacy_type_spellings_are_understood(xlsforms: Path) -> None:
    yes_no = read_xlsform(xlsforms / "yes_or_no_question.xlsx").survey.question("good_day")
    assert (yes_no.type, yes_no.list_name) == ("select_one", "yes_or_no")
    sex = read_xlsform(xlsforms / "specify_other.xlsx").survey.question("sex")
    assert (sex.type, sex.list_name, sex.or_other) == ("select_one", "sexes", True)
    colour = read_xlsform(xlsforms / "or_other.xlsx").survey.question("fav_color")
    assert colour.or_other
    text = read_xlsform(xlsforms / "text_and_integer.xlsx").survey
    assert text.question("your_age").labels == {"english": "How many years old are you?"}
    group = read_xlsform(xlsforms / "group.xlsx").survey
    assert group.question("phone_number").type == "text"
    assert group.question("age").group == ("father",)
    field_list = read_xlsform(xlsforms / "field-list.xlsx").survey
    assert [q.type for q in field_list.elements] == ["begin_group", "select_one", "end_group"]


def test_misspelled_sheets_are_named_in_a_warning(xlsforms: Path) -> None:
    result = read_xlsform(xlsforms / "extra_sheet_names.xlsx")
    assert any("“stettings”" in w and "did you mean “settings”" in w for w in result.warnings)


def test_the_spec_form_keeps_its_languages_and_rules(xlsforms: Path) -> None:
    result = read_xlsform(xlsforms / "xlsform_spec_test.xlsx")
    survey = result.survey
    assert survey.form_id == "Spec test"
    address = survey.question("address")
    assert address.labels["english"] == "Enter an address"
    assert address.labels["chinese"] == "您好"
    assert survey.question("a_decimal").constraint == ". <= ${a_integer}"
    assert survey.question("FALSE").type == "text"  # a boolean cell used as a name
    assert survey.question("everything").relevant == "not(selected(${skip_to_end}, 'yes'))"
    assert "repeat_test" not in {q.name for q in survey.questions}
    assert any("Row 15" in w and "repeat" in w for w in result.warnings)


def test_cascading_choice_filters_keep_their_columns(xlsforms: Path) -> None:
    survey = read_xlsform(xlsforms / "choice_filter_test.xlsx").survey
    county = survey.question("county")
    assert county.choice_filter == "${state}=cf"
    counties = survey.choice_lists["counties"].choices
    assert [(c.name, c.filters["cf"]) for c in counties][:3] == [
        ("king", "washington"),
        ("pierce", "washington"),
        ("king", "texas"),
    ]


# ---- refusals, one by one, each with the sheet, row and column it names


def refused(tmp_path: Path, survey: list[list[object]], **sheets: object) -> str:
    path = write_form(tmp_path / "form.xlsx", survey, **sheets)  # type: ignore[arg-type]
    with pytest.raises(XLSFormError) as caught:
        read_xlsform(path)
    return str(caught.value)


def test_a_workbook_without_a_survey_sheet_is_refused(tmp_path: Path) -> None:
    path = write_form(tmp_path / "form.xlsx", [["type", "name"]], YES_NO)
    path = write_form(tmp_path / "two.xlsx", [["type", "name"]], YES_NO, survey_title="Sheet1")
    with pytest.raises(XLSFormError, match="no sheet called “survey”"):
        read_xlsform(path)


def test_a_lone_unnamed_sheet_is_the_survey(tmp_path: Path) -> None:
    path = write_form(
        tmp_path / "lone.xlsx", [["type", "name", "label"], ["text", "q", "Q?"]], survey_title="S1"
    )
    assert read_xlsform(path).survey.question("q").labels == {"": "Q?"}


def test_missing_type_or_name_columns_are_refused(tmp_path: Path) -> None:
    assert "has no “name” column" in refused(tmp_path, [["type", "label"], ["text", "Q?"]])
    assert "has no “type” column" in refused(tmp_path, [["name", "label"], ["q", "Q?"]])


def test_a_row_without_a_name_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, [["type", "name", "label"], ["text", None, "Q?"]])
    assert message.startswith("Row 2 of the survey sheet, column name (B): the row has no name")


def test_duplicate_question_names_are_refused(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["type", "name"],
        ["text", "child_age"],
        [],
        ["integer", "child_age"],
    ]
    message = refused(tmp_path, rows)
    assert message == (
        "Row 4 of the survey sheet, column name (B): the name “child_age” is already used on row 2."
    )


def test_a_select_with_a_missing_list_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, [["type", "name"], ["select_one colours", "q"]], choices=YES_NO)
    assert "Row 2 of the survey sheet, column type (A)" in message
    assert "the choice list “colours” is not on the choices sheet" in message


def test_unclosed_groups_are_refused(tmp_path: Path) -> None:
    rows: list[list[object]] = [["type", "name"], ["begin group", "family"], ["text", "q"]]
    assert "the group “family” is never closed" in refused(tmp_path, rows)
    rows = [["type", "name"], ["text", "q"], ["end group", None]]
    assert "Row 3" in refused(tmp_path, rows)


def test_an_expression_that_does_not_parse_is_refused(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["type", "name", "relevant"],
        ["integer", "age", None],
        ["text", "school", "${age} >= and 5"],
    ]
    message = refused(tmp_path, rows)
    assert message.startswith("Row 3 of the survey sheet, column relevant (C)")
    assert "“${age} >= and 5” of “school” does not parse" in message


def test_a_call_odk_collect_would_stop_on_is_refused_naming_the_question(
    tmp_path: Path,
) -> None:
    rows: list[list[object]] = [
        ["type", "name", "relevant"],
        ["integer", "age", None],
        ["text", "school", "${age} > 4 or substring(${age})"],
    ]
    message = refused(tmp_path, rows)
    assert message.startswith("Row 3 of the survey sheet, column relevant (C)")
    assert "of “school”" in message
    assert "substring() takes 2 or 3 arguments, not 1; ODK Collect stops the form" in message


def test_a_reference_to_a_missing_question_is_refused(tmp_path: Path) -> None:
    rows: list[list[object]] = [["type", "name", "constraint"], ["integer", "age", ". < ${max}"]]
    assert "refers to ${max}, which is not a question" in refused(tmp_path, rows)


def test_an_unknown_type_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, [["type", "name"], ["txt", "q"]])
    assert "“txt” is not a question type XLSForm defines" in message


def test_duplicate_choices_are_refused_unless_allowed(tmp_path: Path) -> None:
    choices = [*YES_NO, ["yes_no", "yes", "Yes again"]]
    message = refused(tmp_path, [["type", "name"], ["select_one yes_no", "q"]], choices=choices)
    assert "Row 4 of the choices sheet repeats the choice “yes”" in message


def test_unknown_functions_import_with_a_warning_and_stay_unenforced(tmp_path: Path) -> None:
    path = write_form(
        tmp_path / "form.xlsx",
        [["type", "name", "constraint"], ["text", "postcode", "is-postcode(.)"], ["image", "pic"]],
    )
    result = read_xlsform(path)
    assert any("function is-postcode()" in w and "Row 2" in w for w in result.warnings)
    [rule] = result.survey.unenforced_rules()
    assert (rule.question, rule.column) == ("postcode", "constraint")


def test_expressions_on_skipped_rows_are_not_parsed(tmp_path: Path) -> None:
    path = write_form(
        tmp_path / "form.xlsx",
        [
            ["type", "name", "relevant", "label"],
            ["text", "q", None, "Q"],
            ["geopoint", "where", "this is not ((( an expression"],
            ["begin repeat", "kids", None],
            ["integer", "kid_age", "neither ((("],
            ["end repeat", None, None],
        ],
    )
    result = read_xlsform(path)
    assert [q.name for q in result.survey.questions] == ["q"]
    assert len(result.warnings) == 2


def test_blank_rows_are_ignored_and_long_empty_runs_end_the_sheet(tmp_path: Path) -> None:
    rows: list[list[object]] = [["type", "name"], ["text", "first"], [], [None, "  "]]
    rows += [[] for _ in range(250)] + [["text", "far_away"]]
    survey = read_xlsform(write_form(tmp_path / "form.xlsx", rows)).survey
    assert [q.name for q in survey.questions] == ["first"]


def test_headers_are_normalised(tmp_path: Path) -> None:
    path = write_form(
        tmp_path / "form.xlsx",
        [
            ["Type ", "NAME", "Label::English (en)", "label::Polski (pl)", "Constraint Message"],
            ["integer", "age", "Age?", "Wiek?", "Too old"],
        ],
        choices=[["List Name", "Name", "Label"], ["l", "a", "A"]],
    )
    question = read_xlsform(path).survey.question("age")
    assert question.labels == {"English (en)": "Age?", "Polski (pl)": "Wiek?"}
    assert question.constraint_messages == {"": "Too old"}


def test_consent_questions_are_recognised(tmp_path: Path) -> None:
    by_column = write_form(
        tmp_path / "a.xlsx",
        [
            ["type", "name", "forumkit_consent"],
            ["select_one yes_no", "may_we_quote", "quote"],
            ["select_one yes_no", "may_we_share", "share"],
        ],
        YES_NO,
    )
    survey = read_xlsform(by_column).survey
    assert (survey.consent_quote, survey.consent_share) == ("may_we_quote", "may_we_share")
    by_name = write_form(
        tmp_path / "b.xlsx",
        [["type", "name"], ["select_one yes_no", "consent_quote"], ["text", "consent_share"]],
        YES_NO,
    )
    survey = read_xlsform(by_name).survey
    assert (survey.consent_quote, survey.consent_share) == ("consent_quote", "")
    bad = [["type", "name", "forumkit_consent"], ["text", "q", "quote"]]
    assert "must be a yes/no question" in refused(tmp_path, bad)


def test_settings_carry_title_version_and_previous_edition(tmp_path: Path) -> None:
    path = write_form(
        tmp_path / "form.xlsx",
        [["type", "name", "label"], ["text", "q", "Q"]],
        settings=[
            ["form_title", "form_id", "version", "forumkit_previous"],
            ["Short breaks 2025", "short_breaks_2025", "3", "short_breaks_2024"],
        ],
    )
    survey = read_xlsform(path).survey
    assert (survey.title, survey.form_id, survey.form_version) == (
        "Short breaks 2025",
        "short_breaks_2025",
        "3",
    )
    assert survey.previous_form_id == "short_breaks_2024"
    export_xlsform(survey, tmp_path / "out.xlsx")
    assert read_xlsform(tmp_path / "out.xlsx").survey == survey


def test_export_never_turns_text_into_formulas(tmp_path: Path) -> None:
    path = write_form(tmp_path / "form.xlsx", [["type", "name", "label"], ["note", "n", "Hi"]])
    survey = read_xlsform(path).survey
    note = replace(survey.question("n"), labels={"": "=HYPERLINK(1)"})
    survey = replace(survey, elements=(note,))
    export_xlsform(survey, tmp_path / "out.xlsx")
    assert read_xlsform(tmp_path / "out.xlsx").survey.question("n").labels == {"": "=HYPERLINK(1)"}


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    path.write_text("type,name\ntext,q\n")
    with pytest.raises(XLSFormError, match=r"not an Excel workbook"):
        read_xlsform(path)


def test_formulas_are_read_as_the_values_excel_last_showed(tmp_path: Path) -> None:
    """Real files hold formulas such as =TRUE(); forumkit reads Excel's cached value."""
    plain = write_form(
        tmp_path / "plain.xlsx",
        [["type", "name", "required", "label"], ["text", "q", "=TRUE()", '="Age"&" now"']],
    )
    cached = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(cached, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b'"><f>TRUE()</f><v /></c>', b'" t="b"><f>TRUE()</f><v>1</v></c>'
                )
                data = data.replace(
                    b'"><f>"Age"&amp;" now"</f><v /></c>',
                    b'" t="str"><f>"Age"&amp;" now"</f><v>Age now</v></c>',
                )
            target.writestr(item, data)
    survey = read_xlsform(cached).survey
    assert survey.question("q").required == "yes"
    assert survey.question("q").labels == {"": "Age now"}


def test_a_question_with_nothing_to_read_is_warned_about(tmp_path: Path) -> None:
    """pyxform accepts a question with only an image or a guidance hint in place of a label
    (its own test form, tests/fixtures/realworld/forms/pyxform/hint_with_no_label.xlsx, has
    one); forumkit shows neither, so it says it will show the name."""
    result = read_xlsform(REALWORLD_FORMS / "pyxform" / "hint_with_no_label.xlsx")
    assert [w for w in result.warnings if "neither a label nor a hint" in w] == [
        "Row 4 of the survey sheet: “c” has neither a label nor a hint forumkit can show "
        "(images, audio, video and guidance hints are not shown), so forumkit shows its name."
    ]
    assert result.survey.label(result.survey.question("c")) == "c"


def test_a_form_with_nothing_to_answer_is_warned_about() -> None:
    """A real form whose every question sits in a repeat (pyxform's own gps.xls): all skipped."""
    result = read_xlsform(REALWORLD_FORMS / "pyxform" / "gps.xls")
    assert result.warnings[-1] == (
        "The form has no question forumkit can ask a parent (what is left is notes, "
        "calculations, groups or metadata), so its responses would hold no answers."
    )
    labelled = read_xlsform(REALWORLD_FORMS / "formpack" / "library-locking-example.xlsx")
    assert not any("no question forumkit can ask" in w for w in labelled.warnings)


def test_export_keeps_rules_on_skipped_questions_readable(tmp_path: Path) -> None:
    """pyxform's own area.xlsx computes an area from a geoshape forumkit skips: the export
    writes a ``hidden`` row of that name, so pyxform (and forumkit, skipping it again) still
    read the calculation that names it."""
    survey = read_xlsform(REALWORLD_FORMS / "pyxform" / "area.xlsx").survey
    out = tmp_path / "area.xlsx"
    export_xlsform(survey, out)
    again = read_xlsform(out)
    assert again.survey.elements == survey.elements
    assert any("the hidden question “geoshape1” is skipped" in w for w in again.warnings)
    rows = list(load_workbook(out)["survey"].iter_rows(values_only=True))
    assert ("hidden", "geoshape1") in {row[:2] for row in rows}


def test_export_labels_a_question_with_nothing_to_show_by_its_name(tmp_path: Path) -> None:
    survey = read_xlsform(REALWORLD_FORMS / "pyxform" / "hint_with_no_label.xlsx").survey
    out = tmp_path / "hints.xlsx"
    export_xlsform(survey, out)
    again = read_xlsform(out).survey
    assert again.question("c").labels == {"": "c"}
    assert again.label(again.question("c")) == survey.label(survey.question("c")) == "c"


def test_an_instance_look_up_is_read_and_left_unchecked_like_an_unknown_function() -> None:
    """HOT's osm-fieldwork form looks answers up in a file attached to the form
    (``instance("history")/root/item[id=${existing}]/geometry``, typographic quotes as a word
    processor left them): the form imports, the rule is kept as written, and the warning is
    the one an unknown function gets, not a refusal."""
    result = read_xlsform(REALWORLD_FORMS / "osm-fieldwork" / "historical.xls")
    calculation = result.survey.question("xlocation").calculation
    assert calculation == "instance(“history”)/root/item[id=${existing}]/geometry"
    assert (
        "Row 15 of the survey sheet, column calculation (H): forumkit does not know the "
        "function instance(), so this calculation rule of “xlocation” will not be checked."
    ) in result.warnings


def test_a_choices_sheet_headed_value_is_read_as_pyxform_reads_it() -> None:
    """pyxform's own specify_other.xls of 2011 heads its choices ``list name, value,
    label:English``: ``value`` is pyxform's older spelling of ``name``."""
    survey = read_xlsform(REALWORLD_FORMS / "pyxform" / "specify_other-2011.xls").survey
    sex = survey.question("sex")
    assert sex.or_other
    assert survey.choice_labels(sex) == {"male": "Male", "female": "Female", "other": "Other"}
    assert survey.question("sex_other").type == "text"


def test_a_survey_sheet_in_pyxforms_older_headers_is_read(tmp_path: Path) -> None:
    path = write_form(
        tmp_path / "old.xlsx",
        [
            ["command", "tag", "caption", "relevance"],
            ["text", "q", "Q", ""],
            ["integer", "n", "N", "${q} != ''"],
        ],
    )
    survey = read_xlsform(path).survey
    assert [(q.type, q.name, survey.label(q)) for q in survey.questions] == [
        ("text", "q", "Q"),
        ("integer", "n", "N"),
    ]
    assert survey.question("n").relevant == "${q} != ''"


def test_a_choices_row_without_a_list_name_is_left_out_with_a_warning(tmp_path: Path) -> None:
    """As in a version of HOT's osm-fieldwork highways form (XForms/highways.xlsx, blob
    a54160db), whose ``barrier`` choice has a name and a label but no list_name: pyxform leaves
    it out; forumkit too, and says so."""
    path = write_form(
        tmp_path / "form.xlsx",
        [["type", "name", "label"], ["select_one highway_type", "kind", "What is it?"]],
        [
            ["list_name", "name", "label"],
            ["highway_type", "highway", "Highway"],
            ["highway_type", "bridge", "Bridge"],
            [None, "barrier", "Barrier"],
        ],
    )
    result = read_xlsform(path)
    assert result.survey.choice_lists["highway_type"].names() == ["highway", "bridge"]
    assert (
        "Row 4 of the choices sheet has the choice “barrier” but no list_name (column A), so "
        "no question offers it; it is left out."
    ) in result.warnings


def test_range_parameters_are_split_as_pyxform_splits_them(tmp_path: Path) -> None:
    """``Step=1, end=3`` as a version of HOT's osm-fieldwork highways form writes it: commas
    between pairs and a capital letter are pyxform's spelling too."""
    path = write_form(
        tmp_path / "form.xlsx",
        [["type", "name", "label", "parameters"], ["range", "width", "Width?", "Step=1, end=3"]],
    )
    width = read_xlsform(path).survey.question("width")
    assert range_scale(width) == Scale(1.0, 3.0, 1.0)
    bad = write_form(
        tmp_path / "bad.xlsx",
        [["type", "name", "label", "parameters"], ["range", "width", "Width?", "end=3, by=2"]],
    )
    with pytest.raises(XLSFormError, match="“by=2” is not a range parameter"):
        read_xlsform(bad)
