"""An evidence pack at forum scale: read, laid out, attached, encrypted and written.

``python benchmarks/bench_pack.py [--responses N ...] [--quotes Q] [--repeat R]`` builds, for
each ``N`` (default 2,000 and 10,000), a forum file with the demo parent survey (and a third
free-text question), ``N`` complete responses whose parents agreed to be quoted and to share,
and ``Q`` (default 500) whole-answer quotes, each tagged with one or two key messages and
reviewed (built as ``bench_quotes.py`` builds its file). It then times, as medians of ``--repeat``
rounds, a pack with every key message, the inspection areas and ``--charts`` (default 10)
headline figures, a chart and a table each:

* **read** (``prepare_pack``: everything the pack holds, on the database thread);
* **lay out only** (the reference: the same pages compiled by Typst, without the charts, the
  appendix, attachments or encryption; the figures' tables stay);
* **render** (what the app runs in a worker: the appendix workbook, the manifest, the pages,
  the attachments and AES-256 encryption);
* **in all** (``make_pack``: read, render, write atomically, record in the audit log).

The issue's targets: ≤ 5 s in all for 2,000 responses and 500 quotes, and ≤ 2× the reference.
Key derivation uses ``FORUMKIT_INSECURE_TEST_KDF=1``; everything is written under a temporary
folder and deleted.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ["FORUMKIT_INSECURE_TEST_KDF"] = "1"

_HERE = Path(__file__).resolve().parent
for folder in (_HERE, _HERE.parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_quotes import FREE_TEXT, KEYS, PASSPHRASE, build  # noqa: E402

from forumkit.packs import (  # noqa: E402
    PackRequest,
    default_questions,
    gather,
    make_pack,
    prepare_pack,
)
from forumkit.packs.appendix import appendix_xlsx  # noqa: E402
from forumkit.packs.document import lay_out, pack_data  # noqa: E402
from forumkit.quotes import create_quote, review_quote, tag_quote  # noqa: E402
from forumkit.surveys import Survey  # noqa: E402
from forumkit.workspace import Workspace  # noqa: E402

TOTAL_TARGET_S = 5.0
REFERENCE_RATIO_TARGET = 2.0
PASSWORD = "benchmark pack password"


def add_reviewed_quotes(workspace: Workspace, survey: Survey, quotes: int) -> None:
    """``quotes`` whole-answer quotes, tagged and reviewed, in one transaction."""
    rng = random.Random(18)
    rows = workspace.db.execute(
        "SELECT id FROM responses WHERE survey_id = ? ORDER BY seq", [survey.id]
    ).fetchall()
    with workspace.transaction("bench_pack"):
        for n in range(quotes):
            response_id = str(rows[n % len(rows)][0])
            question = FREE_TEXT[(n // len(rows)) % len(FREE_TEXT)]
            made = create_quote(workspace, response_id, question).after
            assert made is not None
            tag_quote(workspace, made.id, rng.sample(KEYS, rng.choice((1, 1, 2))))
            review_quote(workspace, made.id, reviewed=True)


def median_s(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def without_charts(data: dict[str, Any]) -> dict[str, Any]:
    """The pack's pages with every chart left out (the reference's pages)."""
    sections = []
    for section in data["sections"]:
        parts = [{k: v for k, v in part.items() if k != "chart"} for part in section["parts"]]
        sections.append({**section, "parts": parts})
    return {**data, "sections": sections}


def run(responses: int, quotes: int, charts: int, repeat: int, folder: Path) -> None:
    path, _ = build(folder, responses)
    with Workspace.open(path, PASSPHRASE) as workspace:
        survey = next(iter(_surveys(workspace)))
        add_reviewed_quotes(workspace, survey, quotes)
        questions = tuple(default_questions(survey)[:charts])
        request = PackRequest(survey, by_inspection_area=True, questions=questions)
        out = folder / "pack.pdf"

        read_s = median_s(lambda: prepare_pack(workspace, request, out, password=PASSWORD), repeat)
        job = prepare_pack(workspace, request, out, password=PASSWORD)
        content = gather(workspace, request)
        digest = hashlib.sha256(appendix_xlsx(content)).hexdigest()
        data = without_charts(pack_data(content, digest))
        reference_s = median_s(lambda: lay_out(data, content.created), repeat)
        render_s = median_s(job.render, repeat)
        total_s = median_s(lambda: make_pack(workspace, request, out, password=PASSWORD), repeat)
        size = out.stat().st_size
        pages = _pages(out)
    ratio = render_s / reference_s
    print(
        f"{responses:>6,} responses, {len(content.quotes)} quotes, "
        f"{len(content.figures.headlines)} charts ({pages} pages, "
        f"{size / 1e6:.2f} MB): read {read_s * 1000:.0f} ms, lay out only {reference_s:.2f} s, "
        f"render {render_s:.2f} s ({ratio:.2f}x the layout alone), in all {total_s:.2f} s "
        f"[targets: in all <= {TOTAL_TARGET_S:.0f} s, render <= {REFERENCE_RATIO_TARGET:.0f}x]"
    )


def _surveys(workspace: Workspace) -> list[Survey]:
    from forumkit.surveys import get_survey, list_surveys

    return [get_survey(workspace.db, summary.id) for summary in list_surveys(workspace.db)]


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return PdfReader(path, password=PASSWORD).get_num_pages()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, nargs="+", default=[2_000, 10_000])
    parser.add_argument("--quotes", type=int, default=500)
    parser.add_argument("--charts", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    for responses in args.responses:
        with tempfile.TemporaryDirectory(prefix="forumkit-bench-pack-") as temp:
            run(responses, args.quotes, args.charts, args.repeat, Path(temp))


if __name__ == "__main__":
    main()
