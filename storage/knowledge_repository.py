"""Store and load the register (DIP) and the FAQ.

An import runs inside the caller's write transaction, so a file lands whole or not at all. Entries
are matched by id: new ones are inserted, changed ones updated, and with ``retire_missing`` the
active entries absent from the file are retired (kept, but no longer searched).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from knowledge.concepts import Concept
from knowledge.models import Category, FaqEntry, RegisterEntry
from storage.models.knowledge import FaqEntryRow, RegisterEntryRow, SearchConceptRow

BATCH = 1000
KEYWORD_SEPARATOR = "; "
Model = type[RegisterEntryRow] | type[FaqEntryRow]


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
    }


def faq_values(entry: FaqEntry) -> dict[str, Any]:
    return {"id": entry.id, "pertanyaan": entry.pertanyaan, "jawaban": entry.jawaban, "tautan": entry.tautan}


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
        active=row.active,
    )


def _faq_entry(row: FaqEntryRow) -> FaqEntry:
    return FaqEntry(
        id=row.id, pertanyaan=row.pertanyaan, jawaban=row.jawaban, tautan=row.tautan, active=row.active
    )


def _batches(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class KnowledgeRepository:
    """Register and FAQ rows; every method runs inside the caller's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def import_register(
        self, entries: Sequence[RegisterEntry], *, now: datetime, retire_missing: bool = False
    ) -> ImportSummary:
        rows = [register_values(e) for e in entries]
        return await self._import(RegisterEntryRow, rows, now=now, retire_missing=retire_missing)

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
        result = await self.session.execute(
            update(RegisterEntryRow)
            .where(RegisterEntryRow.id == entry_id, RegisterEntryRow.active.is_(True))
            .values(active=False, retired_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

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
        self, model: Model, rows: Sequence[Mapping[str, Any]], *, now: datetime, retire_missing: bool
    ) -> ImportSummary:
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
        retired = sorted(active - {row["id"] for row in rows}) if retire_missing else []
        for ids in _batches(retired):
            await self.session.execute(
                update(model)
                .where(model.id.in_(ids))
                .values(active=False, retired_at=now, updated_at=now)
                .execution_options(synchronize_session=False)
            )
        return ImportSummary(len(inserts), len(updates), unchanged, len(retired))
