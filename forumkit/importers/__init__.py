"""Importing responses from spreadsheets that online forms export (xlsx or csv).

Formats: Google Forms, Microsoft Forms, SurveyMonkey, KoboToolbox/ODK, forumkit's own export
and plain spreadsheets with question names or labels as headings (one module each). The public
API, for the CLI and the desktop app's import wizard:

- ``plan_import(survey, path, *, format="auto", mapping=None)`` → ``ImportPlan``: the detected
  format, each column's mapping, unmapped columns, the rows as checked responses, every problem
  (row, column, reason) and warnings. Pure: it reads the file, never the forum file.
  ``plan.remap(survey, mapping)`` plans again with a changed mapping.
- ``run_import(workspace, survey, plan)`` → ``AddedResponses``: stores the rows in one
  transaction, all or nothing; rows imported before (same ``source_key``) count as duplicates,
  and rows edited in the source since they were imported update their response (``updated``),
  purging what they replace; older versions (``outdated``) and responses corrected in
  forumkit (``kept_corrected``) are left as held. With ``skip_bad_rows=True`` the rows that
  passed are stored and the problem rows left out; ``prepare_set_aside(plan, path,
  password=…)`` is the export job writing those rows to a spreadsheet to correct and import
  again (``set_aside``).
- ``already_held(db, plan)`` → ``SortedIncoming``: what the import will do, row by row, for a
  dry run: ``new``, ``changed`` (``changed_rows``: the row numbers to show as "changed"),
  ``duplicates``, ``outdated``, ``kept_rows``, ``removed_earlier``. ``plan.made`` is when the
  export was made (its file's time), which decides which of two versions is newer.
- ``load_mapping(path)`` / ``save_mapping(mapping, path)``: a ``--mapping`` file; its shape is
  described in ``forumkit.importers.mapping``.
- ``column_targets(survey)``: every question (and multi-select option) a column may answer,
  the one list the import wizard offers and a mapping file may name.
- ``changed_sentence``, ``skipped_sentences``, ``kept_sentence``: what an import does to the
  responses already held, in the words the wizard and the command line both show.
"""

from __future__ import annotations

from forumkit.importers.errors import ImportFileError, ImportRejected, MappingFileError, StalePlan
from forumkit.importers.mapping import (
    ColumnMapping,
    ColumnPlan,
    ColumnTarget,
    MappingTarget,
    column_targets,
    load_mapping,
    mapping_to_json,
    save_mapping,
)
from forumkit.importers.outcome import changed_sentence, kept_sentence, skipped_sentences
from forumkit.importers.plan import FORMAT_CHOICES, FORMATS, ImportPlan, plan_import
from forumkit.importers.rows import ImportProblem
from forumkit.importers.run import already_held, count_duplicates, run_import
from forumkit.importers.set_aside import SET_ASIDE, SetAside, prepare_set_aside, set_aside_rows

__all__ = [
    "FORMATS",
    "FORMAT_CHOICES",
    "SET_ASIDE",
    "ColumnMapping",
    "ColumnPlan",
    "ColumnTarget",
    "ImportFileError",
    "ImportPlan",
    "ImportProblem",
    "ImportRejected",
    "MappingFileError",
    "MappingTarget",
    "SetAside",
    "StalePlan",
    "already_held",
    "changed_sentence",
    "column_targets",
    "count_duplicates",
    "kept_sentence",
    "load_mapping",
    "mapping_to_json",
    "plan_import",
    "prepare_set_aside",
    "run_import",
    "save_mapping",
    "set_aside_rows",
    "skipped_sentences",
]
