"""Access codes for a request: what lets someone other than the filing conversation see it.

The registration number runs in order and the NIK's last digits are a serial, so neither may
open a request (UU 27/2022 Pasal 35: protect the requester's data). The filing conversation needs
nothing; anyone else needs the access code given at filing. A code is 12 characters from an
alphabet without look-alikes (no 0/O, 1/I/L), drawn with :mod:`secrets` (about 59 bits), shown in
groups of four. Storage keeps only a keyed hash of it (and a ciphertext, so the filing
conversation can be shown it again); this module only makes, normalises and formats codes.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 12
GROUP = 4

TRY_WINDOW = timedelta(hours=1)
TRIES_PER_CONVERSATION = 5
"""Failed tries one asking conversation may make per :data:`TRY_WINDOW`; then a polite wait."""
TRIES_PER_REQUEST = 30
"""Failed tries against one request, from all conversations together, per :data:`TRY_WINDOW`,
after which codes for it are not checked (the filing conversation never needs one)."""


def new_access_code() -> str:
    """A fresh code in its canonical form (no separators)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_access_code(raw: str) -> str:
    """What someone typed, as a canonical code; "" when it cannot be one.

    Case, spaces, dashes and dots are ignored ("abcd-efgh jkmn" -> "ABCDEFGHJKMN").
    """
    code = "".join(ch for ch in raw.upper() if ch not in " -.\t")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return ""
    return code


def format_access_code(code: str) -> str:
    """``"ABCDEFGHJKMN"`` -> ``"ABCD-EFGH-JKMN"``: easier to read out and copy."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def find_access_code(text: str) -> str:
    """A code anywhere in ``text`` ("cek status PPID-2026-000001 ABCD-EFGH-JKMN"); "" if none."""
    words = text.replace(",", " ").split()
    for size in (3, 1, 2):  # grouped in threes as shown, in one piece, or half-split
        for i in range(len(words) - size + 1):
            code = normalize_access_code("".join(words[i : i + size]))
            if code:
                return code
    return ""
