"""``forumkit volunteer-copy``, ``merge``, ``conflicts list|resolve`` and ``--merge-if-changed``,
run as a chair runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from forumkit import cli
from forumkit.responses import update_response
from forumkit.surveys import Survey
from forumkit.vault.storage import GenerationLog
from forumkit.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.core.merge.helpers import VOLUNTEER_PASSPHRASE, capture, make_chair, opened, story
from tests.core.responses.helpers import complete_answers
from tests.core.test_cli import forumkit

CHAIR = {"FORUMKIT_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def chair(tmp_path: Path) -> tuple[Path, Survey]:
    return make_chair(tmp_path)


def _copy(path: Path) -> Path:
    out = path.with_name("laptop.forumkit")
    made = forumkit(
        "volunteer-copy",
        path,
        out,
        "--json",
        env={**CHAIR, "FORUMKIT_NEW_PASSPHRASE": VOLUNTEER_PASSPHRASE},
    )
    assert made.returncode == 0, made.stderr
    data = json.loads(made.stdout)
    assert data["file"] == str(out) and data["surveys"] == 1 and data["recovery_key"]
    assert "TEST-STRENGTH KEY" in made.stderr  # the tests' weak key is said out loud
    return out


def test_copy_capture_merge_and_the_summary(chair: tuple[Path, Survey]) -> None:
    path, survey = chair
    copy = _copy(path)
    with opened(copy, VOLUNTEER_PASSPHRASE) as ws:
        for n in range(3):
            capture(ws, survey, f"parent {n} at the event")
    other = {**CHAIR, "FORUMKIT_OTHER_PASSPHRASE": VOLUNTEER_PASSPHRASE}
    merged = forumkit("merge", path, copy, env=other)
    assert merged.returncode == 0, merged.stderr
    assert "Merged “laptop.forumkit”." in merged.stdout
    assert "3 responses added." in merged.stdout
    again = forumkit("merge", path, copy, "--json", env=other)
    data = json.loads(again.stdout)
    assert (data["added"], data["updated"], data["conflicts"], data["erased"]) == (0, 0, 0, 0)
    assert data["by_kind"]["response"]["unchanged"] == 3
    info = json.loads(forumkit("info", path, "--json", env=CHAIR).stdout)
    assert info["surveys"][0]["responses"] == 3


def test_the_other_passphrase_from_a_file_and_a_wrong_one(
    chair: tuple[Path, Survey], tmp_path: Path
) -> None:
    path, _ = chair
    copy = _copy(path)
    secret = tmp_path / "other.txt"
    secret.write_text(VOLUNTEER_PASSPHRASE + "\n", encoding="utf-8")
    ok = forumkit("merge", path, copy, "--other-passphrase-file", secret, env=CHAIR)
    assert ok.returncode == 0, ok.stderr
    wrong = forumkit(
        "merge", path, copy, env={**CHAIR, "FORUMKIT_OTHER_PASSPHRASE": "not the passphrase"}
    )
    assert wrong.returncode == 3
    assert "laptop.forumkit" in wrong.stderr and "Traceback" not in wrong.stderr
    none = forumkit("merge", path, copy, env=CHAIR)
    assert none.returncode == 1 and "FORUMKIT_OTHER_PASSPHRASE" in none.stderr


def test_another_forums_file_needs_other_forum(chair: tuple[Path, Survey], tmp_path: Path) -> None:
    path, _ = chair
    other, _ = make_chair(tmp_path, "elsewhere.forumkit")
    env = {**CHAIR, "FORUMKIT_OTHER_PASSPHRASE": PASSPHRASE}
    refused = forumkit("merge", path, other, env=env)
    assert refused.returncode == 1 and "another forum" in refused.stderr
    assert forumkit("merge", path, other, "--other-forum", env=env).returncode == 0


def test_conflicts_are_listed_and_resolved(chair: tuple[Path, Survey]) -> None:
    path, survey = chair
    copy = _copy(path)
    with opened(copy, VOLUNTEER_PASSPHRASE) as ws:
        made = capture(ws, survey, "first words")
    env = {**CHAIR, "FORUMKIT_OTHER_PASSPHRASE": VOLUNTEER_PASSPHRASE}
    assert forumkit("merge", path, copy, env=env).returncode == 0
    with opened(path) as ws:
        update_response(ws, made.id, complete_answers(experience="the chair's words"))
    with opened(copy, VOLUNTEER_PASSPHRASE) as ws:
        update_response(ws, made.id, complete_answers(experience="the laptop's words"))
    merged = forumkit("merge", path, copy, env=env)
    assert "kept for review" in merged.stdout
    listed = forumkit("conflicts", "list", path, env=CHAIR)
    assert listed.returncode == 0 and "1 conflict to review" in listed.stdout
    assert "the answer to experience" in listed.stdout
    assert "words" not in listed.stdout  # what differs, never the words themselves
    as_json = json.loads(forumkit("conflicts", "list", path, "--json", env=CHAIR).stdout)
    [conflict] = as_json["conflicts"]
    theirs = json.loads(conflict["theirs"]["row"]["answers"])["experience"]
    resolved = forumkit(
        "conflicts", "resolve", path, conflict["id"], "--keep", "theirs", "--json", env=CHAIR
    )
    assert resolved.returncode == 0, resolved.stderr
    assert json.loads(resolved.stdout)["kept"] == "theirs"
    with opened(path) as ws:
        assert story(ws, made.id) == theirs
    empty = forumkit("conflicts", "list", path, env=CHAIR)
    assert "No conflicts to review" in empty.stdout
    unknown = forumkit("conflicts", "resolve", path, conflict["id"], "--keep", "mine", env=CHAIR)
    assert unknown.returncode == 1 and "no conflict" in unknown.stderr


def test_merge_if_changed_brings_in_what_another_program_saved(
    chair: tuple[Path, Survey],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, survey = chair
    elsewhere = tmp_path / "synced.forumkit"
    saved_there: list[str] = []

    def saved_on_another_computer() -> None:
        shutil.copyfile(path, elsewhere)
        # Another computer: its own record of the saves it has seen.
        with Workspace.open(
            elsewhere, PASSPHRASE, generations=GenerationLog(tmp_path / "other-computer.json")
        ) as ws:
            saved_there.append(capture(ws, survey, f"saved there {len(saved_there)}").id)

    opening = Workspace.open

    def opened_then_replaced(*args: object, **kwargs: object) -> Workspace:
        # A sync service puts the other computer's save in place while the command runs.
        workspace = opening(*args, **kwargs)  # type: ignore[arg-type]
        shutil.copyfile(elsewhere, path)
        return workspace

    monkeypatch.setenv("FORUMKIT_PASSPHRASE", PASSPHRASE)
    args = ["deny-list", "add", str(path), "Brookfield Academy", "--kind", "school"]
    saved_on_another_computer()
    with monkeypatch.context() as patched:
        patched.setattr(Workspace, "open", opened_then_replaced)
        assert cli.main(args) == 1
    assert "was not saved" in capsys.readouterr().err
    saved_on_another_computer()
    with monkeypatch.context() as patched:
        patched.setattr(Workspace, "open", opened_then_replaced)
        assert cli.main([*args, "--merge-if-changed"]) == 0
    assert "merged in before saving" in capsys.readouterr().err
    with Workspace.open(path, PASSPHRASE, read_only=True) as ws:
        assert [story(ws, made) for made in saved_there] == ["saved there 0", "saved there 1"]
        assert ws.db.execute("SELECT text FROM deny_terms").fetchall() == [("Brookfield Academy",)]
