"""Where a designed survey starts and how it is kept: blank, from the shipped template, or as
next year's edition of a survey the forum already has; saved as a new survey or a new version.

Saving follows the import's rules (``forumkit.surveys.store``): ids derive from the ``form_id``
and the content, so a designed survey merges between laptops like an imported one, and a
changed survey is a new version, so responses already given keep the version they answered —
editing never changes what they mean. The one setting that spans versions, which questions
record consent, is not changed from the designer once responses exist: that would change which
parents' words may leave the file, so it stays a deliberate step on the Surveys page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import sqlite_utils

from forumkit import audit, tombstones
from forumkit.paths import resource_path
from forumkit.surveys.design import DEFAULT_LANGUAGE, form_id_from_title, next_year
from forumkit.surveys.design_checks import DesignProblem, SurveyDesignError, check_design
from forumkit.surveys.model import Survey
from forumkit.surveys.store import (
    get_survey,
    held_survey,
    insert_version,
    survey_id_for,
    version_id_for,
    version_stamp,
)
from forumkit.surveys.xlsform_read import read_xlsform

if TYPE_CHECKING:
    from forumkit.workspace import Workspace


@dataclass(frozen=True)
class SurveyTemplate:
    """A survey forumkit ships to start from: an XLSForm under ``resources/``."""

    key: str
    title: str
    description: str
    resource: tuple[str, ...]

    def path(self) -> Path:
        return resource_path(*self.resource)


PARENT_EXPERIENCE = ("demo", "parent-survey-2026.xlsx")
"""The parent-experience template's XLSForm under ``resources/``: also the demo forum's survey
(``forumkit.demo.DEMO_SURVEY_FILE``), so what a newcomer explores is what they start from."""

TEMPLATES: tuple[SurveyTemplate, ...] = (
    SurveyTemplate(
        "parent-experience",
        "Parent carer experience survey",
        "A short survey of parents' experience of SEND support: the child's age, needs, "
        "support and school; satisfaction items (1 to 5); an overall score out of 10; two "
        "questions in the parent's own words; and the two consent questions.",
        PARENT_EXPERIENCE,
    ),
)
"""The surveys forumkit ships to start from."""


def template(key: str) -> SurveyTemplate:
    """The shipped template called ``key``."""
    for candidate in TEMPLATES:
        if candidate.key == key:
            return candidate
    raise SurveyDesignError([DesignProblem("", f"forumkit ships no survey template “{key}”.")])


def taken_form_ids(db: sqlite_utils.Database) -> set[str]:
    """Every ``form_id`` the forum file holds (a removed survey's is refused on saving: its
    id stays buried)."""
    return {str(row[0]) for row in db.execute("SELECT form_id FROM surveys").fetchall()}


def blank_survey(title: str, taken: set[str] | None = None) -> Survey:
    """A new survey with nothing in it yet, written in English."""
    return Survey(
        form_id=form_id_from_title(title, taken or ()),
        title=title,
        elements=(),
        default_language=DEFAULT_LANGUAGE,
    )


def from_template(key: str, title: str, taken: set[str] | None = None) -> Survey:
    """A new survey holding a shipped template's questions, under the chair's title."""
    read = read_xlsform(template(key).path()).survey
    return replace(
        read,
        title=title,
        form_id=form_id_from_title(title, taken or ()),
        form_version="",
        previous_form_id="",
    )


def next_edition(last: Survey, title: str | None = None, taken: set[str] | None = None) -> Survey:
    """This year's survey as a copy of ``last`` (last year's edition): the same questions, a
    new title (the year moved on unless given) and ``form_id``, linked to ``last`` so analysis
    can compare the years."""
    new_title = title if title is not None else next_year(last.title)
    if new_title == last.title:
        new_title = f"{last.title} (next edition)"
    used = set(taken or ()) | {last.form_id}
    wanted = next_year(last.form_id)
    form_id = wanted if wanted not in used else form_id_from_title(new_title, used)
    return replace(
        last,
        title=new_title,
        form_id=form_id,
        form_version="",
        previous_form_id=last.form_id,
        id="",
        version=0,
        version_id="",
    )


@dataclass(frozen=True)
class DesignSaved:
    """What saving a design did: ``added`` (a new survey), ``new_version``, ``updated`` (the
    same questions with a new title or settings) or ``unchanged``; and the survey as stored."""

    survey: Survey
    status: str


def response_count(db: sqlite_utils.Database, survey_id: str) -> int:
    """How many responses (drafts too) a survey holds, over all its versions."""
    row = db.execute("SELECT COUNT(*) FROM responses WHERE survey_id = ?", [survey_id]).fetchone()
    return int(row[0])


def save_design(workspace: Workspace, survey: Survey) -> DesignSaved:
    """Check a designed survey and keep it: a new survey, or a new version of the one it was
    opened from (its ``form_id``). Refused with ``SurveyDesignError`` — the file unchanged —
    when the design has a problem, when a new survey's ``form_id`` is taken, or when it would
    change the consent questions of a survey that already has responses."""
    check_design(survey)
    db = workspace.db
    survey_id = survey_id_for(survey.form_id)
    held = held_survey(db, survey_id)
    if tombstones.reason(db, survey_id) is not None or (held is not None and not survey.id):
        raise SurveyDesignError(
            [
                DesignProblem(
                    "",
                    f"This forum file already has (or had) a survey with the form id "
                    f"“{survey.form_id}”; give the new survey another one.",
                )
            ]
        )
    version_id = version_id_for(survey_id, survey)
    now = version_stamp()
    settings = {
        "title": " ".join(survey.title.split()),
        "previous_form_id": survey.previous_form_id,
        "consent_quote": survey.consent_quote,
        "consent_share": survey.consent_share,
    }
    if held is None:
        with workspace.transaction("survey_designed") as change:
            db.execute(
                "INSERT INTO surveys (id, form_id, title, previous_form_id, created, "
                "consent_quote, consent_share, consent_set_at, consent_set_by, renamed) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'forum', 1)",
                [
                    survey_id,
                    survey.form_id,
                    settings["title"],
                    survey.previous_form_id,
                    now,
                    survey.consent_quote,
                    survey.consent_share,
                    now,
                ],
            )
            insert_version(db, survey_id, version_id, 1, survey, now)
            _record(db, survey_id, version_id, survey)
            change.touch("surveys", survey_id)
        return DesignSaved(get_survey(db, survey_id), "added")
    current = get_survey(db, survey_id)
    updates: dict[str, object] = {
        column: value for column, value in settings.items() if value != getattr(current, column)
    }
    consent_moved = "consent_quote" in updates or "consent_share" in updates
    if consent_moved and response_count(db, survey_id):
        raise SurveyDesignError(
            [
                DesignProblem(
                    survey.consent_quote or survey.consent_share,
                    "This survey already has responses, so its consent questions are not "
                    "changed here; choose them with “Consent questions…” on the Surveys page.",
                )
            ]
        )
    new_version = version_id not in held.versions
    made_current = not new_version and version_id != held.current_version_id
    if not (new_version or made_current or updates):
        return DesignSaved(current, "unchanged")
    with workspace.transaction("survey_designed") as change:
        if new_version:
            ordinal = max(held.versions.values()) + 1
            insert_version(db, survey_id, version_id, ordinal, survey, now)
        elif made_current:
            db.execute(
                "UPDATE survey_versions SET current_since = ? WHERE id = ?", [now, version_id]
            )
        if "title" in updates:
            updates["renamed"] = 1
        if consent_moved:
            updates.update(consent_set_at=now, consent_set_by="forum")
        if updates:
            assignments = ", ".join(f"{column} = ?" for column in updates)
            db.execute(
                f"UPDATE surveys SET {assignments} WHERE id = ?",  # noqa: S608 (constant columns)
                [*updates.values(), survey_id],
            )
        _record(db, survey_id, version_id, survey)
        change.touch("surveys", survey_id)
        if consent_moved:
            change.touch("responses")
    status = "new_version" if new_version or made_current else "updated"
    return DesignSaved(get_survey(db, survey_id), status)


def _record(db: sqlite_utils.Database, survey_id: str, version_id: str, survey: Survey) -> None:
    audit.record(
        db,
        "survey_designed",
        {"questions": len(survey.questions)},
        [survey_id, version_id],
    )
