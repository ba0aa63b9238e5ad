"""Loading the area file (``tanya areas import``, and the sample's four kelurahan at ``make run``)."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.area_store import AreaStore
from bot.knowledge_loader import SAMPLE_DIR
from handlers.domain.areas import ParsedAreas, parse_areas
from storage.area_repository import AreaImportSummary, AreaRepository
from storage.db import Database

log = logging.getLogger(__name__)

SAMPLE_AREAS = SAMPLE_DIR / "areas.csv"
MAX_FILE_BYTES = 20 * 1024 * 1024


def read_area_file(path: Path) -> ParsedAreas:
    """Parse ``path``; an unreadable, oversized or non-UTF-8 file is one problem, not a crash."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return ParsedAreas(problems=[f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB"])
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return ParsedAreas(problems=[f"{path}: cannot be read ({type(error).__name__})"])
    return parse_areas(text)


async def import_areas(db: Database, parsed: ParsedAreas) -> AreaImportSummary:
    """The whole file in one transaction (call only when ``parsed`` has no problems)."""
    if parsed.problems:
        raise ValueError("the area file has problems; nothing imported")
    async with db.write() as session:
        return await AreaStore(session).import_specs(parsed.areas)


async def load_sample_areas(db: Database) -> None:
    """The sample's kelurahan with their RW and RT, into an empty area table."""
    async with db.session() as session:
        if await AreaRepository(session).count():
            return
    if not SAMPLE_AREAS.exists():
        log.warning("sample areas asked for, but %s is not there", SAMPLE_AREAS)
        return
    summary = await import_areas(db, read_area_file(SAMPLE_AREAS))
    log.info("loaded the sample areas of Kota Sukamaju: %s", summary)
