"""Where the secret key comes from (``TANYA_SECRET_KEY``, or a local key file in development), and
the check that it is the key the database's personal data is sealed with."""

from __future__ import annotations

import logging
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from bot.settings import Settings
from handlers.types import Channel
from storage import migrate
from storage.crypto import Crypto, install_key
from storage.db import Database
from storage.privacy import KeyMismatch, check_key

log = logging.getLogger(__name__)

PSEUDONYMOUS_CHANNELS = (Channel.WHATSAPP.value,)  # chat id = the user's phone number: stored as a pseudonym


class SecretKeyProblem(RuntimeError):
    """The process must not start; the message says why and what to do (``tanya`` prints it)."""


class MissingSecretKey(SecretKeyProblem):
    pass


class WrongSecretKey(SecretKeyProblem):
    pass


def resolve_secret_key(settings: Settings) -> str:
    """The configured key; in development, a key file generated on first run (and said so).

    Production (``TANYA_ENV=production``) refuses to start without ``TANYA_SECRET_KEY``: a key
    file beside the database would put the personal data and its key on the same disk.
    """
    if settings.secret_key:
        return settings.secret_key
    if settings.env == "production":
        raise MissingSecretKey("TANYA_SECRET_KEY must be set in production (TANYA_ENV=production)")
    path = Path(settings.secret_key_file)
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    log.warning("no TANYA_SECRET_KEY set: generated a local key in %s (keep it safe; back it up)", path)
    return key


def _key_source(settings: Settings) -> str:
    if settings.secret_key:
        return "TANYA_SECRET_KEY"
    return f"the key file {settings.secret_key_file} (TANYA_SECRET_KEY is not set)"


async def verify_key(db: Database, crypto: Crypto, settings: Settings) -> None:
    """Refuse a key that is not the data's (:class:`WrongSecretKey`); the first start stores its check.

    Run by every process that opens the database with the key, before it reads or writes
    personal data: a mistyped ``TANYA_SECRET_KEY``, or a development key regenerated after
    ``var/secret.key`` was lost, stops the start with this message instead of failing later on
    a citizen's message.
    """
    try:
        first = await check_key(db, crypto, datetime.now(UTC), pseudonymous=PSEUDONYMOUS_CHANNELS)
    except KeyMismatch:
        raise WrongSecretKey(
            f"the secret key from {_key_source(settings)} is not the key this database's personal "
            "data is encrypted with. Set TANYA_SECRET_KEY to that key (or restore its key file, "
            f"TANYA_SECRET_KEY_FILE, default var/secret.key); nothing was written."
        ) from None
    if first:
        log.info("stored the check value of the secret key with the database")


class SealedDatabase(NamedTuple):
    db: Database
    secret_key: str
    crypto: Crypto


async def open_sealed_database(settings: Settings) -> SealedDatabase:
    """Install the key, open and migrate the database and check the key against it."""
    secret_key = resolve_secret_key(settings)
    crypto = install_key(secret_key)
    db = Database.from_url(settings.database_url)
    try:
        await migrate.upgrade(db)
        await verify_key(db, crypto, settings)
    except BaseException:
        await db.dispose()
        raise
    return SealedDatabase(db, secret_key, crypto)
