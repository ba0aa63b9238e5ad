"""Apply the Alembic migrations to the configured database (on start-up and ``tanya db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.db import Database

_PG_LOCK_KEY = 7_415_320  # advisory lock: several workers starting at once migrate one at a time


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).resolve().parent / "migrations"))
    return cfg


def _upgrade(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.upgrade(cfg, revision)


async def upgrade(db: Database, revision: str = "head") -> None:
    async with db.write() as session:
        conn = await session.connection()
        if not db.is_sqlite:
            await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        await conn.run_sync(_upgrade, revision)


def _downgrade(connection: Connection, revision: str) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    command.downgrade(cfg, revision)


async def downgrade(db: Database, revision: str) -> None:
    """Back to ``revision`` (operators after a failed release; the migration tests)."""
    async with db.write() as session:
        await (await session.connection()).run_sync(_downgrade, revision)


async def current_revision(db: Database) -> str:
    async with db.session() as session:
        try:
            result = await session.execute(text("SELECT version_num FROM alembic_version"))
        except Exception:
            return ""
        return str(result.scalar() or "")
