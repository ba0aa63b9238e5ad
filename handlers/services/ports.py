"""What the officer services need from storage: one port per unit of work, and the audit trail."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from handlers.domain.lifecycle import RequestStatus
from handlers.request_ports import ObjectionRecord, RequesterDetails, RequestPort, RequestRecord
from handlers.types import Lang


class AuditAction(StrEnum):
    """Every officer action leaves one row in the audit log."""

    DECIDE = "decide"
    EXTEND = "extend"
    ROUTE = "route"
    DECIDE_OBJECTION = "decide_objection"
    REVEAL = "reveal"  # an unmasked NIK or contact was shown (UU 27/2022 Pasal 46)
    ERASE = "erase"
    TAKE_OVER = "take_over"  # live hand-off: an officer takes a conversation
    OFFICER_REPLY = "officer_reply"
    HAND_BACK = "hand_back"
    ROUTE_CONVERSATION = "route_conversation"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    ACCOUNT_ADD = "account_add"
    ACCOUNT_PASSWORD = "account_password"
    ACCOUNT_DISABLE = "account_disable"
    HOLIDAY_ADD = "holiday_add"
    HOLIDAY_REMOVE = "holiday_remove"
    BROADCAST = "broadcast"  # an announcement or serta merta notice queued, approved or rejected


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str  # Actor.label
    action: AuditAction
    target: str = ""  # a registration number, an objection number, a username
    detail: str = ""  # never personal data


class OfficerPort(RequestPort, Protocol):
    """The request port plus what only officers do, on one transaction."""

    async def list_requests(
        self, *, statuses: Sequence[RequestStatus] = (), due_before: date | None = None
    ) -> Sequence[RequestRecord]: ...
    async def list_objections(self, *, pending_only: bool = False) -> Sequence[ObjectionRecord]: ...
    async def requesters(self, ids: Sequence[int]) -> Mapping[int, RequesterDetails]: ...
    async def requester_details(self, requester_id: int, *, actor: str, at: datetime) -> RequesterDetails:
        """In full; writes the read to the personal-data access log."""
        ...

    async def notify(self, conversation_id: int | None, text: Callable[[Lang], str], at: datetime) -> bool:
        """Queue a notice in the requester's chat and language; False when there is no chat."""
        ...

    async def audit(self, entry: AuditEntry) -> None: ...
    async def erasable_requesters(
        self, last_activity_before: datetime, final: Sequence[str]
    ) -> Sequence[int]: ...
    async def erase_requesters(
        self, ids: Sequence[int], *, actor: str, at: datetime, messages_before: datetime | None = None
    ) -> int: ...


class UnitOfWork(Protocol):
    """``async with uow() as port``: one transaction, committed when the block ends."""

    def __call__(self) -> AbstractAsyncContextManager[OfficerPort]: ...
