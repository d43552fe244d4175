"""Designing a survey without a spreadsheet: the edits, the problems listed as you go, the
starting points (blank, template, last year's) and saving as a survey or a new version."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from forumkit import demo
from forumkit.importers import plan_import, run_import
from forumkit.paths import resource_path
from forumkit.responses import add_response, get_response, list_responses
from forumkit.surveys import (
    TEMPLATES,
    Choice,
    Limits,
    SkipRule,
    Survey,
    SurveyDesignError,
    add_question,
    add_section,
    blank_survey,
    change_kind,
    check_design,
    check_response,
    choices_changed,
    consent_changed,
    design_problems,
    export_xlsform,
    from_template,
    get_survey,
    import_xlsform,
    limits_expression,
    list_surveys,
    move_by,
    move_to,
    name_from_label,
    next_edition,
    next_year,
    question_changed,
    read_limits,
    read_skip_rule,
    read_xlsform,
    remove,
    save_design,
    skip_expression,
    taken_form_ids,
)
from forumkit.workspace import Workspace
from tests.conftest import decrypted


def five_questions() -> Survey:
    """The survey the issue asks for: a section, a choice-based skip rule and a consent."""
    survey = blank_survey("Short breaks survey 2026")
    survey, section = add_section(survey, "About your child")
    survey, support = add_question(survey, "select_one", "What support does your child have?")
    survey = move_to(survey, support, 1)  # into the section
    choices = survey.choice_lists[survey.question(support).list_name]
    survey = choices_changed(
        survey,
        choices.name,
        [
            Choice("ehcp", {"English (en)": "Yes, an EHCP"}),
            Choice("sen_support", {"English (en)": "SEN support"}),
        ],
    )
    survey, age = add_question(survey, "integer", "Your child's age", after=support)
    survey = question_changed(
        survey,
        age,
        constraint=limits_expression(Limits(minimum=0, maximum=25)),
        constraint_messages={"English (en)": "Enter an age from 0 to 25."},
        required="yes",
    )
    survey, plan = add_question(survey, "scale", "How good is the plan?")
    survey = question_changed(
        survey, plan, relevant=skip_expression(survey, SkipRule(support, "ehcp"))
    )
    survey, _ = add_question(survey, "long_text", "Tell us about your experience")
    survey, consent = add_question(survey, "yes_no", "May we quote your words anonymously?")
    survey = consent_changed(survey, consent, "quote", records=True)
    assert section == "about_your_child"
    return survey


def test_names_come_from_labels() -> None:
    assert name_from_label("What support does your child have?") == "what_support_your_child_have"
    long = "How satisfied are you with the Local Offer and the services it lists?"
    assert len(name_from_label(long)) <= 32
    assert name_from_label("Élève à l'école") == "eleve_a_l_ecole"
    assert name_from_label("Age", taken={"age"}) == "age_2"
    assert name_from_label("2 questions") == "q_2_questions"
    assert next_year("Parent survey 2025") == "Parent survey 2026"
    assert next_year("Survey 2025-26") == "Survey 2026-27"


def test_a_designed_survey_checks_answers_like_an_imported_one() -> None:
    survey = five_questions()
    assert design_problems(survey) == []
    assert [e.name for e in survey.elements][:3] == [
        "about_your_child",
        "what_support_your_child_have",
        "your_child_s_age",
    ]
    inside = survey.question("your_child_s_age")
    assert inside.group == ("about_your_child",)
    skipped = check_response(survey, {"what_support_your_child_have": "sen_support"})
    assert "how_good_is_the_plan" in skipped.hidden
    shown = check_response(
        survey, {"what_support_your_child_have": "ehcp", "your_child_s_age": "30"}
    )
    assert "how_good_is_the_plan" not in shown.hidden
    assert [p.question for p in shown.problems] == ["your_child_s_age"]


def test_export_is_an_xlsform_pyxform_takes_and_reimports_identically(tmp_path: Path) -> None:
    survey = five_questions()
    path = tmp_path / "designed.xlsx"
    export_xlsform(survey, path)
    warnings: list[str] = []
    xform = convert(str(path), warnings=warnings).xform
    assert "how_good_is_the_plan" in xform and "selected" not in xform  # = 'ehcp' rule
    assert read_xlsform(path).survey == survey


def test_moving_passes_section_edges_and_sections_move_whole() -> None:
    survey = five_questions()
    first = "what_support_your_child_have"
    moved = move_by(survey, first, -1)  # past the section's heading: out of the section
    assert moved.elements[0].name == first and moved.question(first).group == ()
    plan = "how_good_is_the_plan"
    into = move_by(survey, plan, -1)  # past the section's end: into it
    assert into.question(plan).group == ("about_your_child",)
    survey, other = add_section(survey, "Your words")
    survey = move_by(survey, other, -1)  # past the whole neighbouring... question
    before = [e.name for e in survey.elements]
    swapped = move_by(survey, "about_your_child", +1)
    assert [e.name for e in swapped.elements] != before
    assert swapped.question("your_child_s_age").group == ("about_your_child",)
    assert move_by(swapped, swapped.elements[0].name, -1) == swapped


def test_problems_are_listed_naming_the_question() -> None:
    survey = five_questions()
    empty = question_changed(survey, "your_child_s_age", labels={})
    [problem] = design_problems(empty)
    assert problem.question == "your_child_s_age" and "no words" in problem.message
    twice = question_changed(survey, "how_good_is_the_plan", name="your_child_s_age")
    assert any("same name" in p.message for p in design_problems(twice))
    later = question_changed(
        survey,
        "your_child_s_age",
        relevant="${tell_us_about_your_experience} = 'x'",
    )
    [problem] = design_problems(later)
    assert "later question" in problem.message and "Your child's age" in problem.message
    support = survey.question("what_support_your_child_have")
    renamed_choice = choices_changed(
        survey,
        support.list_name,
        [Choice("plan", {"English (en)": "Yes, an EHCP"}), Choice("sen_support", {})],
    )
    messages = [p.message for p in design_problems(renamed_choice)]
    assert any("no longer offers" in m and "How good is the plan?" in m for m in messages)
    assert any("a choice with no words (sen_support)" in m for m in messages)
    broken = question_changed(survey, "your_child_s_age", constraint=". >= ")
    assert "does not read" in design_problems(broken)[0].message
    with pytest.raises(SurveyDesignError, match="no words"):
        check_design(empty)


def test_renaming_carries_into_rules_and_consent() -> None:
    survey = five_questions()
    renamed = question_changed(survey, "what_support_your_child_have", name="support")
    assert renamed.question("how_good_is_the_plan").relevant == "${support} = 'ehcp'"
    assert read_skip_rule(renamed, "${support} = 'ehcp'") == SkipRule("support", "ehcp")
    consent = question_changed(renamed, "may_we_quote_your_words", name="consent_quote")
    assert consent.consent_quote == "consent_quote"
    gone = remove(consent, "consent_quote")
    assert gone.consent_quote == "" and "yes_no" not in gone.choice_lists


def test_limits_and_kinds() -> None:
    assert read_limits(". >= 0 and . <= 25") == Limits(minimum=0, maximum=25)
    assert read_limits("string-length(.) <= 200") == Limits(max_length=200)
    assert read_limits("regex(., '^[0-9]+$')") is None
    survey = five_questions()
    as_choice = change_kind(survey, "tell_us_about_your_experience", "select_multiple")
    question = as_choice.question("tell_us_about_your_experience")
    assert question.type == "select_multiple" and question.list_name in as_choice.choice_lists
    assert skip_expression(as_choice, SkipRule(question.name, "option_1")) == (
        "selected(${tell_us_about_your_experience}, 'option_1')"
    )


def test_saving_a_design_then_editing_after_responses_makes_a_new_version(
    workspace: Workspace,
) -> None:
    saved = save_design(workspace, five_questions())
    assert saved.status == "added" and saved.survey.version == 1
    assert saved.survey == five_questions()
    assert saved.survey.consent_quote == "may_we_quote_your_words"
    response = add_response(
        workspace,
        saved.survey,
        {
            "what_support_your_child_have": "ehcp",
            "your_child_s_age": "9",
            "how_good_is_the_plan": "7",
        },
        status="complete",
    )
    assert save_design(workspace, saved.survey).status == "unchanged"
    edited, _ = add_question(saved.survey, "text", "Anything else?")
    again = save_design(workspace, edited)
    assert again.status == "new_version" and again.survey.version == 2
    assert again.survey.id == saved.survey.id
    assert get_response(workspace.db, response.id).version_id == saved.survey.version_id
    assert get_survey(workspace.db, saved.survey.id, version=1) == saved.survey
    before = decrypted(workspace.path)
    moved = consent_changed(again.survey, "may_we_quote_your_words", "quote", records=False)
    with pytest.raises(SurveyDesignError, match="already has responses"):
        save_design(workspace, moved)
    assert decrypted(workspace.path) == before


def test_a_broken_design_or_a_taken_form_id_leaves_the_file_as_it_was(
    workspace: Workspace,
) -> None:
    saved = save_design(workspace, five_questions()).survey
    before = decrypted(workspace.path)
    with pytest.raises(SurveyDesignError, match="no words"):
        save_design(workspace, question_changed(saved, "your_child_s_age", labels={}))
    with pytest.raises(SurveyDesignError, match="form id"):
        save_design(workspace, _with_form_id(saved.form_id))
    assert decrypted(workspace.path) == before
    assert len(list_surveys(workspace.db)) == 1


def _with_form_id(form_id: str) -> Survey:
    survey, _ = add_question(blank_survey("Other"), "text", "Anything?")
    return replace(survey, form_id=form_id)


def test_next_edition_is_linked_to_last_year(workspace: Workspace) -> None:
    last = save_design(workspace, five_questions()).survey
    this_year = next_edition(last, taken=taken_form_ids(workspace.db))
    assert this_year.title == "Short breaks survey 2027"
    assert this_year.previous_form_id == last.form_id and this_year.form_id != last.form_id
    saved = save_design(workspace, this_year).survey
    assert saved.id != last.id and saved.elements == last.elements
    [summary] = [s for s in list_surveys(workspace.db) if s.id == saved.id]
    assert summary.previous_form_id == last.form_id


def test_the_template_is_the_demo_survey_and_pyxform_takes_it(
    workspace: Workspace, tmp_path: Path
) -> None:
    [shipped] = TEMPLATES
    assert shipped.path() == resource_path(*demo.DEMO_SURVEY_FILE)
    convert(str(shipped.path()), warnings=[])
    survey = from_template(shipped.key, "Our survey 2026")
    kinds = {q.type for q in survey.questions}
    assert {"select_one", "select_multiple", "range", "text"} <= kinds
    assert survey.consent_quote and survey.consent_share
    assert design_problems(survey) == []
    saved = save_design(workspace, survey).survey
    path = tmp_path / "ours.xlsx"
    export_xlsform(saved, path)
    convert(str(path), warnings=[])
    assert import_xlsform(workspace, path).status == "unchanged"


def test_an_online_forms_export_imports_into_a_designed_survey(
    workspace: Workspace, tmp_path: Path
) -> None:
    survey = save_design(workspace, five_questions()).survey
    export = tmp_path / "online.csv"
    export.write_text(
        "What support does your child have?,Your child's age,How good is the plan?,"
        "Tell us about your experience,May we quote your words anonymously?\n"
        "Yes an EHCP,9,7,Fine,Yes\n"
        "SEN support,12,3,,No\n",
        encoding="utf-8",
    )
    plan = plan_import(survey, export)
    assert not plan.problems
    assert {c.question for c in plan.columns} >= {"how_good_is_the_plan", "your_child_s_age"}
    run_import(workspace, survey, plan)
    first, second = list_responses(workspace.db, survey.id)
    assert first.answers["how_good_is_the_plan"] == 7
    assert "how_good_is_the_plan" not in second.answers  # the skip rule hides it
    assert second.answers["may_we_quote_your_words"] == "no"
