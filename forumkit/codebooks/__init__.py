"""Codebooks: the codes a forum tags parents' words with, and their exchange with other tools.

Every forum file starts with four shipped codebooks (``resources/codebooks/``, seeded by the
schema migration to data version 5): the NNPCF's **seven key messages** (the default), the five
areas inspectors evaluate, the four broad areas of need and the four Preparing for Adulthood
outcomes. The key messages map onto the inspection areas; the forum may edit that mapping, the
labels, scope notes, colours, shortcuts and keywords, add codes and codebooks of its own, and
exchange codebooks with NVivo, MAXQDA, ATLAS.ti, QualCoder or Taguette as REFI-QDA ``.qdc``
files.

The public API (the quotes store, suggestions, evidence packs, the UI and the CLI use these):

- reading: ``list_codebooks(db)``, ``get_codebook(db, key_or_id)``, ``default_codebook(db)``,
  ``get_code(db, id)``, ``resolve_code(db, reference, codebook=None)`` (an id,
  ``codebook/key`` or a key), ``inspection_area_map(db)``, ``inspection_areas_of(db, code_id)``,
  ``code_uses(db, code_id)``;
- changing (each one ``workspace.transaction()``, audit-logged by ids, touching
  ``"codebooks"``): ``create_codebook``, ``edit_codebook``, ``delete_codebook``, ``add_code``,
  ``edit_code``, ``delete_code(workspace, code, merge_into=None)``, ``set_inspection_areas``;
- exchange: ``export_qdc(workspace, codebook, path)``, ``import_qdc(workspace, path, name=None)``,
  and the file-free ``read_qdc(data)`` / ``write_qdc(codebook, origin)``.

**How a store that uses codes plugs in** (the quotes store's tags): declare the column
``code_id TEXT NOT NULL REFERENCES codes (id)`` in its migration. That is the whole hook:
``code_uses`` counts such rows, ``delete_code`` refuses to delete a used code
(:class:`CodeInUse`) and, given ``merge_into``, moves the rows to the other code, dropping a
row that would then repeat one already there (a quote tagged with both). Make the tags table a
link table with a primary key or UNIQUE over (quote, code) so that rule holds, and wrap the call
in your own transaction to mark quotes changed too. This package never imports the quotes store.
"""

from __future__ import annotations

from forumkit.codebooks.colours import OKABE_ITO, contrast_ratio, text_colour_for
from forumkit.codebooks.edit import (
    UNSET,
    add_code,
    create_codebook,
    delete_code,
    delete_codebook,
    edit_code,
    edit_codebook,
    set_inspection_areas,
)
from forumkit.codebooks.errors import (
    CodebookError,
    CodebookNotFound,
    CodeInUse,
    CodeNotFound,
    CodeValueError,
    QdcFileError,
)
from forumkit.codebooks.exchange import QdcImport, export_qdc, import_qdc, read_qdc_file
from forumkit.codebooks.model import (
    INSPECTION_AREAS_ID,
    KEY_MESSAGES_ID,
    Code,
    Codebook,
    CodeDeletion,
    code_id_for,
    codebook_id_for,
)
from forumkit.codebooks.qdc import QDC_NAMESPACE, QdcCode, QdcCodebook, read_qdc, write_qdc
from forumkit.codebooks.store import (
    code_uses,
    default_codebook,
    get_code,
    get_codebook,
    inspection_area_map,
    inspection_areas_of,
    list_codebooks,
    resolve_code,
)

__all__ = [
    "INSPECTION_AREAS_ID",
    "KEY_MESSAGES_ID",
    "OKABE_ITO",
    "QDC_NAMESPACE",
    "UNSET",
    "Code",
    "CodeDeletion",
    "CodeInUse",
    "CodeNotFound",
    "CodeValueError",
    "Codebook",
    "CodebookError",
    "CodebookNotFound",
    "QdcCode",
    "QdcCodebook",
    "QdcFileError",
    "QdcImport",
    "add_code",
    "code_id_for",
    "code_uses",
    "codebook_id_for",
    "contrast_ratio",
    "create_codebook",
    "default_codebook",
    "delete_code",
    "delete_codebook",
    "edit_code",
    "edit_codebook",
    "export_qdc",
    "get_code",
    "get_codebook",
    "import_qdc",
    "inspection_area_map",
    "inspection_areas_of",
    "list_codebooks",
    "read_qdc",
    "read_qdc_file",
    "resolve_code",
    "set_inspection_areas",
    "text_colour_for",
    "write_qdc",
]
