"""Engine, sessions and transactions for SQLite (default, WAL) and PostgreSQL (asyncpg).

SQLite allows one writer at a time, so write transactions are serialised in-process with an
asyncio lock (concurrent writers only wait on the file lock and blow up the tail latency) and
begin with ``BEGIN IMMEDIATE`` so that other processes wait on ``busy_timeout`` instead of
failing half-way. PostgreSQL needs neither.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections import deque
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from storage.sqlite_driver import FastAiosqlite, SqliteConnection

_IMMEDIATE = "tanya_sqlite_immediate"


def _install_sqlite_hooks(engine: AsyncEngine, synchronous: str) -> None:
    """Let SQLAlchemy (not the driver) emit BEGIN, so SAVEPOINTs work, and set the pragmas."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA secure_delete=FAST")  # zero the old copy of a row rewritten in its page
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        dbapi_conn = conn.connection.dbapi_connection
        statement = "BEGIN IMMEDIATE" if immediate else "BEGIN"
        if isinstance(dbapi_conn, SqliteConnection):  # sent with the first statement: one trip fewer
            dbapi_conn.begin_with_next(statement)
        else:
            conn.exec_driver_sql(statement)


class WriteGate:
    """SQLite's single writer, shared in-process, with three priorities.

    Acknowledging a webhook waits on an inbox commit, so ``urgent`` writers (the inbox) go before
    every queued writer; a long writer that gave way to them comes back as ``resume`` (before the
    ordinary writers: message processing, the relay). A long ordinary writer can look at
    :attr:`urgent_waiting` and commit early.
    """

    URGENT, RESUME, NORMAL = 0, 1, 2

    def __init__(self) -> None:
        self._held = False
        self._queues: tuple[deque[asyncio.Future[None]], ...] = (deque(), deque(), deque())

    @property
    def urgent_waiting(self) -> bool:
        return any(not f.done() for f in self._queues[self.URGENT])

    async def acquire(self, priority: int) -> None:
        if not self._held and not any(self._queues):
            self._held = True
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queues[priority].append(future)
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # it was handed to us just as we were cancelled: pass it on
            raise

    def release(self) -> None:
        for queue in self._queues:
            while queue:
                future = queue.popleft()
                if not future.done():
                    future.set_result(None)
                    return
        self._held = False

    @contextlib.asynccontextmanager
    async def hold(self, priority: int) -> AsyncIterator[None]:
        await self.acquire(priority)
        try:
            yield
        finally:
            self.release()


def _private_files(path: Path) -> None:
    """The database file (and its -wal, -shm) readable by this user only, like the key file.

    SQLite creates the -wal and -shm files with the database file's mode, so creating the file
    with 0600 before SQLite opens it is enough; files made before are narrowed to 0600 too.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            if name.stat().st_mode & 0o077:
                os.chmod(name, 0o600)


class Database:
    """One engine per process; ``session()`` for reads, ``write()`` for a committed transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        self._read = async_sessionmaker(engine, expire_on_commit=False)
        write_engine = engine.execution_options(**{_IMMEDIATE: True}) if self.is_sqlite else engine
        self._write = async_sessionmaker(write_engine, expire_on_commit=False)
        self.gate = WriteGate() if self.is_sqlite else None

    @classmethod
    def from_url(cls, url: str, *, synchronous: str = "FULL", pool_size: int = 10) -> Database:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                _private_files(Path(database))
            engine = create_async_engine(
                url, connect_args={"timeout": 10}, module=FastAiosqlite(), hide_parameters=True
            )  # hide_parameters: an error message must not carry what a citizen typed
            _install_sqlite_hooks(engine, synchronous)
        else:
            engine = create_async_engine(
                url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, hide_parameters=True
            )
        return cls(engine)

    @contextlib.asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session for reading; roll back whatever it did on exit."""
        async with self._read() as session:
            yield session

    @contextlib.asynccontextmanager
    async def write(self, *, urgent: bool = False, resume: bool = False) -> AsyncIterator[AsyncSession]:
        """A write transaction: commits when the block ends, rolls back on an exception.

        On SQLite ``urgent`` writers (inbox commits that a webhook's 200 waits on) go first, then
        those that ``resume`` work they interrupted for them, then the others.
        """
        priority = WriteGate.URGENT if urgent else WriteGate.RESUME if resume else WriteGate.NORMAL
        gate = self.gate.hold(priority) if self.gate else contextlib.nullcontext()
        async with gate, self._write() as session, session.begin():
            yield session

    @property
    def urgent_waiting(self) -> bool:
        """An urgent writer is queued: a long batch should commit what it has and let it in."""
        return self.gate.urgent_waiting if self.gate else False

    async def checkpoint(self) -> bool:
        """SQLite: copy the WAL into the database file and empty it, so the page images it held
        (e.g. rows just erased) are gone; True when nothing was left behind (PostgreSQL: True)."""
        if not self.is_sqlite:
            return True
        async with self.engine.connect() as conn:
            raw = await conn.get_raw_connection()  # outside any transaction: no BEGIN is sent
            driver: Any = raw.driver_connection  # the aiosqlite connection
            cursor = await driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _frames, _copied = await cursor.fetchone()
            await cursor.close()
        return int(busy) == 0

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def dispose(self) -> None:
        await self.engine.dispose()
