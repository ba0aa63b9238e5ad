"""The officer services: permission, state change, audit row and the requester's notice in one unit
of work; an officer of another OPD sees nothing and changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot.officer_store import OfficerUnitOfWork
from handlers.domain.lifecycle import Decision, Outcome, RequestStatus
from handlers.request_service import RequestNotFound
from handlers.services import workflows
from handlers.services.actor import Actor, Forbidden, Role
from storage.crypto import crypto_for
from storage.db import Database
from storage.models.accounts import AuditLog
from storage.models.pipeline import OutboxMessage
from tests.conftest import SECRET
from tests.dialogs.requests_chat import MONDAY_10, WIB, Chat, Clock, start_chat

ADMIN = Actor("utama", Role.ADMIN)
DINKES = Actor("rina", Role.OFFICER, frozenset({"DINKES"}))
DISDIK = Actor("budi", Role.OFFICER, frozenset({"DISDIK"}))
LATER = datetime(2026, 3, 18, 10, 0, tzinfo=WIB)


@pytest.fixture
async def chat(database: Database) -> AsyncIterator[Chat]:
    chat = await start_chat(database, Clock(MONDAY_10))
    yield chat
    await chat.stop()


async def _counts(db: Database) -> tuple[int, int]:
    async with db.session() as session:
        audits = (await session.execute(select(func.count(AuditLog.id)))).scalar_one()
        notices = (
            await session.execute(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == "notice"))
        ).scalar_one()
    return int(audits), int(notices)


async def test_routing_decides_who_sees_and_acts(chat: Chat) -> None:
    number = await chat.file()
    uow = OfficerUnitOfWork(chat.runtime.db, crypto_for(SECRET))
    hours = chat.runtime.service_hours
    assert [
        line.record.number for line in await workflows.list_requests(uow, DINKES, today=LATER.date())
    ] == []
    with pytest.raises(RequestNotFound):  # unrouted requests are the PPID Utama's
        await workflows.route(uow, DINKES, number, "DINKES", now=LATER)

    routed = await workflows.route(uow, ADMIN, number, "dinkes", now=LATER)
    with pytest.raises(Forbidden):  # an officer sees it now, but only the PPID Utama routes
        await workflows.route(uow, DINKES, number, "DISDIK", now=LATER)
    assert routed.opd == "DINKES" and routed.status is RequestStatus.RECEIVED
    assert [
        line.record.number for line in await workflows.list_requests(uow, DINKES, today=LATER.date())
    ] == [number]
    assert await workflows.list_requests(uow, DISDIK, today=LATER.date()) == []

    before = await _counts(chat.runtime.db)
    granted = Decision(Outcome.GRANTED)
    for attempt in (
        workflows.decide(uow, DISDIK, number, granted, note="", now=LATER, hours=hours),
        workflows.show_request(uow, DISDIK, number, today=LATER.date()),
        workflows.reveal_requester(uow, DISDIK, number, now=LATER),
        workflows.extend(uow, DISDIK, number, days=3, reason="x", now=LATER),
    ):
        with pytest.raises(RequestNotFound):
            await attempt
    assert await _counts(chat.runtime.db) == before  # nothing written, nothing sent

    done = await workflows.decide(uow, DINKES, number, granted, note="Terlampir.", now=LATER, hours=hours)
    assert done.notified and done.value.status is RequestStatus.ANSWERED
    assert await _counts(chat.runtime.db) == (before[0] + 1, before[1] + 1)
    view = await workflows.show_request(uow, DINKES, number, today=LATER.date())
    assert [(e.action.value, e.actor) for e in view.history][-2:] == [
        ("route", "officer:utama"),
        ("answer", "officer:rina"),
    ]
    async with chat.runtime.db.session() as session:
        rows = (await session.scalars(select(AuditLog).order_by(AuditLog.id))).all()
    assert [(r.actor, r.action, r.target, r.detail) for r in rows] == [
        ("officer:utama", "route", number, "DINKES"),
        ("officer:rina", "decide", number, "granted"),
    ]
