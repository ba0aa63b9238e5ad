"""Access codes of requests (handlers.domain.access) and their keyed hash (storage.crypto)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from handlers.domain.access import (
    ALPHABET,
    LENGTH,
    find_access_code,
    format_access_code,
    new_access_code,
    normalize_access_code,
)
from storage.crypto import Crypto

C = Crypto("k" * 43)


def test_codes_are_long_random_and_without_look_alikes() -> None:
    codes = {new_access_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(len(c) == LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert not set("01ILO") & set(ALPHABET)
    assert LENGTH * math.log2(len(ALPHABET)) > 55  # bits: not guessable within any try limit


def test_typed_forms_normalise_to_the_code() -> None:
    code = new_access_code()
    shown = format_access_code(code)
    assert shown.count("-") == 2 and len(shown) == LENGTH + 2
    for typed in (shown, shown.lower(), shown.replace("-", " "), f" {code.lower()} "):
        assert normalize_access_code(typed) == code
    assert normalize_access_code("0001") == ""
    assert normalize_access_code(code[:-1]) == ""
    assert normalize_access_code(code[:-1] + "O") == ""


def test_a_code_is_found_in_a_sentence_but_a_number_is_not_a_code() -> None:
    code = new_access_code()
    assert find_access_code(f"cek status PPID-2026-000001 {format_access_code(code)}") == code
    assert (
        find_access_code(f"keberatan PPID-2026-000001 {format_access_code(code).replace('-', ' ')}") == code
    )
    assert find_access_code("cek status PPID-2026-000001 0001") == ""
    assert find_access_code("cek status PPID-2026-000001") == ""


@given(st.text(max_size=40))
def test_normalising_never_raises_and_gives_a_code_or_nothing(raw: str) -> None:
    code = normalize_access_code(raw)
    assert code == "" or (len(code) == LENGTH and set(code) <= set(ALPHABET))


def test_the_keyed_hash_checks_a_code_and_hides_it() -> None:
    code = new_access_code()
    stored = C.access_code_hash(code)
    assert code not in stored and len(stored) == 64
    assert C.access_code_matches(code, stored)
    assert not C.access_code_matches(new_access_code(), stored)
    assert not Crypto("j" * 43).access_code_matches(code, stored)  # keyed: another key, another hash
    assert stored != C.nik_hash(code)  # its own derived key
