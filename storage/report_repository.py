"""The request and objection log as the annual report reads it: plain rows, no personal data."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.gaps import GapGroupRow, GapQuestionRow
from storage.models.requests import InfoRequest, Objection


class RequestRow(NamedTuple):
    number: str
    received_on: date
    channel: str
    opd: str
    status: str
    original_due_on: date
    due_on: date
    outcome: str
    pasal17: str
    answered_on: date | None


class ObjectionRow(NamedTuple):
    received_on: date
    ground: str
    result: str
    commission_on: date | None
    opd: str


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def requests_received(self, first: date, last: date) -> list[RequestRow]:
        r = InfoRequest
        stmt = (
            select(
                r.number,
                r.received_on,
                r.channel,
                r.opd,
                r.status,
                r.original_due_on,
                r.due_on,
                r.outcome,
                r.pasal17,
                r.answered_on,
            )
            .where(r.received_on >= first, r.received_on <= last)
            .order_by(r.id)
        )
        return [RequestRow(*row) for row in (await self.session.execute(stmt)).all()]

    async def objections_received(self, first: date, last: date) -> list[ObjectionRow]:
        o = Objection
        stmt = (
            select(o.received_on, o.ground, o.result, o.commission_on, InfoRequest.opd)
            .join(InfoRequest, InfoRequest.id == o.request_id)
            .where(o.received_on >= first, o.received_on <= last)
            .order_by(o.id)
        )
        return [ObjectionRow(*row) for row in (await self.session.execute(stmt)).all()]

    async def top_gap_groups(
        self, since: datetime, until: datetime, limit: int
    ) -> list[tuple[int, int, str]]:
        """(group id, questions in [since, until), the group's first question), most asked first."""
        stmt = select(GapQuestionRow.group_id).where(
            GapQuestionRow.seen_at >= since, GapQuestionRow.seen_at < until
        )
        counts = Counter((await self.session.scalars(stmt)).all())
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        if not top:
            return []
        wanted = select(GapGroupRow.id, GapGroupRow.example).where(GapGroupRow.id.in_([g for g, _ in top]))
        examples: dict[int, str] = {i: e for i, e in (await self.session.execute(wanted)).all()}
        return [(g, n, examples.get(g, "")) for g, n in top]

    async def set_commission(self, objection_number: str, on: date | None) -> bool:
        """Record (or clear) that an objection's dispute was taken to the Komisi Informasi."""
        row = (
            await self.session.scalars(select(Objection).where(Objection.number == objection_number))
        ).first()
        if row is None:
            return False
        row.commission_on = on
        await self.session.flush()
        return True
