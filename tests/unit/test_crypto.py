"""AES-GCM for personal data, the keyed NIK hash, and sealed text columns (storage.crypto)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage import crypto
from storage.crypto import Crypto, DecryptionError, NoKeyInstalled, SealedText, is_pseudonym

KEY = "k" * 43
C = Crypto(KEY)


def test_round_trip_and_no_plaintext_in_the_ciphertext() -> None:
    blob = C.encrypt_text("3273010101900001", "requester.nik")
    assert b"3273010101900001" not in blob
    assert C.decrypt_text(blob, "requester.nik") == "3273010101900001"


def test_same_value_encrypts_differently_each_time() -> None:
    assert C.encrypt_text("x", "p") != C.encrypt_text("x", "p")


def test_tampered_ciphertext_is_refused() -> None:
    blob = bytearray(C.encrypt_text("Jl. Merdeka 10", "requester.address"))
    blob[-1] ^= 1
    with pytest.raises(DecryptionError):
        C.decrypt(bytes(blob), "requester.address")


def test_ciphertext_moved_to_another_column_is_refused() -> None:
    blob = C.encrypt_text("budi@example.com", "requester.email")
    with pytest.raises(DecryptionError):
        C.decrypt(blob, "requester.phone")


def test_another_key_cannot_decrypt() -> None:
    blob = C.encrypt_text("secret", "p")
    with pytest.raises(DecryptionError):
        Crypto("another-key-of-sufficient-length").decrypt(blob, "p")


def test_garbage_and_unknown_versions_are_refused() -> None:
    for blob in (b"", b"\x01short", b"\x02" + bytes(40)):
        with pytest.raises(DecryptionError):
            C.decrypt(blob, "p")


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValueError):
        Crypto("short")


def test_nik_hash_ignores_separators_and_depends_on_the_key() -> None:
    assert (
        C.nik_hash("3273 0101 0190 0001")
        == C.nik_hash("3273.0101.0190.0001")
        == C.nik_hash("3273010101900001")
    )
    assert C.nik_hash("3273010101900001") != C.nik_hash("3273010101900002")
    assert C.nik_hash("3273010101900001") != Crypto("another-key-of-sufficient-length").nik_hash(
        "3273010101900001"
    )
    assert "3273010101900001" not in C.nik_hash("3273010101900001")


def test_seal_is_text_and_unseal_passes_plain_text_through() -> None:
    token = C.seal('{"nik": "3273010101900001"}', "conversation.state")
    assert token.isascii() and "3273" not in token
    assert C.unseal(token, "conversation.state") == '{"nik": "3273010101900001"}'
    assert C.unseal('{"plain": 1}', "conversation.state") == '{"plain": 1}'


@given(st.text(), st.text(min_size=1, max_size=40))
def test_any_text_round_trips(text: str, purpose: str) -> None:
    assert C.decrypt_text(C.encrypt_text(text, purpose), purpose) == text
    assert C.unseal(C.seal(text, purpose), purpose) == text


@pytest.fixture
def no_key() -> Iterator[None]:
    saved = crypto.installed()
    crypto._installed = None
    yield
    crypto._installed = saved


def test_sealed_text_column_without_a_key_refuses_to_write_and_to_read_sealed(no_key: None) -> None:
    column = SealedText("inbox.payload")
    with pytest.raises(NoKeyInstalled):
        column.process_bind_param("hello", None)  # type: ignore[arg-type]
    assert column.process_bind_param(None, None) is None  # type: ignore[arg-type]
    assert column.process_result_value("written before sealing", None) == "written before sealing"  # type: ignore[arg-type]
    sealed = C.seal("hello", "inbox.payload")
    with pytest.raises(DecryptionError):
        column.process_result_value(sealed, None)  # type: ignore[arg-type]


def test_sealed_text_column_with_the_key_seals_and_reads_old_plain_rows(no_key: None) -> None:
    crypto.install_key(KEY)
    column = SealedText("inbox.payload")
    stored = column.process_bind_param("NIK 3273010101900001", None)  # type: ignore[arg-type]
    assert stored is not None and "3273" not in stored
    assert column.process_result_value(stored, None) == "NIK 3273010101900001"  # type: ignore[arg-type]
    assert column.process_result_value("written before sealing", None) == "written before sealing"  # type: ignore[arg-type]
    other = SealedText("outbox.payload")
    with pytest.raises(DecryptionError):
        other.process_result_value(stored, None)  # type: ignore[arg-type]


def test_chat_pseudonym_is_keyed_deterministic_and_marked() -> None:
    number = "6281234567890"
    pseudonym = C.chat_pseudonym(number)
    assert pseudonym == C.chat_pseudonym(number) and is_pseudonym(pseudonym)
    assert number not in pseudonym and len(pseudonym) <= 128
    assert C.chat_pseudonym(pseudonym) == pseudonym  # never hashed twice
    assert Crypto("another-secret-key-0123456789").chat_pseudonym(number) != pseudonym
    assert pseudonym[4:] != C.nik_hash(number)  # its own derived key


def test_key_check_identifies_the_key_without_being_it() -> None:
    assert C.key_check() == Crypto(KEY).key_check()
    assert C.key_check() != Crypto(KEY + "x").key_check()
    assert KEY not in C.key_check()
