"""The analysis tables as a workbook: what the Analysis page shows, for a chair's report.

Every figure comes from the published tables' chart specifications (the figures the page and
the pack draw), so a suppressed count is written as its mark (``<5``, ``*``), never its value.
When the tables were made for the forum only (every figure, small ones too), the About sheet
says so on its first line. The workbook holds counts and labels only, no parent's words; it is
built in memory (``forumkit.spreadsheets``), written by the export job (``forumkit.exports``:
prepare here, write anywhere, record in the audit log) and may carry a password.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from forumkit.analysis.charts import ChartBar, EditionBar
from forumkit.analysis.editions import Comparison
from forumkit.analysis.errors import AnalysisError
from forumkit.analysis.published import FORUM_ONLY, figure
from forumkit.analysis.report import Analysis, GroupedAnalysis
from forumkit.exports import ExportJob, run_export
from forumkit.spreadsheets import Cell, Sheet, encrypt_xlsx, xlsx_bytes

if TYPE_CHECKING:
    from forumkit.workspace import Workspace

TABLES_EXPORTED = "analysis_tables_exported"
"""The audit-log action of a tables export."""

AnalysisTables = Analysis | GroupedAnalysis | Comparison
"""What the Analysis page shows: one survey, split by an attribute, or against last year."""


class TablesExportError(AnalysisError):
    """Analysis tables that cannot be written as asked (not .xlsx, an empty password)."""


@dataclass(frozen=True)
class TablesExport:
    """What a tables export wrote."""

    path: Path
    questions: int
    suppressed: bool
    encrypted: bool


def _figure(bar: ChartBar | EditionBar | None) -> Cell:
    """A published count: the number, or its mark when suppressed; empty when not asked."""
    if bar is None:
        return "not asked"
    shown = bar["shown"]
    return int(shown) if not bar["suppressed"] and shown.isdigit() else shown


def _percent(bar: ChartBar | EditionBar | None) -> Cell:
    return None if bar is None else bar["percent"]


def _single(analysis: Analysis) -> list[Sequence[Cell]]:
    rows: list[Sequence[Cell]] = []
    for result in analysis.questions:
        spec = result.chart()
        rows.append((spec["title"], f"base: {spec['base']} ({spec['base_of']})"))
        rows.append(("answer", "count", "per cent"))
        rows += [(bar["label"], _figure(bar), _percent(bar)) for bar in spec["bars"]]
        rows.append(())
    return rows


def _grouped(analysis: GroupedAnalysis) -> list[Sequence[Cell]]:
    rows: list[Sequence[Cell]] = []
    labels = analysis.group_labels()
    for result in analysis.questions:
        spec = result.chart(labels)
        series = spec["series"]
        rows.append((spec["title"],))
        rows.append(("answer", *(f"{group['label']} (n = {group['base']})" for group in series)))
        answers = [bar["label"] for bar in series[0]["bars"]] if series else []
        for row, answer in enumerate(answers):
            rows.append((answer, *(_figure(group["bars"][row]) for group in series)))
        rows.append(())
    return rows


def _compared(comparison: Comparison) -> list[Sequence[Cell]]:
    rows: list[Sequence[Cell]] = []
    for compared in comparison.questions:
        spec = compared.chart()
        then, now = spec["editions"]
        rows.append(
            (spec["title"], f"base: {spec['bases'][0]} in {then}, {spec['bases'][1]} in {now}")
        )
        rows.append(
            (
                "answer",
                f"{then} count",
                f"{then} per cent",
                f"{now} count",
                f"{now} per cent",
                "change (points)",
            )
        )
        for bar in spec["bars"]:
            rows.append(
                (
                    bar["label"],
                    _figure(bar["previous"]),
                    _percent(bar["previous"]),
                    _figure(bar["current"]),
                    _percent(bar["current"]),
                    bar["change"],
                )
            )
        rows.append(())
    left_out = [
        (result.shown.table.measure.label, reason) for result, reason in comparison.not_comparable
    ]
    left_out += [
        (r.shown.table.measure.label, "only asked this year") for r in comparison.only_in_current
    ]
    left_out += [
        (r.shown.table.measure.label, "only asked in the earlier edition")
        for r in comparison.only_in_previous
    ]
    if left_out:
        rows.append(("not compared", "why"))
        rows += left_out
    return rows


def _about(tables: AnalysisTables) -> list[Sequence[Cell]]:
    current = tables.current if isinstance(tables, Comparison) else tables
    settings = current.settings
    first: Sequence[Cell] = (
        (FORUM_ONLY,)
        if not settings.suppressed
        else ("Counts are suppressed as a pack publishes them.",)
    )
    rows: list[Sequence[Cell]] = [first, ("survey", current.survey.title)]
    if isinstance(tables, Comparison):
        rows.append(("compared with", tables.previous.survey.title))
    if isinstance(tables, GroupedAnalysis):
        rows.append(("split by", tables.attribute.shown.table.measure.label))
    for name, value in current.scope.describe().items():
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        rows.append((f"filter: {name}", shown))
    counted = figure(settings.universe(current.responses), current.responses, settings.threshold)
    rows.append(("complete responses counted", counted))
    rows.append(("small-cell threshold", settings.threshold))
    rows.append(("note", str(settings.describe()["note"])))
    return rows


def tables_sheets(tables: AnalysisTables) -> list[Sheet]:
    """The About sheet and the Tables sheet of ``tables``, figures as published."""
    if isinstance(tables, Comparison):
        rows = _compared(tables)
    elif isinstance(tables, GroupedAnalysis):
        rows = _grouped(tables)
    else:
        rows = _single(tables)
    return [
        Sheet("About", _about(tables), bold_rows=1),
        Sheet("Tables", rows, freeze=(0, 1)),
    ]


def prepare_tables_export(
    tables: AnalysisTables, path: Path, *, password: str | None = None
) -> ExportJob[TablesExport]:
    """The export job of ``tables`` to ``path`` (.xlsx, password-protected if asked); nothing is
    written yet. TablesExportError when the name or the password cannot work."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise TablesExportError(f"“{path.name}” must end in .xlsx: tables are exported as xlsx.")
    if password is not None and not password:
        raise TablesExportError("The export password is empty; give one, or export without it.")
    current = tables.current if isinstance(tables, Comparison) else tables
    suppressed = current.settings.suppressed
    sheets = tables_sheets(tables)

    def render() -> bytes:
        data = xlsx_bytes(sheets)
        return encrypt_xlsx(data, password) if password is not None else data

    questions = len(tables.questions)
    encrypted = password is not None
    survey_ids: tuple[str, ...] = (current.survey.id,)
    if isinstance(tables, Comparison):
        survey_ids += (tables.previous.survey.id,)
    return ExportJob(
        path=path,
        render=render,
        action=TABLES_EXPORTED,
        counts={
            "questions": questions,
            "suppressed": int(suppressed),
            "encrypted": int(encrypted),
        },
        object_ids=survey_ids,
        result=TablesExport(path, questions, suppressed, encrypted),
    )


def export_tables(
    workspace: Workspace, tables: AnalysisTables, path: Path, *, password: str | None = None
) -> TablesExport:
    """Write ``tables`` to ``path`` and record the export in the audit log (the CLI's way)."""
    return run_export(workspace, prepare_tables_export(tables, path, password=password))
