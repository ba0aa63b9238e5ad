"""Store and load the register (DIP) and the FAQ.

An import runs inside the caller's write transaction, so a file lands whole or not at all. Entries
are matched by id: new ones are inserted, changed ones updated, and with ``retire_missing`` the
active entries absent from the file are retired (kept, but no longer searched).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.concepts import Concept
from knowledge.examples import MAX_EXAMPLE_CHARS, MAX_EXAMPLES, join_examples, split_examples
from knowledge.models import Category, FaqEntry, RegisterEntry
from storage.models.knowledge import FaqEntryRow, RegisterEntryRow, SearchConceptRow

BATCH = 1000
KEYWORD_SEPARATOR = "; "
Model = type[RegisterEntryRow] | type[FaqEntryRow]


@dataclass(frozen=True, slots=True)
class Publication:
    """A serta merta entry's publication (UU 14/2008 Pasal 10): when, and who (an actor label)."""

    at: datetime
    by: str


@dataclass(frozen=True, slots=True)
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.retired} retired"
        )


def register_values(entry: RegisterEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "judul": entry.judul,
        "ringkasan": entry.ringkasan,
        "kategori": entry.kategori.value,
        "opd": entry.opd,
        "opd_singkatan": entry.opd_singkatan,
        "penanggung_jawab": entry.penanggung_jawab,
        "bentuk": entry.bentuk,
        "tahun": entry.tahun,
        "retensi": entry.retensi,
        "tautan": entry.tautan,
        "kata_kunci": KEYWORD_SEPARATOR.join(entry.kata_kunci),
        "alasan_pengecualian": entry.alasan_pengecualian,
        "contoh_pertanyaan": join_examples(entry.contoh),
    }


def faq_values(entry: FaqEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "pertanyaan": entry.pertanyaan,
        "jawaban": entry.jawaban,
        "tautan": entry.tautan,
        "contoh_pertanyaan": join_examples(entry.contoh),
    }


def _register_entry(row: RegisterEntryRow) -> RegisterEntry:
    return RegisterEntry(
        id=row.id,
        judul=row.judul,
        ringkasan=row.ringkasan,
        kategori=Category(row.kategori),
        opd=row.opd,
        opd_singkatan=row.opd_singkatan,
        penanggung_jawab=row.penanggung_jawab,
        bentuk=row.bentuk,
        tahun=row.tahun,
        retensi=row.retensi,
        tautan=row.tautan,
        kata_kunci=tuple(k.strip() for k in row.kata_kunci.split(KEYWORD_SEPARATOR.strip()) if k.strip()),
        alasan_pengecualian=row.alasan_pengecualian,
        contoh=split_examples(row.contoh_pertanyaan),
        active=row.active,
    )


def _faq_entry(row: FaqEntryRow) -> FaqEntry:
    return FaqEntry(
        id=row.id,
        pertanyaan=row.pertanyaan,
        jawaban=row.jawaban,
        tautan=row.tautan,
        contoh=split_examples(row.contoh_pertanyaan),
        active=row.active,
    )


def _batches(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class KnowledgeRepository:
    """Register and FAQ rows; every method runs inside the caller's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def import_register(
        self, entries: Sequence[RegisterEntry], *, now: datetime, retire_missing: bool = False,
        opds: Collection[str] | None = None,
    ) -> ImportSummary:  # fmt: skip
        """Import ``entries``; with ``opds`` (an officer's upload), ``retire_missing`` retires only
        the missing entries of those OPDs (by ``opd_singkatan``, upper case)."""
        rows = [register_values(e) for e in entries]
        among = None if opds is None else set(await self.register_ids_of(opds))
        return await self._import(RegisterEntryRow, rows, now=now, retire_missing=retire_missing, among=among)

    async def register_ids_of(self, opds: Collection[str]) -> list[str]:
        """The active entries of these OPDs (by abbreviation, any case)."""
        wanted = sorted({o.strip().upper() for o in opds})
        result = await self.session.scalars(
            select(RegisterEntryRow.id).where(
                RegisterEntryRow.active.is_(True), func.upper(RegisterEntryRow.opd_singkatan).in_(wanted)
            )
        )
        return list(result)

    async def register_opds(self, ids: Collection[str]) -> dict[str, str]:
        """The OPD abbreviation of each of ``ids`` that exists (active or retired)."""
        found: dict[str, str] = {}
        for batch in _batches(sorted(ids)):
            result = await self.session.execute(
                select(RegisterEntryRow.id, RegisterEntryRow.opd_singkatan).where(
                    RegisterEntryRow.id.in_(batch)
                )
            )
            found.update({entry_id: opd for entry_id, opd in result.tuples()})
        return found

    async def publish_register_entry(self, entry_id: str, *, now: datetime, by: str) -> bool:
        """Mark a serta merta entry published; False if it is not an active serta merta entry or
        was published before (the first publication stands)."""
        result = await self.session.execute(
            update(RegisterEntryRow)
            .where(
                RegisterEntryRow.id == entry_id,
                RegisterEntryRow.active.is_(True),
                RegisterEntryRow.kategori == Category.SERTA_MERTA.value,
                RegisterEntryRow.published_at.is_(None),
            )
            .values(published_at=now, published_by=by[:64])
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def published(self, ids: Collection[str]) -> dict[str, Publication]:
        """When and by whom each of ``ids`` that was published was published."""
        found: dict[str, Publication] = {}
        for batch in _batches(sorted(ids)):
            result = await self.session.execute(
                select(
                    RegisterEntryRow.id, RegisterEntryRow.published_at, RegisterEntryRow.published_by
                ).where(RegisterEntryRow.id.in_(batch), RegisterEntryRow.published_at.is_not(None))
            )
            for entry_id, at, by in result.tuples():
                if at is not None:
                    found[entry_id] = Publication(at, by or "")
        return found

    async def import_faq(
        self, entries: Sequence[FaqEntry], *, now: datetime, retire_missing: bool = False
    ) -> ImportSummary:
        rows = [faq_values(e) for e in entries]
        return await self._import(FaqEntryRow, rows, now=now, retire_missing=retire_missing)

    async def load_register(self) -> list[RegisterEntry]:
        """Active register entries, to build the search index from."""
        result = await self.session.scalars(
            select(RegisterEntryRow).where(RegisterEntryRow.active.is_(True)).order_by(RegisterEntryRow.id)
        )
        return [_register_entry(row) for row in result]

    async def register_entry(self, entry_id: str) -> RegisterEntry | None:
        """One register entry, active or retired."""
        row = await self.session.get(RegisterEntryRow, entry_id)
        return _register_entry(row) if row is not None else None

    async def retire_register_entry(self, entry_id: str, *, now: datetime) -> bool:
        """Take one entry out of the register (kept, inactive); False if it is not active."""
        return await self._retire(RegisterEntryRow, entry_id, now=now)

    async def faq_entry(self, entry_id: str) -> FaqEntry | None:
        """One FAQ entry, active or retired."""
        row = await self.session.get(FaqEntryRow, entry_id)
        return _faq_entry(row) if row is not None else None

    async def retire_faq_entry(self, entry_id: str, *, now: datetime) -> bool:
        """Take one FAQ entry out of the search (kept, inactive); False if it is not active."""
        return await self._retire(FaqEntryRow, entry_id, now=now)

    async def _retire(self, model: Model, entry_id: str, *, now: datetime) -> bool:
        result = await self.session.execute(
            update(model)
            .where(model.id == entry_id, model.active.is_(True))
            .values(active=False, retired_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def add_examples(self, entry_id: str, questions: Sequence[str], *, now: datetime) -> list[str]:
        """Add citizens' questions to an active entry's example questions (``knowledge.examples``),
        register or FAQ, after those it has, up to ``MAX_EXAMPLES``; questions longer than an example
        may be, or already there, are skipped. Returns the questions added."""
        rows: tuple[RegisterEntryRow | FaqEntryRow | None, ...] = (
            await self.session.get(RegisterEntryRow, entry_id),
            await self.session.get(FaqEntryRow, entry_id),
        )
        for row in rows:
            if row is None or not row.active:
                continue
            have = split_examples(row.contoh_pertanyaan)
            room = MAX_EXAMPLES - len(have)
            fresh = [q for q in split_examples("\n".join(questions)) if len(q) <= MAX_EXAMPLE_CHARS]
            added = [q for q in fresh if q not in have][: max(room, 0)]
            if added:
                row.contoh_pertanyaan = join_examples((*have, *added))
                row.updated_at = now
            return added
        return []

    async def load_faq(self) -> list[FaqEntry]:
        result = await self.session.scalars(
            select(FaqEntryRow).where(FaqEntryRow.active.is_(True)).order_by(FaqEntryRow.id)
        )
        return [_faq_entry(row) for row in result]

    # --- concepts officers teach the search (knowledge.concepts) ---

    async def load_concepts(self) -> list[Concept]:
        """Active learned concepts, oldest first, to build the search index with."""
        return [concept for _, concept in await self.list_concepts()]

    async def list_concepts(self) -> list[tuple[int, Concept]]:
        result = await self.session.scalars(
            select(SearchConceptRow).where(SearchConceptRow.active.is_(True)).order_by(SearchConceptRow.id)
        )
        return [
            (row.id, Concept(row.situation, tuple(row.services.split(KEYWORD_SEPARATOR)))) for row in result
        ]

    async def add_concept(self, concept: Concept, *, now: datetime) -> int:
        """Store a concept (validated by ``Concept.make``); its id."""
        row = SearchConceptRow(
            situation=concept.situation,
            services=KEYWORD_SEPARATOR.join(concept.services),
            active=True,
            created_at=now,
            updated_at=now,
        )
        self.session.add(row)
        await self.session.flush()
        return row.id

    async def retire_concept(self, concept_id: int, *, now: datetime) -> bool:
        """Stop using a concept; False when no active concept has that id."""
        result = await self.session.execute(
            update(SearchConceptRow)
            .where(SearchConceptRow.id == concept_id, SearchConceptRow.active.is_(True))
            .values(active=False, updated_at=now)
        )
        return bool(getattr(result, "rowcount", 0))

    async def _import(
        self, model: Model, rows: Sequence[Mapping[str, Any]], *, now: datetime, retire_missing: bool,
        among: set[str] | None = None,
    ) -> ImportSummary:  # fmt: skip
        columns = [model.__table__.c[name] for name in rows[0]] if rows else []
        existing: dict[str, tuple[Any, ...]] = {}
        active: set[str] = set()
        result = await self.session.execute(select(model.id, model.active, *columns))
        for found in result:
            existing[found[0]] = tuple(found[2:])
            if found[1]:
                active.add(found[0])
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        unchanged = 0
        for row in rows:
            key = row["id"]
            old = existing.get(key)
            if old is None:
                inserts.append(
                    {**row, "active": True, "created_at": now, "updated_at": now, "retired_at": None}
                )
            elif old != tuple(row.values()) or key not in active:
                updates.append({**row, "active": True, "updated_at": now, "retired_at": None})
            else:
                unchanged += 1
        for batch in _batches(inserts):
            await self.session.execute(insert(model), list(batch))
        for batch in _batches(updates):
            await self.session.execute(update(model), list(batch))
        candidates = active if among is None else active & among
        retired = sorted(candidates - {row["id"] for row in rows}) if retire_missing else []
        for ids in _batches(retired):
            await self.session.execute(
                update(model)
                .where(model.id.in_(ids))
                .values(active=False, retired_at=now, updated_at=now)
                .execution_options(synchronize_session=False)
            )
        return ImportSummary(len(inserts), len(updates), unchanged, len(retired))
