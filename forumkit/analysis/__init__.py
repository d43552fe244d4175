"""Analysis: counts, scores, cross-tabs and year on year, with small-cell suppression.

Every figure that can leave the forum file is protected so that no small count can be worked
out (``protection``; README, "Small-cell suppression"). The public API (the CLI, the app's
dashboard and the evidence pack use it):

- ``parse_filters(survey, ["phase=primary", …])`` → ``Scope`` (which complete responses count)
- ``settings_for(db, suppressed=True)`` → ``Settings`` (the forum's threshold; unsuppressed
  figures are for the forum only)
- ``analyse(db, survey, scope, settings)`` → ``Analysis``: every question's published table
  (``.data()`` is the ``analyse --json`` document; each question carries its chart spec)
- ``analyse_by(db, survey, attribute, scope, settings)`` → ``GroupedAnalysis``: cross-tabs
- ``edition_to_compare(db, survey, reference)`` and ``compare_editions(db, survey, previous,
  scope, settings)`` → ``Comparison``: year on year
- ``suppression_threshold(db)`` / ``set_suppression_threshold(workspace, t)`` (``check_threshold``)
- ``protect_counts`` / ``protect_grid``: the same protection for tables of counts made elsewhere
- ``prepare_tables_export(tables, path, password=…)`` → an ``ExportJob`` writing an analysis,
  cross-tabs or a comparison as the page shows them to xlsx (``export_tables`` runs it)

Charts: every published table carries its chart specification, plain typed data the app and
the pack both draw (so they show the same numbers): ``QuestionResult.chart()`` →
``ChartSpec`` (bars: ``ChartBar``), ``CrosstabResult.chart(labels)`` → ``GroupedChartSpec``
(``ChartSeries``), ``ComparedQuestion.chart()`` → ``ComparisonChartSpec`` (``ComparedBar``,
``EditionBar``). A suppressed bar has no count and no percentage, only its mark.
"""

from __future__ import annotations

from forumkit.analysis.charts import (
    ChartBar,
    ChartSeries,
    ChartSpec,
    ComparedBar,
    ComparisonChartSpec,
    EditionBar,
    GroupedChartSpec,
)
from forumkit.analysis.editions import (
    ComparedQuestion,
    Comparison,
    compare_editions,
    earlier_editions,
    edition_to_compare,
)
from forumkit.analysis.errors import (
    AnalysisError,
    EditionError,
    FilterError,
    GroupingError,
    ThresholdError,
)
from forumkit.analysis.grid import GridDisplays, protect_counts, protect_grid
from forumkit.analysis.protection import Display
from forumkit.analysis.report import (
    Analysis,
    CrosstabResult,
    GroupedAnalysis,
    QuestionResult,
    Settings,
    analyse,
    analyse_by,
    settings_for,
)
from forumkit.analysis.scope import AnswerIs, Scope, parse_filters
from forumkit.analysis.settings import (
    DEFAULT_THRESHOLD,
    HIGHEST_THRESHOLD,
    LOWEST_THRESHOLD,
    check_threshold,
    set_suppression_threshold,
    suppression_threshold,
)
from forumkit.analysis.workbook import (
    AnalysisTables,
    TablesExport,
    TablesExportError,
    export_tables,
    prepare_tables_export,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "HIGHEST_THRESHOLD",
    "LOWEST_THRESHOLD",
    "Analysis",
    "AnalysisError",
    "AnalysisTables",
    "AnswerIs",
    "ChartBar",
    "ChartSeries",
    "ChartSpec",
    "ComparedBar",
    "ComparedQuestion",
    "Comparison",
    "ComparisonChartSpec",
    "CrosstabResult",
    "Display",
    "EditionBar",
    "EditionError",
    "FilterError",
    "GridDisplays",
    "GroupedAnalysis",
    "GroupedChartSpec",
    "GroupingError",
    "QuestionResult",
    "Scope",
    "Settings",
    "TablesExport",
    "TablesExportError",
    "ThresholdError",
    "analyse",
    "analyse_by",
    "check_threshold",
    "compare_editions",
    "earlier_editions",
    "edition_to_compare",
    "export_tables",
    "parse_filters",
    "prepare_tables_export",
    "protect_counts",
    "protect_grid",
    "set_suppression_threshold",
    "settings_for",
    "suppression_threshold",
]
