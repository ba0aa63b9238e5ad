"""``handlers.area_ports.AreaPort`` on ``storage.area_repository``: records with their labels,
and what a resident means by "RT 3 RW 2 Sukamaju Wetan"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.area_ports import AreaMatch, AreaRecord
from handlers.domain.areas import AreaLevel, AreaQuery, AreaSpec, normalise_key, pick_places, rt_key, rw_key
from handlers.domain.errors import DomainError
from storage.area_repository import AreaImportSummary, AreaKeyTaken, AreaRepository, AreaValues
from storage.broadcast_repository import BroadcastRepository
from storage.models.areas import Area

NEIGHBOURHOOD = (AreaLevel.RT, AreaLevel.RW)


class AreaConflict(DomainError):
    """An area's key is taken (the unique key refused the insert)."""


APPROVING = (AreaLevel.KELURAHAN, AreaLevel.KECAMATAN)  # the levels an approving officer is bound to


class AreaStore:
    def __init__(self, session: AsyncSession, *, now: datetime | None = None) -> None:
        self.repo = AreaRepository(session)
        self._now = now

    def _time(self) -> datetime:
        return self._now or datetime.now(UTC)

    async def import_specs(self, specs: Sequence[AreaSpec]) -> AreaImportSummary:
        """Add and rename areas; :class:`AreaConflict` when the unique key refuses one (the
        transaction is then spoilt: the caller's block must end with it)."""
        values = (AreaValues(s.key, s.level.value, s.name, s.number, s.parent_key) for s in specs)
        try:
            return await self.repo.import_areas(values, self._time())
        except AreaKeyTaken as taken:  # nothing written: the caller's transaction rolls back
            raise AreaConflict(f"conflicting area: {taken}") from taken
        except IntegrityError as error:
            raise AreaConflict("conflicting area") from error

    async def record(self, area: Area) -> AreaRecord:
        """The area with the names from its kelurahan down (``RT 003 RW 02 Sukamaju Wetan``)."""
        names = [area.name]
        if AreaLevel(area.level) in NEIGHBOURHOOD:
            for above in (await self.repo.ancestors(area))[1:]:
                names.append(above.name)
                if above.level == AreaLevel.KELURAHAN.value:
                    break
        return AreaRecord(area.id, area.key, AreaLevel(area.level), area.name, tuple(reversed(names)))

    async def _records(self, areas: Sequence[Area]) -> tuple[AreaRecord, ...]:
        return tuple([await self.record(a) for a in areas])

    async def get(self, key: str) -> AreaRecord | None:
        found = await self.repo.by_keys([key])
        return await self.record(found[0]) if found else None

    async def neighbourhood(self, key: str) -> AreaRecord | None:
        """The RW or RT named by ``key`` as typed ("sukamaju-wetan/rw02"), the only areas a
        coordinator is bound to; None for anything else."""
        canonical = normalise_key(key)
        area = await self.get(canonical) if canonical else None
        return area if area is not None and area.level in NEIGHBOURHOOD else None

    async def get_by_id(self, area_id: int) -> AreaRecord | None:
        area = await self.repo.get(area_id)
        return await self.record(area) if area else None

    async def all(self) -> tuple[AreaRecord, ...]:
        return await self._records(await self.repo.all())

    async def at_levels(self, levels: Iterable[AreaLevel]) -> tuple[AreaRecord, ...]:
        """The areas of these levels, highest level first (no RT/RW read when they are not asked for)."""
        found = [area for level in levels for area in await self.repo.at_level(level.value)]
        return await self._records(found)

    async def match(self, query: AreaQuery, limit: int = 8) -> AreaMatch:
        kelurahan = await self.repo.at_level(AreaLevel.KELURAHAN.value)
        names = [(a.key, a.name) for a in kelurahan]
        keys = pick_places(query.place, names) if query.place else [k for k, _ in names]
        if not keys:  # an unknown place: the kelurahan there are, as choices
            return AreaMatch(await self._records(kelurahan[:limit]), exact=False)
        meant = [a for a in kelurahan if a.key in keys]
        if query.rw is None and query.rt is None:
            return AreaMatch(await self._records(meant[:limit]), exact=True)
        if query.rw is not None:
            rw = query.rw
            wanted = [rw_key(k, rw) if query.rt is None else rt_key(k, rw, query.rt) for k in keys]
            found = await self.repo.by_keys(wanted)
        else:  # an RT without its RW: every RT of that number in the kelurahan meant
            rws = await self.repo.children([a.id for a in meant])
            found = await self.repo.children([a.id for a in rws], number=query.rt)
        if found:
            return AreaMatch(await self._records(found[:limit]), exact=True)
        # no such RW/RT: the RWs of the kelurahan meant, as choices
        return AreaMatch(
            await self._records((await self.repo.children([a.id for a in meant]))[:limit]), exact=False
        )

    # --- who approves a kelurahan's announcements ---

    async def approvers(self, area_id: int) -> frozenset[str]:
        """The active officers bound to the area's kelurahan or to its kecamatan."""
        area = await self.repo.get(area_id)
        if area is None:
            return frozenset()
        above = [a.id for a in await self.repo.ancestors(area) if AreaLevel(a.level) in APPROVING]
        officers = await self.repo.officers_of(above) if above else {}
        return frozenset(name for names in officers.values() for name in names)

    async def approval_coverage(self) -> list[tuple[AreaRecord, list[str], list[str]]]:
        """Every kelurahan with the officers bound to it and those bound to its kecamatan."""
        kelurahan = await self.repo.at_level(AreaLevel.KELURAHAN.value)
        parents = [a.parent_id for a in kelurahan if a.parent_id is not None]
        officers = await self.repo.officers_of([a.id for a in kelurahan] + parents)
        return [
            (await self.record(a), officers[a.id], officers.get(a.parent_id, []) if a.parent_id else [])
            for a in kelurahan
        ]

    async def subscribe(self, conversation_id: int, area_id: int) -> bool:
        return await self.repo.subscribe(conversation_id, area_id, self._time())

    async def subscriptions(self, conversation_id: int) -> tuple[AreaRecord, ...]:
        return await self._records(await self.repo.subscriptions(conversation_id))

    async def unsubscribe(self, conversation_id: int, area_id: int | None = None) -> int:
        """End subscriptions; the chat's broadcast rows not sent yet that no remaining subscription
        covers are withdrawn (unsubscribing is honoured even in the middle of a broadcast)."""
        ended = await self.repo.unsubscribe(conversation_id, area_id)
        if ended:
            broadcasts = BroadcastRepository(self.repo.session)
            remaining = {a.id for a in await self.repo.subscriptions(conversation_id)}
            withdrawn = [
                broadcast_id
                for broadcast_id, target in await broadcasts.pending_broadcasts_of(conversation_id)
                if not remaining & set(await self.repo.descendant_ids(target))
            ]
            await broadcasts.withdraw_unsent(conversation_id, withdrawn)
        return ended
