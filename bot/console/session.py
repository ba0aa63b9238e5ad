"""The console's session: a signed, timestamped cookie (itsdangerous), renewed on every page.

The cookie holds the account id, a stamp of the password (a new password ends older sessions), the
CSRF token of the session and the language; nothing personal. It is HttpOnly, SameSite=Lax, scoped
to ``/console`` and Secure when the page was served over HTTPS. A cookie older than the idle limit
is void: each authenticated response re-signs it, so the limit counts from the last page.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field, replace

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from handlers.types import Lang

COOKIE = "tanya_console"
PATH = "/console"


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    account_id: int | None = None
    stamp: str = ""
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    lang: Lang = Lang.ID
    expired: bool = False  # a cookie was there but too old (the login page says so)

    def signed_in(self, account_id: int, stamp: str) -> ConsoleSession:
        """After a login: a fresh CSRF token too (no fixation of the anonymous one)."""
        return ConsoleSession(account_id, stamp, secrets.token_urlsafe(32), self.lang)

    def signed_out(self) -> ConsoleSession:
        return ConsoleSession(lang=self.lang)

    def with_lang(self, lang: Lang) -> ConsoleSession:
        return replace(self, lang=lang)

    def csrf_ok(self, token: str) -> bool:
        return bool(token) and hmac.compare_digest(token.encode(), self.csrf.encode())


class SessionCodec:
    def __init__(self, secret_key: str, idle_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="tanya-console-session")
        self.idle_seconds = idle_seconds

    def load(self, request: Request) -> ConsoleSession:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return ConsoleSession()
        try:
            data = self._serializer.loads(raw, max_age=self.idle_seconds)
        except BadSignature:  # tampered, or too old (SignatureExpired is a BadSignature)
            return ConsoleSession(expired=True)
        if not isinstance(data, dict):
            return ConsoleSession()
        account = data.get("a")
        return ConsoleSession(
            account_id=account if isinstance(account, int) else None,
            stamp=str(data.get("s", "")),
            csrf=str(data.get("c", "")) or secrets.token_urlsafe(32),
            lang=Lang.EN if data.get("l") == Lang.EN.value else Lang.ID,
        )

    def store(self, request: Request, response: Response, session: ConsoleSession) -> None:
        value = self._serializer.dumps(
            {"a": session.account_id, "s": session.stamp, "c": session.csrf, "l": session.lang.value}
        )
        response.set_cookie(
            COOKIE, value, max_age=self.idle_seconds, path=PATH, httponly=True, samesite="lax",
            secure=request.url.scheme == "https",
        )  # fmt: skip
