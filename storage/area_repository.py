"""Areas and subscriptions on the caller's session; nothing here commits.

``bot.area_store.AreaStore`` builds the handlers' records and the matching on top of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.accounts import Account
from storage.models.areas import AccountArea, Area, AreaOfficer, Subscription


@dataclass(frozen=True, slots=True)
class AreaImportSummary:
    added: int
    renamed: int
    unchanged: int

    def __str__(self) -> str:
        return f"{self.added} area(s) added, {self.renamed} renamed, {self.unchanged} unchanged"


@dataclass(frozen=True, slots=True)
class AreaValues:
    key: str
    level: str
    name: str
    number: int
    parent_key: str  # "" for a kota


class AreaKeyTaken(ValueError):
    """An imported area's key already names an area of another level or under another parent."""

    def __init__(self, key: str, level: str, parent_key: str) -> None:
        super().__init__(f"{key} is already a {level} under {parent_key or 'nothing'}")
        self.key, self.level, self.parent_key = key, level, parent_key


class AreaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def import_areas(self, values: Iterable[AreaValues], now: datetime) -> AreaImportSummary:
        """Add new areas and rename changed ones (parents come before their children)."""
        existing = {a.key: a for a in (await self.session.scalars(select(Area))).all()}
        key_of = {a.id: a.key for a in existing.values()}
        added = renamed = unchanged = 0
        for v in values:
            area = existing.get(v.key)
            if area is not None and (
                area.level != v.level or key_of.get(area.parent_id or 0, "") != (v.parent_key or "")
            ):  # the same key for another place: a kecamatan named like a kelurahan, say
                raise AreaKeyTaken(v.key, area.level, key_of.get(area.parent_id or 0, ""))
            if area is None:
                parent = existing.get(v.parent_key) if v.parent_key else None
                area = Area(key=v.key, level=v.level, name=v.name, number=v.number,
                            parent_id=parent.id if parent else None, created_at=now)  # fmt: skip
                self.session.add(area)
                await self.session.flush()
                existing[v.key] = area
                key_of[area.id] = area.key
                added += 1
            elif area.name != v.name:
                area.name = v.name
                renamed += 1
            else:
                unchanged += 1
        return AreaImportSummary(added, renamed, unchanged)

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(Area)) or 0)

    async def get(self, area_id: int) -> Area | None:
        return await self.session.get(Area, area_id)

    async def by_keys(self, keys: Sequence[str]) -> list[Area]:
        stmt = select(Area).where(Area.key.in_(keys)).order_by(Area.key)
        return list((await self.session.scalars(stmt)).all())

    async def at_level(self, level: str) -> list[Area]:
        stmt = select(Area).where(Area.level == level).order_by(Area.key)
        return list((await self.session.scalars(stmt)).all())

    async def all(self) -> list[Area]:
        return list((await self.session.scalars(select(Area).order_by(Area.key))).all())

    async def children(self, parent_ids: Sequence[int], *, number: int | None = None) -> list[Area]:
        stmt = select(Area).where(Area.parent_id.in_(parent_ids)).order_by(Area.key)
        if number is not None:
            stmt = stmt.where(Area.number == number)
        return list((await self.session.scalars(stmt)).all())

    async def descendant_ids(self, area_id: int) -> list[int]:
        """The area and everything under it (a RW with its RTs; a kecamatan with all of its RTs)."""
        found, frontier = [area_id], [area_id]
        while frontier:
            stmt = select(Area.id).where(Area.parent_id.in_(frontier))
            frontier = list((await self.session.scalars(stmt)).all())
            found += frontier
        return found

    async def ancestors(self, area: Area) -> list[Area]:
        """The area and everything above it, up to the kota (nearest first)."""
        chain = [area]
        while chain[-1].parent_id is not None and len(chain) < 10:
            parent = await self.session.get(Area, chain[-1].parent_id)
            if parent is None:
                break
            chain.append(parent)
        return chain

    # --- coordinators ---

    async def account_area_keys(self, account_id: int) -> list[str]:
        stmt = (
            select(Area.key)
            .join(AccountArea, AccountArea.area_id == Area.id)
            .where(AccountArea.account_id == account_id)
        )
        return sorted((await self.session.scalars(stmt)).all())

    async def assign(self, account_id: int, area_id: int) -> bool:
        if await self.session.get(AccountArea, (account_id, area_id)) is not None:
            return False
        self.session.add(AccountArea(account_id=account_id, area_id=area_id))
        await self.session.flush()
        return True

    async def unassign(self, account_id: int, area_id: int) -> bool:
        result = await self.session.execute(
            delete(AccountArea).where(AccountArea.account_id == account_id, AccountArea.area_id == area_id)
        )
        return bool(getattr(result, "rowcount", 0))

    # --- officers who approve the announcements of a kelurahan (or of a kecamatan's kelurahan) ---

    async def bind_officer(self, account_id: int, area_id: int, now: datetime) -> bool:
        if await self.session.get(AreaOfficer, (account_id, area_id)) is not None:
            return False
        self.session.add(AreaOfficer(account_id=account_id, area_id=area_id, created_at=now))
        await self.session.flush()
        return True

    async def unbind_officer(self, account_id: int, area_id: int) -> bool:
        result = await self.session.execute(
            delete(AreaOfficer).where(AreaOfficer.account_id == account_id, AreaOfficer.area_id == area_id)
        )
        return bool(getattr(result, "rowcount", 0))

    async def officers_of(self, area_ids: Sequence[int]) -> dict[int, list[str]]:
        """The usernames of the active accounts bound to each of these areas (an area without: [])."""
        stmt = (
            select(AreaOfficer.area_id, Account.username)
            .join(Account, Account.id == AreaOfficer.account_id)
            .where(AreaOfficer.area_id.in_(area_ids), Account.disabled_at.is_(None))
            .order_by(Account.username)
        )
        found: dict[int, list[str]] = {area_id: [] for area_id in area_ids}
        for area_id, username in await self.session.execute(stmt):
            found[area_id].append(username)
        return found

    # --- subscriptions ---

    async def subscribe(self, conversation_id: int, area_id: int, now: datetime) -> bool:
        """True when new; subscribing twice is harmless."""
        values = {"conversation_id": conversation_id, "area_id": area_id, "created_at": now}
        insert = pg_insert if self.session.bind.dialect.name == "postgresql" else sqlite_insert
        stmt = (
            insert(Subscription)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["conversation_id", "area_id"])
        )
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

    async def subscriptions(self, conversation_id: int) -> list[Area]:
        stmt = (
            select(Area)
            .join(Subscription, Subscription.area_id == Area.id)
            .where(Subscription.conversation_id == conversation_id)
            .order_by(Area.key)
        )
        return list((await self.session.scalars(stmt)).all())

    async def unsubscribe(self, conversation_id: int, area_id: int | None = None) -> int:
        stmt = delete(Subscription).where(Subscription.conversation_id == conversation_id)
        if area_id is not None:
            stmt = stmt.where(Subscription.area_id == area_id)
        result = await self.session.execute(stmt)
        return int(getattr(result, "rowcount", 0) or 0)

    async def subscriber_counts(self, area_ids: Sequence[int]) -> dict[int, int]:
        """Subscribed chats per area, in one query (an area without any counts 0)."""
        stmt = (
            select(Subscription.area_id, func.count(func.distinct(Subscription.conversation_id)))
            .where(Subscription.area_id.in_(area_ids))
            .group_by(Subscription.area_id)
        )
        found = {area_id: int(n) for area_id, n in await self.session.execute(stmt)}
        return {area_id: found.get(area_id, 0) for area_id in area_ids}
