"""Accounts, failed logins and the audit log, on the caller's session; nothing here commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.accounts import Account, AccountOpd, AuditLog, LoginFailure


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: int
    username: str
    role: str
    opds: frozenset[str]
    password_hash: str
    disabled: bool
    password_changed_at: datetime
    must_change: bool = False
    session_epoch: int = 0


class AccountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _opds(self, account_ids: Iterable[int]) -> dict[int, set[str]]:
        wanted = list(account_ids)
        found: dict[int, set[str]] = {i: set() for i in wanted}
        if wanted:
            stmt = select(AccountOpd.account_id, AccountOpd.opd).where(AccountOpd.account_id.in_(wanted))
            for account_id, opd in (await self.session.execute(stmt)).all():
                found[account_id].add(opd)
        return found

    @staticmethod
    def _row(a: Account, opds: set[str]) -> AccountRow:
        return AccountRow(
            a.id, a.username, a.role, frozenset(opds), a.password_hash, a.disabled_at is not None,
            a.password_changed_at, a.must_change, a.session_epoch,
        )  # fmt: skip

    async def get(self, username: str) -> AccountRow | None:
        a = (await self.session.scalars(select(Account).where(Account.username == username))).first()
        return self._row(a, (await self._opds([a.id]))[a.id]) if a else None

    async def get_by_id(self, account_id: int) -> AccountRow | None:
        a = await self.session.get(Account, account_id)
        return self._row(a, (await self._opds([a.id]))[a.id]) if a else None

    async def all(self) -> list[AccountRow]:
        rows = (await self.session.scalars(select(Account).order_by(Account.username))).all()
        opds = await self._opds(a.id for a in rows)
        return [self._row(a, opds[a.id]) for a in rows]

    async def count(self) -> int:
        return int((await self.session.execute(select(func.count(Account.id)))).scalar_one())

    async def add(
        self, username: str, role: str, opds: Iterable[str], password_hash: str, at: datetime, *,
        must_change: bool = False,
    ) -> int:  # fmt: skip
        account = Account(
            username=username, role=role, password_hash=password_hash, created_at=at, password_changed_at=at,
            must_change=must_change,
        )  # fmt: skip
        self.session.add(account)
        await self.session.flush()
        self.session.add_all(AccountOpd(account_id=account.id, opd=o) for o in sorted(set(opds)))
        await self.session.flush()
        return account.id

    async def set_password(
        self, username: str, password_hash: str, at: datetime, *, must_change: bool = False
    ) -> bool:
        a = (await self.session.scalars(select(Account).where(Account.username == username))).first()
        if a is None:
            return False
        a.password_hash = password_hash
        a.password_changed_at = at
        a.must_change = must_change
        await self.session.flush()
        return True

    async def end_sessions(self, account_id: int) -> None:
        """Every session of the account so far is void (a logout)."""
        a = await self.session.get(Account, account_id)
        if a is not None:
            a.session_epoch += 1
            await self.session.flush()

    async def disable(self, username: str, at: datetime) -> bool:
        a = (await self.session.scalars(select(Account).where(Account.username == username))).first()
        if a is None:
            return False
        a.disabled_at = a.disabled_at or at
        await self.session.flush()
        return True


class LoginFailureRepository:
    """Failed logins per key (a hash of the username, or of the client address)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def count_since(self, key: str, since: datetime) -> int:
        stmt = select(func.count(LoginFailure.id)).where(LoginFailure.key == key, LoginFailure.at >= since)
        return int((await self.session.execute(stmt)).scalar_one())

    def add(self, key: str, at: datetime) -> None:
        self.session.add(LoginFailure(key=key, at=at))

    async def forget(self, key: str) -> None:
        await self.session.execute(delete(LoginFailure).where(LoginFailure.key == key))

    async def purge_before(self, at: datetime) -> None:
        """Drop failures older than ``at`` (past every throttle window): the table holds one window."""
        await self.session.execute(delete(LoginFailure).where(LoginFailure.at < at))


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, at: datetime, actor: str, action: str, target: str = "", detail: str = "") -> None:
        self.session.add(AuditLog(at=at, actor=actor[:64], action=action, target=target[:64], detail=detail))

    async def targets(self, action: str, among: Sequence[str]) -> set[str]:
        """Which of ``among`` an action was ever done to (e.g. the entries published); by the
        target index."""
        if not among:
            return set()
        stmt = select(AuditLog.target).where(AuditLog.target.in_(among), AuditLog.action == action)
        return set((await self.session.scalars(stmt)).all())

    async def recent(self, *, target: str | None = None, limit: int = 200) -> list[AuditLog]:
        stmt = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
        if target is not None:
            stmt = stmt.where(AuditLog.target == target)
        return list((await self.session.scalars(stmt)).all())
