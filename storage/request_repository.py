"""Requests, objections, requesters, holidays and the access log, on the caller's session.

Rows in, rows out: ``bot.request_store`` turns them into the records of ``handlers``. Personal
data is encrypted here on its way in (:class:`PersonalData`) and decrypted only on the way out
to an officer; a full read is written to the access log (UU 27/2022 Pasal 46).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.crypto import Crypto
from storage.models.requests import (
    Holiday,
    InfoRequest,
    NumberSequence,
    Objection,
    PersonalDataAccess,
    Requester,
    RequestEvent,
    StoredAttachment,
)
from storage.privacy import erase_conversations, secure_delete


@dataclass(frozen=True, slots=True)
class PersonalData:
    """A requester's identity and contacts in plain text (only ever in memory)."""

    name: str = field(default="", repr=False)
    nik: str = field(default="", repr=False)
    legal_entity_number: str = field(default="", repr=False)
    address: str = field(default="", repr=False)
    phone: str = field(default="", repr=False)
    email: str = field(default="", repr=False)


# column prefix -> PersonalData attribute; the column name is also the ciphertext's purpose
_COLUMNS = {
    "name": "name",
    "nik": "nik",
    "legal_entity": "legal_entity_number",
    "address": "address",
    "phone": "phone",
    "email": "email",
}


@dataclass(frozen=True, slots=True)
class RequesterRow:
    id: int
    requester_type: str
    filing_as: str
    data: PersonalData
    erased: bool


class RequestRepository:
    """Every method works inside ``session``; nothing here commits."""

    def __init__(self, session: AsyncSession, crypto: Crypto) -> None:
        self.session = session
        self._crypto = crypto

    # --- numbers ---

    async def next_sequence(self, kind: str, year: int) -> int:
        """The next number of ``kind`` in ``year``: an upsert, so concurrent writers never share one."""
        insert = sqlite.insert if self.session.bind.dialect.name == "sqlite" else postgresql.insert
        stmt = (
            insert(NumberSequence)
            .values(kind=kind, year=year, last=1)
            .on_conflict_do_update(index_elements=["kind", "year"], set_={"last": NumberSequence.last + 1})
            .returning(NumberSequence.last)
        )
        return int((await self.session.execute(stmt)).scalar_one())

    # --- requesters ---

    def _seal(self, value: str, column: str) -> bytes | None:
        return self._crypto.encrypt_text(value, f"requester.{column}") if value else None

    def _open(self, blob: bytes | None, column: str) -> str:
        return self._crypto.decrypt_text(blob, f"requester.{column}") if blob else ""

    async def add_requester(
        self, requester_type: str, filing_as: str, data: PersonalData, at: datetime
    ) -> Requester:
        row = Requester(
            requester_type=requester_type,
            filing_as=filing_as,
            nik_hash=self._crypto.nik_hash(data.nik) if data.nik else None,
            created_at=at,
            **{f"{c}_enc": self._seal(getattr(data, a), c) for c, a in _COLUMNS.items()},
        )
        self.session.add(row)
        await self.session.flush()
        return row

    def _requester(self, row: Requester) -> RequesterRow:
        data = PersonalData(**{a: self._open(getattr(row, f"{c}_enc"), c) for c, a in _COLUMNS.items()})
        return RequesterRow(row.id, row.requester_type, row.filing_as, data, row.erased_at is not None)

    async def requesters(self, ids: Iterable[int]) -> dict[int, RequesterRow]:
        """Decrypted requesters, for display *masked* (lists); not logged as a read."""
        wanted = set(ids)
        if not wanted:
            return {}
        rows = (await self.session.scalars(select(Requester).where(Requester.id.in_(wanted)))).all()
        return {r.id: self._requester(r) for r in rows}

    async def requester_details(self, requester_id: int, *, actor: str, at: datetime) -> RequesterRow:
        """A requester's personal data, to be shown in full; the read goes to the access log."""
        row = await self.session.get(Requester, requester_id)
        if row is None:
            raise LookupError(requester_id)
        self.session.add(PersonalDataAccess(at=at, actor=actor[:64], action="show", requester_id=row.id))
        return self._requester(row)

    async def requester_types(self, ids: Iterable[int]) -> dict[int, str]:
        wanted = set(ids)
        if not wanted:
            return {}
        stmt = select(Requester.id, Requester.requester_type).where(Requester.id.in_(wanted))
        return {i: t for i, t in (await self.session.execute(stmt)).all()}

    async def requests_of_nik(self, nik: str) -> list[InfoRequest]:
        """Earlier requests of the person with this NIK (through its keyed hash)."""
        stmt = (
            select(InfoRequest)
            .join(Requester)
            .where(Requester.nik_hash == self._crypto.nik_hash(nik))
            .order_by(InfoRequest.id)
        )
        return list((await self.session.scalars(stmt)).all())

    async def erasable_requesters(self, last_activity_before: datetime, final: Sequence[str]) -> list[int]:
        """Requesters not yet erased whose requests are all final and untouched since the cut-off."""
        open_or_recent = select(InfoRequest.requester_id).where(
            InfoRequest.status.not_in(list(final)) | (InfoRequest.updated_at >= last_activity_before)
        )
        stmt = select(Requester.id).where(
            Requester.erased_at.is_(None),
            Requester.created_at < last_activity_before,
            Requester.id.not_in(open_or_recent),
        )
        return list((await self.session.scalars(stmt)).all())

    async def erase_requesters(
        self, ids: Sequence[int], *, actor: str, at: datetime, messages_before: datetime | None = None
    ) -> int:
        """Drop every copy of these requesters' personal data; requests stay for statistics.

        Their requester rows and attachments, and what their chats hold: the messages (the
        form's, its summary, the notices) from before ``messages_before`` (default ``at``), and
        the state and sealed address of chats idle since then that serve no request still kept
        (:func:`storage.privacy.erase_conversations`). Freed space is overwritten on SQLite; the
        caller should ``Database.checkpoint()`` after the commit so the WAL lets go too.
        """
        if not ids:
            return 0
        cleared: dict[str, object] = {f"{c}_enc": None for c in _COLUMNS}
        request_ids = select(InfoRequest.id).where(InfoRequest.requester_id.in_(ids))
        chats = (
            select(InfoRequest.conversation_id)
            .where(InfoRequest.requester_id.in_(ids))
            .union(select(Objection.conversation_id).where(Objection.request_id.in_(request_ids)))
        )
        conversation_ids = {c for c in (await self.session.scalars(chats)).all() if c is not None}
        still_kept = (
            select(InfoRequest.conversation_id)
            .join(Requester)
            .where(
                InfoRequest.conversation_id.in_(conversation_ids),
                Requester.id.not_in(ids),
                Requester.erased_at.is_(None),
            )
        )
        keep_open = {c for c in (await self.session.scalars(still_kept)).all() if c is not None}
        async with secure_delete(self.session):
            await self.session.execute(
                update(Requester).where(Requester.id.in_(ids)).values(nik_hash=None, erased_at=at, **cleared)
            )
            await self.session.execute(
                delete(StoredAttachment).where(StoredAttachment.request_id.in_(request_ids))
            )
        await erase_conversations(
            self.session, conversation_ids, before=messages_before or at, keep_open=keep_open
        )
        self.session.add_all(
            PersonalDataAccess(at=at, actor=actor[:64], action="erase", requester_id=i) for i in ids
        )
        return len(ids)

    # --- requests ---

    async def add_request(self, row: InfoRequest, attachment_refs: Sequence[str] = ()) -> InfoRequest:
        self.session.add(row)
        await self.session.flush()
        if attachment_refs:
            await self.session.execute(
                update(StoredAttachment)
                .where(StoredAttachment.ref.in_(attachment_refs), StoredAttachment.request_id.is_(None))
                .values(request_id=row.id)
            )
        return row

    def seal_access_code(self, row: InfoRequest, code: str) -> None:
        """Keep a request's access code as a keyed hash (to check tries) and a ciphertext (to show
        it again to the filing conversation), never in plain text."""
        row.access_code_hash = self._crypto.access_code_hash(code)
        row.access_code_enc = self._crypto.encrypt_text(code, "requests.access_code")

    async def access_code_matches(self, request_id: int, code: str) -> bool:
        """Whether ``code`` is the request's access code (constant-time compare of keyed hashes)."""
        stmt = select(InfoRequest.access_code_hash).where(InfoRequest.id == request_id)
        stored = (await self.session.execute(stmt)).scalar_one_or_none()
        matches = self._crypto.access_code_matches(code, stored or "")  # hashed even with no row
        return matches and bool(stored) and bool(code)

    async def access_code_of(self, request_id: int) -> str:
        """The request's access code in plain text ("" for a request filed before codes existed)."""
        stmt = select(InfoRequest.access_code_enc).where(InfoRequest.id == request_id)
        blob = (await self.session.execute(stmt)).scalar_one_or_none()
        return self._crypto.decrypt_text(blob, "requests.access_code") if blob else ""

    async def get_request(self, number: str) -> InfoRequest | None:
        return (await self.session.scalars(select(InfoRequest).where(InfoRequest.number == number))).first()

    async def get_request_by_id(self, request_id: int) -> InfoRequest | None:
        return await self.session.get(InfoRequest, request_id)

    async def requests_of_conversation(self, conversation_id: int, limit: int = 20) -> list[InfoRequest]:
        stmt = (
            select(InfoRequest)
            .where(InfoRequest.conversation_id == conversation_id)
            .order_by(InfoRequest.id.desc())
            .limit(limit)
        )
        return list((await self.session.scalars(stmt)).all())

    async def list_requests(
        self, *, statuses: Sequence[str] = (), due_before: date | None = None, limit: int = 500
    ) -> list[InfoRequest]:
        stmt = select(InfoRequest).order_by(InfoRequest.id).limit(limit)
        if statuses:
            stmt = stmt.where(InfoRequest.status.in_(list(statuses)))
        if due_before is not None:
            stmt = stmt.where(InfoRequest.due_on < due_before)
        return list((await self.session.scalars(stmt)).all())

    async def history(self, request_id: int) -> list[RequestEvent]:
        stmt = select(RequestEvent).where(RequestEvent.request_id == request_id).order_by(RequestEvent.id)
        return list((await self.session.scalars(stmt)).all())

    async def add_event(self, event: RequestEvent) -> None:
        self.session.add(event)
        await self.session.flush()

    # --- access log ---

    async def log_access(
        self, actor: str, action: str, at: datetime, *, request_id: int | None = None
    ) -> None:
        self.session.add(PersonalDataAccess(at=at, actor=actor[:64], action=action, request_id=request_id))

    async def count_access(self, request_id: int, action: str, since: datetime) -> int:
        return await self._count_access(PersonalDataAccess.request_id == request_id, action, since)

    async def count_access_by(self, actor: str, action: str, since: datetime) -> int:
        """Entries of ``actor`` (e.g. one asking conversation) for ``action`` since ``since``."""
        return await self._count_access(PersonalDataAccess.actor == actor[:64], action, since)

    async def _count_access(self, who: ColumnElement[bool], action: str, since: datetime) -> int:
        stmt = select(func.count(PersonalDataAccess.id)).where(
            who, PersonalDataAccess.action == action, PersonalDataAccess.at >= since
        )
        return int((await self.session.execute(stmt)).scalar_one())

    # --- objections ---

    async def add_objection(self, row: Objection) -> Objection:
        self.session.add(row)
        await self.session.flush()
        return row

    async def _objections(self, where: object, *, pending_only: bool = False) -> list[tuple[Objection, str]]:
        stmt = select(Objection, InfoRequest.number).join(InfoRequest).order_by(Objection.id)
        if where is not None:
            stmt = stmt.where(where)  # type: ignore[arg-type]
        if pending_only:
            stmt = stmt.where(Objection.result == "")
        return [(o, n) for o, n in (await self.session.execute(stmt)).all()]

    async def get_objection(self, number: str) -> tuple[Objection, str] | None:
        found = await self._objections(Objection.number == number)
        return found[0] if found else None

    async def objections_of_request(self, request_id: int) -> list[tuple[Objection, str]]:
        return await self._objections(Objection.request_id == request_id)

    async def list_objections(self, *, pending_only: bool = False) -> list[tuple[Objection, str]]:
        return await self._objections(None, pending_only=pending_only)

    async def get_objection_by_id(self, objection_id: int) -> Objection | None:
        return await self.session.get(Objection, objection_id)

    async def flush(self) -> None:
        await self.session.flush()


class HolidayRepository:
    """The holidays table: national holidays and cuti bersama seeded from the ``holidays`` package,
    plus an administrator's additions and removals (regional holidays, late decrees)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def active_days(self) -> frozenset[date]:
        stmt = select(Holiday.day).where(Holiday.active.is_(True))
        return frozenset((await self.session.scalars(stmt)).all())

    async def list_holidays(self, year: int | None = None) -> list[Holiday]:
        stmt = select(Holiday).order_by(Holiday.day)
        if year is not None:
            stmt = stmt.where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
        return list((await self.session.scalars(stmt)).all())

    async def seeded_years(self) -> set[int]:
        days = (await self.session.scalars(select(Holiday.day).where(Holiday.source == "package"))).all()
        return {d.year for d in days}

    async def seed_holidays(self, rows: Iterable[tuple[date, str]]) -> int:
        """Insert package holidays not stored yet (an administrator's removal is kept). Processes
        starting together may seed the same days: a day already there is left alone, not an error."""
        existing = set((await self.session.scalars(select(Holiday.day))).all())
        new = [
            {"day": d, "name": n[:200], "source": "package", "active": True}
            for d, n in rows
            if d not in existing
        ]
        if not new:
            return 0
        insert = sqlite.insert if self.session.bind.dialect.name == "sqlite" else postgresql.insert
        await self.session.execute(insert(Holiday).values(new).on_conflict_do_nothing(index_elements=["day"]))
        return len(new)

    async def add_holiday(self, day: date, name: str) -> None:
        row = await self.session.get(Holiday, day)
        if row is None:
            self.session.add(Holiday(day=day, name=name[:200], source="admin", active=True))
        else:
            row.active = True
            row.name = name[:200] or row.name
        await self.session.flush()

    async def remove_holiday(self, day: date) -> bool:
        """Make ``day`` a working day again; False when it was not a holiday."""
        row = await self.session.get(Holiday, day)
        if row is None or not row.active:
            return False
        if row.source == "admin":
            await self.session.delete(row)
        else:
            row.active = False
        await self.session.flush()
        return True
