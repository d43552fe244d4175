"""How fast is redaction? ``python benchmarks/bench_redaction.py [--repeat N]``

Times ``forumkit.redaction.propose`` on a made-up parent's answer of 2,000 characters (several
names, a phone number, an email address, dates, a postcode, an NHS number and a link among
ordinary sentences), with no deny-list and with a forum deny-list of 150 terms, and prints the
median and the 95th percentile of ``--repeat`` calls (default 500) after a warm-up call that
reads the shipped name lists. The target is 5 ms for a 2,000-character answer.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from forumkit.redaction import DenyKind, DenyTerm, propose  # noqa: E402

SENTENCES = [
    "My son Jamie has waited fourteen months for a CAMHS appointment and nobody rings back.",
    "I will ask Will's SENCo again on Monday, but the school says it cannot do more.",
    "Please call me on 07700 900461 or write to jo.bloggs@example.com if the forum can help.",
    "The EHCP was finalised on 3rd April 2023, thirty-seven weeks after the assessment began.",
    "We moved to LS6 2AB in May 2024 and had to start the whole process again from scratch.",
    "His NHS number is 943 476 5919 and still the referral was lost twice between services.",
    "The Local Offer at https://example.org/local-offer lists a clinic that closed in 2021.",
    "Olivia is on a part-time timetable, two hours a day, and has been for most of the year.",
    "Hope this helps other families: keep a diary, and copy every email to the caseworker.",
    "Grace finally has a speech and language therapist, but only for six sessions this term.",
]


def answer(length: int = 2000) -> str:
    """Sentences repeated until the answer is ``length`` characters long."""
    text = ""
    i = 0
    while len(text) < length:
        text += SENTENCES[i % len(SENTENCES)] + " "
        i += 1
    return text[:length]


def deny_list(size: int = 150) -> tuple[DenyTerm, ...]:
    kinds = list(DenyKind)
    return tuple(
        DenyTerm(f"Example Place {n} School" if n % 3 == 0 else f"Ashby Term {n}", kinds[n % 3])
        for n in range(size)
    )


def timed(text: str, terms: tuple[DenyTerm, ...], repeat: int) -> tuple[float, float, int]:
    """Median and 95th percentile in milliseconds, and how many spans were proposed."""
    spans = len(propose(text, terms).spans)  # warm-up: reads the lists, compiles the patterns
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        propose(text, terms)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=500)
    args = parser.parse_args()
    text = answer()
    print(f"answer: {len(text)} characters; {args.repeat} calls each")
    print("| deny-list | spans | median ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for label, terms in (("none", ()), ("150 terms", deny_list())):
        median, p95, spans = timed(text, terms, args.repeat)
        print(f"| {label} | {spans} | {median:.2f} | {p95:.2f} |")


if __name__ == "__main__":
    main()
