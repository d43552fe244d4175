"""A pack's password: five common words read out over the phone, or the chair's own."""

from __future__ import annotations

import math

import pytest

from forumkit.packs import PackPasswordRefused, check_pack_password, generate_password, word_list
from forumkit.paths import resource_path


def test_a_generated_password_is_five_words_from_the_shipped_list() -> None:
    words = word_list()
    assert len(words) == 1_295 and len(set(words)) == len(words)
    assert all(word.isalpha() and word.islower() and 3 <= len(word) <= 5 for word in words)
    made = [generate_password() for _ in range(200)]
    for password in made:
        parts = password.split("-")
        assert len(parts) == 5 and set(parts) <= set(words)
    assert len(set(made)) == len(made)  # 2^51.7 possibilities: no repeats in 200
    assert 5 * math.log2(len(words)) > 51


def test_the_word_list_ships_with_its_licence() -> None:
    licence = resource_path("packs", "LICENSE-eff-wordlist.txt").read_text(encoding="utf-8")
    assert "Creative Commons Attribution 3.0 United States" in licence
    assert "Electronic Frontier Foundation" in " ".join(licence.split())
    shipped = resource_path("packs", "eff-short-wordlist-1.txt").read_text(encoding="utf-8")
    assert len(shipped.splitlines()) == 1_296  # unchanged: "yo-yo" is skipped, not removed


def test_the_chairs_own_password_follows_the_passphrase_rule() -> None:
    assert check_pack_password("eight ch") == "eight ch"
    with pytest.raises(PackPasswordRefused, match="at least 8 characters"):
        check_pack_password("  seven  ")
    with pytest.raises(PackPasswordRefused, match="at most 127 bytes"):
        check_pack_password("ł" * 64)  # 128 bytes of UTF-8
    # Typed on a Mac or on Windows, the same password opens the pack.
    assert check_pack_password("Zażo\u0301łć gęślą") == check_pack_password("Zażółć gęślą")
