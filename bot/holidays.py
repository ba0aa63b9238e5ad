"""Seed the holidays table from the ``holidays`` package (national holidays and cuti bersama).

Runs on start-up for the current and the next year, and only for years not seeded yet, so an
administrator's removals (``tanya holidays remove``) survive restarts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from handlers.holiday_source import indonesian_holidays
from storage.db import Database
from storage.request_repository import HolidayRepository

log = logging.getLogger(__name__)


async def ensure_holidays(db: Database, years: Iterable[int]) -> int:
    """Insert the package's holidays of ``years`` that have none seeded yet; how many were added."""
    async with db.write() as session:
        repo = HolidayRepository(session)
        missing = sorted(set(years) - await repo.seeded_years())
        if not missing:
            return 0
        added = await repo.seed_holidays(indonesian_holidays(missing))
    log.info("seeded %d holidays for %s", added, ", ".join(map(str, missing)))
    return added
