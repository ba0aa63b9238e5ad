"""``tanya areas import FILE [--dry-run]``, ``tanya areas list [KEY]``, ``tanya areas assign|unassign
USERNAME KEY``, ``tanya areas link-code USERNAME``: the kota, kecamatan, kelurahan, RW and RT that
residents subscribe to, coordinators serve and officers approve for.

``assign`` binds by the account's role: a coordinator to an RW or RT, an officer to a kelurahan
(or a kecamatan, covering its kelurahan) whose coordinators' announcements it approves. One
command for both, because the role already decides which binding is meant; a flag could only
contradict it. It runs ``handlers.services.assignments`` as the console does.

The file is CSV with the columns ``kota,kecamatan,kelurahan,rw,rt`` (one row per RT); every
problem is listed and nothing is imported unless the whole file is good, in one transaction.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.area_store import AreaConflict, AreaStore
from bot.areas import import_areas, read_area_file
from bot.assignment_store import AssignmentStore
from bot.commands.requests import Officer, actor_of, actor_option, bind
from bot.settings import get_settings
from handlers.domain.areas import normalise_key
from handlers.services import assignments
from handlers.services.actor import Role
from storage.db import Database
from storage.migrate import upgrade


def register(sub: argparse._SubParsersAction[Any]) -> None:
    by = actor_option()
    areas = sub.add_parser("areas", help="areas (kota, kecamatan, kelurahan, RW, RT): import, list, assign")
    actions = areas.add_subparsers(dest="areas_action", metavar="ACTION", required=True)
    load = actions.add_parser(
        "import", help="validate and import an area CSV (kota,kecamatan,kelurahan,rw,rt)"
    )
    load.add_argument("file", type=Path)
    load.add_argument("--dry-run", action="store_true", help="only check the file; change nothing")
    load.set_defaults(func=_import)
    listing = actions.add_parser("list", help="the areas under KEY (default: all), one key a line")
    listing.add_argument("key", nargs="?", default="", help="e.g. sukamaju-wetan or sukamaju-wetan/rw02")
    listing.set_defaults(func=lambda args: asyncio.run(_list(args)))
    for name, what in (
        ("assign", "bind a coordinator to its RW or RT, or an officer to the kelurahan (or kecamatan) "
                   "whose coordinators' announcements it approves; the account's role says which"),
        ("unassign", "undo that"),
    ):  # fmt: skip
        bound = actions.add_parser(name, help=what, parents=[by])
        bound.add_argument("username")
        bound.add_argument("key", help="e.g. sukamaju-wetan/rw02 (coordinator), sukamaju-wetan (officer)")
        bind(bound, _assign)
    code = actions.add_parser(
        "link-code", help="a one-time code a coordinator types in their chat (15 minutes)", parents=[by]
    )
    code.add_argument("username")
    bind(code, _link_code)


async def _link_code(args: argparse.Namespace, officer: Officer) -> int:
    async with officer.db.write() as session:
        code = await assignments.issue_link_code(
            AssignmentStore(session, officer.crypto, now=officer.now), actor_of(args), args.username,
            now=officer.now,
        )  # fmt: skip
    officer.say(f"kode {code}")
    return 0


async def _assign(args: argparse.Namespace, officer: Officer) -> int:
    assign = args.areas_action == "assign"
    async with officer.db.write() as session:
        done = await assignments.assign(
            AssignmentStore(session, officer.crypto, now=officer.now), actor_of(args), args.username,
            args.key, bind=assign, now=officer.now,
        )  # fmt: skip
    if done.role is Role.OFFICER:
        verb = "now approves for" if assign else "no longer approves for"
    else:
        verb = "now serves" if assign else "no longer serves"
    officer.say(f"{done.username} {verb} {done.area.label}{'' if done.changed else ' (unchanged)'}")
    return 0


def _import(args: argparse.Namespace) -> int:
    parsed = read_area_file(args.file)
    if parsed.problems:
        for problem in parsed.problems[:200]:
            print(problem, file=sys.stderr)
        if len(parsed.problems) > 200:
            print(f"... and {len(parsed.problems) - 200} more", file=sys.stderr)
        print(f"{args.file}: {len(parsed.problems)} problem(s); nothing imported", file=sys.stderr)
        return 1
    if args.dry_run:
        print(f"{args.file}: {len(parsed.areas)} areas, no problems (dry run, nothing imported)")
        return 0
    try:
        summary = asyncio.run(_store(parsed))
    except AreaConflict as conflict:
        print(f"{args.file}: {conflict}; nothing imported", file=sys.stderr)
        return 1
    print(f"{args.file}: {summary}")
    return 0


async def _store(parsed: Any) -> Any:
    db = Database.from_url(get_settings().database_url)
    try:
        await upgrade(db)
        return await import_areas(db, parsed)
    finally:
        await db.dispose()


async def _list(args: argparse.Namespace) -> int:
    db = Database.from_url(get_settings().database_url)
    try:
        await upgrade(db)
        async with db.session() as session:
            repo = AreaStore(session)
            if args.key:
                key = normalise_key(args.key)
                root = await repo.get(key) if key else None
                if root is None:
                    print(f"error: no area {args.key!r}", file=sys.stderr)
                    return 1
                ids = set(await repo.repo.descendant_ids(root.id))
                rows = [a for a in await repo.all() if a.id in ids]
            else:
                rows = list(await repo.all())
        for area in rows:
            print(f"{area.key:<40} {area.level.value:<10} {area.label}")
        print(f"{len(rows)} area(s)")
        return 0
    finally:
        await db.dispose()
