"""The import wizard: responses from an online form's spreadsheet (Google Forms, Microsoft Forms,
SurveyMonkey, KoboToolbox, a forumkit export or a plain sheet), step by step.

Pick a file → the detected format and a column-to-question mapping (matched automatically, each
column editable, saveable to a mapping file for next time) → a dry run listing every row problem
(row, column, reason) and the rows edited in the source since they were imported (their responses
to be updated, the earlier answers purged), with Back to fix the mapping or "Check the file again"
after correcting the rows → Import → a summary (imported, updated, duplicates skipped).

``forumkit.importers`` does all the work. Reading and checking the file (``plan_import``,
``ImportPlan.remap``) is pure and runs in a worker with a progress bar and Cancel; cancelling
leaves the forum file as it was. Only ``run_import`` (one transaction) and ``already_held`` (the
dry run's reading) touch the forum file, on the GUI thread.

One module per page: ``file_page`` (survey, file, format), ``mapping_page`` (which column
answers which question, saved mappings), ``check_page`` (the dry run) and ``summary_page``;
``targets`` words and encodes what a column may answer (the rule itself is the core's
``column_targets``); ``wizard`` holds the window and the background reading.
"""

from __future__ import annotations

from ui.import_wizard.wizard import ImportWizard, import_action

__all__ = ["ImportWizard", "import_action"]
