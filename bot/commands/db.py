"""``tanya db upgrade|current``: apply or show the schema migrations."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.settings import get_settings
from storage import migrate
from storage.db import Database


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("db", help="database schema migrations")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    up = actions.add_parser("upgrade", help="apply migrations up to REVISION (default: head)")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(func=_upgrade)
    current = actions.add_parser("current", help="print the current revision")
    current.set_defaults(func=_current)


async def _with_db(revision: str | None) -> str:
    db = Database.from_url(get_settings().database_url)
    try:
        if revision:
            await migrate.upgrade(db, revision)
        return await migrate.current_revision(db)
    finally:
        await db.dispose()


def _upgrade(args: argparse.Namespace) -> int:
    print(f"database at revision {asyncio.run(_with_db(args.revision))}")
    return 0


def _current(args: argparse.Namespace) -> int:
    print(asyncio.run(_with_db(None)) or "(empty database)")
    return 0
