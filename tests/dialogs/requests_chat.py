"""A chat on the real pipeline whose messages carry a test clock's time, and a good form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.runtime import Runtime
from handlers.types import UserInput
from storage.db import Database
from tests.conftest import make_runtime
from tests.fakes import ChatHarness, RecordingSender, inbound

WIB = ZoneInfo("Asia/Jakarta")
MONDAY_10 = datetime(2026, 3, 16, 10, 0, tzinfo=WIB)  # domain.md: due Tuesday 2026-04-07
NIK = "3273010101900001"
PHONE_E164 = "+6281234567890"
EMAIL = "siti.rahma@example.com"
ADDRESS = "Jl. Merdeka No. 10, RT 02/RW 05, Kel. Sukamaju"

GOOD: list[tuple[str, list[str]]] = [
    ("ajukan permohonan", ["UU 27/2022", "Apakah Anda setuju"]),
    ("1", ["Anda mengajukan permohonan sebagai", "1. Perorangan"]),
    ("1", ["diri sendiri"]),
    ("1", ["nama lengkap"]),
    ("Siti Rahmawati", ["NIK"]),
    ("3273 0101 0190 0001", ["Dukcapil", "alamat lengkap"]),
    (ADDRESS, ["telepon"]),
    ("0812-3456-7890", ["email"]),
    (EMAIL, ["Informasi apa"]),
    ("Salinan dokumen APBD Kota Sukamaju tahun 2024", ["Untuk apa"]),
    ("Untuk penelitian skripsi", ["memperoleh informasi"]),
    ("2", ["salinan informasi dikirimkan"]),
    ("4", ["foto KTP"]),
    ("lewati", ["Mohon periksa kembali", "************0001", PHONE_E164, EMAIL]),
]
"""Every answer of a good form, with what the bot must say next; then "1" files it."""


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Chat:
    """A harness whose messages carry the test clock's time (the receipt time of a request)."""

    def __init__(self, runtime: Runtime, sender: RecordingSender, clock: Clock) -> None:
        self.runtime = runtime
        self.sender = sender
        self.harness = ChatHarness(runtime, sender)
        self.clock = clock
        self.codes: dict[str, str] = {}  # registration number -> access code shown at filing

    async def say(self, text: str | UserInput, chat_id: str = "u1") -> str:
        message = inbound(text, chat_id=chat_id, received_at=self.clock.now)
        replies = await self.harness.send(message)
        return "\n".join(r.text for r in replies)

    async def transcript(self, turns: Sequence[tuple[str, Sequence[str]]], chat_id: str = "u1") -> None:
        for text, fragments in turns:
            answer = await self.say(text, chat_id)
            for fragment in fragments:
                assert fragment.lower() in answer.lower(), f"{text!r}: {fragment!r} not in {answer!r}"

    async def file(self, chat_id: str = "u1") -> str:
        """File the good form; the registration number (its access code in ``codes``)."""
        await self.transcript(GOOD, chat_id)
        answer = await self.say("1", chat_id)
        number = next(word for word in answer.replace(".", " ").split() if word.startswith("PPID-"))
        _, found, rest = answer.partition("Kode akses permohonan ini: ")
        if found:
            self.codes[number] = rest.split()[0]
        return number

    async def stop(self) -> None:
        await self.runtime.pipeline.stop()
        await self.runtime.relay.stop()


async def start_chat(db: Database, clock: Clock) -> Chat:
    sender = RecordingSender()
    runtime = make_runtime(db, sender, clock=clock)
    await runtime.start()
    return Chat(runtime, sender, clock)
