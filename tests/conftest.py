"""Shared test set-up: test-mode key derivation, a private settings folder, shared paths.

Tests run with ``FORUMKIT_INSECURE_TEST_KDF=1`` (reduced Argon2id parameters, accepted only in
that mode) and never weaken forumkit's defaults. Qt runs offscreen.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["FORUMKIT_INSECURE_TEST_KDF"] = "1"

from forumkit.workspace import Workspace

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
PASSPHRASE = "correct horse battery"


def decrypted(path: Path) -> bytes:
    """The decrypted database image of a forum file (or its backup), to look for leftovers."""
    from forumkit.vault import Vault

    vault, image = Vault.open(path, PASSPHRASE)
    vault.close()
    return bytes(image)


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_tool(name: str) -> str:
    """The path of an external program; skip visibly without it, fail under CI."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (apt-get install it to run this test)"
        if under_ci():
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(autouse=True)
def _private_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets its own settings folder, so rollback memory never leaks between tests."""
    monkeypatch.setenv("FORUMKIT_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.setenv("FORUMKIT_INSECURE_TEST_KDF", "1")
    monkeypatch.delenv("FORUMKIT_PASSPHRASE", raising=False)
    monkeypatch.delenv("FORUMKIT_NEW_PASSPHRASE", raising=False)


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the checkout: fixtures and design documents."""
    if not SHARED.is_dir():
        message = f"the shared folder is missing at {SHARED}"
        if under_ci():
            pytest.fail(message)
        pytest.skip(message)
    return SHARED


@pytest.fixture
def forum_path(tmp_path: Path) -> Path:
    return tmp_path / "forum.forumkit"


@pytest.fixture
def workspace(forum_path: Path) -> Iterator[Workspace]:
    """An open, freshly created forum file."""
    ws = Workspace.create(forum_path, PASSPHRASE, forum="Test Forum", area="Testshire")
    try:
        yield ws
    finally:
        ws.close()
