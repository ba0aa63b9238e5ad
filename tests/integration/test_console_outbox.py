"""Held and permanently failed outgoing messages: listed with their reason (per conversation and
in one list), sent again on request (audited), and kept to the officer's OPD."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from storage.models import OutboxMessage
from tests.integration.test_console import Desk, csrf, desk  # noqa: F401 (the fixture)

# ruff: noqa: F811 (the fixture is a parameter of each test)


async def _fail_last(desk: Desk, chat_id: str, status: str, reason: str) -> int:
    await desk.runtime.relay.drain()
    async with desk.runtime.db.write() as session:
        row = (
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.chat_id == chat_id)
                .order_by(OutboxMessage.id.desc())
            )
        ).first()
        assert row is not None
        await session.execute(
            update(OutboxMessage).where(OutboxMessage.id == row.id).values(status=status, error=reason)
        )
        return row.id


async def test_a_failed_notice_is_shown_with_its_reason_and_sent_again(desk: Desk) -> None:
    row_id = await _fail_last(desk, "u1", "failed", "403 Forbidden: bot was blocked by the user")
    rina = await desk.login("rina")
    listing = await rina.get("/console/outbox")
    assert (
        listing.status_code == 200
        and "bot was blocked by the user" in listing.text
        and "Gagal" in listing.text
    )
    request_page = await rina.get(f"/console/requests/{desk.dinkes}")
    per_conversation = re.search(r'href="(/console/outbox\?conversation=\d+)"', request_page.text)
    assert per_conversation and "bot was blocked" in (await rina.get(per_conversation.group(1))).text
    budi = await desk.login("budi")  # DISDIK: not his requester's chat
    assert "bot was blocked" not in (await budi.get("/console/outbox")).text
    assert (
        await budi.post(
            f"/console/outbox/{row_id}/retry", data={"csrf_token": csrf(await budi.get("/console"))}
        )
    ).status_code == 404
    before = len(desk.chat.sender.sent["u1"])
    retried = await rina.post(f"/console/outbox/{row_id}/retry", data={"csrf_token": csrf(listing)})
    assert retried.status_code == 303
    await desk.runtime.relay.drain()
    async with desk.runtime.db.session() as session:
        row = await session.get(OutboxMessage, row_id)
    assert row is not None and row.status == "sent" and row.error == ""
    assert len(desk.chat.sender.sent["u1"]) == before + 1
    assert ("officer:rina", "outbox_retry", f"outbox:{row_id}") in await desk.audit()
    again = await rina.post(f"/console/outbox/{row_id}/retry", data={"csrf_token": csrf(listing)})
    assert again.status_code == 404  # sent: nothing to retry


async def test_a_held_message_shows_in_its_hand_off_conversation(desk: Desk) -> None:
    await desk.chat.say("chat dengan petugas", "u8")
    row_id = await _fail_last(desk, "u8", "held", "outside the 24-hour window; no template configured")
    admin = await desk.login("utama")
    found = re.search(r'href="/console/conversations/(\d+)"', (await admin.get("/console/inbox")).text)
    assert found
    page = await admin.get(f"/console/conversations/{found.group(1)}")
    assert "outside the 24-hour window" in page.text and f"/console/outbox/{row_id}/retry" in page.text
    assert "Tertahan" in page.text
    rina = await desk.login("rina")  # not routed to DINKES: not hers
    assert "24-hour" not in (await rina.get("/console/outbox")).text
