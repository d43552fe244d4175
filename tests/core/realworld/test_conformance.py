"""Every real XLSForm gathered (tests/fixtures/realworld/forms, FORMS.md says where each came
from) that pyxform, the reference converter, accepts, forumkit imports too — except the short
list below, refused on purpose, each with its reason. And every form forumkit imports (those and
the forms of the real exports, EXPORTS.md) comes back from ``survey export`` as the same survey,
in a workbook pyxform accepts wherever it accepted the original."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from forumkit.errors import ForumkitError
from forumkit.surveys import Survey
from forumkit.surveys.model import survey_to_dict
from forumkit.surveys.xlsform_read import read_xlsform
from forumkit.surveys.xlsform_write import export_xlsform

REALWORLD = Path(__file__).parents[2] / "fixtures" / "realworld"
FORMS = REALWORLD / "forms"

REFUSED_ON_PURPOSE = {
    "onadata/error_test_form.xlsx": "a calculation with an unclosed bracket: ODK Collect cannot "
    "run it either (pyxform does not check calculations)",
    "pyxform/bad_calc.xlsx": "a calculation that is an English sentence, not an expression",
    "pyxform/xl_date_ambiguous.xlsx": "a choice filter reading label::English, which XPath reads "
    "as an axis that does not exist",
    "osm-fieldwork/highways.xls": "a group and a question with the same name: forumkit keys "
    "answers and skip logic by name",
    "osm-fieldwork/transportation.xls": "a group and a question with the same name",
}


def _pyxform_accepts(path: Path) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            convert(xlsform=str(path))
    except Exception:  # pyxform raises many types for a form it refuses
        return False
    return True


FORM_FILES = sorted(FORMS.rglob("*.xls*"))


def test_the_corpus_is_large_and_varied() -> None:
    assert len(FORM_FILES) >= 150
    assert sum(1 for p in FORM_FILES if p.suffix == ".xls") >= 60
    assert len({p.parent.name for p in FORM_FILES}) >= 5


@pytest.mark.slow
@pytest.mark.parametrize("path", FORM_FILES, ids=[str(p.relative_to(FORMS)) for p in FORM_FILES])
def test_a_form_pyxform_accepts_is_imported(path: Path) -> None:
    name = str(path.relative_to(FORMS))
    accepted = _pyxform_accepts(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no Python warning may reach the chair
        try:
            read_xlsform(path)
            imported = True
        except ForumkitError:
            imported = False
    if name in REFUSED_ON_PURPOSE:
        assert accepted and not imported, f"{name} is listed as refused on purpose"
    elif accepted:
        assert imported, f"pyxform accepts {name}, forumkit refuses it"


def test_forumkit_imports_at_least_97_percent_of_what_pyxform_accepts() -> None:
    accepted = [p for p in FORM_FILES if _pyxform_accepts(p)]
    imported = 0
    for path in accepted:
        try:
            read_xlsform(path)
            imported += 1
        except ForumkitError:
            pass
    assert imported >= 0.97 * len(accepted)
    assert len(accepted) - imported == len(REFUSED_ON_PURPOSE)


OUTSIDE_CORPUS = os.environ.get("FORUMKIT_XLSFORM_CORPUS", "")
"""A folder of more real XLSForms kept outside the repository (too many, or licensed so that
they cannot be committed): set the variable to check them too."""

REASONS_ON_PURPOSE = {
    "does not parse": "an expression that cannot run (ODK Collect would fail on it too)",
    "is already used on row": "two questions, or a group and a question, with one name: "
    "forumkit keys answers, skip logic and exports by name",
}
"""Why forumkit refuses a form pyxform accepts, by the words of its refusal."""


@pytest.mark.slow
@pytest.mark.skipif(not OUTSIDE_CORPUS, reason="FORUMKIT_XLSFORM_CORPUS names no folder")
def test_a_larger_corpus_outside_the_repository() -> None:
    """Every form there that pyxform accepts and forumkit refuses is refused for one of the
    reasons above (on 2026-11-27, every version of every XLSForm in the histories of pyxform,
    onadata and osm-fieldwork: 478 accepted, 460 imported, 96.2 %; 13 reuse a name in another
    group, 5 hold an expression that cannot run)."""
    files = sorted(Path(OUTSIDE_CORPUS).rglob("*.xls*"))
    accepted = [path for path in files if _pyxform_accepts(path)]
    unexplained = {}
    for path in accepted:
        try:
            read_xlsform(path)
        except ForumkitError as error:
            if not any(words in str(error) for words in REASONS_ON_PURPOSE):
                unexplained[str(path.relative_to(OUTSIDE_CORPUS))] = str(error)
    assert len(accepted) >= 150
    assert unexplained == {}


def test_the_forms_refused_on_purpose_are_refused_for_a_listed_reason() -> None:
    for name in REFUSED_ON_PURPOSE:
        with pytest.raises(ForumkitError) as refusal:
            read_xlsform(FORMS / name)
        assert any(words in str(refusal.value) for words in REASONS_ON_PURPOSE), name


ROUND_TRIP_FILES = [*FORM_FILES, *sorted((REALWORLD / "export-forms").rglob("*.xls*"))]


def _as_read(survey: Survey) -> dict[str, object]:
    """A survey's content as a person meets it: rows moved by skipped ones are no change, and
    a question with no label shows its name whether or not the name is written as its label."""
    data = survey_to_dict(survey)
    for element, question in zip(data["elements"], survey.elements, strict=True):
        element.pop("row", None)
        if set(question.labels.values()) <= {question.name}:
            element["labels"] = survey.label(question)
    return data


@pytest.mark.slow
@pytest.mark.parametrize(
    "path", ROUND_TRIP_FILES, ids=[str(p.relative_to(REALWORLD)) for p in ROUND_TRIP_FILES]
)
def test_a_form_comes_back_from_survey_export(path: Path, tmp_path: Path) -> None:
    name = str(path.relative_to(FORMS)) if path.is_relative_to(FORMS) else ""
    accepted = _pyxform_accepts(path)
    try:
        survey = read_xlsform(path).survey
    except ForumkitError:
        assert name in REFUSED_ON_PURPOSE or not accepted
        return
    exported = tmp_path / "exported.xlsx"
    export_xlsform(survey, exported)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = read_xlsform(exported).survey
    assert _as_read(again) == _as_read(survey)
    if accepted:
        assert _pyxform_accepts(exported), f"pyxform accepts {path.name}, not its export"
