"""``tanya concepts``: the concepts PPID officers teach the search.

A concept maps an everyday situation to the services that serve it ("jualan di rumah" -> "izin
usaha mikro; nib"); the running service picks a change up within its reload interval. A whole file
of them can be named with ``TANYA_CONCEPTS_FILE`` instead (see README, "Search").
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.settings import get_settings
from knowledge.concepts import Concept, ConceptError, read_concepts
from storage.db import Database
from storage.knowledge_repository import KnowledgeRepository
from storage.migrate import upgrade


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    concepts = sub.add_parser("concepts", help="situations the search maps to services (learned terms)")
    actions = concepts.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the learned concepts (and the file's, if one is set)")
    listing.set_defaults(func=run_list)
    add = actions.add_parser(
        "add", help='teach one: tanya concepts add "jualan di rumah" "izin usaha mikro; nib"'
    )
    add.add_argument("situation", help="how citizens describe it")
    add.add_argument("services", help="how the register names what serves it, separated by ';'")
    add.set_defaults(func=run_add)
    remove = actions.add_parser("remove", help="stop using a learned concept (by its number in the list)")
    remove.add_argument("id", type=int)
    remove.set_defaults(func=run_remove)
    check = actions.add_parser("check", help="validate a concepts file (TANYA_CONCEPTS_FILE format)")
    check.add_argument("file")
    check.set_defaults(func=run_check)


def _database() -> Database:
    return Database.from_url(get_settings().database_url)


def run_list(_: argparse.Namespace) -> int:
    async def listed() -> list[tuple[int, Concept]]:
        db = _database()
        try:
            await upgrade(db)
            async with db.session() as session:
                return await KnowledgeRepository(session).list_concepts()
        finally:
            await db.dispose()

    for concept_id, concept in asyncio.run(listed()):
        print(f"{concept_id}\t{concept.line()}")
    path = get_settings().concepts_file
    if path:
        print(f"(and the concepts of {path}, TANYA_CONCEPTS_FILE)")
    return 0


def run_add(args: argparse.Namespace) -> int:
    try:
        concept = Concept.make(args.situation, args.services)
    except ConceptError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    async def added() -> int:
        db = _database()
        try:
            await upgrade(db)
            async with db.write() as session:
                return await KnowledgeRepository(session).add_concept(concept, now=datetime.now(UTC))
        finally:
            await db.dispose()

    print(f"{asyncio.run(added())}\t{concept.line()}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    async def removed() -> bool:
        db = _database()
        try:
            await upgrade(db)
            async with db.write() as session:
                return await KnowledgeRepository(session).retire_concept(args.id, now=datetime.now(UTC))
        finally:
            await db.dispose()

    if not asyncio.run(removed()):
        print(f"error: no learned concept {args.id}", file=sys.stderr)
        return 1
    print(f"concept {args.id} is no longer used")
    return 0


def run_check(args: argparse.Namespace) -> int:
    try:
        concepts = read_concepts(Path(args.file))
    except (ConceptError, OSError, UnicodeDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.file}: {len(concepts)} concepts, no problems")
    return 0
