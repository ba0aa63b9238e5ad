"""Processes starting together seed the same holidays: the later insert leaves the day alone
instead of failing the start (on PostgreSQL the second insert waits for the first's commit)."""

from __future__ import annotations

import asyncio
from datetime import date

from storage.db import Database
from storage.request_repository import HolidayRepository

DAYS = [(date(2026, 1, 1), "Tahun Baru Masehi"), (date(2026, 3, 19), "Hari Suci Nyepi")]


async def test_two_starts_seed_the_same_days(database: Database) -> None:
    first_seeded = asyncio.Event()
    release = asyncio.Event()

    async def first() -> int:
        async with database.write() as session:
            added = await HolidayRepository(session).seed_holidays(DAYS)
            first_seeded.set()
            await release.wait()  # hold the transaction open while the other start seeds
            return added

    async def second() -> int:
        await first_seeded.wait()
        async with database.write() as session:
            return await HolidayRepository(session).seed_holidays(DAYS)

    one = asyncio.create_task(first())
    two = asyncio.create_task(second())
    await first_seeded.wait()
    await asyncio.sleep(0.3)  # the second has read "nothing seeded" and is inserting (PostgreSQL)
    release.set()
    results = await asyncio.gather(one, two)
    assert results[0] == 2 and results[1] in (0, 2)
    async with database.session() as session:
        assert await HolidayRepository(session).active_days() == frozenset(d for d, _ in DAYS)
