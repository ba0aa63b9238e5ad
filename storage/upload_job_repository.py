"""The ``upload_jobs`` table: uploaded register and FAQ files of the console, shared by every worker.

A job's file bytes and its preview are sealed (AES-GCM, the purpose bound to the job's id, as
attachments are): the bytes never reach the disk in the clear, and a ciphertext copied to another
row does not open. The service that runs the checks is ``bot.console.upload_jobs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import Crypto
from storage.models.console import UploadJobRow

_DATA = "upload_job.data:"
_PREVIEW = "upload_job.preview:"
_PG_LOCK_KEY = 7_415_321  # serialises the start of checks across processes (the bounds are counted)
CHECKING = "checking"


@dataclass(frozen=True, slots=True)
class StoredJob:
    """A job as stored, without its file; ``preview`` is the opened preview text (None until checked)."""

    id: str
    account_id: int | None
    session_hash: str
    sheet: str
    file_name: str
    retire_missing: bool
    lang: str
    state: str
    rows_read: int
    rows_total: int
    created_at: datetime
    updated_at: datetime
    preview: str | None


_COLUMNS = (
    UploadJobRow.id, UploadJobRow.account_id, UploadJobRow.session_hash, UploadJobRow.sheet,
    UploadJobRow.file_name, UploadJobRow.retire_missing, UploadJobRow.lang, UploadJobRow.state,
    UploadJobRow.rows_read, UploadJobRow.rows_total, UploadJobRow.created_at, UploadJobRow.updated_at,
    UploadJobRow.preview_enc,
)  # fmt: skip


class UploadJobRepository:
    def __init__(self, session: AsyncSession, crypto: Crypto) -> None:
        self._session = session
        self._crypto = crypto

    def _stored(self, row: Any) -> StoredJob:
        preview = self._crypto.decrypt_text(row.preview_enc, _PREVIEW + row.id) if row.preview_enc else None
        return StoredJob(
            row.id, row.account_id, row.session_hash, row.sheet, row.file_name, row.retire_missing,
            row.lang, row.state, row.rows_read, row.rows_total, row.created_at, row.updated_at, preview,
        )  # fmt: skip

    async def lock_starts(self) -> None:
        """Hold the start lock until this write transaction ends: PostgreSQL's advisory lock;
        SQLite's ``BEGIN IMMEDIATE`` already lets one writer in at a time, in every process."""
        if self._session.bind.dialect.name == "postgresql":
            await self._session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})

    async def sweep(self, *, stale_before: datetime, expired_before: datetime) -> int:
        """Checks whose worker stopped beating before ``stale_before`` become failed (their file
        dropped); jobs made before ``expired_before`` go, with their files, unless still checking
        (alive). The number of jobs deleted."""
        await self._session.execute(
            update(UploadJobRow)
            .where(UploadJobRow.state == CHECKING, UploadJobRow.updated_at < stale_before)
            .values(state="failed", data_enc=None)
        )
        gone = await self._session.execute(
            delete(UploadJobRow).where(
                UploadJobRow.created_at < expired_before, UploadJobRow.state != CHECKING
            )
        )
        return cast(CursorResult[Any], gone).rowcount or 0

    async def running(self, *, alive_after: datetime) -> list[int | None]:
        """The accounts of the checks running now (one item per check), in every process."""
        rows = await self._session.scalars(
            select(UploadJobRow.account_id).where(
                UploadJobRow.state == CHECKING, UploadJobRow.updated_at >= alive_after
            )
        )
        return list(rows)

    async def waiting(self, account_id: int | None) -> list[str]:
        """The account's checked (or failed) jobs, oldest first."""
        owner = (
            UploadJobRow.account_id.is_(None) if account_id is None else UploadJobRow.account_id == account_id
        )
        rows = await self._session.scalars(
            select(UploadJobRow.id)
            .where(owner, UploadJobRow.state != CHECKING)
            .order_by(UploadJobRow.created_at, UploadJobRow.id)
        )
        return list(rows)

    async def delete(self, job_ids: list[str]) -> None:
        if job_ids:
            await self._session.execute(delete(UploadJobRow).where(UploadJobRow.id.in_(job_ids)))

    def add(
        self, job_id: str, *, account_id: int | None, session_hash: str, sheet: str, file_name: str,
        retire_missing: bool, lang: str, data: bytes, now: datetime,
    ) -> None:  # fmt: skip
        self._session.add(
            UploadJobRow(
                id=job_id, account_id=account_id, session_hash=session_hash, sheet=sheet,
                file_name=file_name, retire_missing=retire_missing, lang=lang, state=CHECKING,
                rows_read=0, rows_total=0, created_at=now, updated_at=now,
                data_enc=self._crypto.encrypt(data, _DATA + job_id), preview_enc=None,
            )
        )  # fmt: skip

    async def get(self, job_id: str) -> StoredJob | None:
        row = (await self._session.execute(select(*_COLUMNS).where(UploadJobRow.id == job_id))).first()
        return self._stored(row) if row is not None else None

    async def progress(self, job_id: str, *, read: int, total: int, now: datetime) -> bool:
        """A running check's heartbeat; False when the job is no longer checking (or gone)."""
        done = await self._session.execute(
            update(UploadJobRow)
            .where(UploadJobRow.id == job_id, UploadJobRow.state == CHECKING)
            .values(rows_read=read, rows_total=total, updated_at=now)
        )
        return bool(cast(CursorResult[Any], done).rowcount)

    async def finish(
        self, job_id: str, *, state: str, read: int, total: int, preview: str | None, keep_file: bool,
        now: datetime,
    ) -> bool:  # fmt: skip
        """The check's outcome; the file is dropped unless it may still be applied (``keep_file``).
        False when the job was no longer checking (reported dead, or gone)."""
        values: dict[str, object] = {
            "state": state,
            "rows_read": read,
            "rows_total": total,
            "updated_at": now,
        }
        values["preview_enc"] = self._crypto.encrypt_text(preview, _PREVIEW + job_id) if preview else None
        if not keep_file:
            values["data_enc"] = None
        done = await self._session.execute(
            update(UploadJobRow)
            .where(UploadJobRow.id == job_id, UploadJobRow.state == CHECKING)
            .values(**values)
        )
        return bool(cast(CursorResult[Any], done).rowcount)

    async def take(
        self, job_id: str, *, account_id: int | None, session_hash: str, state: str
    ) -> tuple[StoredJob, bytes] | None:
        """The owner's job in ``state`` with its file, deleted in this transaction: once taken, no
        other process takes it (PostgreSQL locks the row; SQLite's writer is alone)."""
        owner = (
            UploadJobRow.account_id.is_(None) if account_id is None else UploadJobRow.account_id == account_id
        )
        row = (
            await self._session.execute(
                select(*_COLUMNS, UploadJobRow.data_enc)
                .where(
                    UploadJobRow.id == job_id,
                    owner,
                    UploadJobRow.session_hash == session_hash,
                    UploadJobRow.state == state,
                )
                .with_for_update()
            )
        ).first()
        if row is None or row.data_enc is None:
            return None
        gone = await self._session.execute(delete(UploadJobRow).where(UploadJobRow.id == job_id))
        if cast(CursorResult[Any], gone).rowcount != 1:
            return None
        return self._stored(row), self._crypto.decrypt(row.data_enc, _DATA + job_id)
