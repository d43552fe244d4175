"""Two forumkit processes on one file never lose a saved change (issue 10).

Every test runs real processes: the ``forumkit`` command line, and a small driver standing in
for the app (it holds the file open and saves when told). Before the writer lock, two imports
started together both said they had imported their rows and the file kept only one run's; an
import running beside an erasure brought the erased respondent back; a passphrase change
during an import was silently undone. Whatever the order the processes happen to run in, a
process that says it saved must find its change in the file.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from forumkit.errors import WrongPassphrase
from forumkit.responses import IncomingResponse, add_incoming, count_responses, list_responses
from forumkit.surveys import Survey
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE, REPO_ROOT
from tests.core.importers.helpers import LABELS, make_survey, write_csv

ERASE_ME = "erase.me@example.org"
NEW_PASSPHRASE = "a passphrase changed midway"


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "FORUMKIT_PASSPHRASE": PASSPHRASE}
    env.pop("FORUMKIT_DEBUG", None)
    env.update(extra)
    return env


def _start(*args: str | Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "forumkit", *map(str, args)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(**env),
    )


def _import(forum_path: Path, data: Path) -> subprocess.Popen[str]:
    return _start("responses", "import", forum_path, "send2026", data)


def _finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def _export(folder: Path, run: str, rows: int) -> Path:
    """A Google Forms export of ``rows`` parents, each story naming ``run``."""
    start = dt.datetime(2026, 3, 1, 9, 0, 0) + dt.timedelta(days=len(run) * 3 + ord(run[0]))
    table: list[list[object]] = [["Timestamp", "Email address", *LABELS]]
    for n in range(rows):
        stamp = start + dt.timedelta(minutes=n)
        table.append(
            [
                stamp.strftime("%d/%m/%Y %H:%M:%S"),
                "",
                "Yes",
                "No",
                n % 18,
                "",
                "No",
                "",
                "Mainstream school",
                f"Story from run {run} number {n}",
            ]
        )
    return write_csv(folder / f"{run}.csv", table)


@pytest.fixture
def survey(forum_path: Path, tmp_path: Path) -> Survey:
    """A closed forum file with the test survey and one respondent who will ask for erasure."""
    with Workspace.create(forum_path, PASSPHRASE, forum="Two Writers PCF") as workspace:
        made = make_survey(workspace, tmp_path)
        add_incoming(
            workspace,
            made,
            [
                IncomingResponse(
                    {"consent_share": "yes", "child_age": 9, "ehcp": "no"},
                    source="entered",
                    source_key="erase-me",
                    respondent=ERASE_ME,
                )
            ],
        )
    return made


def _held(forum_path: Path, survey: Survey, passphrase: str = PASSPHRASE) -> dict[str, int]:
    """How many stories of each run, and of the respondent to erase, the file holds."""
    with Workspace.open(forum_path, passphrase, read_only=True) as workspace:
        found: dict[str, int] = {}
        for response in list_responses(workspace.db, survey.id, limit=None):
            story = str(response.answers.get("story", ""))
            key = story.split(" number ")[0] if story else (response.respondent or "")
            found[key] = found.get(key, 0) + 1
        assert count_responses(workspace.db, survey.id) == sum(found.values())
    return found


def _refused_for_the_lock(code: int, err: str) -> bool:
    return code == 1 and "open in another forumkit on this computer" in err


def test_two_imports_started_together_keep_every_saved_row(
    survey: Survey, forum_path: Path, tmp_path: Path
) -> None:
    for round_ in ("a", "b"):
        first = _export(tmp_path, f"{round_}sixty", 60)
        second = _export(tmp_path, f"{round_}thirty", 30)
        runs = {
            f"Story from run {round_}sixty": (_import(forum_path, first), 60),
            f"Story from run {round_}thirty": (_import(forum_path, second), 30),
        }
        outcomes = {story: _finish(process) for story, (process, _) in runs.items()}
        held = _held(forum_path, survey)
        for story, (code, err) in outcomes.items():
            rows = runs[story][1]
            if code == 0:
                assert held.get(story) == rows, f"{story}: said imported, file holds {held}"
            else:
                assert _refused_for_the_lock(code, err), err
                assert story not in held
        assert any(code == 0 for code, _ in outcomes.values())


def test_an_import_beside_an_erasure_never_brings_the_respondent_back(
    survey: Survey, forum_path: Path, tmp_path: Path
) -> None:
    data = _export(tmp_path, "during-erasure", 40)
    importing = _start("responses", "import", forum_path, "send2026", data)
    erasing = _start("responses", "erase", forum_path, "--respondent", ERASE_ME, "--yes")
    imported, import_err = _finish(importing)
    erased, erase_err = _finish(erasing)
    held = _held(forum_path, survey)
    if erased == 0:
        assert ERASE_ME not in held, "the erased respondent came back"
    else:
        assert _refused_for_the_lock(erased, erase_err), erase_err
        assert held.get(ERASE_ME) == 1
    if imported == 0:
        assert held.get("Story from run during-erasure") == 40
    else:
        assert _refused_for_the_lock(imported, import_err), import_err
    assert 0 in (imported, erased)


def test_a_passphrase_changed_during_an_import_stays_changed(
    survey: Survey, forum_path: Path, tmp_path: Path
) -> None:
    data = _export(tmp_path, "during-passphrase", 25)
    importing = _start("responses", "import", forum_path, "send2026", data)
    changing = _start("passphrase", forum_path, FORUMKIT_NEW_PASSPHRASE=NEW_PASSPHRASE)
    imported, import_err = _finish(importing)
    changed, change_err = _finish(changing)
    if changed == 0:
        with pytest.raises(WrongPassphrase):
            Workspace.open(forum_path, PASSPHRASE, read_only=True)
        held = _held(forum_path, survey, NEW_PASSPHRASE)
    else:
        assert _refused_for_the_lock(changed, change_err), change_err
        held = _held(forum_path, survey)
    if imported == 0:
        assert held.get("Story from run during-passphrase") == 25
    elif changed == 0 and imported == WrongPassphrase.exit_code:
        # The change came first; the import then waited for the lock and found the file under
        # its new passphrase: refused before it read anything, and it says so.
        assert "passphrase does not open" in import_err
    else:
        assert _refused_for_the_lock(imported, import_err), import_err
    assert 0 in (imported, changed)


_APP = textwrap.dedent(
    """
    import sys
    from forumkit.responses import add_response
    from forumkit.surveys import get_survey
    from forumkit.workspace import Workspace

    workspace = Workspace.open(sys.argv[1], sys.argv[2])
    workspace.save_in_background()
    print("open", flush=True)
    for line in sys.stdin:
        if line.strip() == "save":
            survey = get_survey(workspace.db, "send2026")
            add_response(workspace, survey, {"story": "Story from run the app number 0"})
            workspace.flush()
            print("saved", flush=True)
        else:
            break
    workspace.close()
    """
)


def test_a_command_waits_for_the_app_then_says_who_has_the_file(
    survey: Survey, forum_path: Path, tmp_path: Path
) -> None:
    """The app holds the file: a command waits a few seconds, gives up naming the app's
    process, and changes nothing; the app's own save still lands; once the app has closed the
    file the command goes through."""
    app = subprocess.Popen(
        [sys.executable, "-c", _APP, str(forum_path), PASSPHRASE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert app.stdin is not None and app.stdout is not None
    try:
        assert app.stdout.readline().strip() == "open"
        data = _export(tmp_path, "while-the-app-is-open", 10)
        code, err = _finish(_start("responses", "import", forum_path, "send2026", data))
        assert _refused_for_the_lock(code, err), err
        assert f"(process {app.pid}, since" in err
        app.stdin.write("save\n")
        app.stdin.flush()
        assert app.stdout.readline().strip() == "saved"
        # A command that only reads opens beside the app.
        info = _start("info", forum_path)
        assert _finish(info)[0] == 0
        app.stdin.write("close\n")
        app.stdin.flush()
        assert app.wait(timeout=60) == 0
    finally:
        if app.poll() is None:
            app.kill()
    code, err = _finish(_start("responses", "import", forum_path, "send2026", data))
    assert code == 0, err
    held = _held(forum_path, survey)
    assert held["Story from run the app"] == 1
    assert held["Story from run while-the-app-is-open"] == 10
