"""``handlers.area_ports.CoordinatorPort``: a coordinator's chat linked with a one-time code, and
their announcements through ``handlers.services.broadcasts`` (the same rules as console and CLI).

The code is six digits, valid for 15 minutes and once; only its keyed hash is stored. A chat that
gives wrong codes is stopped after a few (``handlers.coordinator_chat``), and a code is worth one
account only, so guessing is slow and bounded.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.area_store import AreaStore
from bot.broadcast_store import BroadcastStore, actor_for
from handlers.area_ports import Announced, CoordinatorInfo, TooManyCodes
from handlers.domain.errors import DomainError
from handlers.services import broadcasts
from handlers.services.actor import Role
from handlers.types import Attachment
from storage.accounts import AccountRepository, LoginFailureRepository
from storage.crypto import Crypto
from storage.models.areas import CoordinatorLink

CODE_VALID = timedelta(minutes=15)
MAX_WRONG_CODES = 5  # wrong codes one chat may give in an hour
WRONG_CODE_WINDOW = timedelta(hours=1)


class CoordinatorStore:
    def __init__(
        self,
        session: AsyncSession,
        crypto: Crypto,
        *,
        now: datetime | None = None,
        rules: broadcasts.BroadcastRules = broadcasts.DEFAULT_RULES,
    ) -> None:
        self.session = session
        self.crypto = crypto
        self.now = now or datetime.now(UTC)
        self.rules = rules

    def _hash(self, code: str) -> str:
        return self.crypto.access_code_hash(f"coordinator-link:{code}")

    async def issue_code(self, account_id: int) -> str:
        """A new one-time code for the account (the previous one stops working)."""
        code = f"{secrets.randbelow(1_000_000):06d}"
        link = await self.session.get(CoordinatorLink, account_id)
        if link is None:
            link = CoordinatorLink(account_id=account_id)
            self.session.add(link)
        link.code_hash, link.code_expires_at = self._hash(code), self.now + CODE_VALID
        await self.session.flush()
        return code

    async def _info(self, account_id: int) -> CoordinatorInfo | None:
        account = await AccountRepository(self.session).get_by_id(account_id)
        if account is None or account.disabled or account.role != Role.COORDINATOR.value:
            return None
        actor = await actor_for(self.session, account.username)
        areas = AreaStore(self.session)
        records = [await areas.get(key) for key in sorted(actor.areas)] if actor else []
        return CoordinatorInfo(
            account.username, tuple(r for r in records if r is not None), self.rules.max_file_bytes
        )

    async def link(self, code: str, conversation_id: int) -> CoordinatorInfo | None:
        failures = LoginFailureRepository(self.session)
        key = f"link:{self.crypto.access_code_hash(f'link-chat:{conversation_id}')[:60]}"
        if await failures.count_since(key, self.now - WRONG_CODE_WINDOW) >= MAX_WRONG_CODES:
            raise TooManyCodes
        stmt = select(CoordinatorLink).where(
            CoordinatorLink.code_hash == self._hash(code), CoordinatorLink.code_expires_at > self.now
        )
        link = (await self.session.scalars(stmt)).first()
        if link is None:
            failures.add(key, self.now)
            return None
        await self.session.execute(  # one coordinator per chat: an earlier link of this chat ends
            update(CoordinatorLink)
            .where(CoordinatorLink.conversation_id == conversation_id)
            .values(conversation_id=None)
        )
        link.code_hash, link.code_expires_at = "", None
        link.conversation_id, link.linked_at = conversation_id, self.now
        await self.session.flush()
        return await self._info(link.account_id)

    async def linked(self, conversation_id: int) -> CoordinatorInfo | None:
        stmt = select(CoordinatorLink.account_id).where(CoordinatorLink.conversation_id == conversation_id)
        account_id = await self.session.scalar(stmt)
        return await self._info(account_id) if account_id is not None else None

    async def announce(
        self,
        conversation_id: int,
        area_key: str,
        text: str = "",
        entry_id: str = "",
        attachment: Attachment | None = None,
    ) -> Announced:
        info = await self.linked(conversation_id)
        actor = await actor_for(self.session, info.username) if info else None
        if actor is None:
            return Announced(refused="not a coordinator")
        try:
            store = BroadcastStore(self.session, now=self.now, crypto=self.crypto)
            record = await broadcasts.send(
                store, actor, area_key, text=text, entry_id=entry_id, now=self.now, rules=self.rules,
                file=attachment,
            )  # fmt: skip
        except DomainError as error:
            return Announced(refused=str(error))
        awaiting = record.status is broadcasts.Status.AWAITING_APPROVAL
        nobody = awaiting and not await broadcasts.approvers(store, record)
        return Announced(record.id, awaiting, no_approver=nobody)
