"""Where forumkit finds the files it ships (``resources/``): codebooks, the demo forum, icons.

One resolver for every layout, so nothing else computes resource paths:

* a PyInstaller bundle unpacks them to ``<bundle>/forumkit/resources``;
* an installed wheel carries them as package data, ``site-packages/forumkit/resources``;
* a source checkout keeps them at the top level, ``<checkout>/resources``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import forumkit


def resources_dir() -> Path:
    """The folder holding forumkit's shipped resources, whichever way forumkit was installed."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        candidate = Path(bundle) / "forumkit" / "resources"
        if candidate.is_dir():
            return candidate
    package = Path(forumkit.__file__).resolve().parent
    for candidate in (package / "resources", package.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "forumkit's resources folder is missing; reinstall forumkit to restore it."
    )


def resource_path(*parts: str) -> Path:
    """A file or folder under ``resources/``; FileNotFoundError if it is not there."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"forumkit's resource {'/'.join(parts)} is missing.")
    return path
