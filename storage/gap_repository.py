"""Gap groups and questions, and the bot's service counts, on the caller's session.

Rows in, rows out; nothing here commits. ``bot.gap_store`` decides which group a question joins
(``handlers.gaps``) and turns rows into what the console and the report show.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.gaps import GapGroupRow, GapQuestionRow, ServiceCountRow
from storage.models.knowledge import FaqEntryRow, RegisterEntryRow


class GapRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def group_keys_after(self, last_id: int) -> list[tuple[int, str]]:
        """(id, key) of the groups with an id above ``last_id`` (what a cache has not seen yet)."""
        stmt = (
            select(GapGroupRow.id, GapGroupRow.key).where(GapGroupRow.id > last_id).order_by(GapGroupRow.id)
        )
        return [(i, k) for i, k in (await self.session.execute(stmt)).all()]

    async def add_group(self, key: str, example: str, status: str, at: datetime) -> int:
        row = GapGroupRow(
            key=key[:400], example=example, count=0, first_seen=at, last_seen=at, status=status,
            entry_id="", opd="", referral="", updated_at=at,
        )  # fmt: skip
        self.session.add(row)
        await self.session.flush()
        return row.id

    async def add_question(
        self, group_id: int, question: str, reason: str, channel: str, at: datetime
    ) -> bool:
        """Count the question in its group; False (nothing written) when there is no such group."""
        result = await self.session.execute(
            update(GapGroupRow)
            .where(GapGroupRow.id == group_id)
            .values(
                count=GapGroupRow.count + 1,
                last_seen=case((GapGroupRow.last_seen < at, at), else_=GapGroupRow.last_seen),
                first_seen=case((GapGroupRow.first_seen > at, at), else_=GapGroupRow.first_seen),
            )
        )
        if not getattr(result, "rowcount", 0):
            return False
        self.session.add(
            GapQuestionRow(group_id=group_id, question=question, reason=reason, channel=channel, seen_at=at)
        )
        await self.session.flush()
        return True

    async def get_group(self, group_id: int) -> GapGroupRow | None:
        return await self.session.get(GapGroupRow, group_id)

    async def groups(
        self, *, statuses: Sequence[str] = (), seen_since: datetime | None = None
    ) -> list[GapGroupRow]:
        """Groups, most questions first; ``seen_since``: only those asked since then."""
        stmt = select(GapGroupRow).order_by(GapGroupRow.count.desc(), GapGroupRow.id)
        if statuses:
            stmt = stmt.where(GapGroupRow.status.in_(list(statuses)))
        if seen_since is not None:
            stmt = stmt.where(GapGroupRow.last_seen >= seen_since)
        return list((await self.session.scalars(stmt)).all())

    async def questions(
        self, group_id: int, *, since: datetime | None = None, until: datetime | None = None
    ) -> list[GapQuestionRow]:
        stmt = select(GapQuestionRow).where(GapQuestionRow.group_id == group_id).order_by(GapQuestionRow.id)
        if since is not None:
            stmt = stmt.where(GapQuestionRow.seen_at >= since)
        if until is not None:
            stmt = stmt.where(GapQuestionRow.seen_at < until)
        return list((await self.session.scalars(stmt)).all())

    async def questions_since(self, since: datetime) -> list[GapQuestionRow]:
        stmt = select(GapQuestionRow).where(GapQuestionRow.seen_at >= since).order_by(GapQuestionRow.id)
        return list((await self.session.scalars(stmt)).all())

    async def set_status(
        self,
        group_id: int,
        status: str,
        at: datetime,
        *,
        entry_id: str = "",
        opd: str = "",
        referral: str = "",
    ) -> bool:
        result = await self.session.execute(
            update(GapGroupRow)
            .where(GapGroupRow.id == group_id)
            .values(status=status, entry_id=entry_id, opd=opd, referral=referral, updated_at=at)
        )
        return bool(getattr(result, "rowcount", 0))

    async def referrals(self, status: str) -> list[tuple[int, str, str]]:
        """(id, key, referral) of the groups in ``status`` (another body's business)."""
        stmt = select(GapGroupRow.id, GapGroupRow.key, GapGroupRow.referral).where(
            GapGroupRow.status == status
        )
        return [(i, k, r) for i, k, r in (await self.session.execute(stmt)).all()]

    async def entry_names(self, entry_id: str) -> tuple[str, ...] | None:
        """How the register (title, keywords) or the FAQ (question) names an active entry; None
        when there is no such entry."""
        row = await self.session.get(RegisterEntryRow, entry_id)
        if row is not None and row.active:
            return (row.judul, *(k.strip() for k in row.kata_kunci.split(";") if k.strip()))
        faq = await self.session.get(FaqEntryRow, entry_id)
        if faq is not None and faq.active:
            return (faq.pertanyaan,)
        return None

    # --- the bot's service ---

    async def count_service(self, day: date, kind: str, channel: str, n: int = 1) -> None:
        insert = sqlite.insert if self.session.bind.dialect.name == "sqlite" else postgresql.insert
        stmt = (
            insert(ServiceCountRow)
            .values(day=day, kind=kind, channel=channel, count=n)
            .on_conflict_do_update(
                index_elements=["day", "kind", "channel"], set_={"count": ServiceCountRow.count + n}
            )
        )
        await self.session.execute(stmt)

    async def service_counts(self, first: date, last: date) -> dict[str, int]:
        """Questions per kind in [first, last]."""
        stmt = (
            select(ServiceCountRow.kind, func.sum(ServiceCountRow.count))
            .where(ServiceCountRow.day >= first, ServiceCountRow.day <= last)
            .group_by(ServiceCountRow.kind)
        )
        return {k: int(n or 0) for k, n in (await self.session.execute(stmt)).all()}

    async def reason_counts(self, since: datetime, until: datetime) -> dict[str, int]:
        stmt = (
            select(GapQuestionRow.reason, func.count(GapQuestionRow.id))
            .where(GapQuestionRow.seen_at >= since, GapQuestionRow.seen_at < until)
            .group_by(GapQuestionRow.reason)
        )
        return {r: int(n) for r, n in (await self.session.execute(stmt)).all()}
