"""The officer's side of requests and objections, once for the CLI and the console.

Each function is one unit of work: it checks what the :class:`Actor` may do, changes the request
through :mod:`handlers.request_service` (the rules), writes the audit row and queues the
requester's notice in the same transaction. A request the actor may not see is reported as not
found, so an id from another OPD tells nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar

from handlers import request_service
from handlers.cleaners import CLEANERS
from handlers.domain.calendar import WorkingCalendar
from handlers.domain.deadlines import ServiceHours
from handlers.domain.errors import DomainError, InvalidDecision
from handlers.domain.fields import CopyDelivery, OfflineChannel
from handlers.domain.lifecycle import Decision, Event
from handlers.request_ports import ObjectionRecord, RequestDraft, RequesterDetails, RequestRecord
from handlers.request_service import RequestNotFound
from handlers.request_texts import decision_notice, extension_notice, objection_answer_notice
from handlers.services.actor import Actor, Forbidden, Permission
from handlers.services.ports import AuditAction, AuditEntry, Document, OfficerPort, UnitOfWork
from handlers.texts import t

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Done(Generic[T]):
    """What an action changed, and whether the requester has a notice on their way."""

    value: T
    notified: bool


@dataclass(frozen=True, slots=True)
class RequestLine:
    """One request in a list, with its requester (masked by the shell) and where it stands."""

    record: RequestRecord
    requester: RequesterDetails | None
    standing: request_service.Standing


@dataclass(frozen=True, slots=True)
class RequestView:
    line: RequestLine
    history: Sequence[Event]
    objections: Sequence[ObjectionRecord]


async def _visible(port: OfficerPort, actor: Actor, number: str) -> RequestRecord:
    record = await port.get_request(number)
    if record is None or not actor.may(Permission.VIEW_REQUEST, record.opd):
        raise RequestNotFound(number)
    return record


async def _actionable(port: OfficerPort, actor: Actor, number: str, permission: Permission) -> RequestRecord:
    record = await _visible(port, actor, number)
    actor.require(permission, record.opd)
    return record


async def list_requests(
    uow: UnitOfWork, actor: Actor, *, today: date, overdue_only: bool = False
) -> list[RequestLine]:
    """The requests the actor may see, oldest first (personal data for masked display only)."""
    async with uow() as port:
        due_before = today if overdue_only else None
        statuses = request_service.OPEN_STATUSES if overdue_only else ()
        rows = [
            r
            for r in await port.list_requests(statuses=statuses, due_before=due_before)
            if actor.may(Permission.VIEW_REQUEST, r.opd)
        ]
        cal = await request_service.calendar(port)
        people = await port.requesters(sorted({r.requester_id for r in rows}))
    return [RequestLine(r, people.get(r.requester_id), request_service.standing(r, today, cal)) for r in rows]


async def show_request(uow: UnitOfWork, actor: Actor, number: str, *, today: date) -> RequestView:
    async with uow() as port:
        record = await _visible(port, actor, number)
        cal = await request_service.calendar(port)
        who = (await port.requesters([record.requester_id])).get(record.requester_id)
        history = await port.history(record.id)
        objections = await port.objections_of_request(record.id)
    line = RequestLine(record, who, request_service.standing(record, today, cal))
    return RequestView(line, tuple(history), tuple(objections))


async def decided_request(
    uow: UnitOfWork, actor: Actor, number: str
) -> tuple[RequestRecord, WorkingCalendar]:
    """A decided request the actor may see, with the calendar its notice counts by (for the written
    notice of Pasal 22(7)); a request not decided yet has no notice and is reported as not found."""
    async with uow() as port:
        record = await _visible(port, actor, number)
        cal = await request_service.calendar(port)
    if record.outcome is None:
        raise RequestNotFound(number)
    return record, cal


async def reveal_requester(uow: UnitOfWork, actor: Actor, number: str, *, now: datetime) -> RequesterDetails:
    """The requester's personal data in full, for display.

    The read is written to the access log and the audit log and *committed* before the data is
    returned, so whatever happens while it is shown (a closed pipe, a dropped connection) the read
    is on record (UU 27/2022 Pasal 46; issue 9 item 3).
    """
    async with uow() as port:
        record = await _actionable(port, actor, number, Permission.REVEAL)
        details = await port.requester_details(record.requester_id, actor=actor.label, at=now)
        await port.audit(AuditEntry(now, actor.label, AuditAction.REVEAL, record.number))
    return details


async def route(uow: UnitOfWork, actor: Actor, number: str, opd: str, *, now: datetime) -> RequestRecord:
    """Route (or re-route) a request to an OPD; only the PPID Utama routes."""
    opd = opd.strip().upper()
    if not opd:
        raise InvalidDecision("an OPD is needed")
    async with uow() as port:
        await _visible(port, actor, number)
        actor.require(Permission.ROUTE, opd)
        record = await request_service.route(port, number, opd, actor=actor.label, now=now)
        await port.audit(AuditEntry(now, actor.label, AuditAction.ROUTE, record.number, opd))
    return record


async def decide(
    uow: UnitOfWork, actor: Actor, number: str, decision: Decision, *, note: str, now: datetime,
    hours: ServiceHours, document: Document | None = None,
    notice: Callable[[RequestRecord, WorkingCalendar], Document] | None = None,
) -> Done[RequestRecord]:  # fmt: skip
    """The written notice (UU 14/2008 Pasal 22(7)), sent to the requester's chat.

    ``notice`` makes the notice as a document (the shell's PDF), sent with the decision's message;
    ``document`` is the answer itself (the information, or its granted part), kept with the request
    and sent on the chat when the requester chose to receive the copy "lewat chat ini"
    (``CopyDelivery.CHAT``); otherwise it waits for the way they chose (Pasal 22(7) huruf g).
    """
    async with uow() as port:
        await _actionable(port, actor, number, Permission.ACT_ON_REQUEST)
        record = await request_service.decide(
            port, number, decision, note=note, actor=actor.label, now=now, hours=hours
        )
        cal = await request_service.calendar(port)
        letter = await port.store_document(notice(record, cal), record.id, now) if notice else None
        notified = await port.notify(
            record.conversation_id, lambda lang: decision_notice(record, cal, lang), now, letter
        )
        detail = decision.outcome.value + (f" {decision.pasal17.label}" if decision.pasal17 else "")
        if document is not None:
            answer = await port.store_document(document, record.id, now)
            sent = record.copy_delivery == CopyDelivery.CHAT.value and await port.notify(
                record.conversation_id, lambda lang: t("wn_document_sent", lang, number=record.number), now,
                answer,
            )  # fmt: skip
            detail += f" document {document.mime_type} {len(document.data)} bytes" + (" sent" if sent else "")
        await port.audit(AuditEntry(now, actor.label, AuditAction.DECIDE, record.number, detail))
    return Done(record, notified)


async def extend(
    uow: UnitOfWork, actor: Actor, number: str, *, days: int, reason: str, now: datetime
) -> Done[RequestRecord]:
    """The one extension with written reasons (UU 14/2008 Pasal 22(8)), sent to the requester."""
    async with uow() as port:
        await _actionable(port, actor, number, Permission.ACT_ON_REQUEST)
        record = await request_service.extend(
            port, number, days=days, reason=reason, actor=actor.label, now=now
        )
        notified = await port.notify(record.conversation_id, lambda lang: extension_notice(record, lang), now)
        await port.audit(AuditEntry(now, actor.label, AuditAction.EXTEND, record.number, f"{days} days"))
    return Done(record, notified)


class InvalidOfflineRequest(DomainError):
    """A field of an offline request that the chat's form would refuse too: ``key`` is the chat
    catalogue's text for it (``handlers.texts``), with its ``values``."""

    def __init__(self, field_name: str, key: str, values: Mapping[str, str]) -> None:
        super().__init__(f"{field_name}: {key}")
        self.field_name = field_name
        self.key = key
        self.values = dict(values)


_OFFLINE_REQUIRED = ("requester_type", "filing_as", "name", "information", "purpose", "obtain_method")


def _clean_offline(fields: Mapping[str, str]) -> RequestDraft:
    """The same cleaners as the chat's form; a contact may be missing (a visitor without e-mail)."""
    cleaned: dict[str, str] = {}
    for name, cleaner in CLEANERS.items():
        raw = fields.get(name, "").strip()
        if name == "free_text" or (not raw and name not in _OFFLINE_REQUIRED):
            continue
        result = cleaner(raw)
        if not result.ok:
            raise InvalidOfflineRequest(name, result.error, result.values)
        cleaned[name] = result.value
    if cleaned.get("copy_delivery") == CopyDelivery.CHAT.value:  # there is no chat to send it on
        raise InvalidOfflineRequest("copy_delivery", "clean_copy_delivery_invalid", {})
    return RequestDraft(
        requester_type=cleaned["requester_type"], filing_as=cleaned["filing_as"], name=cleaned["name"],
        nik=cleaned.get("nik", ""), legal_entity_number=cleaned.get("legal_entity_number", ""),
        address=cleaned.get("address", ""), phone=cleaned.get("phone", ""), email=cleaned.get("email", ""),
        information=cleaned["information"], purpose=cleaned["purpose"], obtain_method=cleaned["obtain_method"],
        copy_delivery=cleaned.get("copy_delivery", ""),
    )  # fmt: skip


async def record_offline(
    uow: UnitOfWork, actor: Actor, fields: Mapping[str, str], *, channel: OfflineChannel, opd: str,
    received_at: datetime, now: datetime, hours: ServiceHours,
) -> request_service.Filed:  # fmt: skip
    """Put a request that came on paper, in person, by phone or by e-mail into the register, with
    the same numbering and deadlines as a chat request (UU 14/2008 Pasal 22(3), (4), (7)).

    It counts from when it was received (``received_at``, not in the future); an officer records
    for one of their OPD and the request is routed there at once; the PPID Utama may leave it
    unrouted. The access code is for the requester, to follow it on a chat ("cek status").
    """
    opd = opd.strip().upper()
    actor.require(Permission.ACT_ON_REQUEST, opd or None)
    if received_at > now:
        raise InvalidDecision("received in the future")
    draft = _clean_offline(fields)
    async with uow() as port:
        filed = await request_service.file_request(
            port, draft, received_at=received_at, hours=hours, conversation_id=None, channel=channel.value
        )
        record = filed.record
        if opd:
            record = await request_service.route(port, record.number, opd, actor=actor.label, now=now)
        await port.audit(
            AuditEntry(now, actor.label, AuditAction.RECORD_OFFLINE, record.number, channel.value)
        )
    return request_service.Filed(record, filed.access_code)


async def list_objections(
    uow: UnitOfWork, actor: Actor, *, pending_only: bool = False
) -> list[ObjectionRecord]:
    async with uow() as port:
        rows = list(await port.list_objections(pending_only=pending_only))
        if actor.may(Permission.DECIDE_OBJECTION):
            return rows
        visible = []
        for o in rows:
            record = await port.get_request(o.request_number)
            if record is not None and actor.may(Permission.VIEW_REQUEST, record.opd):
                visible.append(o)
        return visible


async def decide_objection(
    uow: UnitOfWork, actor: Actor, number: str, *, upheld: bool, answer: str, now: datetime,
    hours: ServiceHours,
) -> Done[ObjectionRecord]:  # fmt: skip
    """The Atasan PPID's written answer (UU 14/2008 Pasal 36(2)), sent to the requester."""
    async with uow() as port:
        if not actor.may(Permission.DECIDE_OBJECTION):
            raise Forbidden(Permission.DECIDE_OBJECTION.value)
        objection = await request_service.decide_objection(
            port, number, upheld=upheld, answer=answer, actor=actor.label, now=now, hours=hours
        )
        cal = await request_service.calendar(port)
        notified = await port.notify(
            objection.conversation_id, lambda lang: objection_answer_notice(objection, cal, lang), now
        )
        await port.audit(
            AuditEntry(now, actor.label, AuditAction.DECIDE_OBJECTION, objection.number, objection.result)
        )
    return Done(objection, notified)


async def erase_expired(
    uow: UnitOfWork, actor: Actor, *, now: datetime, retention_days: int, dry_run: bool = False
) -> int:
    """Erase the personal data of requesters whose requests all ended more than the retention
    period ago (UU 27/2022 Pasal 43-44); requests stay, anonymous, for the annual report.
    How a requester is erased is storage's business (``erase_requesters``)."""
    actor.require(Permission.ERASE)
    cut_off = now - timedelta(days=retention_days)
    final = [s.value for s in request_service.FINAL_FOR_ERASURE]
    async with uow() as port:
        ids = await port.erasable_requesters(cut_off, final)
        if not dry_run and ids:
            # the chats' copies (inbox, outbox, form state) older than the cut-off go too
            await port.erase_requesters(ids, actor=actor.label, at=now, messages_before=cut_off)
            await port.audit(
                AuditEntry(now, actor.label, AuditAction.ERASE, detail=f"{len(ids)} requester(s)")
            )
    return len(ids)
