"""Console accounts: argon2id passwords, roles and OPD, login throttling, and who a session is.

Every change to an account and every login (good or bad) is written to the audit log. Passwords are
hashed with argon2id (argon2-cffi's defaults, RFC 9106); hashing runs in a thread so the event loop
keeps serving. Throttling counts failed logins per account and per client address over a window;
both keys are HMACs under the secret key, so no address is stored in clear (UU 27/2022).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot.holidays import ensure_holidays
from handlers.domain.errors import DomainError
from handlers.services.actor import Actor, Permission, Role
from handlers.services.ports import AuditAction
from storage.accounts import AccountRepository, AccountRow, AuditRepository, LoginFailureRepository
from storage.db import Database
from storage.request_repository import HolidayRepository

PASSWORDS = PasswordHasher()  # argon2id
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
OPD = re.compile(r"[A-Z0-9][A-Z0-9._-]{0,31}")
MIN_PASSWORD = 10
THROTTLE_WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5  # failed logins per account in the window; then even the right password waits
PER_ADDRESS = 20  # failed logins from one address in the window (guessing many accounts)
CONSOLE_ROLES = (Role.ADMIN, Role.OFFICER, Role.ATASAN, Role.COORDINATOR)
DEMO_ADMIN = "admin"
_DUMMY_HASH = PASSWORDS.hash("not a password of anyone")  # equal work for unknown usernames


class AccountError(DomainError):
    """A bad username, role, OPD or password, or an unknown or duplicate account."""


class LoginResult(StrEnum):
    OK = "ok"
    BAD = "bad"  # unknown user, wrong password or disabled account: one answer for all
    THROTTLED = "throttled"


@dataclass(frozen=True, slots=True)
class Login:
    result: LoginResult
    actor: Actor | None = None
    stamp: str = ""  # changes with the password: a session of an older password is void
    must_change: bool = False


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def _stamp(row: AccountRow) -> str:
    """Changes with the password and with every logout: a session of an older stamp is void."""
    return f"{int(row.password_changed_at.timestamp() * 1000)}.{row.session_epoch}"


def actor_of(row: AccountRow) -> Actor:
    return Actor(username=row.username, role=Role(row.role), opds=row.opds, id=row.id)


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    if len(password) > 256:
        raise AccountError("the password is too long (256 characters at most)")
    return password


def _clean(username: str, role: str, opds: Iterable[str]) -> tuple[str, Role, list[str]]:
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise AccountError("a username is 2-32 of a-z, 0-9, '.', '_' or '-', starting with a letter or digit")
    try:
        parsed = Role(role)
    except ValueError:
        raise AccountError(f"unknown role {role!r}") from None
    if parsed not in CONSOLE_ROLES:
        raise AccountError(f"unknown role {role!r}")
    units = sorted({o.strip().upper() for o in opds if o.strip()})
    if bad := [o for o in units if not OPD.fullmatch(o)]:
        raise AccountError(f"not an OPD abbreviation: {', '.join(bad)}")
    if parsed is Role.OFFICER and not units:
        raise AccountError("an officer (PPID Pelaksana) serves at least one OPD: --opd ABBR")
    return name, parsed, units


class Accounts:
    """Account management and login on the database; ``actor`` is checked for the MANAGE right."""

    def __init__(self, db: Database, secret_key: str = "") -> None:  # the key only for login throttling
        self.db = db
        self._key = hashlib.sha256(b"tanya-login-throttle\0" + secret_key.encode()).digest()

    def _throttle_key(self, kind: str, value: str) -> str:
        return f"{kind}:" + hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()[:64]

    async def add(
        self, actor: Actor, username: str, role: str, opds: Iterable[str], password: str, now: datetime, *,
        must_change: bool = False,
    ) -> str:  # fmt: skip
        actor.require(Permission.MANAGE)
        name, parsed, units = _clean(username, role, opds)
        hashed = await asyncio.to_thread(PASSWORDS.hash, check_password(password))
        async with self.db.write() as session:
            repo = AccountRepository(session)
            if await repo.get(name):
                raise AccountError(f"account {name!r} exists already")
            await repo.add(name, parsed.value, units, hashed, now, must_change=must_change)
            detail = f"{parsed.value} {' '.join(units)}".strip()
            await AuditRepository(session).add(now, actor.label, AuditAction.ACCOUNT_ADD.value, name, detail)
        return name

    async def accounts(self, actor: Actor) -> list[AccountRow]:
        actor.require(Permission.MANAGE)
        async with self.db.session() as session:
            return await AccountRepository(session).all()

    async def set_password(
        self, actor: Actor, username: str, password: str, now: datetime, *, must_change: bool = False
    ) -> None:
        """An administrator sets anyone's password; everyone may set their own."""
        if actor.username != username:
            actor.require(Permission.MANAGE)
        hashed = await asyncio.to_thread(PASSWORDS.hash, check_password(password))
        async with self.db.write() as session:
            if not await AccountRepository(session).set_password(
                username, hashed, now, must_change=must_change
            ):
                raise AccountError(f"no account {username!r}")
            await AuditRepository(session).add(now, actor.label, AuditAction.ACCOUNT_PASSWORD.value, username)

    async def disable(self, actor: Actor, username: str, now: datetime) -> None:
        actor.require(Permission.MANAGE)
        async with self.db.write() as session:
            if not await AccountRepository(session).disable(username, now):
                raise AccountError(f"no account {username!r}")
            await AuditRepository(session).add(now, actor.label, AuditAction.ACCOUNT_DISABLE.value, username)

    async def authenticate(self, username: str, password: str, address: str, now: datetime) -> Login:
        """Check a login; throttled per account and per address before any password is checked."""
        name = username.strip().lower()[:64]
        by_account, by_address = self._throttle_key("user", name), self._throttle_key("addr", address)
        since = now - THROTTLE_WINDOW
        async with self.db.session() as session:
            failures = LoginFailureRepository(session)
            throttled = (
                await failures.count_since(by_account, since) >= PER_ACCOUNT
                or await failures.count_since(by_address, since) >= PER_ADDRESS
            )
            row = None if throttled else await AccountRepository(session).get(name)
        if throttled:
            async with self.db.write() as session:
                await AuditRepository(session).add(now, f"login:{name}", AuditAction.LOGIN_FAILED.value, name,
                                                   "throttled")  # fmt: skip
            return Login(LoginResult.THROTTLED)
        ok = await asyncio.to_thread(_verify, row.password_hash if row else _DUMMY_HASH, password[:256])
        async with self.db.write() as session:
            audit, failures = AuditRepository(session), LoginFailureRepository(session)
            if row is None or not ok or row.disabled or row.role not in {r.value for r in CONSOLE_ROLES}:
                await failures.purge_before(since)  # older failures count for nothing: not kept
                failures.add(by_account, now)
                failures.add(by_address, now)
                await audit.add(now, f"login:{name}", AuditAction.LOGIN_FAILED.value, name)
                return Login(LoginResult.BAD)
            await failures.forget(by_account)
            await audit.add(now, actor_of(row).label, AuditAction.LOGIN.value, name)
        return Login(LoginResult.OK, actor_of(row), _stamp(row), row.must_change)

    async def holidays(self, actor: Actor, year: int) -> list[tuple[date, str, bool]]:
        """The holidays of ``year``: (day, name, active)."""
        actor.require(Permission.MANAGE)
        await ensure_holidays(self.db, (year,))
        async with self.db.session() as session:
            return [(h.day, h.name, h.active) for h in await HolidayRepository(session).list_holidays(year)]

    async def change_holiday(self, actor: Actor, day: date, name: str, now: datetime, *, add: bool) -> bool:
        """Add (a regional holiday, a late decree) or remove a holiday; audited."""
        actor.require(Permission.MANAGE)
        async with self.db.write() as session:
            holidays = HolidayRepository(session)
            if add:
                await holidays.add_holiday(day, name.strip()[:200])
                changed = True
            else:
                changed = await holidays.remove_holiday(day)
            action = AuditAction.HOLIDAY_ADD if add else AuditAction.HOLIDAY_REMOVE
            if changed:
                await AuditRepository(session).add(
                    now, actor.label, action.value, day.isoformat(), name[:200]
                )
        return changed

    async def session_actor(self, account_id: int, stamp: str) -> tuple[Actor, bool] | None:
        """The actor of a live session and whether they must change their password; None when the
        account is gone, disabled, or its password changed since the session began."""
        async with self.db.session() as session:
            row = await AccountRepository(session).get_by_id(account_id)
        if row is None or row.disabled or not hmac.compare_digest(_stamp(row), stamp):
            return None
        return actor_of(row), row.must_change

    async def logout(self, actor: Actor, now: datetime) -> None:
        """End every session of the actor's account (so a copied cookie is void too)."""
        async with self.db.write() as session:
            if actor.id is not None:
                await AccountRepository(session).end_sessions(actor.id)
            await AuditRepository(session).add(now, actor.label, AuditAction.LOGOUT.value)

    async def ensure_demo_admin(self, now: datetime) -> str | None:
        """On sample data only: an ``admin`` with a one-time password when there are no accounts yet."""
        async with self.db.session() as session:
            if await AccountRepository(session).count():
                return None
        password = generate_password()
        await self.add(
            Actor.system("sample-data"), DEMO_ADMIN, Role.ADMIN.value, (), password, now, must_change=True
        )
        return password


def _verify(hashed: str, password: str) -> bool:
    try:
        return PASSWORDS.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False
