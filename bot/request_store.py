"""``RequestPort`` on the database: ``storage.request_repository`` rows as ``handlers`` records.

The adapter lives in ``bot`` because it knows both sides (storage never imports handlers). The
chat handlers get one per message, on the pipeline's transaction; the officer commands one per
command.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.domain.lifecycle import Action, Event, ObjectionGround, Outcome, Pasal17, RequestStatus
from handlers.request_ports import (
    NewObjection,
    NewRequest,
    ObjectionRecord,
    RequesterDetails,
    RequestRecord,
)
from storage.crypto import Crypto
from storage.models.requests import InfoRequest, Objection, RequestEvent
from storage.request_repository import HolidayRepository, PersonalData, RequesterRow, RequestRepository


def _record(row: InfoRequest, requester_type: str) -> RequestRecord:
    return RequestRecord(
        id=row.id,
        number=row.number,
        requester_id=row.requester_id,
        requester_type=requester_type,
        conversation_id=row.conversation_id,
        channel=row.channel,
        information=row.information,
        purpose=row.purpose,
        obtain_method=row.obtain_method,
        copy_delivery=row.copy_delivery,
        received_at=row.received_at,
        received_on=row.received_on,
        original_due_on=row.original_due_on,
        due_on=row.due_on,
        status=RequestStatus(row.status),
        extension_reason=row.extension_reason,
        outcome=Outcome(row.outcome) if row.outcome else None,
        pasal17=Pasal17(row.pasal17) if row.pasal17 else None,
        decision_reason=row.decision_reason,
        holder=row.holder,
        notice=row.notice,
        answered_on=row.answered_on,
        opd=row.opd,
    )


def _objection(row: Objection, request_number: str) -> ObjectionRecord:
    return ObjectionRecord(
        id=row.id,
        number=row.number,
        request_id=row.request_id,
        request_number=request_number,
        conversation_id=row.conversation_id,
        channel=row.channel,
        ground=ObjectionGround(row.ground),
        explanation=row.explanation,
        received_at=row.received_at,
        received_on=row.received_on,
        due_on=row.due_on,
        result=row.result,
        answer=row.answer,
        answered_on=row.answered_on,
    )


def _event(row: RequestEvent) -> Event:
    return Event(
        at=row.at,
        action=Action(row.action),
        from_status=RequestStatus(row.from_status),
        to_status=RequestStatus(row.to_status),
        actor=row.actor,
        note=row.note,
    )


def _details(row: RequesterRow) -> RequesterDetails:
    d = row.data
    return RequesterDetails(
        id=row.id,
        requester_type=row.requester_type,
        filing_as=row.filing_as,
        name=d.name,
        nik=d.nik,
        legal_entity_number=d.legal_entity_number,
        address=d.address,
        phone=d.phone,
        email=d.email,
        erased=row.erased,
    )


class RequestStore:
    """Implements :class:`handlers.request_ports.RequestPort`, plus what officers need."""

    def __init__(self, session: AsyncSession, crypto: Crypto) -> None:
        self.session = session
        self.rows = RequestRepository(session, crypto)

    async def holidays(self) -> frozenset[date]:
        return await HolidayRepository(self.session).active_days()

    async def next_sequence(self, kind: str, year: int) -> int:
        return await self.rows.next_sequence(kind, year)

    async def _records(self, rows: Iterable[InfoRequest]) -> list[RequestRecord]:
        rows = list(rows)
        types = await self.rows.requester_types(r.requester_id for r in rows)
        return [_record(r, types.get(r.requester_id, "")) for r in rows]

    async def add_request(self, new: NewRequest) -> RequestRecord:
        d = new.draft
        data = PersonalData(d.name, d.nik, d.legal_entity_number, d.address, d.phone, d.email)
        requester = await self.rows.add_requester(d.requester_type, d.filing_as, data, new.received_at)
        row = InfoRequest(
            number=new.number,
            requester_id=requester.id,
            conversation_id=new.conversation_id,
            channel=new.channel,
            information=d.information,
            purpose=d.purpose,
            obtain_method=d.obtain_method,
            copy_delivery=d.copy_delivery,
            received_at=new.received_at,
            received_on=new.received_on,
            original_due_on=new.due_on,
            due_on=new.due_on,
            extension_reason="",
            status=RequestStatus.RECEIVED.value,
            outcome="",
            pasal17="",
            decision_reason="",
            holder="",
            notice="",
            opd="",
            updated_at=new.received_at,
        )
        if new.access_code:
            self.rows.seal_access_code(row, new.access_code)
        await self.rows.add_request(row, d.attachment_refs)
        return _record(row, d.requester_type)

    async def get_request(self, number: str) -> RequestRecord | None:
        row = await self.rows.get_request(number)
        return (await self._records([row]))[0] if row else None

    async def requests_of_conversation(self, conversation_id: int) -> list[RequestRecord]:
        return await self._records(await self.rows.requests_of_conversation(conversation_id))

    async def list_requests(
        self, *, statuses: Sequence[RequestStatus] = (), due_before: date | None = None
    ) -> list[RequestRecord]:
        rows = await self.rows.list_requests(statuses=[s.value for s in statuses], due_before=due_before)
        return await self._records(rows)

    async def history(self, request_id: int) -> list[Event]:
        return [_event(r) for r in await self.rows.history(request_id)]

    async def update_request(self, record: RequestRecord, event: Event) -> RequestRecord:
        """Store the changed fields of ``record`` and append ``event`` to its history."""
        row = await self.rows.get_request_by_id(record.id)
        if row is None:
            raise LookupError(record.number)
        row.status = record.status.value
        row.due_on = record.due_on
        row.extension_reason = record.extension_reason
        row.outcome = record.outcome.value if record.outcome else ""
        row.pasal17 = record.pasal17.value if record.pasal17 else ""
        row.decision_reason = record.decision_reason
        row.holder = record.holder
        row.notice = record.notice
        row.answered_on = record.answered_on
        row.opd = record.opd
        row.updated_at = event.at
        await self.rows.add_event(
            RequestEvent(
                request_id=record.id,
                at=event.at,
                action=event.action.value,
                from_status=event.from_status.value,
                to_status=event.to_status.value,
                actor=event.actor[:64],
                note=event.note,
            )
        )
        return record

    async def access_code_matches(self, request_id: int, code: str) -> bool:
        return await self.rows.access_code_matches(request_id, code)

    async def access_code_of(self, request_id: int) -> str:
        return await self.rows.access_code_of(request_id)

    async def count_access(self, request_id: int, action: str, since: datetime) -> int:
        return await self.rows.count_access(request_id, action, since)

    async def count_access_by(self, actor: str, action: str, since: datetime) -> int:
        return await self.rows.count_access_by(actor, action, since)

    async def log_access(
        self, actor: str, action: str, at: datetime, *, request_id: int | None = None
    ) -> None:
        await self.rows.log_access(actor, action, at, request_id=request_id)

    async def add_objection(self, new: NewObjection) -> ObjectionRecord:
        row = Objection(
            number=new.number,
            request_id=new.request_id,
            conversation_id=new.conversation_id,
            channel=new.channel,
            ground=new.ground.value,
            explanation=new.explanation,
            received_at=new.received_at,
            received_on=new.received_on,
            due_on=new.due_on,
            result="",
            answer="",
        )
        await self.rows.add_objection(row)
        request = await self.rows.get_request_by_id(new.request_id)
        return _objection(row, request.number if request else "")

    async def get_objection(self, number: str) -> ObjectionRecord | None:
        found = await self.rows.get_objection(number)
        return _objection(*found) if found else None

    async def objections_of_request(self, request_id: int) -> list[ObjectionRecord]:
        return [_objection(o, n) for o, n in await self.rows.objections_of_request(request_id)]

    async def list_objections(self, *, pending_only: bool = False) -> list[ObjectionRecord]:
        return [_objection(o, n) for o, n in await self.rows.list_objections(pending_only=pending_only)]

    async def update_objection(self, record: ObjectionRecord) -> ObjectionRecord:
        row = await self.rows.get_objection_by_id(record.id)
        if row is None:
            raise LookupError(record.number)
        row.result = record.result
        row.answer = record.answer
        row.answered_on = record.answered_on
        await self.rows.flush()
        return record

    # --- officers only ---

    async def requesters(self, ids: Iterable[int]) -> dict[int, RequesterDetails]:
        """For masked display (lists): not logged as a read."""
        return {i: _details(r) for i, r in (await self.rows.requesters(ids)).items()}

    async def requester_details(self, requester_id: int, *, actor: str, at: datetime) -> RequesterDetails:
        """For display in full: logged in the access log."""
        return _details(await self.rows.requester_details(requester_id, actor=actor, at=at))
