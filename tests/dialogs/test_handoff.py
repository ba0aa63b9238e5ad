"""Live hand-off on the chat side: asking for a person, silence while an officer has the chat,
leaving it, and console events that arrive when nobody waits (handlers.handoff)."""

from __future__ import annotations

from bot.messages import InboundMessage
from handlers.types import Channel, InputKind, UserInput
from tests.fakes import ChatHarness, inbound


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
