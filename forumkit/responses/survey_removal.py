"""Removing a survey from the forum file for good.

A survey with no responses goes quietly. One that still holds responses goes only when the
forum says its responses go too, and then as an erasure does: everything derived from them
first (the same :data:`~forumkit.responses.requests.ERASERS`), the database vacuumed and the
backup rewritten, so nothing of the parents' answers survives in either file. Tombstones keep
the survey and its responses from coming back by a later import or merge.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from forumkit import audit, tombstones
from forumkit.responses.query import response_ids
from forumkit.responses.requests import ERASERS, Disclosure, disclosures_of
from forumkit.surveys import SurveyHasResponses, get_survey
from forumkit.wording import plural

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

REMOVED = "survey_removed"


@dataclass(frozen=True)
class SurveyRemoval:
    """What removing a survey took away, and whom to tell about responses that left earlier."""

    survey_id: str
    form_id: str
    responses: int
    disclosures: tuple[Disclosure, ...]


def remove_survey(
    workspace: Workspace, reference: str, *, with_responses: bool = False
) -> SurveyRemoval:
    """Remove a survey, all its versions and (only ``with_responses``) all its responses.

    Raises :class:`~forumkit.surveys.SurveyHasResponses` when responses are held and
    ``with_responses`` is not given, leaving the file as it was.
    """
    db = workspace.db
    survey = get_survey(db, reference)
    ids = response_ids(db, survey.id)
    if ids and not with_responses:
        count = len(ids)
        raise SurveyHasResponses(
            f"The survey “{survey.form_id}” holds {plural(count, 'response')}; "
            "remove it only together with them (--with-responses), or archive it instead."
        )
    disclosures = tuple(disclosures_of(db, ids))
    counts: dict[str, int] = {}
    with workspace.transaction(REMOVED, purge=bool(ids)) as change:
        for eraser in ERASERS:
            for kind, number in eraser(db, ids).items():
                counts[kind] = counts.get(kind, 0) + number
        # The responses leave "erased" tombstones, as in a respondent's erasure: never back.
        versions = [
            str(row[0])
            for row in db.execute(
                "SELECT id FROM survey_versions WHERE survey_id = ?", [survey.id]
            ).fetchall()
        ]
        for version_id in versions:
            db.execute("DELETE FROM survey_questions WHERE version_id = ?", [version_id])
        db.execute("DELETE FROM survey_versions WHERE survey_id = ?", [survey.id])
        db.execute("DELETE FROM surveys WHERE id = ?", [survey.id])
        tombstones.bury(db, "survey", "removed", [survey.id])
        audit.record(
            db,
            REMOVED,
            {**counts, "versions": len(versions), "earlier_disclosures": len(disclosures)},
            [survey.id, *ids],
        )
        change.touch("surveys", survey.id)
        change.touch("responses", *ids)
    return SurveyRemoval(survey.id, survey.form_id, counts.get("responses", 0), disclosures)
