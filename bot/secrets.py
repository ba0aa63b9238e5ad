"""Where the secret key comes from: ``TANYA_SECRET_KEY``, or a local key file in development."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from bot.settings import Settings

log = logging.getLogger(__name__)


class MissingSecretKey(RuntimeError):
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
