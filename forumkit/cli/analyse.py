"""``forumkit analyse``: a survey's numbers, protected.

``analyse`` counts every question over the complete responses the filters keep, overall, by a
single-choice attribute (``--by``) or against an earlier edition (``--compare``). Small counts
are suppressed (see ``forumkit.analysis``) unless ``--unsuppressed``, whose output says it is for
the forum only. The forum's small-cell threshold is one of its ``settings``.
"""

from __future__ import annotations

import argparse
from typing import Any

from forumkit.analysis import (
    Analysis,
    AnalysisError,
    Comparison,
    GroupedAnalysis,
    analyse,
    analyse_by,
    compare_editions,
    edition_to_compare,
    parse_filters,
    settings_for,
)
from forumkit.cli.common import add_file_arguments, add_json_argument, emit, open_workspace
from forumkit.surveys import get_survey
from forumkit.wording import noun, plural


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``analyse``."""
    command = commands.add_parser(
        "analyse", help="counts per question, small cells suppressed; by group or year on year"
    )
    add_file_arguments(command, writes=False)
    command.add_argument("survey", metavar="SURVEY", help="the survey's id or form_id")
    add_json_argument(command)
    command.add_argument(
        "--by",
        metavar="ATTRIBUTE",
        help="a single-choice question: each question as a table by its groups",
    )
    command.add_argument(
        "--compare",
        metavar="EDITION",
        help="an earlier edition of the survey (id or form_id) to set each question beside",
    )
    command.add_argument(
        "--filter",
        metavar="NAME=VALUE",
        action="append",
        default=[],
        help="keep some responses only: version=N, from=/to=YYYY-MM-DD, source=…, "
        "consent=share, or QUESTION=CHOICE (repeat for more)",
    )
    command.add_argument(
        "--unsuppressed",
        action="store_true",
        help="show small counts as they are: for the forum only, never to share",
    )
    command.set_defaults(run=run_analyse)


def run_analyse(args: argparse.Namespace) -> int:
    """Analyse SURVEY and print it."""
    if args.by and args.compare:
        raise AnalysisError(
            "--by and --compare cannot be used together: compare the editions first, then "
            "look at one of them by group."
        )
    with open_workspace(args, read_only=True) as workspace:
        db = workspace.db
        survey = get_survey(db, args.survey)
        scope = parse_filters(survey, args.filter)
        settings = settings_for(db, suppressed=not args.unsuppressed)
        result: Analysis | GroupedAnalysis | Comparison
        if args.compare:
            previous = edition_to_compare(db, survey, args.compare)
            result = compare_editions(db, survey, previous, scope, settings)
            text = comparison_text(result)
        elif args.by:
            result = analyse_by(db, survey, args.by, scope, settings)
            text = grouped_text(result)
        else:
            result = analyse(db, survey, scope, settings)
            text = analysis_text(result)
    emit(args, result.data(), text)
    return 0


# -- text for people --------------------------------------------------------------------------


def _value(figure: object) -> str:
    return str(figure)


def _counted(figure: object, singular: str) -> str:
    """A published count with its noun: “1 quote”, “12 quotes”, “fewer than 5 quotes”."""
    if isinstance(figure, int):
        return plural(figure, singular)
    return f"{_how_many(figure)} {noun(2, singular)}"


def _how_many(figure: object) -> str:
    """A count in a sentence: “fewer than 5” for “<5”, “an undisclosed number” for “*”."""
    if isinstance(figure, str) and figure.startswith("<"):
        return f"fewer than {figure[1:]}"
    if figure == "*":
        return "an undisclosed number of"
    return str(figure)


def _header(data: dict[str, Any]) -> list[str]:
    survey = data["survey"]
    lines = [f"{survey['title']} ({survey['form_id']}, version {survey['version']})"]
    if data["filters"]:
        shown = "; ".join(
            f"{name}={', '.join(map(str, v)) if isinstance(v, list) else v}"
            for name, v in data["filters"].items()
        )
        lines.append(f"Filters: {shown}")
    lines.append(("FOR THE FORUM ONLY. " if not data["suppressed"] else "") + data["note"])
    return lines


def _statistics_line(statistics: dict[str, Any] | None) -> str | None:
    if statistics is None:
        return None
    if not statistics["shown"]:
        return f"  answered {statistics['n']}; mean and quartiles withheld"
    return (
        f"  answered {statistics['n']}; mean {statistics['mean']:g}, median "
        f"{statistics['median']}, quartiles {statistics['q1']} to {statistics['q3']}"
    )


def _table_lines(table: dict[str, Any], labels: dict[str, str], indent: str = "  ") -> list[str]:
    lines = []
    width = max((len(label) for label in labels.values()), default=0)
    width = min(max(width, len("No answer")), 48)
    for name, label in labels.items():
        percent = table["percentages"].get(name)
        share = f"  {percent:5.1f}%" if percent is not None else ""
        lines.append(f"{indent}{label[:48]:<{width}}  {_value(table['counts'][name]):>6}{share}")
    if "answered" in table and not labels:
        lines.append(f"{indent}{'Answered':<{width}}  {_value(table['answered']):>6}")
    lines.append(f"{indent}{'No answer':<{width}}  {_value(table['no_answer']):>6}")
    return lines


def analysis_text(analysis: Analysis) -> str:
    """The analysis as a chair reads it on a terminal."""
    data = analysis.data()
    lines = _header(data)
    lines[0] += f": {_counted(data['responses'], 'complete response')}"
    for question in data["questions"]:
        lines.append("")
        base = f"{question['base']} {question['base_of']}"
        lines.append(f"{question['label']} ({question['name']}; percentages of {base})")
        lines.extend(_table_lines(question, question["labels"]))
        statistics = _statistics_line(question.get("statistics"))
        if statistics:
            lines.append(statistics)
    lines.extend(_codes_lines(data))
    return "\n".join(lines)


def _codes_lines(data: dict[str, Any]) -> list[str]:
    lines = []
    for book in data["codebooks"]:
        lines.append("")
        lines.append(
            f"{book['name']}: {_counted(book['quotes'], 'quote')} from "
            f"{_counted(book['respondents'], 'parent')} ({_how_many(book['quotes_may_leave'])} "
            "may leave the file)"
        )
        for code in data["codes"]:
            if code["codebook"] != book["key"]:
                continue
            lines.append(
                f"  {code['label'][:60]}: {_counted(code['quotes'], 'quote')}, "
                f"{_counted(code['respondents'], 'parent')}; may leave: "
                f"{code['quotes_may_leave']}, {code['respondents_may_leave']}"
            )
    return lines


def grouped_text(grouped: GroupedAnalysis) -> str:
    """Each question by the attribute's groups, as a chair reads it on a terminal."""
    data = grouped.data()
    lines = _header(data)
    lines[0] += f": {_counted(data['responses'], 'complete response')}, by {data['by']['label']}"
    for question in data["questions"]:
        lines.append("")
        lines.append(f"{question['label']} ({question['name']})")
        for row in question["rows"]:
            lines.append(f"  {row['label']}: {_counted(row['responses'], 'response')}")
            lines.extend(_table_lines(row, question["labels"], "    "))
            statistics = _statistics_line(row.get("statistics"))
            if statistics:
                lines.append("  " + statistics)
        lines.append("  All groups:")
        lines.extend(_table_lines(question["totals"], question["labels"], "    "))
    return "\n".join(lines)


def comparison_text(comparison: Comparison) -> str:
    """Each question beside last year's, as a chair reads it on a terminal."""
    data = comparison.data()
    lines = _header(data)
    previous = data["previous"]
    responses = data["responses"]
    lines[0] += (
        f": {_counted(responses['current'], 'complete response')}, against {previous['title']} "
        f"({previous['form_id']}): {_how_many(responses['previous'])}"
    )
    for question in data["questions"]:
        lines.append("")
        lines.append(f"{question['label']} ({question['name']})")
        now, then = question["current"], question["previous"]
        for name, label in question["labels"].items():
            change = question["change"]["points"].get(name)
            moved = f"  {change:+.1f} points" if change is not None else ""
            lines.append(
                f"  {label[:48]}: {_value(now['counts'][name])} now, "
                f"{_value(then['counts'].get(name, '–'))} before{moved}"
            )
        mean = question["change"]["mean"]
        if mean is not None:
            lines.append(f"  mean score {mean:+.1f}")
    for title, key in (
        ("Only this year", "only_in_current"),
        ("Only last time", "only_in_previous"),
    ):
        if data[key]:
            lines.append("")
            names = ", ".join(item["name"] for item in data[key])
            lines.append(f"{title} ({plural(len(data[key]), 'question')}): {names}")
    for item in data["not_comparable"]:
        lines.append(f"Not compared: {item['name']}: {item['reason']}.")
    return "\n".join(lines)
