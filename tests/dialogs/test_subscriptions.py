"""Residents subscribe, list and stop in the chat, on every channel (handlers.subscriptions)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.areas import load_sample_areas
from handlers.types import Channel, InputKind, UserInput
from storage.db import Database
from tests.conftest import make_runtime
from tests.fakes import ChatHarness, RecordingSender


@pytest.fixture(params=[Channel.TELEGRAM, Channel.WHATSAPP, Channel.WEB])
async def chat(request: pytest.FixtureRequest, sqlite_db: Database) -> AsyncIterator[ChatHarness]:
    """The real pipeline with the sample's areas, as a resident on Telegram, WhatsApp or the web chat."""
    await load_sample_areas(sqlite_db)
    sender = RecordingSender(request.param)
    runtime = make_runtime(sqlite_db, sender)
    await runtime.start()
    yield ChatHarness(runtime, sender)
    await runtime.pipeline.stop()
    await runtime.relay.stop()


async def test_an_unambiguous_area_subscribes_at_once_and_asks_for_nothing(chat: ChatHarness) -> None:
    answer = await chat.say("langganan RT 3 RW 2 Sukamaju Wetan")
    assert "RT 003 RW 02 Sukamaju Wetan" in answer
    assert "tidak meminta data pribadi" in answer
    assert "sudah berlangganan" in await chat.say("Langganan rt 03 rw 02 sukamaju wetan")
    assert "RW 02 Sukamaju Wetan" in await chat.say("daftar info rw 02 kel. sukamaju wetan")
    listed = await chat.say("langganan saya")
    assert "RT 003 RW 02 Sukamaju Wetan" in listed and "• RW 02 Sukamaju Wetan" in listed


async def test_an_ambiguous_or_unknown_area_gets_choices_not_an_error(chat: ChatHarness) -> None:
    [reply] = await chat.send("RT03/RW02")  # every kelurahan has one
    assert "Pilih salah satu" in reply.text
    assert [c.label for c in reply.choices] == [
        "RT 003 RW 02 Cempaka Indah", "RT 003 RW 02 Kemuning Jaya",
        "RT 003 RW 02 Pondok Jati", "RT 003 RW 02 Sukamaju Wetan",
    ]  # fmt: skip
    [done] = await chat.send(UserInput(kind=InputKind.CHOICE, choice=reply.choices[2].payload))
    assert "RT 003 RW 02 Pondok Jati" in done.text
    [unknown] = await chat.send("langganan rw 2 kelurahan bojong")
    assert "belum kami temukan" in unknown.text and len(unknown.choices) == 4
    [no_rw] = await chat.send("langganan rw 9 sukamaju wetan")
    assert no_rw.choices[0].label == "RW 01 Sukamaju Wetan"
    assert "Sukamaju Wetan" in await chat.say("langganan rw 1 sukamju wetan")  # a typo still fits


async def test_stop_ends_one_or_all_and_a_bare_stop_asks_first(chat: ChatHarness) -> None:
    assert "belum berlangganan" in await chat.say("stop langganan")
    await chat.say("langganan RT 1 RW 1 Pondok Jati")
    await chat.say("langganan RW 2 Sukamaju Wetan")
    if chat.sender.channel is Channel.WHATSAPP:  # WhatsApp's opt-out word ends them at once
        assert "semua langganan Anda (2)" in await chat.say("STOP")
        return
    [ask] = await chat.send("berhenti")  # outside any form, with subscriptions: offer the choice
    assert "berhenti berlangganan" in ask.text
    assert [c.payload for c in ask.choices][-2:] == ["sub:end:all", "sub:keep"]
    [kept] = await chat.send(UserInput(kind=InputKind.CHOICE, choice="sub:keep"))
    assert "tetap berjalan" in kept.text
    assert "RW 02 Sukamaju Wetan sudah dihentikan" in await chat.say("stop langganan rw 2 sukamaju wetan")
    assert "RT 001 RW 01 Pondok Jati sudah dihentikan" in await chat.say("stop langganan")
    assert "belum berlangganan" in await chat.say("langganan saya")
    await chat.say("langganan RT 1 RW 1 Pondok Jati")
    await chat.say("langganan RW 3 Pondok Jati")
    assert "semua langganan Anda (2)" in await chat.say("berhenti langganan semua")


async def test_a_bare_stop_mid_form_still_cancels_the_form(chat: ChatHarness) -> None:
    await chat.say("langganan RW 2 Sukamaju Wetan")
    assert "permohonan" in (await chat.say("ajukan permohonan")).lower()
    assert "dibatalkan" in await chat.say("berhenti")
    assert "RW 02 Sukamaju Wetan" in await chat.say("langganan saya")  # the subscription is kept
    after = await chat.say("stop")  # now outside the form: asked first (WhatsApp: opted out at once)
    assert (
        "sudah dihentikan" if chat.sender.channel is Channel.WHATSAPP else "berhenti berlangganan"
    ) in after


async def test_a_deep_link_from_a_poster_subscribes(chat: ChatHarness) -> None:
    assert "RT 005 RW 04 Kemuning Jaya" in await chat.say("/start sub_kemuning-jaya_rw04_rt005")
    assert "langganan RT 3 RW 2" in await chat.say("/start sub_nowhere_rw99")  # unknown: how to subscribe
    assert "langganan RT 3 RW 2" in await chat.say("langganan")


async def test_register_lookups_are_not_taken_for_subscriptions(chat: ChatHarness) -> None:
    from handlers.subscriptions import read_command

    assert read_command("daftar informasi publik") is None
    assert read_command("data penduduk rw 02 sukamaju wetan") is None
    assert read_command("surat pengantar rt") is None
