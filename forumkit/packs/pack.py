"""Making an evidence pack: one export job (``forumkit.exports``) from request to audit entry.

:func:`prepare_pack` reads what the pack holds on the database thread and returns the job; its
render (laying out, attaching, encrypting: ``forumkit.packs.document``) runs anywhere, the app
runs it in a worker; writing is atomic, and recording adds the audit entry (action
``pack_created``: counts, and as ids the pack's id, its survey's and those of the responses whose
words it holds, so that a later erasure names the pack to the chair). :func:`make_pack` does it
all in a row, for the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from forumkit.exports import ExportJob, run_export
from forumkit.packs.content import PackContent, PackRedaction, PackRequest, gather
from forumkit.packs.document import render_pack
from forumkit.packs.errors import PackError
from forumkit.packs.password import check_pack_password, generate_password
from forumkit.responses import PACK_CREATED

if TYPE_CHECKING:
    from forumkit.workspace import Workspace


@dataclass(frozen=True)
class PackResult:
    """What a pack holds, for the chair (the app and the command line show it)."""

    pack_id: str
    path: Path
    quotes: int
    responses: int
    """Responses whose words the pack holds."""
    counted: int
    """Responses whose parent agreed to share: those the pack counts."""
    password: str | None
    """The generated password, to show once (None when the chair gave their own)."""
    redacted: tuple[PackRedaction, ...]
    left_out: tuple[tuple[str, int], ...]
    warnings: tuple[str, ...]
    figures: tuple[str, ...] = ()
    """The questions whose headline figures the pack shows, by name."""
    compared_with: str | None = None
    """The form id of the earlier edition beside them, if any."""
    left_out_by_chair: int = 0
    """Quotes that could have gone in and that the chair left out."""


def prepare_pack(
    workspace: Workspace, request: PackRequest, path: Path, *, password: str | None = None
) -> ExportJob[PackResult]:
    """Read what the pack of ``request`` holds; the job writes it to ``path`` (.pdf) under
    ``password`` (checked), or under five generated words when None."""
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise PackError(f"“{path.name}” must end in .pdf: an evidence pack is a PDF.")
    generated = password is None
    secret = generate_password() if password is None else check_pack_password(password)
    content = gather(workspace, request)
    return ExportJob(
        path=path,
        render=lambda: render_pack(content, secret),
        action=PACK_CREATED,
        counts=_counts(content),
        object_ids=(content.pack_id, *content.survey_ids, *content.response_ids),
        touched_ids=(content.pack_id,),
        result=PackResult(
            pack_id=content.pack_id,
            path=path,
            quotes=len(content.quotes),
            responses=len(content.response_ids),
            counted=content.responses,
            password=secret if generated else None,
            redacted=content.redacted,
            left_out=content.left_out,
            warnings=content.warnings,
            figures=tuple(headline.name for headline in content.figures.headlines),
            compared_with=content.figures.previous_form_id or None,
            left_out_by_chair=content.left_out_by_chair,
        ),
    )


def _counts(content: PackContent) -> dict[str, int]:
    return {
        "surveys": len(content.survey_ids),
        "quotes": len(content.quotes),
        "responses": len(content.response_ids),
        "counted": content.responses,
        "key_messages": len(content.key_messages),
        "figures": len(content.figures.headlines),
        "redacted_at_pack_time": len(content.redacted),
        "left_out_by_chair": content.left_out_by_chair,
        "encrypted": 1,
    }


def make_pack(
    workspace: Workspace, request: PackRequest, path: Path, *, password: str | None = None
) -> PackResult:
    """Make, write and record the pack of ``request`` on this thread (the command line's way)."""
    return run_export(workspace, prepare_pack(workspace, request, path, password=password))
