"""The persistence port of formal requests and objections, and the records that cross it.

Handlers and the officer commands reach storage only through :class:`RequestPort`;
``storage.request_repository.RequestRepository`` implements it on the caller's transaction.
Records carry no personal data except :class:`RequesterDetails`, which only officers read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from handlers.domain.lifecycle import Event, ObjectionGround, Outcome, Pasal17, RequestStatus


@dataclass(frozen=True, slots=True)
class RequestDraft:
    """What the citizen confirmed in the form (UU 14/2008 Pasal 22(1); Perki 1/2021)."""

    requester_type: str
    filing_as: str
    name: str
    nik: str = field(default="", repr=False)
    legal_entity_number: str = field(default="", repr=False)
    address: str = field(default="", repr=False)
    phone: str = field(default="", repr=False)
    email: str = field(default="", repr=False)
    information: str = ""
    purpose: str = ""
    obtain_method: str = ""
    copy_delivery: str = ""
    attachment_refs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NewRequest:
    number: str
    draft: RequestDraft
    conversation_id: int | None
    channel: str
    received_at: datetime
    received_on: date
    due_on: date
    access_code: str = field(default="", repr=False)  # canonical form; storage keeps a keyed hash


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """A stored request: where it stands, its deadlines and its outcome."""

    id: int
    number: str
    requester_id: int
    requester_type: str
    conversation_id: int | None
    channel: str
    information: str
    purpose: str
    obtain_method: str
    copy_delivery: str
    received_at: datetime
    received_on: date
    original_due_on: date
    due_on: date
    status: RequestStatus
    extension_reason: str = ""
    outcome: Outcome | None = None
    pasal17: Pasal17 | None = None
    decision_reason: str = ""
    holder: str = ""
    notice: str = ""
    answered_on: date | None = None
    opd: str = ""


@dataclass(frozen=True, slots=True)
class NewObjection:
    number: str
    request_id: int
    conversation_id: int | None
    channel: str
    ground: ObjectionGround
    explanation: str
    received_at: datetime
    received_on: date
    due_on: date


@dataclass(frozen=True, slots=True)
class ObjectionRecord:
    id: int
    number: str
    request_id: int
    request_number: str
    conversation_id: int | None
    channel: str
    ground: ObjectionGround
    explanation: str
    received_at: datetime
    received_on: date
    due_on: date
    result: str = ""  # "" while pending, "upheld" or "dismissed"
    answer: str = ""
    answered_on: date | None = None


@dataclass(frozen=True, slots=True)
class RequesterDetails:
    """A requester's personal data, decrypted for an officer (every read is logged)."""

    id: int
    requester_type: str
    filing_as: str
    name: str = field(repr=False)
    nik: str = field(repr=False)
    legal_entity_number: str = field(repr=False)
    address: str = field(repr=False)
    phone: str = field(repr=False)
    email: str = field(repr=False)
    erased: bool = False


class RequestPort(Protocol):
    """Persistence of requests, objections, holidays and the access log, in one transaction."""

    async def holidays(self) -> frozenset[date]: ...
    async def next_sequence(self, kind: str, year: int) -> int: ...
    async def add_request(self, new: NewRequest) -> RequestRecord: ...
    async def get_request(self, number: str) -> RequestRecord | None: ...
    async def requests_of_conversation(self, conversation_id: int) -> Sequence[RequestRecord]: ...
    async def history(self, request_id: int) -> Sequence[Event]: ...
    async def update_request(self, record: RequestRecord, event: Event) -> RequestRecord: ...
    async def access_code_matches(self, request_id: int, code: str) -> bool: ...
    async def access_code_of(self, request_id: int) -> str: ...
    async def count_access(self, request_id: int, action: str, since: datetime) -> int: ...
    async def count_access_by(self, actor: str, action: str, since: datetime) -> int: ...
    async def log_access(
        self, actor: str, action: str, at: datetime, *, request_id: int | None = None
    ) -> None: ...
    async def add_objection(self, new: NewObjection) -> ObjectionRecord: ...
    async def get_objection(self, number: str) -> ObjectionRecord | None: ...
    async def objections_of_request(self, request_id: int) -> Sequence[ObjectionRecord]: ...
    async def update_objection(self, record: ObjectionRecord) -> ObjectionRecord: ...
