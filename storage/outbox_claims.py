"""The relay's side of the outbox: owners and heartbeats, fair claims per conversation, shedding.

A running relay registers as an *owner* and refreshes its heartbeat every second. It claims
outbox rows by marking them ``sending`` with its owner id; no other relay touches them while the
owner's heartbeat is fresh, however long the sends take (a paced chat may take minutes), and any
relay takes them back as soon as it is stale (the process died). There is no lease to wait out.

Claims go per conversation: a conversation is claimed from its first unsent row (its *head*)
on, a prefix of at most ``per_conversation`` rows, and only when every row of that prefix may be
taken (pending and due, or held by a dead owner). A conversation whose head another live relay
holds, or whose head waits for a retry, is skipped whole: that keeps the order across several
processes without waiting on anything but the earlier row's own send. Conversations take turns
(all heads first, then all second rows, ...) within a per-channel room, so one chat's flood or
one channel's pacing never holds the rows of another.

On PostgreSQL claims and shedding are serialised by a transaction-scoped advisory lock (window
functions cannot be combined with ``FOR UPDATE``); on SQLite the single writer does that.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Integer,
    String,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    union,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased
from sqlalchemy.sql.elements import ColumnElement

from storage.models import Conversation, OutboxMessage, RelayOwner
from storage.models.base import UTCDateTime
from storage.models.pipeline import OutboxKind, OutboxStatus

_PENDING, _SENDING = OutboxStatus.PENDING.value, OutboxStatus.SENDING.value


def _unsent(status: ColumnElement[str] | InstrumentedAttribute[str]) -> ColumnElement[bool]:
    """``status IN ('pending', 'sending')`` with literal values, as the partial index
    ``ix_outbox_unsent`` is defined: SQLite uses it only for that very condition."""
    return status.in_([literal_column(f"'{_PENDING}'"), literal_column(f"'{_SENDING}'")])


def _pending(status: ColumnElement[str] | InstrumentedAttribute[str]) -> ColumnElement[bool]:
    """``status = 'pending'`` with a literal value, as the partial index ``ix_outbox_due`` is defined."""
    return status == literal_column(f"'{_PENDING}'")


_LOCK_KEY = 0x7A6E_7961_0009  # pg_advisory_xact_lock key of the relays' claims ("tanya", issue 9)
SHED_ERROR = "shed: too many replies waiting for this chat (flood); the chat got one notice"

_OUTBOX = cast(Table, OutboxMessage.__table__)
_RECORD = update(_OUTBOX).where(
    _OUTBOX.c.id == bindparam("row_id"), _OUTBOX.c.owner == bindparam("row_owner")
)  # one cached statement, run as an executemany: a relay writes only rows it still owns


def _on_postgres(session: AsyncSession) -> bool:
    return session.bind.dialect.name == "postgresql"


class ClaimRepository:
    # --- owners ---

    @staticmethod
    async def register(session: AsyncSession, owner: str, host: str, pid: int, now: datetime) -> None:
        await session.execute(
            insert(RelayOwner).values(id=owner, host=host[:255], pid=pid, started_at=now, heartbeat_at=now)
        )

    @staticmethod
    async def heartbeat(session: AsyncSession, owner: str, now: datetime) -> bool:
        """Refresh the heartbeat; False when the owner row is gone (then register again)."""
        result = await session.execute(
            update(RelayOwner).where(RelayOwner.id == owner).values(heartbeat_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    @staticmethod
    async def unregister(session: AsyncSession, owner: str) -> None:
        await session.execute(delete(RelayOwner).where(RelayOwner.id == owner))

    @staticmethod
    async def forget_owners(session: AsyncSession, stale_before: datetime) -> None:
        """Drop owners long dead (their rows are taken back whether or not the row exists)."""
        await session.execute(delete(RelayOwner).where(RelayOwner.heartbeat_at < stale_before))

    @staticmethod
    async def release_all(session: AsyncSession, channels: Sequence[str]) -> int:
        """SQLite start-up: the one process before us is gone; every claim of these channels is free."""
        result = await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == _SENDING, OutboxMessage.channel.in_(list(channels)))
            .values(status=_PENDING, owner="")
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0))

    @staticmethod
    async def serialise(session: AsyncSession) -> None:
        """PostgreSQL: one claim or shedding at a time across all processes (until the commit)."""
        if _on_postgres(session):
            await session.execute(select(func.pg_advisory_xact_lock(_LOCK_KEY)))

    # --- claiming ---

    @staticmethod
    async def claim(
        session: AsyncSession,
        owner: str,
        rooms: Mapping[str, int],
        now: datetime,
        fresh_after: datetime,
        per_conversation: int,
        limit: int = 500,
        *,
        reclaim: bool = True,
        recipients: Mapping[str, str] | None = None,
        look: bool = False,
    ) -> list[int]:
        """Claim conversations' due prefixes for ``owner``: at most ``rooms[channel]`` rows per channel,
        ``limit`` in all (the channels take turns too). Returns the ids claimed, in order; read the
        rows with :meth:`claimed` after the commit (on SQLite the writer is held for the claim alone).

        ``look``: only find the ids it would claim, a read that needs no write transaction (SQLite:
        most wake-ups during a broadcast find nothing to claim, and need not hold the writer).

        ``reclaim``: look for dead owners' rows too (it scans every row being sent; a relay does it
        about once a second, and never on SQLite, where start-up takes every claim back).

        ``fresh_after``: owners whose heartbeat is older are dead, and their rows are free.

        ``recipients`` narrows a channel to one chat (channel -> chat id): the terminal of
        ``tanya chat --user X`` takes only X's rows, and the rows of other terminal users stay
        pending for them. Call :meth:`serialise` first in the same transaction.
        """
        channels = tuple(channel for channel, room in rooms.items() if room > 0)
        if not channels:
            return []
        params: dict[str, object] = {
            "claim_owner": owner,
            "claim_now": now,
            "claim_fresh_after": fresh_after,
            "claim_per_conversation": per_conversation,
            "claim_limit": limit,
            "claim_heads": min(limit, sum(rooms[c] for c in channels)),
            **{f"claim_room_{n}": rooms[c] for n, c in enumerate(channels)},
        }
        narrowed = tuple(c for c in channels if recipients and c in recipients)
        params.update({f"claim_recipient_{n}": recipients[c] for n, c in enumerate(narrowed) if recipients})
        stmt = _claim_statement(channels, reclaim, _on_postgres(session), narrowed, look)
        return sorted(await session.scalars(stmt, params))  # RETURNING promises no order

    @staticmethod
    async def claimed(session: AsyncSession, ids: Sequence[int]) -> list[OutboxMessage]:
        """The rows of a claim, by id."""
        if not ids:
            return []
        stmt = select(OutboxMessage).where(OutboxMessage.id.in_(list(ids))).order_by(OutboxMessage.id)
        return list((await session.scalars(stmt)).all())

    @staticmethod
    async def record(session: AsyncSession, owner: str, rows: Sequence[dict[str, object]]) -> None:
        """A relay's results (``row_id`` and new values, all dicts with the same keys), for rows it owns."""
        await session.execute(_RECORD, [{**row, "row_owner": owner} for row in rows])

    # --- shedding a flood ---

    @staticmethod
    async def over_cap(session: AsyncSession, channels: Sequence[str], cap: int) -> list[int]:
        """Conversations with more than ``cap`` unsent rows, among those with a reply waiting (only
        replies are shed, so the others have nothing to shed). Found from the replies waiting
        (``ix_outbox_due``) and counted per conversation (``ix_outbox_unsent``): a backlog of
        broadcast rows is not walked."""
        o = OutboxMessage
        replying = (
            select(o.conversation_id)
            .where(_pending(o.status), o.kind == OutboxKind.REPLY.value, o.channel.in_(list(channels)))
            .distinct()
            .subquery()
        )
        stmt = (
            select(o.conversation_id)
            .select_from(replying)
            .join(o, o.conversation_id == replying.c.conversation_id)
            .where(_unsent(o.status))
            .group_by(o.conversation_id)
            .having(func.count() > cap)
        )
        return list(await session.scalars(stmt))

    @staticmethod
    async def shed(
        session: AsyncSession,
        conversation_ids: Sequence[int],
        cap: int,
        now: datetime,
        quiet_since: datetime,
        notices: Mapping[str, str],
    ) -> tuple[int, int]:
        """Drop the replies beyond the first ``cap`` unsent rows of these conversations, in one
        transaction (:meth:`plan_shed` then :meth:`apply_shed`). Returns (shed, notices).
        Call :meth:`serialise` first in the same transaction."""
        plan = await ClaimRepository.plan_shed(session, conversation_ids, cap, quiet_since, notices)
        return await ClaimRepository.apply_shed(session, plan, now)

    @staticmethod
    async def plan_shed(
        session: AsyncSession,
        conversation_ids: Sequence[int],
        cap: int,
        quiet_since: datetime,
        notices: Mapping[str, str],
    ) -> ShedPlan:
        """Which replies beyond the first ``cap`` unsent rows of these conversations to drop.

        The first dropped reply of a conversation becomes its one notice (payload from
        ``notices`` by the conversation's language), unless it had one since ``quiet_since``.
        Only bot replies are shed; officers' notices are always kept. Reads only: on SQLite, where
        one relay sheds and claims in turn, it runs before the write transaction.
        """
        o = OutboxMessage
        unsent = (
            select(
                o.id,
                o.conversation_id,
                o.kind,
                o.status,
                func.row_number().over(partition_by=o.conversation_id, order_by=o.id).label("pos"),
            )
            .where(_unsent(o.status), o.conversation_id.in_(list(conversation_ids)))
            .subquery()
        )
        stmt = (
            select(unsent.c.conversation_id, unsent.c.id)
            .where(unsent.c.pos > cap, unsent.c.kind == OutboxKind.REPLY.value, unsent.c.status == _PENDING)
            .order_by(unsent.c.id)
        )
        excess: dict[int, list[int]] = {}
        for conversation_id, row_id in await session.execute(stmt):
            excess.setdefault(conversation_id, []).append(row_id)
        if not excess:
            return ShedPlan([], [])
        noticed = set(
            await session.scalars(
                select(o.conversation_id).where(
                    o.conversation_id.in_(list(excess)),
                    o.kind == OutboxKind.OVERFLOW.value,
                    o.created_at >= quiet_since,
                )
            )
        )
        langs = dict(
            (
                await session.execute(
                    select(Conversation.id, Conversation.lang).where(Conversation.id.in_(list(excess)))
                )
            )
            .tuples()
            .all()
        )
        notice_rows: list[dict[str, object]] = []
        dropped: list[int] = []
        for conversation_id, ids in excess.items():
            if conversation_id not in noticed:
                payload = notices.get(langs.get(conversation_id, ""), next(iter(notices.values())))
                notice_rows.append({"row_id": ids[0], "payload": payload})
                ids = ids[1:]
            dropped += ids
        return ShedPlan(notice_rows, dropped)

    @staticmethod
    async def apply_shed(session: AsyncSession, plan: ShedPlan, now: datetime) -> tuple[int, int]:
        """Write a :meth:`plan_shed`: only rows still pending change. Returns (shed, notices)."""
        o = OutboxMessage
        if plan.notices:
            await session.execute(
                update(_OUTBOX)
                .where(_OUTBOX.c.id == bindparam("row_id"), _OUTBOX.c.status == _PENDING)
                .values(
                    kind=OutboxKind.OVERFLOW.value, created_at=now, next_attempt_at=now, attempts=0, error=""
                ),
                plan.notices,
            )
        shed = 0
        if plan.dropped:
            result = await session.execute(
                update(o)
                .where(o.id.in_(plan.dropped), o.status == _PENDING)
                .values(status=OutboxStatus.SHED.value, error=SHED_ERROR)
                .execution_options(synchronize_session=False)
            )
            shed = int(getattr(result, "rowcount", 0) or 0)
        return shed, len(plan.notices)


@dataclass(frozen=True, slots=True)
class ShedPlan:
    """Replies to shed: the notice rows (``row_id`` and ``payload``) and the rows dropped."""

    notices: list[dict[str, object]]
    dropped: list[int]


# Whose head goes first: serta merta notices (UU 14/2008 Pasal 10), then replies and officers'
# notices, then RT/RW broadcasts, so a broadcast of thousands never holds up a citizen's answer.
_PRIORITY = case(
    (OutboxMessage.kind == OutboxKind.URGENT.value, 0),
    (OutboxMessage.kind == OutboxKind.BROADCAST.value, 2),
    else_=1,
)


@functools.lru_cache(maxsize=32)
def _claim_statement(
    channels: tuple[str, ...],
    reclaim: bool,
    postgres: bool,
    narrowed: tuple[str, ...] = (),
    look: bool = False,
) -> Any:
    """The claim, built once per shape (a statement this size costs more to build than to run).
    ``narrowed``: channels whose rows are claimed for one chat only (``claim_recipient_N``);
    ``look``: the SELECT of the ids it would claim, not the UPDATE."""
    o, earlier_row = OutboxMessage, aliased(OutboxMessage)
    mine: list[ColumnElement[bool]] = [
        or_(o.channel != c, o.chat_id == bindparam(f"claim_recipient_{n}", type_=String))
        for n, c in enumerate(narrowed)
    ]
    owner = bindparam("claim_owner", type_=String)
    now = bindparam("claim_now", type_=UTCDateTime)
    live = select(RelayOwner.id).where(
        RelayOwner.heartbeat_at >= bindparam("claim_fresh_after", type_=UTCDateTime)
    )
    takeable: ColumnElement[bool] = or_(
        and_(o.status == _PENDING, o.next_attempt_at <= now),
        and_(o.status == _SENDING, o.owner != owner, o.owner.not_in(live)),
    )
    earlier = (
        select(earlier_row.id)
        .where(
            earlier_row.conversation_id == o.conversation_id,
            _unsent(earlier_row.status),
            earlier_row.id < o.id,
        )
        .exists()
    )
    # Candidates: conversations whose head may be taken, the longest due first, a kind at a time:
    # each is an ordered walk of ``ix_outbox_due`` that stops after ``claim_heads``, so a backlog
    # of thousands of broadcast rows is not walked to find the reply queued behind it (the turns
    # below put the reply first). The status is spelled out for the partial index.
    heads = bindparam("claim_heads", type_=Integer)

    def due(kind: str) -> Any:
        return (
            select(o.conversation_id)
            .where(
                _pending(o.status),
                o.kind == kind,
                o.next_attempt_at <= now,
                o.channel.in_(channels),
                ~earlier,
                *mine,
            )
            .order_by(o.next_attempt_at, o.id)
            .limit(heads)
            .subquery()
        )

    dead_heads = (
        select(o.conversation_id)
        .where(
            o.status == _SENDING,
            o.owner != owner,
            o.owner.not_in(live),
            o.channel.in_(channels),
            ~earlier,
            *mine,
        )
        .limit(heads)
        .subquery()
    )
    due_candidates = [select(due(kind.value).c.conversation_id) for kind in OutboxKind]
    candidates = (
        union(*due_candidates, select(dead_heads.c.conversation_id)) if reclaim else union(*due_candidates)
    ).subquery("candidates")
    unsent = (
        select(
            o.id,
            o.channel,
            _PRIORITY.label("priority"),
            func.row_number().over(partition_by=o.conversation_id, order_by=o.id).label("pos"),
            func.sum(case((takeable, 0), else_=1))
            .over(partition_by=o.conversation_id, order_by=o.id)
            .label("blocked"),
        )
        .select_from(candidates)
        .join(o, o.conversation_id == candidates.c.conversation_id)  # from the candidates: SQLite
        .where(_unsent(o.status))  # walks ix_outbox_unsent per conversation, not every unsent row
        .cte("unsent")
    )
    ready = (
        select(
            unsent.c.id,
            unsent.c.channel,
            func.row_number()
            .over(partition_by=unsent.c.channel, order_by=(unsent.c.pos, unsent.c.priority, unsent.c.id))
            .label("turn"),
        )
        .where(unsent.c.blocked == 0, unsent.c.pos <= bindparam("claim_per_conversation", type_=Integer))
        .cte("ready")
    )
    room = case(
        {c: bindparam(f"claim_room_{n}", type_=Integer) for n, c in enumerate(channels)},
        value=ready.c.channel,
        else_=0,
    )
    chosen = (
        select(ready.c.id)
        .where(ready.c.turn <= room)
        .order_by(ready.c.turn)
        .limit(bindparam("claim_limit", type_=Integer))
    )
    # PostgreSQL re-checks a row that a late recorder changed meanwhile (a dead-looking owner that
    # was only slow); SQLite has one writer, and would scan the due index for the check.
    recheck = [takeable] if postgres else []
    if look:
        return chosen
    return (
        update(o)
        .where(o.id.in_(chosen), *recheck)
        .values(status=_SENDING, owner=owner)
        .returning(o.id)
        .execution_options(synchronize_session=False)
    )  # one statement, ids only: on SQLite the write lock is held for as short a time as possible
