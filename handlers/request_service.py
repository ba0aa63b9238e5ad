"""What happens to a request and an objection: filing, extension, decision, answers.

The chat handlers and the officer commands call these same functions on a
:class:`~handlers.request_ports.RequestPort`; the rules themselves live in ``handlers.domain``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from handlers.domain import access, deadlines, lifecycle
from handlers.domain.calendar import WorkingCalendar
from handlers.domain.deadlines import ServiceHours
from handlers.domain.errors import DomainError, IllegalTransition, InvalidDecision
from handlers.domain.grounds import GroundProblem, RequestFacts, ground_problem
from handlers.domain.lifecycle import Action, Decision, ObjectionGround, RequestStatus
from handlers.domain.regno import NumberKind, format_objection_number, format_request_number
from handlers.request_ports import (
    NewObjection,
    NewRequest,
    ObjectionRecord,
    RequestDraft,
    RequestPort,
    RequestRecord,
)

OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS, RequestStatus.EXTENDED)
FINAL_FOR_ERASURE = (RequestStatus.CLOSED, RequestStatus.WITHDRAWN, RequestStatus.ANSWERED,
                     RequestStatus.OBJECTION_ANSWERED)  # fmt: skip
REQUESTER = "requester"
ACCESS_DENIED = "access_denied"  # access log action of a failed access-code try


class RequestNotFound(DomainError):
    pass


class ObjectionWindowClosed(DomainError):
    """The 30 working days of UU 14/2008 Pasal 36(1) have passed; ``closed_on`` was the last day."""

    def __init__(self, closed_on: date) -> None:
        super().__init__(f"objection window closed on {closed_on.isoformat()}")
        self.closed_on = closed_on


class ObjectionTooEarly(DomainError):
    """Ground c/g (not answered, answered late) before the notice deadline has passed."""

    def __init__(self, due_on: date) -> None:
        super().__init__(f"the notice is due on {due_on.isoformat()}")
        self.due_on = due_on


class AlreadyObjected(DomainError):
    pass


class GroundDoesNotFit(DomainError):
    """The chosen ground of Pasal 35(1) does not fit the request's state (see ``domain.grounds``)."""

    def __init__(self, ground: ObjectionGround, problem: GroundProblem) -> None:
        super().__init__(f"ground {ground.value}: {problem.value}")
        self.ground = ground
        self.problem = problem


class Access(StrEnum):
    """The answer to someone asking for a request that was not filed from their conversation."""

    GRANTED = "granted"
    DENIED = "denied"  # a wrong code, or no such request: the same answer for both
    WAIT = "wait"  # this conversation made too many failed tries lately


async def calendar(port: RequestPort) -> WorkingCalendar:
    """The working calendar: weekends plus the active rows of the holidays table."""
    return WorkingCalendar(await port.holidays())


@dataclass(frozen=True, slots=True)
class Filed:
    """A request just registered, with its access code (shown to the requester, then only hashed)."""

    record: RequestRecord
    access_code: str = field(repr=False)


async def file_request(
    port: RequestPort, draft: RequestDraft, *, received_at: datetime, hours: ServiceHours,
    conversation_id: int | None, channel: str,
) -> Filed:  # fmt: skip
    """Register a request: its number at once (Pasal 22(4)), its notice deadline (Pasal 22(7)) and
    the access code that lets another conversation of the requester's follow it."""
    cal = await calendar(port)
    received_on = deadlines.effective_receipt_date(received_at, hours, cal)
    sequence = await port.next_sequence(NumberKind.REQUEST.value, received_on.year)
    code = access.new_access_code()
    record = await port.add_request(
        NewRequest(
            number=format_request_number(received_on.year, sequence),
            draft=draft,
            conversation_id=conversation_id,
            channel=channel,
            received_at=received_at,
            received_on=received_on,
            due_on=deadlines.notice_due(received_on, cal),
            access_code=code,
        )
    )
    return Filed(record, code)


async def _get(port: RequestPort, number: str) -> RequestRecord:
    record = await port.get_request(number)
    if record is None:
        raise RequestNotFound(number)
    return record


def _apply(
    record: RequestRecord, action: Action, *, at: datetime, actor: str, note: str = ""
) -> tuple[RequestRecord, lifecycle.Event]:
    """The record in its new status and the event to append; IllegalTransition otherwise."""
    event = lifecycle.make_event(record.status, action, at=at, actor=actor, note=note)
    return replace(record, status=event.to_status), event


async def extend(
    port: RequestPort, number: str, *, days: int, reason: str, actor: str, now: datetime
) -> RequestRecord:
    """The one extension, of at most 7 working days, with written reasons (UU 14/2008 Pasal 22(8))."""
    if not reason.strip():
        raise InvalidDecision("an extension needs written reasons (Pasal 22(8))")
    record = await _get(port, number)
    updated, event = _apply(record, Action.EXTEND, at=now, actor=actor, note=reason)
    due = deadlines.extension_due(record.original_due_on, days, await calendar(port))
    updated = replace(updated, due_on=due, extension_reason=reason.strip())
    return await port.update_request(updated, event)


async def route(port: RequestPort, number: str, opd: str, *, actor: str, now: datetime) -> RequestRecord:
    """Send an open request to an OPD's PPID Pelaksana (Perki 1/2021 Pasal 13); the deadline stays."""
    record = await _get(port, number)
    updated, event = _apply(record, Action.ROUTE, at=now, actor=actor, note=opd)
    return await port.update_request(replace(updated, opd=opd), event)


async def decide(
    port: RequestPort, number: str, decision: Decision, *, note: str, actor: str, now: datetime,
    hours: ServiceHours,
) -> RequestRecord:  # fmt: skip
    """The written notice with its outcome (UU 14/2008 Pasal 22(7))."""
    record = await _get(port, number)
    updated, event = _apply(record, Action.ANSWER, at=now, actor=actor, note=note)
    updated = replace(
        updated,
        outcome=decision.outcome,
        pasal17=decision.pasal17,
        decision_reason=decision.reason.strip(),
        holder=decision.holder.strip(),
        notice=note.strip(),
        answered_on=deadlines.office_date(now, hours),
    )
    return await port.update_request(updated, event)


def objection_window_end(record: RequestRecord, cal: WorkingCalendar) -> date:
    """Last day to object: 30 working days after the notice, or after its deadline passed
    unanswered (UU 14/2008 Pasal 36(1))."""
    reason_on = deadlines.objection_reason_date(record.due_on, record.answered_on)
    return deadlines.objection_window_end(reason_on, cal)


async def check_objection_allowed(
    port: RequestPort, record: RequestRecord, today: date, ground: ObjectionGround | None = None
) -> WorkingCalendar:
    """Raise when an objection cannot be filed now; the calendar otherwise."""
    cal = await calendar(port)
    if record.status not in (*OPEN_STATUSES, RequestStatus.ANSWERED):
        raise AlreadyObjected(record.number)
    closes = objection_window_end(record, cal)
    if today > closes:
        raise ObjectionWindowClosed(closes)
    if ground is not None:
        problem = ground_problem(ground, request_facts(record, today))
        if problem is GroundProblem.TOO_EARLY:
            raise ObjectionTooEarly(record.due_on)
        if problem is not None:
            raise GroundDoesNotFit(ground, problem)
    return cal


def request_facts(record: RequestRecord, today: date) -> RequestFacts:
    """What the grounds of Pasal 35(1) are checked against."""
    return RequestFacts(record.due_on, record.answered_on, record.outcome, record.pasal17, today)


async def file_objection(
    port: RequestPort, record: RequestRecord, ground: ObjectionGround, explanation: str, *,
    received_at: datetime, hours: ServiceHours, conversation_id: int | None, channel: str,
) -> ObjectionRecord:  # fmt: skip
    """A keberatan to the Atasan PPID (Pasal 35(1)); the answer is due in 30 working days (Pasal 36(2))."""
    today = deadlines.office_date(received_at, hours)
    cal = await check_objection_allowed(port, record, today, ground)
    received_on = deadlines.effective_receipt_date(received_at, hours, cal)
    note = f"Pasal 35(1) {ground.value}"
    updated, event = _apply(record, Action.OBJECT, at=received_at, actor=REQUESTER, note=note)
    await port.update_request(updated, event)
    sequence = await port.next_sequence(NumberKind.OBJECTION.value, received_on.year)
    return await port.add_objection(
        NewObjection(
            number=format_objection_number(received_on.year, sequence),
            request_id=record.id,
            conversation_id=conversation_id,
            channel=channel,
            ground=ground,
            explanation=explanation,
            received_at=received_at,
            received_on=received_on,
            due_on=deadlines.objection_answer_due(received_on, cal),
        )
    )


async def decide_objection(
    port: RequestPort, number: str, *, upheld: bool, answer: str, actor: str, now: datetime,
    hours: ServiceHours,
) -> ObjectionRecord:  # fmt: skip
    """The Atasan PPID's written answer (UU 14/2008 Pasal 36(2))."""
    objection = await port.get_objection(number)
    if objection is None:
        raise RequestNotFound(number)
    if objection.result:
        raise IllegalTransition(RequestStatus.OBJECTION_ANSWERED, Action.ANSWER_OBJECTION)
    record = await _get(port, objection.request_number)
    updated, event = _apply(record, Action.ANSWER_OBJECTION, at=now, actor=actor, note=answer)
    await port.update_request(updated, event)
    return await port.update_objection(
        replace(
            objection,
            result="upheld" if upheld else "dismissed",
            answer=answer.strip(),
            answered_on=deadlines.office_date(now, hours),
        )
    )


def commission_deadline(objection: ObjectionRecord, cal: WorkingCalendar) -> date:
    """Last day to go to the Komisi Informasi (UU 14/2008 Pasal 37(2))."""
    return deadlines.commission_deadline(objection.due_on, cal, objection.answered_on)


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a request stands today: its due date, working days left, overdue (derived)."""

    due_on: date
    days_left: int
    overdue: bool
    open: bool


def standing(record: RequestRecord, today: date, cal: WorkingCalendar) -> Standing:
    return Standing(
        due_on=record.due_on,
        days_left=deadlines.working_days_left(record.due_on, today, cal),
        overdue=record.status in OPEN_STATUSES and deadlines.is_overdue(record.due_on, today),
        open=record.status in OPEN_STATUSES,
    )


def is_owner(record: RequestRecord | None, conversation_id: int) -> bool:
    """Whether the request was filed from this conversation (which never needs a code)."""
    return record is not None and record.conversation_id == conversation_id


async def check_access(
    port: RequestPort, record: RequestRecord | None, *, conversation_id: int, code: str, now: datetime
) -> Access:
    """May this conversation see and act on ``record`` (None: no such number)?

    The filing conversation always may. Anyone else needs the request's access code; the
    registration number runs in order and NIK digits are a serial, so neither opens it (UU 27/2022
    Pasal 35). A wrong code and a number that does not exist are one answer, DENIED, and both are
    logged as a failed try of the asking conversation: after :data:`access.TRIES_PER_CONVERSATION`
    of them within :data:`access.TRY_WINDOW` it gets WAIT, whatever it asks. Failed tries against
    one request from all conversations are capped too (:data:`access.TRIES_PER_REQUEST`), which
    slows a guess spread over many conversations; the filing conversation is never held up.
    """
    if is_owner(record, conversation_id):
        return Access.GRANTED
    actor = f"conversation:{conversation_id}"
    since = now - access.TRY_WINDOW
    if await port.count_access_by(actor, ACCESS_DENIED, since) >= access.TRIES_PER_CONVERSATION:
        return Access.WAIT
    # the same queries whether or not the number exists (id 0 names no request): no timing tell
    request_id = record.id if record is not None else 0
    capped = await port.count_access(request_id, ACCESS_DENIED, since) >= access.TRIES_PER_REQUEST
    matches = await port.access_code_matches(request_id, code)
    if record is not None and matches and not capped:
        return Access.GRANTED
    await port.log_access(actor, ACCESS_DENIED, now, request_id=record.id if record else None)
    return Access.DENIED
