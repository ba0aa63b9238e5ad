"""Personal data at rest: AES-256-GCM with keys derived (HKDF-SHA256) from ``TANYA_SECRET_KEY``.

UU 27/2022 (PDP) Pasal 35-39 asks the controller to protect personal data; identity numbers,
addresses, contacts and attachments are therefore stored only as ciphertext, and a keyed HMAC
of the normalised NIK lets the PPID find a requester's earlier requests without storing the NIK.

Ciphertext layout: ``version (1 byte) | nonce (12 bytes) | ciphertext+tag``. The *purpose* of a
value (e.g. ``"requester.nik"``) is bound as associated data, so a ciphertext moved to another
column does not decrypt.

``SealedText`` is a column type for text columns that may carry what a citizen typed (the inbox,
the outbox and the conversation state): it seals values with the process key installed by
:func:`install_key` and reads plaintext rows written before that as they are. Writing one
without an installed key raises (:class:`NoKeyInstalled`): an entry point that forgot to install
the key must fail, not store citizens' data in the clear.

Two keyed hashes, each under its own derived key: the NIK's (finds a requester's earlier
requests) and a chat address's (:meth:`Crypto.chat_pseudonym`: WhatsApp numbers are stored only
as this pseudonym, the number itself only sealed). :meth:`Crypto.key_check` is a value stored
once per database, so a different key is refused at start-up instead of failing on a citizen's
message later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Text, TypeDecorator
from sqlalchemy.engine import Dialect

VERSION = 1
_NONCE = 12
_SALT = b"tanya-ppid/v1"
SEALED_PREFIX = "~s1:"  # marks a SealedText value; plaintext JSON never starts with "~"
PSEUDONYM_PREFIX = "~h1:"  # marks a chat pseudonym; no platform's chat id starts with "~"
_KEY_CHECK_MESSAGE = b"tanya-ppid key check v1"


class DecryptionError(ValueError):
    """The ciphertext was altered, belongs to another purpose, or the key is not the one used."""


class NoKeyInstalled(RuntimeError):
    """A sealed column was written in a process where no key was installed (:func:`install_key`)."""


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info).derive(secret)


class Crypto:
    """Encrypts and decrypts personal data and hashes NIKs with keys derived from one secret."""

    __slots__ = ("_access_key", "_aead", "_chat_key", "_check_key", "_nik_key")

    def __init__(self, secret_key: str) -> None:
        if len(secret_key) < 16:
            raise ValueError("the secret key must have at least 16 characters")
        secret = secret_key.encode("utf-8")
        self._aead = AESGCM(_derive(secret, b"personal-data aes-256-gcm"))
        self._nik_key = _derive(secret, b"nik lookup hmac-sha256")
        self._access_key = _derive(secret, b"request access code hmac-sha256")
        self._chat_key = _derive(secret, b"chat address pseudonym hmac-sha256")
        self._check_key = _derive(secret, b"key check value hmac-sha256")

    def encrypt(self, data: bytes, purpose: str) -> bytes:
        nonce = os.urandom(_NONCE)
        return bytes([VERSION]) + nonce + self._aead.encrypt(nonce, data, purpose.encode())

    def decrypt(self, blob: bytes, purpose: str) -> bytes:
        if len(blob) < 1 + _NONCE + 16 or blob[0] != VERSION:
            raise DecryptionError("not a ciphertext of this version")
        try:
            return self._aead.decrypt(blob[1 : 1 + _NONCE], blob[1 + _NONCE :], purpose.encode())
        except InvalidTag:
            raise DecryptionError("ciphertext does not verify") from None

    def encrypt_text(self, text: str, purpose: str) -> bytes:
        return self.encrypt(text.encode("utf-8"), purpose)

    def decrypt_text(self, blob: bytes, purpose: str) -> str:
        return self.decrypt(blob, purpose).decode("utf-8")

    def seal(self, text: str, purpose: str) -> str:
        """Text-safe ciphertext (for text columns): prefix + base64url."""
        return SEALED_PREFIX + base64.urlsafe_b64encode(self.encrypt_text(text, purpose)).decode("ascii")

    def unseal(self, token: str, purpose: str) -> str:
        """The text of a :meth:`seal` token; a value without the prefix is returned unchanged."""
        if not token.startswith(SEALED_PREFIX):
            return token
        return self.decrypt_text(base64.urlsafe_b64decode(token[len(SEALED_PREFIX) :]), purpose)

    def nik_hash(self, nik: str) -> str:
        """HMAC-SHA256 of the NIK's digits (spaces, dots and dashes dropped), hex."""
        digits = "".join(ch for ch in nik if ch.isdigit())
        return hmac.new(self._nik_key, digits.encode("ascii"), hashlib.sha256).hexdigest()

    def access_code_hash(self, code: str) -> str:
        """HMAC-SHA256 of a request's access code (its canonical form), hex; the code itself is
        never stored in plain text."""
        return hmac.new(self._access_key, code.encode("utf-8"), hashlib.sha256).hexdigest()

    def access_code_matches(self, code: str, stored_hash: str) -> bool:
        """Whether ``code`` hashes to ``stored_hash``, compared in constant time."""
        return hmac.compare_digest(self.access_code_hash(code), stored_hash)

    def chat_pseudonym(self, address: str) -> str:
        """The stored chat id of a chat whose address is personal data (a WhatsApp number).

        Deterministic (HMAC-SHA256), so conversations and the inbox's unique key are still looked
        up by index; prefixed, so it is never taken for an address (a pseudonym is returned as is).
        """
        if address.startswith(PSEUDONYM_PREFIX):
            return address
        digest = hmac.new(self._chat_key, address.encode("utf-8"), hashlib.sha256).hexdigest()
        return PSEUDONYM_PREFIX + digest

    def key_check(self) -> str:
        """A value that identifies this key without revealing it (HMAC of a constant), hex."""
        return hmac.new(self._check_key, _KEY_CHECK_MESSAGE, hashlib.sha256).hexdigest()


def is_pseudonym(chat_id: str) -> bool:
    return chat_id.startswith(PSEUDONYM_PREFIX)


@lru_cache(maxsize=8)
def crypto_for(secret_key: str) -> Crypto:
    """One :class:`Crypto` per key (deriving keys on every message would be wasted work)."""
    return Crypto(secret_key)


_installed: Crypto | None = None


def install_key(secret_key: str) -> Crypto:
    """Make ``secret_key`` the key of every :class:`SealedText` column in this process."""
    global _installed
    _installed = crypto_for(secret_key)
    return _installed


def installed() -> Crypto | None:
    return _installed


def uninstall_key() -> None:
    """Forget the installed key (tests: every entry point must install its own)."""
    global _installed
    _installed = None


class SealedText(TypeDecorator[str]):
    """A text column whose values are sealed with the installed key.

    Writing a value without an installed key raises :class:`NoKeyInstalled` (fail closed);
    reading a sealed value without a key raises :class:`DecryptionError`. Rows written in plain
    text before sealing existed are read as they are.
    """

    impl = Text
    cache_ok = True

    def __init__(self, purpose: str) -> None:
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return value
        if _installed is None:
            raise NoKeyInstalled(f"no key installed: refusing to write {self.purpose} in plain text")
        return _installed.seal(value, self.purpose)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None or not value.startswith(SEALED_PREFIX):
            return value
        if _installed is None:
            raise DecryptionError("a sealed value was read but no key is installed")
        return _installed.unseal(value, self.purpose)
