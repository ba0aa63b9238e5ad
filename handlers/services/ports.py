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
from handlers.types import Attachment, Lang


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
    NOTE_ADD = "note_add"  # a private note on a conversation (never sent)
    SAVED_REPLY_ADD = "saved_reply_add"
    SAVED_REPLY_REMOVE = "saved_reply_remove"
    OUTBOX_RETRY = "outbox_retry"  # a held or failed message put back to be sent
    ROUTE_CONVERSATION = "route_conversation"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    ACCOUNT_ADD = "account_add"
    ACCOUNT_PASSWORD = "account_password"
    ACCOUNT_DISABLE = "account_disable"
    RECORD_OFFLINE = "record_offline"  # a paper, visit, phone or e-mail request put in the register
    HOLIDAY_ADD = "holiday_add"
    HOLIDAY_REMOVE = "holiday_remove"
    GAP_LINK = "gap_link"  # the console's "could not find" page and register (issue 13)
    GAP_PUBLISH = "gap_publish"
    GAP_NOT_OURS = "gap_not_ours"
    GAP_REOPEN = "gap_reopen"
    REGISTER_IMPORT = "register_import"
    ENTRY_ADD = "entry_add"
    ENTRY_EDIT = "entry_edit"
    ENTRY_RETIRE = "entry_retire"
    ENTRY_PUBLISH = "entry_publish"
    FAQ_IMPORT = "faq_import"
    FAQ_ADD = "faq_add"
    FAQ_EDIT = "faq_edit"
    FAQ_RETIRE = "faq_retire"

    AREA_ADD = "area_add"  # areas and coordinators (issue 12)
    AREA_ASSIGN = "area_assign"
    AREA_UNASSIGN = "area_unassign"
    LINK_CODE = "link_code"  # a coordinator's one-time code to link their chat
    OFFICER_ASSIGN = "officer_assign"  # an officer approves for a kelurahan (or kecamatan)
    OFFICER_UNASSIGN = "officer_unassign"

    BROADCAST = "broadcast"  # an announcement or serta merta notice queued, approved or rejected


@dataclass(frozen=True, slots=True)
class Document:
    """A file an officer sends (the answer, a notice): checked by the shell as intake checks a
    citizen's file (type by its first bytes, at most 10 MB) before it reaches a service."""

    data: bytes
    mime_type: str
    file_name: str


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

    async def notify(
        self, conversation_id: int | None, text: Callable[[Lang], str], at: datetime,
        attachment: Attachment | None = None,
    ) -> bool:  # fmt: skip
        """Queue a notice (with a stored document) in the requester's chat and language; False
        when there is no chat."""
        ...

    async def store_document(self, document: Document, request_id: int | None, at: datetime) -> Attachment:
        """Keep the file in the encrypted attachment store, linked to its request."""
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
