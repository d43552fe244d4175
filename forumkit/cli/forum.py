"""Commands on the forum file itself: new, info, verify, passphrase, recover."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from forumkit.cli.common import (
    LOCK_WAIT_S,
    add_break_stale_lock_argument,
    add_file_arguments,
    add_json_argument,
    add_new_passphrase_argument,
    emit,
    group_key,
    kdf_words,
    new_passphrase_for,
    open_workspace,
    passphrase_for,
    read_secret,
    settle_older_copy,
    show_warnings,
    warn_if_test_strength,
    with_stale_lock_confirmed,
)
from forumkit.cli.terminal import say
from forumkit.errors import DamagedFile, ForumkitError
from forumkit.quotes import count_quotes
from forumkit.responses import count_responses
from forumkit.surveys import list_surveys
from forumkit.vault import BackupCheck
from forumkit.vault.format import FORMAT_MAJOR
from forumkit.vault.keys import TEST_KDF_ENV
from forumkit.wording import plural
from forumkit.workspace import Workspace

RECOVERY_KEY_ADVICE = (
    "Print this recovery key or write it down, and keep it somewhere safe away from this "
    "laptop. If the passphrase is ever forgotten, it is the only way to open the file; "
    "forumkit will not show it again."
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = commands.add_parser("new", help="create an encrypted forum file")
    add_file_arguments(new, writes=False)
    new.add_argument("--forum", required=True, metavar="NAME", help="the forum's name")
    new.add_argument("--area", default="", metavar="NAME", help="the local area it serves")
    add_json_argument(new)
    new.set_defaults(run=run_new)

    info = commands.add_parser("info", help="what a forum file holds")
    add_file_arguments(info, writes=False)
    add_json_argument(info)
    info.set_defaults(run=run_info)

    verify = commands.add_parser("verify", help="decrypt and check a forum file's integrity")
    add_file_arguments(verify, writes=False)
    add_json_argument(verify)
    verify.set_defaults(run=run_verify)

    passphrase = commands.add_parser("passphrase", help="change the passphrase")
    add_file_arguments(passphrase)
    add_new_passphrase_argument(passphrase)
    passphrase.set_defaults(run=run_passphrase)

    recover = commands.add_parser(
        "recover", help="set a new passphrase using the printed recovery key"
    )
    recover.add_argument("file", metavar="FILE", type=Path, help="the .forumkit file")
    recover.add_argument(
        "--recovery-key-file",
        type=Path,
        metavar="PATH",
        help="a text file holding the recovery key (else a prompt)",
    )
    add_new_passphrase_argument(recover)
    add_break_stale_lock_argument(recover)
    recover.set_defaults(run=run_recover)


def run_new(args: argparse.Namespace) -> int:
    passphrase = passphrase_for(args, confirm=True)
    workspace = Workspace.create(args.file, passphrase, forum=args.forum, area=args.area)
    warn_if_test_strength(workspace)
    try:
        key = workspace.recovery_key or ""
        forum = workspace.forum
        emit(
            args,
            {"file": str(args.file), "forum": forum.name, "area": forum.area, "recovery_key": key},
            f"Created “{args.file.name}” for {forum.name}.\n\n"
            f"Recovery key (shown only this once):\n\n{group_key(key)}\n\n{RECOVERY_KEY_ADVICE}",
        )
    finally:
        workspace.close()
    return 0


def _survey_summaries(workspace: Workspace) -> list[dict[str, Any]]:
    db = workspace.db
    return [
        {
            "id": s.id,
            "form_id": s.form_id,
            "title": s.title,
            "version": s.version,
            "archived": s.archived,
            "responses": count_responses(db, s.id, status="complete"),
            "drafts": count_responses(db, s.id, status="draft"),
            "quotes": count_quotes(db, s.id),
        }
        for s in list_surveys(db)
    ]


def run_info(args: argparse.Namespace) -> int:
    with open_workspace(args, read_only=True) as workspace:
        forum = workspace.forum
        kdf = workspace.vault.header.passphrase_slot.params
        surveys = _survey_summaries(workspace)
        backup = workspace.check_backup()
        data: dict[str, Any] = {
            "forum": forum.name,
            "area": forum.area,
            "created": forum.created,
            "file_id": forum.file_id,
            "forum_id": forum.forum_id,
            "origin_id": forum.origin_id,
            "format_version": FORMAT_MAJOR,
            "schema_version": workspace.schema_version,
            "generation": workspace.generation,
            "kdf": {**kdf.as_dict(), "test_strength": kdf.is_reduced()},
            "surveys": surveys,
            **_surroundings(workspace, backup),
        }
        weak = f" — a test-strength key ({TEST_KDF_ENV}=1), not for real answers"
        lines = [
            f"{forum.name}" + (f" ({forum.area})" if forum.area else ""),
            f"  file format {FORMAT_MAJOR}, data version {workspace.schema_version}, "
            f"saved {plural(workspace.generation, 'time')}",
            f"  key derivation: {kdf_words(kdf)}{weak if kdf.is_reduced() else ''}",
        ]
        if surveys:
            lines.append("  surveys:")
            lines += [
                f"    {s['form_id']}: {s['title']} ({plural(s['responses'], 'response')}, "
                f"{plural(s['drafts'], 'draft')}, {plural(s['quotes'], 'quote')})"
                for s in surveys
            ]
        else:
            lines.append("  no surveys yet")
        lines.append(f"  {backup.sentence()}")
        emit(args, data, "\n".join(lines))
    return 0


def _surroundings(workspace: Workspace, backup: BackupCheck) -> dict[str, Any]:
    """What ``info`` and ``verify`` say beside the file itself: its backup, and whether it is
    an older copy of one this computer has seen."""
    older = workspace.older_copy
    return {
        "backup": backup.as_dict(),
        "older_copy": older.as_dict() if older is not None else None,
    }


def run_verify(args: argparse.Namespace) -> int:
    with open_workspace(args, read_only=True) as workspace:
        db = workspace.db
        integrity = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
        foreign_key_problems = len(db.execute("PRAGMA foreign_key_check").fetchall())
        ok = integrity == ["ok"] and foreign_key_problems == 0
        backup = workspace.check_backup()
        data = {
            "ok": ok,
            "integrity": integrity,
            "foreign_key_problems": foreign_key_problems,
            "schema_version": workspace.schema_version,
            "generation": workspace.generation,
            **_surroundings(workspace, backup),
        }
        if not ok:
            if args.json:
                emit(args, data, "")
            raise DamagedFile(
                args.file,
                "it decrypts, but its database fails the integrity check "
                f"({plural(len(integrity) if integrity != ['ok'] else 0, 'integrity problem')}, "
                f"{plural(foreign_key_problems, 'broken link')} between records).",
            )
        emit(
            args,
            data,
            f"“{args.file.name}” is sound: it decrypts, its header and contents are intact, "
            f"and its database passes the integrity checks.\n{backup.sentence()}",
        )
    return 0


def run_passphrase(args: argparse.Namespace) -> int:
    with open_workspace(args) as workspace:
        workspace.change_passphrase(new_passphrase_for(args))
        warn_if_test_strength(workspace)
    say(f"The passphrase of “{args.file.name}” is changed. The recovery key still works.")
    return 0


def run_recover(args: argparse.Namespace) -> int:
    text = (
        read_secret(
            env="FORUMKIT_RECOVERY_KEY",
            file=None,
            file_option="--recovery-key-file",
            prompt="Recovery key: ",
            what="recovery key",
        )
        if args.recovery_key_file is None
        else _read_key_file(args.recovery_key_file)
    )
    new_passphrase = new_passphrase_for(args)

    def recover(break_stale_lock: bool) -> Workspace:
        return Workspace.recover(
            args.file,
            text,
            new_passphrase,
            wait_s=LOCK_WAIT_S,
            break_stale_lock=break_stale_lock,
        )

    with with_stale_lock_confirmed(args, recover) as workspace:
        show_warnings(workspace)
        warn_if_test_strength(workspace)
        settle_older_copy(args, workspace)
    say(f"“{args.file.name}” has a new passphrase. Keep using the same recovery key.")
    return 0


def _read_key_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ForumkitError(
            f"Cannot read the recovery key file “{path}”: {exc.strerror}."
        ) from None
    except UnicodeDecodeError:
        raise ForumkitError(f"The recovery key file “{path}” is not text.") from None
