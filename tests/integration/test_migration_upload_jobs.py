"""Revision 0016_upload_jobs: the console's upload jobs become a table, on SQLite and PostgreSQL;
a job written at head is read back (its file sealed); and it goes down again."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage import migrate
from storage.crypto import install_key
from storage.db import Database
from storage.models.console import UploadJobRow
from storage.upload_job_repository import UploadJobRepository
from tests.conftest import SECRET

BEFORE = "0015_outbox_claim_index"
AT = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _has_table(db: Database) -> bool:
    async with db.session() as session:
        return "upload_jobs" in await (await session.connection()).run_sync(_tables)


async def test_upload_jobs_go_up_and_down(empty_db: Database) -> None:
    crypto = install_key(SECRET)
    await migrate.upgrade(empty_db, BEFORE)
    assert not await _has_table(empty_db)
    await migrate.upgrade(empty_db, "0016_upload_jobs")
    async with empty_db.write() as session:
        UploadJobRepository(session, crypto).add(
            "job-1", account_id=7, session_hash="h" * 64, sheet="faq", file_name="upload.csv",
            retire_missing=True, lang="en", data=b"id,pertanyaan\n", now=AT,
        )  # fmt: skip
    async with empty_db.session() as session:
        stored = await UploadJobRepository(session, crypto).get("job-1")
        row = await session.get(UploadJobRow, "job-1")
    assert stored is not None and (stored.account_id, stored.sheet, stored.state) == (7, "faq", "checking")
    assert stored.retire_missing and stored.created_at == AT and stored.preview is None
    assert row is not None and row.data_enc is not None and b"pertanyaan" not in row.data_enc
    await migrate.upgrade(empty_db, "head")  # again: nothing to do
    await migrate.downgrade(empty_db, BEFORE)
    assert await migrate.current_revision(empty_db) == BEFORE and not await _has_table(empty_db)
