"""Every real XLSForm gathered (tests/fixtures/realworld/forms, FORMS.md says where each came
from) that pyxform, the reference converter, accepts, forumkit imports too — except the short
list below, refused on purpose, each with its reason."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from forumkit.errors import ForumkitError
from forumkit.surveys.xlsform_read import read_xlsform

FORMS = Path(__file__).parents[2] / "fixtures" / "realworld" / "forms"

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
