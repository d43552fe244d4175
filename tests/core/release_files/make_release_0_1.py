"""How ``forum-0.1.forumkit`` was made: run once with forumkit 0.1.0 (commit eade3f9, data
version 3), before the identity migration (data version 4) existed.

The file is kept, not rebuilt, because the point is a file written by *that* release: the
migration test opens it with today's code. Passphrase ``correct horse battery`` with the test
suite's reduced key derivation (open it with ``FORUMKIT_INSECURE_TEST_KDF=1``).

What it holds, as a forum would after a few weeks of use:

- the survey ``send2026`` in two versions (a question added), consent questions from the form;
- six responses: entered complete ones with and without consent, a draft, two imported rows;
- one response deleted (``response_deleted`` in the audit log) and one respondent erased
  (``respondent_erased``), whose ids the migration must turn into tombstones.

Run: ``FORUMKIT_INSECURE_TEST_KDF=1 python tests/core/release_files/make_release_0_1.py``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
os.environ["FORUMKIT_INSECURE_TEST_KDF"] = "1"


TARGET = HERE / "forum-0.1.forumkit"


def main() -> None:
    # Imported here: the test-mode key derivation must be switched on first.
    from forumkit.responses import IncomingResponse, add_incoming, add_response, delete_response
    from forumkit.responses.requests import erase_respondent
    from forumkit.surveys import import_xlsform
    from forumkit.workspace import Workspace
    from tests.core.importers.helpers import CHOICE_ROWS, SETTINGS_ROWS, SURVEY_ROWS
    from tests.core.surveys.helpers import write_form

    os.environ["FORUMKIT_CONFIG_DIR"] = tempfile.mkdtemp()
    TARGET.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        first = write_form(Path(tmp) / "v1.xlsx", SURVEY_ROWS, CHOICE_ROWS, SETTINGS_ROWS)
        rows = [*SURVEY_ROWS, ["text", "anything_else", "Anything else?", ""]]
        second = write_form(Path(tmp) / "v2.xlsx", rows, CHOICE_ROWS, SETTINGS_ROWS)
        with Workspace.create(
            TARGET, "correct horse battery", forum="Release Forum", area="Oldshire"
        ) as ws:
            v1 = import_xlsform(ws, first).survey
            kept = add_response(
                ws,
                v1,
                {
                    "consent_share": "yes",
                    "consent_quote": "yes",
                    "child_age": "7",
                    "ehcp": "no",
                    "story": "Version one story, consent given.",
                },
                status="complete",
                respondent="kept@example.org",
            )
            v2 = import_xlsform(ws, second).survey
            add_response(
                ws,
                v2,
                {
                    "consent_share": "yes",
                    "consent_quote": "no",
                    "child_age": "12",
                    "ehcp": "yes",
                    "ehcp_date": "2025-03-01",
                    "story": "No quote consent here.",
                    "anything_else": "A second answer.",
                },
                status="complete",
            )
            add_response(ws, v2, {"child_age": "4", "story": "A draft, not finished."})
            deleted = add_response(
                ws,
                v2,
                {"consent_share": "no", "child_age": "9", "ehcp": "no"},
                status="complete",
            )
            delete_response(ws, deleted.id)
            add_response(
                ws,
                v2,
                {
                    "consent_share": "yes",
                    "consent_quote": "yes",
                    "child_age": "15",
                    "ehcp": "no",
                    "story": "Please erase me.",
                },
                status="complete",
                respondent="Erase.Me@example.org",
            )
            add_incoming(
                ws,
                v2,
                [
                    IncomingResponse(
                        {
                            "consent_share": "yes",
                            "consent_quote": "yes",
                            "child_age": 10,
                            "ehcp": "no",
                            "story": "Imported row one.",
                        },
                        source="import:googleforms:export.csv",
                        source_key="googleforms:2026-01-10T10:00:00",
                    ),
                    IncomingResponse(
                        {"consent_share": "no", "child_age": 11, "ehcp": "no"},
                        source="import:googleforms:export.csv",
                        source_key="googleforms:2026-01-11T11:00:00",
                    ),
                ],
            )
            erase_respondent(ws, "erase.me@example.org")
            assert kept.id
        for extra in (TARGET.with_name(TARGET.name + ".bak"),):
            extra.unlink(missing_ok=True)
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
