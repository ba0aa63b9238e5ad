"""Shared fixtures: databases (SQLite always, PostgreSQL when reachable; never skipped under CI=true)
and a chat harness that runs the real pipeline."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import socket
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.knowledge_loader import EmptyKnowledge
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.types import Channel
from storage import migrate
from storage.crypto import install_key, uninstall_key
from storage.db import Database
from storage.models import Base
from tests.fakes import ChatHarness, RecordingSender, router_for_tests

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN_URL = os.environ.get("TANYA_TEST_PG_URL", f"postgresql+asyncpg://postgres@{PG_HOST}:{PG_PORT}/test")
SECRET = "test-secret-key-0123456789abcdefghijklmnop"


@pytest.fixture(autouse=True)
def _no_key_installed() -> Iterator[None]:
    """Every test starts with no key installed, as a new process does: an entry point that forgets
    to install it fails (sealed columns refuse to be written without a key)."""
    uninstall_key()
    yield
    uninstall_key()


@pytest.fixture
def installed_key() -> None:
    """For tests that write sealed columns through repositories, without a runtime."""
    install_key(SECRET)


def _pg_answers() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=1):
            return True
    except OSError:
        return False


def require_postgres() -> None:
    """Skip when no PostgreSQL answers locally; under CI=true a missing server is a failure."""
    if _pg_answers():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but PostgreSQL does not answer on 127.0.0.1:5432")
    pytest.skip("PostgreSQL not reachable on 127.0.0.1:5432")


def _in_thread(coro: Coroutine[Any, Any, None]) -> None:
    """Run set-up code on its own event loop (the fixture may be asked for from inside a test's loop)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coro).result()


async def pg_admin(sql: str) -> None:
    """One statement on the admin database, outside a transaction (CREATE/DROP DATABASE)."""
    engine = create_async_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(sql))
    await engine.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated to head."""
    require_postgres()
    name = f"tanya_test_{uuid.uuid4().hex[:10]}"
    base = PG_ADMIN_URL.rsplit("/", 1)[0]

    async def upgrade(url: str) -> None:
        db = Database.from_url(url)
        await migrate.upgrade(db)
        await db.dispose()

    _in_thread(pg_admin(f'CREATE DATABASE "{name}"'))
    url = f"{base}/{name}"
    _in_thread(upgrade(url))
    try:
        yield url
    finally:
        _in_thread(pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _truncate_all(db: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with db.write() as session:
        await session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A database of its own with no tables yet (migration tests move the revision down and up)."""
    if request.param == "sqlite":
        db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/tanya.db")
        yield db
        await db.dispose()
        return
    require_postgres()
    name = f"tanya_mig_{uuid.uuid4().hex[:10]}"
    await pg_admin(f'CREATE DATABASE "{name}"')
    db = Database.from_url(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}")
    try:
        yield db
    finally:
        await db.dispose()
        await pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty database: SQLite file, and PostgreSQL when it answers."""
    if request.param == "sqlite":
        db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/tanya.db")
        await migrate.upgrade(db)
    else:
        db = Database.from_url(request.getfixturevalue("pg_url"))
        await _truncate_all(db)
    yield db
    await db.dispose()


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[Database]:
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/tanya.db")
    await migrate.upgrade(db)
    yield db
    await db.dispose()


def make_runtime(db: Database, sender: RecordingSender, **kwargs: object) -> Runtime:
    return Runtime(
        settings=kwargs.pop("settings", None) or Settings(secret_key=SECRET),  # type: ignore[arg-type]
        db=db,
        knowledge=kwargs.pop("knowledge", EmptyKnowledge()),  # type: ignore[arg-type]
        secret_key=SECRET,
        senders=[sender],
        router=kwargs.pop("router", None) or router_for_tests(),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
async def harness(sqlite_db: Database) -> AsyncIterator[ChatHarness]:
    """The real pipeline on a fresh SQLite file, with a recording CLI channel."""
    sender = RecordingSender(Channel.CLI)
    runtime = make_runtime(sqlite_db, sender)
    await runtime.start()
    yield ChatHarness(runtime, sender)
    await runtime.pipeline.stop()
    await runtime.relay.stop()
