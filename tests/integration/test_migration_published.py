"""Revision 0014_knowledge_published: a serta merta entry's publication becomes columns, filled
from the audit rows written before (the first publication of each entry), on SQLite and PostgreSQL;
and it goes down again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import pytest
from sqlalchemy import Table, insert, text
from sqlalchemy.ext.asyncio import create_async_engine

from storage import migrate
from storage.db import Database
from storage.models.accounts import AuditLog
from storage.models.knowledge import RegisterEntryRow
from tests.conftest import PG_ADMIN_URL, require_postgres

BEFORE = "0013_area_officers"
FIRST, SECOND = datetime(2026, 3, 2, 3, 0, tzinfo=UTC), datetime(2026, 3, 9, 3, 0, tzinfo=UTC)


async def _admin(sql: str) -> None:
    engine = create_async_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(sql))
    await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """An empty database, not migrated."""
    if request.param == "sqlite":
        db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/tanya.db")
        yield db
        await db.dispose()
        return
    require_postgres()
    name = f"tanya_mig_{uuid.uuid4().hex[:10]}"
    await _admin(f'CREATE DATABASE "{name}"')
    db = Database.from_url(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}")
    try:
        yield db
    finally:
        await db.dispose()
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _entry(entry_id: str) -> dict[str, object]:
    old_columns = {c.name for c in RegisterEntryRow.__table__.c} - {"published_at", "published_by"}
    values: dict[str, object] = {
        "id": entry_id, "judul": "Peringatan banjir", "ringkasan": "", "kategori": "serta_merta",
        "opd": "BPBD", "opd_singkatan": "BPBD", "penanggung_jawab": "", "bentuk": "", "tahun": 2026,
        "retensi": "", "tautan": "", "kata_kunci": "", "alasan_pengecualian": "", "active": True,
        "created_at": FIRST, "updated_at": FIRST, "retired_at": None,
    }  # fmt: skip
    assert set(values) == old_columns
    return values


async def test_publications_are_filled_from_the_audit_rows(fresh: Database) -> None:
    await migrate.upgrade(fresh, BEFORE)
    async with fresh.write() as session:
        old = cast(Table, RegisterEntryRow.__table__)  # only the columns 0011 knows are given
        await session.execute(insert(old), [_entry("DIP-1"), _entry("DIP-2")])
        await session.execute(
            insert(AuditLog),
            [
                {
                    "at": FIRST,
                    "actor": "officer:rina",
                    "action": "entry_publish",
                    "target": "DIP-1",
                    "detail": "",
                },
                {
                    "at": SECOND,
                    "actor": "officer:utama",
                    "action": "entry_publish",
                    "target": "DIP-1",
                    "detail": "",
                },
                {
                    "at": SECOND,
                    "actor": "officer:rina",
                    "action": "entry_edit",
                    "target": "DIP-2",
                    "detail": "",
                },
            ],
        )
    await migrate.upgrade(fresh)
    async with fresh.session() as session:
        one, two = await session.get(RegisterEntryRow, "DIP-1"), await session.get(RegisterEntryRow, "DIP-2")
    assert one is not None and (one.published_at, one.published_by) == (FIRST, "officer:rina")
    assert two is not None and (two.published_at, two.published_by) == (None, None)
    await migrate.upgrade(fresh, "head")  # again: nothing to do
    async with fresh.write() as session:
        await session.run_sync(lambda s: _downgrade(s.connection()))
    assert await migrate.current_revision(fresh) == BEFORE


def _downgrade(connection: object) -> None:
    from alembic import command

    cfg = migrate.alembic_config()
    cfg.attributes["connection"] = connection
    command.downgrade(cfg, BEFORE)
