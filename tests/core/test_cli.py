"""The ``forumkit`` command line, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, REPO_ROOT


def forumkit(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})}
    full_env.pop("FORUMKIT_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "forumkit", *map(str, args)],
        capture_output=True,
        text=True,
        env=full_env,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        timeout=60,
    )


WITH_PASSPHRASE = {"FORUMKIT_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def cli_forum(tmp_path: Path) -> tuple[Path, str]:
    """A forum file made by ``forumkit new``, and its recovery key."""
    path = tmp_path / "forum.forumkit"
    made = forumkit(
        "new",
        path,
        "--forum",
        "Testshire PCF",
        "--area",
        "Testshire",
        "--json",
        env=WITH_PASSPHRASE,
    )
    assert made.returncode == 0, made.stderr
    return path, json.loads(made.stdout)["recovery_key"]


def test_new_prints_the_recovery_key_once_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "forum.forumkit"
    made = forumkit("new", path, "--forum", "Testshire PCF", env=WITH_PASSPHRASE)
    assert made.returncode == 0, made.stderr
    assert "Recovery key" in made.stdout and "Print this recovery key" in made.stdout
    key_lines = [line.strip() for line in made.stdout.splitlines() if line.count("-") >= 5]
    assert len(key_lines) == 2
    key_file = tmp_path / "key.txt"
    key_file.write_text("\n".join(key_lines), encoding="utf-8")
    recovered = forumkit(
        "recover",
        path,
        "--recovery-key-file",
        key_file,
        env={"FORUMKIT_NEW_PASSPHRASE": "another good passphrase"},
    )
    assert recovered.returncode == 0, recovered.stderr
    info = forumkit("info", path, env={"FORUMKIT_PASSPHRASE": "another good passphrase"})
    assert info.returncode == 0 and "Testshire PCF" in info.stdout


def test_new_with_passphrase_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(PASSPHRASE + "\r\nsecond line ignored\n", encoding="utf-8")
    path = tmp_path / "forum.forumkit"
    assert forumkit("new", path, "--forum", "F", "--passphrase-file", secret).returncode == 0
    assert forumkit("info", path, env=WITH_PASSPHRASE).returncode == 0


def test_new_refuses_existing_file_and_weak_passphrase(cli_forum: tuple[Path, str]) -> None:
    path, _ = cli_forum
    before = path.read_bytes()
    again = forumkit("new", path, "--forum", "F", env=WITH_PASSPHRASE)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert path.read_bytes() == before
    weak = forumkit(
        "new", path.with_name("w.forumkit"), "--forum", "F", env={"FORUMKIT_PASSPHRASE": "abc"}
    )
    assert weak.returncode == 1 and "too short" in weak.stderr
    assert not path.with_name("w.forumkit").exists()


def test_info_json_shape(cli_forum: tuple[Path, str]) -> None:
    path, _ = cli_forum
    info = forumkit("info", path, "--json", env=WITH_PASSPHRASE)
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert data["forum"] == "Testshire PCF"
    assert data["area"] == "Testshire"
    assert isinstance(data["format_version"], int) and isinstance(data["schema_version"], int)
    assert data["kdf"]["algorithm"] == "argon2id"
    assert isinstance(data["surveys"], list)


def test_verify_sound_file(cli_forum: tuple[Path, str]) -> None:
    path, _ = cli_forum
    checked = forumkit("verify", path, "--json", env=WITH_PASSPHRASE)
    assert checked.returncode == 0, checked.stderr
    report = json.loads(checked.stdout)
    assert report["ok"] is True and report["integrity"] == ["ok"]
    plain = forumkit("verify", path, env=WITH_PASSPHRASE)
    assert "is sound" in plain.stdout


def test_wrong_passphrase_is_exit_3_in_one_sentence(cli_forum: tuple[Path, str]) -> None:
    path, _ = cli_forum
    for command in ("info", "verify", "passphrase"):
        result = forumkit(
            command,
            path,
            env={
                "FORUMKIT_PASSPHRASE": PASSPHRASE + " ",
                "FORUMKIT_NEW_PASSPHRASE": "whatever passphrase",
            },
        )
        assert result.returncode == 3
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "does not open" in result.stderr and "forum.forumkit" in result.stderr


def test_damaged_file_is_exit_4_in_one_sentence(cli_forum: tuple[Path, str]) -> None:
    path, _ = cli_forum
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x10
    path.write_bytes(bytes(data))
    for command in ("info", "verify"):
        result = forumkit(command, path, env=WITH_PASSPHRASE)
        assert result.returncode == 4
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "forum.forumkit" in result.stderr and "damaged" in result.stderr
    path.write_bytes(b"PK\x03\x04 a spreadsheet, not a forum file")
    assert forumkit("info", path, env=WITH_PASSPHRASE).returncode == 4


def test_no_passphrase_and_no_terminal_is_exit_1(cli_forum: tuple[Path, str]) -> None:
    path, _ = cli_forum
    result = forumkit("info", path)
    assert result.returncode == 1
    assert "FORUMKIT_PASSPHRASE" in result.stderr and "--passphrase-file" in result.stderr


def test_usage_errors_are_exit_2(tmp_path: Path) -> None:
    assert forumkit("new", tmp_path / "f.forumkit", env=WITH_PASSPHRASE).returncode == 2
    assert forumkit("no-such-command").returncode == 2
    assert forumkit().returncode == 2


def test_passphrase_change(cli_forum: tuple[Path, str]) -> None:
    path, key = cli_forum
    changed = forumkit(
        "passphrase", path, env={**WITH_PASSPHRASE, "FORUMKIT_NEW_PASSPHRASE": "a fresh passphrase"}
    )
    assert changed.returncode == 0, changed.stderr
    assert forumkit("info", path, env=WITH_PASSPHRASE).returncode == 3
    assert forumkit("info", path, env={"FORUMKIT_PASSPHRASE": "a fresh passphrase"}).returncode == 0
    key_file = path.with_name("key.txt")
    key_file.write_text(key, encoding="utf-8")
    recovered = forumkit(
        "recover",
        path,
        "--recovery-key-file",
        key_file,
        env={"FORUMKIT_NEW_PASSPHRASE": "after recovery"},
    )
    assert recovered.returncode == 0, recovered.stderr
    assert forumkit("info", path, env={"FORUMKIT_PASSPHRASE": "after recovery"}).returncode == 0


def test_wrong_recovery_key_is_exit_3(cli_forum: tuple[Path, str]) -> None:
    path, key = cli_forum
    key_file = path.with_name("key.txt")
    key_file.write_text(key[:-1] + ("A" if key[-1] != "A" else "B"), encoding="utf-8")
    result = forumkit(
        "recover",
        path,
        "--recovery-key-file",
        key_file,
        env={"FORUMKIT_NEW_PASSPHRASE": "after recovery"},
    )
    assert result.returncode == 3 and "typo" in result.stderr


def _run_on_terminal(argv: list[str], answers: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run forumkit with a real pseudo-terminal, typing ``answers`` at its prompts."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes forumkit, with the terminal as its controlling tty
        os.environ.update(env)
        os.execv(sys.executable, [sys.executable, "-m", "forumkit", *argv])  # noqa: S606
    output = b""
    since_answer = b""
    pending = list(answers)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
        since_answer += chunk
        # Answer only a prompt that appeared after the last answer: getpass flushes input
        # typed before it switches echo off.
        if pending and since_answer.rstrip().endswith(b":"):
            os.write(fd, (pending.pop(0) + "\n").encode())
            since_answer = b""
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX-only")
def test_new_prompts_twice_on_a_terminal(tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(REPO_ROOT)}
    path = tmp_path / "typed.forumkit"
    code, output = _run_on_terminal(
        ["new", str(path), "--forum", "Typed PCF"], [PASSPHRASE, PASSPHRASE + "x"], env
    )
    assert code == 1 and "differ" in output
    assert not path.exists()
    code, output = _run_on_terminal(
        ["new", str(path), "--forum", "Typed PCF"], [PASSPHRASE, PASSPHRASE], env
    )
    assert code == 0, output
    assert PASSPHRASE not in output  # no echo
    assert forumkit("info", path, env=WITH_PASSPHRASE).returncode == 0


def test_info_lists_imported_surveys(cli_forum: tuple[Path, str], shared_dir: Path) -> None:
    path, _ = cli_forum
    form = shared_dir / "fixtures" / "xlsform" / "yes_or_no_question.xlsx"
    imported = forumkit("survey", "import", path, form, env=WITH_PASSPHRASE)
    assert imported.returncode == 0, imported.stderr
    data = json.loads(forumkit("info", path, "--json", env=WITH_PASSPHRASE).stdout)
    assert len(data["surveys"]) == 1
    survey = data["surveys"][0]
    assert {"id", "form_id", "title", "responses", "quotes"} <= set(survey)
    assert survey["responses"] == 0 and survey["quotes"] == 0
    text = forumkit("info", path, env=WITH_PASSPHRASE).stdout
    assert survey["form_id"] in text


def test_info_counts_responses_and_drafts(tmp_path: Path) -> None:
    path = tmp_path / "demo.forumkit"
    assert forumkit("demo", path, env=WITH_PASSPHRASE).returncode == 0
    data = json.loads(forumkit("info", path, "--json", env=WITH_PASSPHRASE).stdout)
    # This year's survey, then last year's edition (archived, listed last).
    survey, last_year = data["surveys"]
    assert survey["responses"] == 300 and survey["drafts"] == 8
    assert last_year["responses"] == 160 and last_year["archived"]


def _leave_a_stale_lock(path: Path) -> int:
    """Open ``path`` for writing in a process that is then killed; returns its pid."""
    script = (
        "import sys; from forumkit.workspace import Workspace; "
        "w = Workspace.open(sys.argv[1], sys.argv[2]); print('open', flush=True); "
        "import time; time.sleep(60)"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(path), PASSPHRASE],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "open"
    child.kill()
    child.wait()
    return child.pid


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX-only")
def test_a_stale_lock_is_broken_only_when_confirmed(cli_forum: tuple[Path, str]) -> None:
    path, _ = cli_forum
    pid = _leave_a_stale_lock(path)
    # Reading needs no lock.
    assert forumkit("info", path, env=WITH_PASSPHRASE).returncode == 0
    new = {**WITH_PASSPHRASE, "FORUMKIT_NEW_PASSPHRASE": "changed after the crash"}
    refused = forumkit("passphrase", path, env=new)
    assert refused.returncode == 1
    assert f"(process {pid}," in refused.stderr and "no longer running" in refused.stderr
    assert "--break-stale-lock" in refused.stderr
    env = {"PYTHONPATH": str(REPO_ROOT), **new}
    code, output = _run_on_terminal(["passphrase", str(path)], ["no"], env)
    assert code == 1 and "left as it was" in output
    code, output = _run_on_terminal(["passphrase", str(path)], ["yes"], env)
    assert code == 0, output
    again = {"FORUMKIT_PASSPHRASE": "changed after the crash", "FORUMKIT_NEW_PASSPHRASE": "x" * 9}
    assert forumkit("passphrase", path, env=again).returncode == 0  # the lock was cleared
