"""aiosqlite for SQLAlchemy with one trip to the connection's thread per statement.

SQLAlchemy's aiosqlite adapter makes four trips for one statement (open a cursor, execute, fetch,
close) and one more to roll back a connection that already committed when it goes back to the
pool. Each trip waits for the worker thread and then for the event loop, so under load a write
transaction holds SQLite's single write lock (and the webhooks' inbox commits behind it) several
times longer than its work takes. This module runs the whole statement in one trip and skips the
rollback when no transaction is open; the SQL, the thread and the driver stay the same. The
``BEGIN`` that opens a transaction goes in the same trip as its first statement (see
:meth:`SqliteConnection.begin_with_next`): a write transaction holds the write lock for two trips plus
one per further statement, not three.

It reaches into aiosqlite's ``Connection._execute`` and ``_conn``, as SQLAlchemy's own adapter
does; ``tests/integration/test_sqlite_writes.py`` fails if a new aiosqlite moves them.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any, cast

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
    AsyncAdapt_aiosqlite_ss_cursor,
)
from sqlalchemy.util import await_only

_Outcome = tuple[Any, list[Any] | None, int, int | None]


def _run(conn: sqlite3.Connection, operation: str, parameters: Any, many: bool, begin: str = "") -> _Outcome:
    """In the connection's thread: ``begin`` if given, then the statement, its rows and counts, the
    cursor closed."""
    cursor = conn.cursor()
    try:
        if begin:
            cursor.execute(begin)
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class _Cursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> None:
        self._go(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> None:
        self._go(operation, seq_of_parameters, many=True)

    def _go(self, operation: Any, parameters: Any, *, many: bool) -> None:
        connection = self._connection
        adapted = cast(SqliteConnection, self._adapt_connection)
        begin, adapted._begin = adapted._begin, ""
        try:
            description, rows, rowcount, lastrowid = self.await_(
                connection._execute(_run, connection._conn, operation, parameters, many, begin)
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        if description:
            self.description = description
            self.lastrowid = self.rowcount = -1
            self._rows = deque(rows or ())
        else:
            self.description = None
            self.lastrowid = lastrowid
            self.rowcount = rowcount


class SqliteConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_begin",)

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._begin = ""  # a BEGIN not sent yet: it goes with the next statement

    def begin_with_next(self, statement: str) -> None:
        """Open the transaction with ``statement`` (``BEGIN`` or ``BEGIN IMMEDIATE``) in the same
        trip as the next statement; a transaction that runs none never sends it."""
        self._begin = statement

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:
            if self._begin:  # a streamed result opens no trip of ours: begin now, on its own
                _Cursor(self).execute("SELECT 1")
            return AsyncAdapt_aiosqlite_ss_cursor(self)
        return _Cursor(self)

    def commit(self) -> None:
        if self._begin:  # nothing ran: there is no transaction to commit
            self._begin = ""
            if not self._connection.in_transaction:
                return
        super().commit()

    def rollback(self) -> None:
        self._begin = ""
        if self._connection.in_transaction:  # a pool reset after a commit has nothing to undo
            super().rollback()


class FastAiosqlite(AsyncAdapt_aiosqlite_dbapi):
    """The DB-API module to hand to ``create_async_engine(..., module=...)``."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> SqliteConnection:
        kw.pop("async_fallback", None)
        pending = aiosqlite.connect(*arg, **kw)
        pending._thread.daemon = True  # as SQLAlchemy does: an open pool never blocks exit
        connection: Any = await_only(pending)
        return SqliteConnection(self, connection)
