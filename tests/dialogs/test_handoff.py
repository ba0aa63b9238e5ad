"""Live hand-off on the chat side: asking for a person, silence while an officer has the chat,
leaving it, and console events that arrive when nobody waits (handlers.handoff)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.knowledge_loader import EmptyKnowledge
from bot.messages import InboundMessage
from handlers.context import HandlerContext
from handlers.domain.deadlines import ServiceHours
from handlers.handoff import OPD, start_handoff
from handlers.types import Channel, ConversationInfo, ConversationState, InputKind, UserInput
from storage.db import Database
from tests.conftest import make_runtime
from tests.dialogs.test_search_handler import sample_engine
from tests.fakes import ChatHarness, RecordingSender, inbound


def officer_event(command: str, text: str = "", chat_id: str = "u1") -> InboundMessage:
    return inbound(UserInput(kind=InputKind.OFFICER, command=command, text=text, sender_name="rina"),
                   chat_id=chat_id, channel=Channel.CLI)  # fmt: skip


async def test_the_citizen_asks_waits_in_silence_and_leaves(harness: ChatHarness) -> None:
    assert "teruskan ke petugas" in await harness.say("minta petugas")
    assert await harness.say("halo? ada orang?") == ""
    assert "kembali ke asisten otomatis" in await harness.say("batal")
    assert await harness.say("halo") != ""  # the bot answers again


async def test_menu_and_done_end_the_wait_too(harness: ChatHarness) -> None:
    await harness.say("chat dengan petugas")
    assert "Hubungi petugas PPID" in await harness.say("menu")
    assert await harness.say("apa itu ppid") != ""
    await harness.say("chat dengan petugas")
    assert "kembali ke asisten otomatis" in await harness.say("selesai")


async def test_officer_events_apply_only_while_the_citizen_waits(harness: ChatHarness) -> None:
    assert await harness.send(officer_event("reply", "Halo dari petugas")) == []  # nobody waits: void
    await harness.say("chat dengan petugas")
    replies = await harness.send(officer_event("reply", "Halo dari petugas"))
    assert [r.text for r in replies] == ["Petugas PPID: Halo dari petugas"]
    assert await harness.send(officer_event("unknown")) == []
    released = await harness.send(officer_event("release"))
    assert "Asisten otomatis kembali" in released[0].text
    assert await harness.send(officer_event("reply", "lagi")) == []


async def test_two_searches_that_find_nothing_ask_for_an_officer(harness: ChatHarness) -> None:
    first = await harness.say("jadwal pemadaman listrik bulan depan")
    assert "teruskan ke petugas" not in first
    assert "kembali ke asisten otomatis" not in await harness.say("menu")  # anything else resets the count
    await harness.say("jadwal pemadaman listrik bulan depan")
    second = await harness.say("kalau data curah hujan harian?")
    assert "teruskan ke petugas" in second
    assert await harness.say("halo?") == ""  # waiting for the officer now


def _ctx(now: datetime, hours: ServiceHours) -> HandlerContext:
    info = ConversationInfo(id=1, channel=Channel.CLI, chat_id="u1", received_at=now)
    return HandlerContext(conversation=info, now=now, knowledge=EmptyKnowledge(), service_hours=hours)


async def test_outside_service_hours_the_citizen_is_told_when_an_officer_answers() -> None:
    """Outside the office's configured hours and zone (never hard-coded text) the hand-off says
    when the office opens: Friday 17:00 WITA -> Monday 07:30 WITA; inside them it does not."""
    hours = ServiceHours.from_settings("07:30", "15:30", "Asia/Makassar")
    wita = ZoneInfo("Asia/Makassar")
    asked = UserInput(kind=InputKind.TEXT, text="petugas")
    friday_evening = await start_handoff(
        asked, ConversationState(), _ctx(datetime(2026, 12, 4, 17, tzinfo=wita), hours)
    )
    text = friday_evening.replies[0].text
    assert "di luar jam layanan (Senin–Jumat 07.30–15.30 WITA)" in text
    assert "Senin, 7 Desember 2026 pukul 07.30 WITA" in text
    monday_morning = await start_handoff(
        asked, ConversationState(), _ctx(datetime(2026, 12, 7, 10, tzinfo=wita), hours)
    )
    assert "di luar jam layanan" not in monday_morning.replies[0].text


async def test_a_hand_off_is_routed_to_the_opd_of_the_best_register_match() -> None:
    """The inbox routes a waiting conversation to the OPD whose register entry best matches what the
    citizen wrote (issue 10); a bare request for a person stays with the PPID Utama."""
    hours = ServiceHours.from_settings("08:00", "16:00", "Asia/Jakarta")
    ctx = replace(
        _ctx(datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Asia/Jakarta")), hours), knowledge=sample_engine()
    )
    topic = UserInput(kind=InputKind.TEXT, text="jadwal imunisasi anak di puskesmas")
    routed = await start_handoff(topic, ConversationState(), ctx)
    assert routed.state.data[OPD] == "DINKES"
    bare = await start_handoff(UserInput(kind=InputKind.TEXT, text="minta petugas"), ConversationState(), ctx)
    assert OPD not in bare.state.data


async def test_on_the_eve_of_christmas_the_office_opens_after_the_holidays(sqlite_db: Database) -> None:
    """The opening said after hours skips the holidays table (Christmas and its cuti bersama), not only
    weekends: Wednesday 23 December 2026 17:00 WIB -> Monday 28 December 08.00 WIB."""
    wib = ZoneInfo("Asia/Jakarta")
    sender = RecordingSender(Channel.CLI)
    runtime = make_runtime(sqlite_db, sender, clock=lambda: datetime(2026, 12, 23, 17, tzinfo=wib))
    await runtime.start()
    try:
        text = await ChatHarness(runtime, sender).say("minta petugas")
    finally:
        await runtime.pipeline.stop()
        await runtime.relay.stop()
    assert "Senin, 28 Desember 2026 pukul 08.00 WIB" in text
    assert "Kamis, 24 Desember" not in text
