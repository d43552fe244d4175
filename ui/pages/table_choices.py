"""What this computer remembers of the responses table, per survey: the columns shown and the
column and direction it is sorted by (QSettings, never the forum file).

Never a search text or a filter's value: those are a parent's words, dropped when the file
locks like every other decrypted value, so after a lock the table comes back with the same
columns and order and no search.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSettings

from forumkit.surveys import Survey
from ui.models.responses_table import TableColumn, all_columns, default_columns


def columns_key(survey: Survey) -> str:
    return f"responses/columns/{survey.form_id}"


def sort_key(survey: Survey) -> str:
    return f"responses/sort/{survey.form_id}"


def saved_columns(settings: QSettings, survey: Survey) -> list[TableColumn]:
    """The columns last chosen for ``survey`` (its defaults when none, or none still exist)."""
    keys = settings.value(columns_key(survey))
    if isinstance(keys, str):
        keys = [keys]
    if not isinstance(keys, list) or not keys:
        return default_columns(survey)
    known = {c.key: c for c in all_columns(survey)}
    chosen = [known[k] for k in keys if isinstance(k, str) and k in known]
    return chosen or default_columns(survey)


def keep_columns(settings: QSettings, survey: Survey, columns: Sequence[TableColumn]) -> None:
    settings.setValue(columns_key(survey), [c.key for c in columns])


def saved_sort(
    settings: QSettings, survey: Survey, columns: Sequence[TableColumn]
) -> tuple[int, bool] | None:
    """The column (index among ``columns``) and whether descending, as last sorted."""
    kept = settings.value(sort_key(survey))
    if not isinstance(kept, str) or "|" not in kept:
        return None
    key, direction = kept.rsplit("|", 1)
    keys = [column.key for column in columns]
    return (keys.index(key), direction == "desc") if key in keys else None


def keep_sort(settings: QSettings, survey: Survey, column: TableColumn, descending: bool) -> None:
    settings.setValue(sort_key(survey), f"{column.key}|{'desc' if descending else 'asc'}")
