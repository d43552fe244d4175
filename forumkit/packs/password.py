"""A pack's password: the chair's own (checked), or five common words made up here.

The pack goes by email or USB stick and its password by phone, so a made-up password is five
words from the EFF's short word list (``resources/packs/eff-short-wordlist-1.txt``, CC BY 3.0
US), chosen with :mod:`secrets` and joined by hyphens: easy to read out and to type, about 51.7
bits (1,295 words to the fifth). It is shown once and never stored in the forum file. A chair's
own password follows the forum passphrase's rule (at least 8 characters) and must fit in a PDF
password (127 bytes of UTF-8, which AES-256 PDFs use).
"""

from __future__ import annotations

import secrets
import unicodedata
from functools import cache

from forumkit.packs.errors import PackPasswordRefused
from forumkit.paths import resource_path
from forumkit.vault import MIN_PASSPHRASE_CHARS

WORDS = 5
WORD_LIST = ("packs", "eff-short-wordlist-1.txt")
MAX_PDF_PASSWORD_BYTES = 127
"""What an AES-256 (revision 6) PDF password may hold; a reader ignores the rest."""


@cache
def word_list() -> tuple[str, ...]:
    """The words a generated password is made of: the shipped list's words of letters only
    (its one hyphenated word would read as two in a hyphenated password)."""
    text = resource_path(*WORD_LIST).read_text(encoding="utf-8")
    words = tuple(word for word in (line.strip() for line in text.splitlines()) if word.isalpha())
    if len(set(words)) < 1_000:
        raise FileNotFoundError(f"forumkit's word list {'/'.join(WORD_LIST)} is damaged.")
    return words


def generate_password(words: int = WORDS) -> str:
    """``words`` random words from the shipped list, joined by hyphens (``acorn-plaza-…``)."""
    choices = word_list()
    return "-".join(secrets.choice(choices) for _ in range(words))


def check_pack_password(password: str) -> str:
    """The chair's own password as the PDF will hold it (NFC), or PackPasswordRefused."""
    normalised = unicodedata.normalize("NFC", password)
    if len(normalised.strip()) < MIN_PASSPHRASE_CHARS:
        raise PackPasswordRefused(
            f"The pack's password is too short: use at least {MIN_PASSPHRASE_CHARS} characters "
            "(or let forumkit make one of five words)."
        )
    if len(normalised.encode("utf-8")) > MAX_PDF_PASSWORD_BYTES:
        raise PackPasswordRefused(
            f"The pack's password is too long: a PDF password holds at most "
            f"{MAX_PDF_PASSWORD_BYTES} bytes, and PDF readers would ignore the rest."
        )
    return normalised
