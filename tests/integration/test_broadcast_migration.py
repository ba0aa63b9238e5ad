"""Revision 0012_broadcast_media on SQLite (batch mode) and PostgreSQL: a broadcast written before
it keeps its row and has no attachment; one with a file is read back; down and up again work."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from bot.broadcast_store import attachment_of
from storage import migrate
from storage.db import Database
from storage.models.areas import Broadcast

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


async def test_the_broadcast_media_revision_goes_up_and_down(empty_db: Database) -> None:
    db = empty_db
    await migrate.upgrade(db, "0011_console2")
    async with db.write() as session:
        await session.execute(
            text(
                "INSERT INTO areas (id, key, level, name, number, created_at) "
                "VALUES (1, 'kota', 'kota', 'Kota', 0, :now)"
            ),
            {"now": NOW},
        )
        await session.execute(
            text(
                "INSERT INTO broadcasts (id, kind, area_id, text, entry_id, created_by, created_at, status, "
                "decided_by, cursor, recipients) VALUES (1, 'announcement', 1, 'lama', '', 'op', :now, "
                "'fanned_out', '', 0, 0)"
            ),
            {"now": NOW},
        )
    await migrate.upgrade(db, "0012_broadcast_media")
    assert await migrate.current_revision(db) == "0012_broadcast_media"
    async with db.write() as session:
        old = await session.get(Broadcast, 1)
        assert old is not None and old.text == "lama" and attachment_of(old) is None
        session.add(
            Broadcast(
                id=2,
                kind="announcement",
                area_id=1,
                text="baru",
                entry_id="",
                created_by="op",
                created_at=NOW,
                status="queued",
                decided_by="",
                cursor=0,
                recipients=0,
                attachment_ref="att_x",
                attachment_type="application/pdf",
                attachment_size=1234,
                attachment_name="jadwal.pdf",
            )
        )
    async with db.session() as session:
        new = await session.get(Broadcast, 2)
        assert new is not None
        attached = attachment_of(new)
        assert attached is not None and (attached.file_name, attached.size) == ("jadwal.pdf", 1234)
    await migrate.downgrade(db, "0011_console2")
    async with db.session() as session:
        kept = (await session.execute(text("SELECT text FROM broadcasts ORDER BY id"))).scalars().all()
    assert kept == ["lama", "baru"]
    await migrate.upgrade(db, "0012_broadcast_media")
    assert await migrate.current_revision(db) == "0012_broadcast_media"
