"""The register and FAQ a process searches: imported at start-up when asked, reloaded when they change.

``LiveKnowledge`` serves searches from an index built in memory and swaps in a new one when an
officer re-imports the register (``tanya import-register`` in another process): a background task
compares a cheap version stamp of the tables every ``poll_seconds``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.background import cancel_and_wait
from knowledge.concepts import read_concepts
from knowledge.faq import parse_faq
from knowledge.register import parse_register
from knowledge.search import Hit, SearchAnswer, SearchEngine
from storage.db import Database
from storage.knowledge_repository import KnowledgeRepository
from storage.models.knowledge import FaqEntryRow, RegisterEntryRow, SearchConceptRow

log = logging.getLogger(__name__)

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"

Stamp = tuple[object, ...]


class ImportRefused(RuntimeError):
    """A file named in the settings has problems; nothing was imported."""


class EmptyKnowledge:
    """A knowledge base with nothing in it: every search abstains."""

    def search(self, query: str, limit: int = 5) -> SearchAnswer:
        return SearchAnswer(query=query)

    def get(self, entry_id: str) -> Hit | None:
        return None

    def faq(self, limit: int = 10) -> Sequence[Hit]:
        return ()


class LiveKnowledge:
    def __init__(self, db: Database, *, poll_seconds: float = 30.0, concepts_file: str = "") -> None:
        self._db = db
        self._poll = poll_seconds
        self._concepts_file = Path(concepts_file) if concepts_file else None
        self._engine = SearchEngine.from_entries([], [])
        self._stamp: Stamp = ()
        self._task: asyncio.Task[None] | None = None

    def search(self, query: str, limit: int = 5) -> SearchAnswer:
        return self._engine.search(query, limit)

    def get(self, entry_id: str) -> Hit | None:
        return self._engine.get(entry_id)

    def faq(self, limit: int = 10) -> Sequence[Hit]:
        return self._engine.faq(limit)

    @property
    def size(self) -> int:
        return len(self._engine)

    async def refresh(self, *, force: bool = False) -> bool:
        """Rebuild the index if the tables changed since the last build (or ``force``: this process
        just changed them, e.g. the console's register page); True if rebuilt."""
        stamp = await self._read_stamp()
        if stamp == self._stamp and not force:
            return False
        async with self._db.session() as session:
            repository = KnowledgeRepository(session)
            register, faq = await repository.load_register(), await repository.load_faq()
            concepts = await repository.load_concepts()
        if self._concepts_file is not None:  # a bad file refuses the rebuild: the previous index serves
            concepts = [*read_concepts(self._concepts_file), *concepts]
        # Building is CPU work (~0.1 s per thousand entries): keep the event loop answering.
        self._engine = await asyncio.to_thread(SearchEngine.from_entries, register, faq, concepts)
        self._stamp = stamp
        log.info("search index built: %d register entries, %d FAQ entries", len(register), len(faq))
        return True

    async def _read_stamp(self) -> Stamp:
        async with self._db.session() as session:
            stamp: list[object] = []
            for model in (RegisterEntryRow, FaqEntryRow):
                row = (
                    await session.execute(
                        select(func.count(), func.max(model.updated_at), func.max(model.retired_at)).where(
                            model.active.is_(True)
                        )
                    )
                ).one()
                stamp.extend(row)
            learned = select(func.count(), func.max(SearchConceptRow.updated_at))
            stamp.extend((await session.execute(learned)).one())
        if self._concepts_file is not None:
            stamp.append(self._concepts_file.stat().st_mtime_ns)
        return tuple(stamp)

    def start(self) -> None:
        self._task = asyncio.create_task(self._watch(), name="knowledge-reload")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self._poll)
            try:
                await self.refresh()
            except Exception:
                log.exception("reloading the register failed; still serving the previous index")


async def import_files(db: Database, register_file: Path | None, faq_file: Path | None) -> None:
    """Import the given files atomically; refuse (nothing imported) if any row has a problem."""
    now = datetime.now(UTC)
    parsed_register = parse_register(register_file) if register_file else None
    parsed_faq = parse_faq(faq_file) if faq_file else None
    for parsed, path in ((parsed_register, register_file), (parsed_faq, faq_file)):
        if parsed is not None and not parsed.ok:
            first = "; ".join(str(p) for p in parsed.problems[:3])
            raise ImportRefused(f"{path}: {len(parsed.problems)} problems, nothing imported ({first} ...)")
    async with db.write() as session:
        repository = KnowledgeRepository(session)
        if parsed_register is not None:
            await repository.import_register(parsed_register.entries, now=now)
        if parsed_faq is not None:
            await repository.import_faq(parsed_faq.entries, now=now)


async def load_knowledge(
    db: Database,
    *,
    register_file: str = "",
    faq_file: str = "",
    sample: bool = False,
    concepts_file: str = "",
) -> LiveKnowledge:
    """Import what the settings name (or the sample data into an empty register), then build the index."""
    if register_file or faq_file:
        await import_files(
            db, Path(register_file) if register_file else None, Path(faq_file) if faq_file else None
        )
    knowledge = LiveKnowledge(db, concepts_file=concepts_file)
    await knowledge.refresh()
    if sample and knowledge.size == 0:
        if (SAMPLE_DIR / "register.csv").exists():
            await import_files(db, SAMPLE_DIR / "register.csv", SAMPLE_DIR / "faq.csv")
            log.info("loaded the sample register and FAQ of Kota Sukamaju from %s", SAMPLE_DIR)
            await knowledge.refresh()
        else:
            log.warning("sample data asked for, but %s is not there", SAMPLE_DIR)
    return knowledge
