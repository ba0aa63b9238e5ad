"""Log set-up: one line per event, with a correlation id where the code binds one; never a secret.

Two layers keep secrets and personal data out of the log. The HTTP client libraries log each
request URL at INFO, and the Bot API's URLs carry the bot token (``/bot<token>/sendMessage``):
they log at WARNING and above only. And every line goes through ``Redactor``, which blanks the
configured secrets, anything shaped like a bot token, and personal data shaped like a NIK, an
Indonesian phone number or an e-mail address (UU 27/2022: no personal data where it is not needed).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterable
from typing import TextIO

# Libraries that log request URLs (with the bot token in them) or message texts at INFO/DEBUG.
QUIET_LOGGERS = ("httpx", "httpcore", "hpack", "telegram")
# Loggers with handlers of their own (they do not propagate to the root's): redacted too.
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
REDACTED = "[redacted]"
_PATTERNS = (
    re.compile(r"\b\d{5,12}:[A-Za-z0-9_-]{30,}"),  # a Telegram bot token
    re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"),  # an Authorization header's value
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),  # an e-mail address
    re.compile(r"(?<!\d)\d{4}[ .-]?\d{4}[ .-]?\d{4}[ .-]?\d{4}(?!\d)"),  # a NIK (16 digits)
    re.compile(r"(?<![\w+])(?:\+62|62|0)[ .-]?8\d{1,3}(?:[ .-]?\d{3,4}){2}\d{0,2}(?!\d)"),  # ID phone
)
_MIN_SECRET = 6  # shorter configured values would blank ordinary words


class Redactor(logging.Filter):
    """Blanks secrets and personal data in a record's message and traceback (defence in depth)."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()

    def add_secrets(self, values: Iterable[str]) -> None:
        self._secrets.update(v for v in values if len(v) >= _MIN_SECRET)

    def redact(self, text: str) -> str:
        for secret in sorted(self._secrets, key=len, reverse=True):
            if secret in text:
                text = text.replace(secret, REDACTED)
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: (m.group(1) if m.re.groups else "") + REDACTED, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: the handler reports it; nothing to redact
            return True
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


REDACTOR = Redactor()


def secrets_of(settings: object) -> list[str]:
    """The configured secret values (tokens, app secrets, the key) of a ``Settings``."""
    names = (
        "secret_key",
        "telegram_token",
        "telegram_secret",
        "whatsapp_token",
        "whatsapp_app_secret",
        "whatsapp_verify_token",
    )
    return [str(getattr(settings, name, "") or "") for name in names]


def guard_handlers(settings: object | None = None) -> None:
    """Put the redactor on every handler of the root and the server's loggers; learn the secrets.

    Called again once the server has set up its own loggers (the app's start-up).
    """
    if settings is not None:
        REDACTOR.add_secrets(secrets_of(settings))
    for name in ("", *SERVER_LOGGERS):
        for handler in logging.getLogger(name).handlers:
            if REDACTOR not in handler.filters:
                handler.addFilter(REDACTOR)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure_logging(level: str | None = None, stream: TextIO | None = None) -> logging.Handler:
    """Log lines to ``stream`` (stderr) through the redactor; the HTTP libraries only from WARNING."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_tanya", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._tanya = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel((level or os.environ.get("TANYA_LOG_LEVEL", "INFO")).upper())
    try:
        from bot.settings import get_settings

        settings: object | None = get_settings()
    except Exception:  # settings that do not load are reported by whoever loads them next
        settings = None
    guard_handlers(settings)
    return handler
