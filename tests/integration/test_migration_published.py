"""Revision 0014_knowledge_published: a serta merta entry's publication becomes columns, filled
from the audit rows written before (the first publication of each entry), on SQLite and PostgreSQL;
and it goes down again."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import column, insert, table

from storage import migrate
from storage.db import Database
from storage.models.accounts import AuditLog
from storage.models.knowledge import RegisterEntryRow

BEFORE = "0013_area_officers"
LATER_COLUMNS = {"published_at", "published_by", "contoh_pertanyaan"}  # 0014 and 0017
FIRST, SECOND = datetime(2026, 3, 2, 3, 0, tzinfo=UTC), datetime(2026, 3, 9, 3, 0, tzinfo=UTC)


def _entry(entry_id: str) -> dict[str, object]:
    old_columns = {c.name for c in RegisterEntryRow.__table__.c} - LATER_COLUMNS
    values: dict[str, object] = {
        "id": entry_id, "judul": "Peringatan banjir", "ringkasan": "", "kategori": "serta_merta",
        "opd": "BPBD", "opd_singkatan": "BPBD", "penanggung_jawab": "", "bentuk": "", "tahun": 2026,
        "retensi": "", "tautan": "", "kata_kunci": "", "alasan_pengecualian": "", "active": True,
        "created_at": FIRST, "updated_at": FIRST, "retired_at": None,
    }  # fmt: skip
    assert set(values) == old_columns
    return values


async def test_publications_are_filled_from_the_audit_rows(empty_db: Database) -> None:
    fresh = empty_db
    await migrate.upgrade(fresh, BEFORE)
    async with fresh.write() as session:
        # only the columns BEFORE knows (a later column's default must not be sent either)
        old = table(
            "register_entries",
            *(column(c.name, c.type) for c in RegisterEntryRow.__table__.c if c.name not in LATER_COLUMNS),
        )
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
    await migrate.downgrade(fresh, BEFORE)
    assert await migrate.current_revision(fresh) == BEFORE
