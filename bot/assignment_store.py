"""``handlers.services.assignments.AssignmentPort`` on the caller's session (nothing here commits)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.area_store import AreaStore
from bot.coordinator_store import CoordinatorStore
from handlers.area_ports import AreaRecord
from handlers.services.actor import Role
from handlers.services.assignments import StaffAccount
from handlers.services.ports import AuditEntry
from storage.accounts import AccountRepository, AuditRepository
from storage.crypto import Crypto


class AssignmentStore:
    def __init__(self, session: AsyncSession, crypto: Crypto, *, now: datetime | None = None) -> None:
        self.session = session
        self.now = now or datetime.now(UTC)
        self.areas = AreaStore(session, now=self.now)
        self.codes = CoordinatorStore(session, crypto, now=self.now)

    async def account(self, username: str) -> StaffAccount | None:
        row = await AccountRepository(self.session).get(username)
        return StaffAccount(row.id, row.username, Role(row.role), row.disabled) if row else None

    async def area(self, key: str) -> AreaRecord | None:
        return await self.areas.get(key)

    async def bind(self, account: StaffAccount, area_id: int) -> bool:
        if account.role is Role.OFFICER:
            return await self.areas.repo.bind_officer(account.id, area_id, self.now)
        return await self.areas.repo.assign(account.id, area_id)

    async def unbind(self, account: StaffAccount, area_id: int) -> bool:
        if account.role is Role.OFFICER:
            return await self.areas.repo.unbind_officer(account.id, area_id)
        return await self.areas.repo.unassign(account.id, area_id)

    async def issue_link_code(self, account_id: int) -> str:
        return await self.codes.issue_code(account_id)

    async def audit(self, entry: AuditEntry) -> None:
        await AuditRepository(self.session).add(
            entry.at, entry.actor, entry.action.value, entry.target, entry.detail
        )
