"""``tanya search``, ``tanya import-register`` and ``tanya import-faq``.

``search`` works in memory on ``--register``/``--faq`` files (no database), or on the imported
register otherwise. With ``--json`` it prints one line per query:
``{"query": "...", "results": [{"id": ..., "kind": ..., "score": ..., "title": ...}]}``;
empty results mean the search abstained.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from bot.settings import get_settings
from knowledge.concepts import Concept, ConceptError, read_concepts
from knowledge.faq import parse_faq
from knowledge.importing import ParsedFile
from knowledge.models import FaqEntry, RegisterEntry
from knowledge.register import parse_register
from knowledge.search import Confidence, SearchAnswer, SearchEngine
from storage.db import Database
from storage.knowledge_repository import ImportSummary, KnowledgeRepository
from storage.migrate import upgrade

MAX_PROBLEMS_SHOWN = 200


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    search = sub.add_parser("search", help="search the register and FAQ (in memory with --register/--faq)")
    search.add_argument("query", nargs="*", help="the query (omit with --batch)")
    search.add_argument("--register", type=Path, help="register CSV/XLSX to search instead of the database")
    search.add_argument("--faq", type=Path, help="FAQ CSV/XLSX to search instead of the database")
    search.add_argument("--limit", type=int, default=5, help="results per query (default 5)")
    search.add_argument("--json", action="store_true", help="one JSON line per query")
    search.add_argument("--batch", type=Path, help="file with one query per line")
    search.add_argument("--concepts", type=Path, help="a concepts file (default: TANYA_CONCEPTS_FILE)")
    search.set_defaults(func=run_search)

    for name, what in (("import-register", "register (DIP)"), ("import-faq", "FAQ")):
        command = sub.add_parser(name, help=f"validate and import the {what} from CSV/XLSX")
        command.add_argument("file", type=Path)
        command.add_argument("--dry-run", action="store_true", help="only check the file; change nothing")
        command.add_argument(
            "--retire-missing", action="store_true", help="retire active entries that are not in the file"
        )
        command.set_defaults(func=run_import_register if name == "import-register" else run_import_faq)


# --- search ---


def run_search(args: argparse.Namespace) -> int:
    if args.batch is not None:
        queries = args.batch.read_text(encoding="utf-8").splitlines()
    elif args.query:
        queries = [" ".join(args.query)]
    else:
        print("error: give a QUERY or --batch FILE", file=sys.stderr)
        return 2
    try:
        if args.register is not None or args.faq is not None:
            engine = _engine_from_files(args.register, args.faq, args.concepts)
        else:
            engine = asyncio.run(_engine_from_database())
    except (ConceptError, OSError, UnicodeDecodeError) as exc:  # a concepts file that cannot be used
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if engine is None:
        return 1
    for query in queries:
        answer = engine.search(query, limit=max(args.limit, 0))
        _print_answer(answer, as_json=args.json, out=sys.stdout)
    return 0


def _file_concepts(path: Path | None) -> list[Concept]:
    """A PPID's concepts: ``--concepts``, else ``TANYA_CONCEPTS_FILE`` (none when neither is set)."""
    name = str(path) if path is not None else get_settings().concepts_file
    return read_concepts(Path(name)) if name else []


def _engine_from_files(
    register_file: Path | None, faq_file: Path | None, concepts_file: Path | None = None
) -> SearchEngine | None:
    register_entries: list[RegisterEntry] = []
    faq_entries: list[FaqEntry] = []
    if register_file is not None:
        parsed_register = parse_register(register_file)
        if not _report_problems(parsed_register, register_file):
            return None
        register_entries = parsed_register.entries
    if faq_file is not None:
        parsed_faq = parse_faq(faq_file)
        if not _report_problems(parsed_faq, faq_file):
            return None
        faq_entries = parsed_faq.entries
    return SearchEngine.from_entries(register_entries, faq_entries, _file_concepts(concepts_file))


async def _engine_from_database() -> SearchEngine | None:
    db = _database()
    try:
        async with db.session() as session:
            repository = KnowledgeRepository(session)
            register_entries = await repository.load_register()
            faq_entries = await repository.load_faq()
            concepts = await repository.load_concepts()
    except SQLAlchemyError as exc:
        print(
            f"error: cannot read the register from the database ({exc.__class__.__name__}); "
            "run `tanya import-register FILE` first or pass --register/--faq",
            file=sys.stderr,
        )
        return None
    finally:
        await db.dispose()
    return SearchEngine.from_entries(register_entries, faq_entries, _file_concepts(None) + concepts)


def _database() -> Database:
    return Database.from_url(get_settings().database_url)


def _print_answer(answer: SearchAnswer, *, as_json: bool, out: TextIO) -> None:
    if as_json:
        results = [
            {
                "id": h.id,
                "kind": h.kind,
                "score": h.score,
                "title": h.title,
                "exempt": h.exempt,
                "opd": h.unit,
                "link": h.link,
            }
            for h in answer.hits
        ]
        line = {"query": answer.query, "confidence": answer.confidence.value, "results": results}
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return
    out.write(f"? {answer.query}\n")
    if not answer.hits:
        out.write("  (no answer: abstained)\n")
    elif answer.confidence is Confidence.MAYBE:
        out.write("  (maybe: middling evidence)\n")
    for rank, hit in enumerate(answer.hits, 1):
        out.write(f"  {rank}. [{hit.score:5.1f}] {hit.id} {hit.title}\n")


# --- import ---


def _report_problems(parsed: ParsedFile[RegisterEntry] | ParsedFile[FaqEntry], path: Path) -> bool:
    """Print every problem of a file to stderr; True when there are none."""
    if parsed.ok:
        return True
    print(f"{path}: {len(parsed.problems)} problem(s); nothing imported", file=sys.stderr)
    for problem in _first(parsed.problems, MAX_PROBLEMS_SHOWN):
        print(f"  {problem}", file=sys.stderr)
    if len(parsed.problems) > MAX_PROBLEMS_SHOWN:
        print(f"  ... and {len(parsed.problems) - MAX_PROBLEMS_SHOWN} more", file=sys.stderr)
    return False


def _first(items: Iterable[object], n: int) -> list[object]:
    return list(items)[:n]


def run_import_register(args: argparse.Namespace) -> int:
    parsed = parse_register(args.file, progress=True)

    def store(repository: KnowledgeRepository, now: datetime) -> Awaitable[ImportSummary]:
        return repository.import_register(parsed.entries, now=now, retire_missing=args.retire_missing)

    return _run_import(args, parsed, store)


def run_import_faq(args: argparse.Namespace) -> int:
    parsed = parse_faq(args.file, progress=True)

    def store(repository: KnowledgeRepository, now: datetime) -> Awaitable[ImportSummary]:
        return repository.import_faq(parsed.entries, now=now, retire_missing=args.retire_missing)

    return _run_import(args, parsed, store)


Store = Callable[[KnowledgeRepository, datetime], Awaitable[ImportSummary]]


def _run_import(
    args: argparse.Namespace, parsed: ParsedFile[RegisterEntry] | ParsedFile[FaqEntry], store: Store
) -> int:
    """Report every problem and import nothing, or import the whole file in one transaction."""
    if not _report_problems(parsed, args.file):
        return 1
    if args.dry_run:
        print(f"{args.file}: {len(parsed.entries)} entries, no problems (dry run, nothing imported)")
        return 0
    summary = asyncio.run(_store(store))
    print(f"{args.file}: {summary}")
    return 0


async def _store(store: Store) -> ImportSummary:
    """Migrate the database if needed, then run ``store`` in one write transaction."""
    db = _database()
    try:
        await upgrade(db)
        async with db.write() as session:
            return await store(KnowledgeRepository(session), datetime.now(UTC))
    finally:
        await db.dispose()
