"""Texts that name the office's hours, zone or city come from the settings (issue 14)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest

from bot.knowledge_loader import EmptyKnowledge
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.domain.deadlines import ServiceHours
from handlers.office import hours_text, zone_name
from handlers.types import Channel, Lang
from storage.db import Database
from tests.conftest import SECRET
from tests.fakes import ChatHarness, RecordingSender

MAKASSAR = {
    "service_start": "07:30",
    "service_end": "15:30",
    "office_timezone": "Asia/Makassar",
    "city_name": "Kota Daeng",
    "body_name": "Pemerintah Kota Daeng",
}


@pytest.fixture
async def makassar(sqlite_db: Database) -> AsyncIterator[ChatHarness]:
    sender = RecordingSender(Channel.CLI)
    settings = Settings(secret_key=SECRET, **MAKASSAR)  # type: ignore[arg-type]
    runtime = Runtime(
        settings=settings, db=sqlite_db, knowledge=EmptyKnowledge(), secret_key=SECRET, senders=[sender]
    )
    await runtime.start()
    yield ChatHarness(runtime, sender)
    await runtime.pipeline.stop()
    await runtime.relay.stop()


@pytest.mark.parametrize(
    ("tz", "name"),
    [
        ("Asia/Jakarta", "WIB"),
        ("Asia/Pontianak", "WIB"),
        ("Asia/Makassar", "WITA"),
        ("Asia/Ujung_Pandang", "WITA"),
        ("Asia/Jayapura", "WIT"),
        ("Australia/Brisbane", "UTC+10"),
        ("Asia/Kolkata", "UTC+5:30"),
    ],
)
def test_zone_name_follows_the_office_time_zone(tz: str, name: str) -> None:
    assert zone_name(ServiceHours.from_settings("08:00", "16:00", tz)) == name


def test_hours_text_in_both_languages() -> None:
    hours = ServiceHours.from_settings("07:30", "15:30", "Asia/Makassar")
    assert hours_text(hours, Lang.ID) == "Senin–Jumat 07.30–15.30 WITA"
    assert hours_text(hours, Lang.EN) == "Monday–Friday 07:30–15:30 WITA"
    assert ServiceHours.from_settings("07:30", "15:30", "Asia/Makassar").tz == ZoneInfo("Asia/Makassar")


async def test_every_text_that_names_hours_says_the_offices_own(makassar: ChatHarness) -> None:
    answers = [
        await makassar.say("bantuan", chat_id="a"),
        await makassar.say("hubungi petugas", chat_id="a"),
        await makassar.say("ajukan permohonan", chat_id="b"),
        await makassar.say("bantuan", chat_id="b"),  # in the middle of the form
        await makassar.say("hello, I need help", chat_id="c"),
        await makassar.say("officer", chat_id="c"),
    ]
    for answer in answers[:4]:
        assert "Senin–Jumat 07.30–15.30 WITA" in answer or "UU 27/2022" in answer
    assert "Monday–Friday 07:30–15:30 WITA" in answers[5]
    everything = "\n".join(answers)
    assert everything.count("07.30–15.30 WITA") == 3 and everything.count("07:30–15:30 WITA") == 1
    assert "WIB" not in everything and "08.00" not in everything and "16.00" not in everything


async def test_the_forms_examples_name_the_offices_city(makassar: ChatHarness) -> None:
    said = [
        await makassar.say(text)
        for text in ("ajukan permohonan", "1", "1", "1", "Siti Rahmawati", "3273 0101 0190 0001", "Jl.")
    ]
    assert "Kota Daeng" in said[-2] and "Kota Daeng" in said[-1]  # the question, then the re-prompt
    for text in ("Jl. Merdeka No. 10, RT 02/RW 05, Kota Daeng", "lewati", "lewati", "APBD"):
        said.append(await makassar.say(text))
    assert "APBD Kota Daeng" in said[-2] and "APBD Kota Daeng" in said[-1]
    assert not any("Sukamaju" in s for s in said)
