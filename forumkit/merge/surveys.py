"""Surveys across copies: the forum's settings of each survey, and every version of its form.

Survey and version ids come from the form itself (``forumkit.surveys``), so copies that
imported the same XLSForm hold the same survey and the same versions. A version this file
lacks comes across whole, with its questions, numbered after this file's own versions (the
numbers beside a survey are this file's count, for people; ids are what copies share). Which
version is current follows ``current_since``: each version keeps the later of the two copies'
times, so the version made current last, in any copy, is current after merging. A survey's
own settings (its name, consent questions, archive) are a record like any other, compared by
version. A survey removed in this file stays out, with everything of it.
"""

from __future__ import annotations

from forumkit.merge.records import Merging, merge_records, read_theirs
from forumkit.tombstones import buried


def merge_surveys(merging: Merging) -> set[str]:
    """Bring the other copy's surveys and versions in; the ids of the surveys both now hold."""
    conn = merging.conn
    theirs = read_theirs(merging, "survey")
    gone = buried(merging.db, set(theirs))
    merging.result.removed_earlier += len(gone)
    coming = {survey_id: version for survey_id, version in theirs.items() if survey_id not in gone}
    merge_records(merging, "survey", coming)
    versions = merging.other.conn.execute(
        "SELECT id, survey_id, version, title, form_version, imported, definition, "
        "current_since FROM survey_versions ORDER BY survey_id, version"
    ).fetchall()
    held = {
        str(row[0]): str(row[1])
        for row in conn.execute("SELECT id, current_since FROM main.survey_versions").fetchall()
    }
    numbers = dict(
        conn.execute("SELECT survey_id, MAX(version) FROM main.survey_versions GROUP BY survey_id")
    )
    for version_id, survey_id, _, title, form_version, imported, definition, since in versions:
        if survey_id not in coming:
            continue
        if version_id in held:
            if since > held[version_id]:
                conn.execute(
                    "UPDATE main.survey_versions SET current_since = ? WHERE id = ?",
                    [since, version_id],
                )
                merging.touch("surveys", survey_id)
            continue
        number = int(numbers.get(survey_id) or 0) + 1
        numbers[survey_id] = number
        conn.execute(
            "INSERT INTO main.survey_versions (id, survey_id, version, title, form_version, "
            "imported, definition, current_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [version_id, survey_id, number, title, form_version, imported, definition, since],
        )
        conn.executemany(
            "INSERT INTO main.survey_questions (id, version_id, position, name, type, list_name, "
            "label) VALUES (?, ?, ?, ?, ?, ?, ?)",
            merging.other.conn.execute(
                "SELECT id, version_id, position, name, type, list_name, label "
                "FROM survey_questions WHERE version_id = ?",
                [version_id],
            ).fetchall(),
        )
        merging.result.survey_versions += 1
        merging.touch("surveys", survey_id)
    return set(coming)
