"""Announcements of RT/RW coordinators and information *serta merta*, once for the CLI, the
console and the chat.

A coordinator may send only to their own RW or RT (a RW's notice reaches its RTs' subscribers
too); officers and the PPID Utama to any area. Information serta merta (UU 14/2008 Pasal 10:
what threatens lives and public order - floods, fires, outbreaks, water cuts, bad air) is
published by officers for the whole kota or chosen kecamatan/kelurahan and goes out before
anything else queued. A coordinator's announcement waits for approval when the setting asks for
it (on by default); a flood of broadcasts from one account is refused for a while.

Approval is the kelurahan's: only an officer bound to the announcement's kelurahan, or to the
kecamatan it lies in (``handlers.services.assignments``), or the PPID Utama (and the operator)
approves or rejects it. A kelurahan with no such officer is said so to the coordinator who sends
and on the PPID Utama's pages, so that nothing waits unseen.

An announcement may carry one photo (JPEG, PNG, WebP) or PDF, checked by its first bytes and its
size (a setting) and stored once in the sealed attachment store; every subscriber's message
refers to it. A text longer than a platform's message is sent in numbered parts ("(1/3)") up to
a bound (a setting); beyond it the announcement is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from handlers.area_ports import AreaRecord
from handlers.domain.areas import AreaLevel, normalise_key
from handlers.domain.errors import DomainError
from handlers.domain.files import clean_file_name, file_problem, sniffed_type
from handlers.domain.text_split import TooManyParts, numbered_parts, utf16_len
from handlers.services.actor import Actor, Forbidden, Permission, Role
from handlers.services.ports import AuditAction, AuditEntry, Document
from handlers.texts import t
from handlers.types import Attachment, Channel, Lang, Reply

MAX_TEXT = 20_000  # what any form takes; the parts bound below is the real limit
# one message's text on each platform, and how the platform counts it (Telegram: UTF-16 units)
PART_LIMITS: dict[Channel, tuple[int, Callable[[str], int]]] = {
    Channel.TELEGRAM: (4096, utf16_len),
    Channel.WHATSAPP: (4096, len),  # a text message's body
    Channel.WEB: (4096, len),  # the web chat's own bubble limit
    Channel.CLI: (4096, len),
}
URGENT_LEVELS = frozenset({AreaLevel.KOTA, AreaLevel.KECAMATAN, AreaLevel.KELURAHAN})


class Kind(StrEnum):
    ANNOUNCEMENT = "announcement"
    SERTA_MERTA = "serta_merta"


class Status(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    QUEUED = "queued"
    FANNED_OUT = "fanned_out"
    REJECTED = "rejected"


class BroadcastRefused(DomainError):
    """The broadcast cannot be sent as it is (no area, empty, too long); the reason says why."""


class Throttled(DomainError):
    """Too many broadcasts from this account in the last hour."""


@dataclass(frozen=True, slots=True)
class BroadcastRules:
    approval_required: bool = True  # a coordinator's announcement waits for an officer
    per_hour: int = 5  # broadcasts one coordinator may send in an hour (staff are not limited)
    max_file_bytes: int = 5 * 1024 * 1024  # the one photo or PDF an announcement may carry
    max_parts: int = 5  # messages an over-long announcement may be split into on any platform


DEFAULT_RULES = BroadcastRules()


@dataclass(frozen=True, slots=True)
class NewBroadcast:
    kind: Kind
    area_id: int
    text: str
    entry_id: str
    created_by: str
    created_at: datetime
    status: Status
    attachment: Attachment | None = None  # already in the attachment store


@dataclass(frozen=True, slots=True)
class BroadcastRecord:
    id: int
    kind: Kind
    area: AreaRecord
    text: str
    entry_id: str
    created_by: str
    created_at: datetime
    status: Status
    recipients: int = 0
    decided_by: str = ""
    attachment: Attachment | None = None


@dataclass(frozen=True, slots=True)
class Figures:
    """Where a broadcast's messages stand (the outbox rows that carry its id)."""

    queued: int = 0  # written, not sent yet (pending or being sent)
    sent: int = 0
    delivered: int = 0  # a delivery report came (Telegram gives none: sent is all it says)
    read: int = 0  # WhatsApp read receipts
    failed: int = 0
    held: int = 0  # WhatsApp outside the 24-hour window without a broadcast template
    shed: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # failure reason -> count


class BroadcastPort(Protocol):
    async def area(self, key: str) -> AreaRecord | None: ...
    async def create(self, new: NewBroadcast) -> int: ...
    async def get(self, broadcast_id: int) -> BroadcastRecord | None: ...
    async def recent(self, limit: int = 50) -> Sequence[BroadcastRecord]: ...
    async def count_since(self, created_by: str, since: datetime) -> int: ...
    async def set_status(self, broadcast_id: int, status: Status, decided_by: str) -> None: ...
    async def figures(self, broadcast_id: int) -> Figures: ...
    async def entry(self, entry_id: str) -> tuple[str, str] | None:
        """The title and link of a published, not exempt register entry; None otherwise."""
        ...

    async def store_file(self, document: Document) -> Attachment:
        """Seal the bytes once in the attachment store (never copied per subscriber)."""
        ...

    async def file_head(self, ref: str) -> bytes | None:
        """The first bytes of a stored file (None when it is gone)."""
        ...

    async def awaiting(self) -> Sequence[BroadcastRecord]:
        """Every broadcast awaiting approval, oldest first."""
        ...

    async def approvers(self, area_id: int) -> frozenset[str]:
        """The usernames of the active officers bound to the area's kelurahan or its kecamatan."""
        ...

    async def audit(self, entry: AuditEntry) -> None: ...


_DECIDE_ANYWHERE = frozenset({Role.ADMIN, Role.SYSTEM})


def may_decide(actor: Actor, approvers: frozenset[str]) -> bool:
    """The PPID Utama (and the operator) anywhere; an officer only where bound (``approvers``)."""
    if actor.role in _DECIDE_ANYWHERE:
        return True
    return actor.role is Role.OFFICER and actor.username in approvers


def _visible_to(actor: Actor, record: BroadcastRecord) -> bool:
    return actor.role is not Role.COORDINATOR or actor.serves_area(record.area.key)


async def send(
    port: BroadcastPort,
    actor: Actor,
    area_key: str,
    *,
    text: str = "",
    entry_id: str = "",
    kind: Kind = Kind.ANNOUNCEMENT,
    now: datetime,
    rules: BroadcastRules | None = None,
    file: Document | Attachment | None = None,
) -> BroadcastRecord:
    """Accept a broadcast: checks who may send what where, then queues it (or holds it for approval).

    ``file`` is the one photo or PDF: bytes at hand (the console, the CLI), stored here once, or a
    file the chat already put in the attachment store; either is checked by its first bytes."""
    rules = rules or DEFAULT_RULES
    actor.require(Permission.PUBLISH_URGENT if kind is Kind.SERTA_MERTA else Permission.BROADCAST)
    key = normalise_key(area_key)
    area = await port.area(key) if key else None
    if area is None or not actor.serves_area(area.key):
        raise Forbidden(f"broadcast to {area_key}")  # another's area looks like no area at all
    if kind is Kind.SERTA_MERTA and area.level not in URGENT_LEVELS:
        raise BroadcastRefused("serta merta information goes to the kota, a kecamatan or a kelurahan")
    text = text.strip()
    if entry_id:
        entry_id = entry_id.strip().upper()
        if await port.entry(entry_id) is None:
            raise BroadcastRefused(f"no published register entry {entry_id}")
    if not text and not entry_id and file is None:
        raise BroadcastRefused("an announcement needs a text, a register entry or a file")
    if len(text) > MAX_TEXT:
        raise BroadcastRefused(f"the text has {len(text)} characters; at most {MAX_TEXT}")
    entry = await port.entry(entry_id) if entry_id else None
    for channel in PART_LIMITS:
        for lang in Lang:
            try:
                subscriber_messages(kind, area, text, entry, None, channel, lang, rules.max_parts)
            except TooManyParts as split:
                raise BroadcastRefused(
                    f"the announcement would take {split.needed} messages on {channel.value}; "
                    f"at most {split.allowed} are sent, so please shorten it"
                ) from None
    _check_file(file, await port.file_head(file.ref) if isinstance(file, Attachment) else None, rules)
    if (
        actor.role is Role.COORDINATOR
        and await port.count_since(actor.label, now - timedelta(hours=1)) >= rules.per_hour
    ):
        raise Throttled(f"at most {rules.per_hour} broadcasts an hour")
    waits = actor.role is Role.COORDINATOR and rules.approval_required
    attachment = await _stored(port, file)
    new = NewBroadcast(
        kind=kind, area_id=area.id, text=text, entry_id=entry_id, created_by=actor.label, created_at=now,
        status=Status.AWAITING_APPROVAL if waits else Status.QUEUED, attachment=attachment,
    )  # fmt: skip
    broadcast_id = await port.create(new)
    await port.audit(
        AuditEntry(now, actor.label, AuditAction.BROADCAST, f"broadcast:{broadcast_id}", f"{kind} {area.key}")
    )
    record = await port.get(broadcast_id)
    assert record is not None
    return record


def _check_file(file: Document | Attachment | None, head: bytes | None, rules: BroadcastRules) -> None:
    """Size (a setting) and type by the first bytes; a declared type must agree with them."""
    if file is None:
        return
    if isinstance(file, Document):
        head, size, declared = file.data[:16], len(file.data), file.mime_type
    else:
        size, declared = file.size, file.mime_type
    if head is None:
        raise BroadcastRefused("the attached file is no longer available; please send it again")
    problem = file_problem(head, size, rules.max_file_bytes)
    generic = ("", "application/octet-stream")
    if not problem and declared.lower() not in generic and declared.lower() != sniffed_type(head):
        problem = (
            "the file is not what its type says; only a photo (JPEG, PNG, WebP) or a PDF may be attached"
        )
    if problem:
        raise BroadcastRefused(problem)


async def _stored(port: BroadcastPort, file: Document | Attachment | None) -> Attachment | None:
    """The file in the attachment store under its real type and a clean name."""
    if file is None:
        return None
    if isinstance(file, Attachment):
        head = await port.file_head(file.ref) or b""
        mime = sniffed_type(head)
        return Attachment(file.ref, mime, file.size, clean_file_name(file.file_name, mime))
    mime = sniffed_type(file.data[:16])
    return await port.store_file(Document(file.data, mime, clean_file_name(file.file_name, mime)))


async def decide(
    port: BroadcastPort, actor: Actor, broadcast_id: int, *, approve: bool, now: datetime
) -> BroadcastRecord:
    """The approval of a coordinator's announcement (or its rejection) by an officer bound to its
    kelurahan (or kecamatan) or by the PPID Utama."""
    actor.require(Permission.PUBLISH_URGENT)  # officers and the PPID Utama
    record = await port.get(broadcast_id)
    if record is None:
        raise BroadcastRefused(f"no broadcast {broadcast_id}")
    if not may_decide(actor, await port.approvers(record.area.id)):
        raise Forbidden(f"broadcast {broadcast_id} is approved by the officer of its kelurahan")
    if record.status is not Status.AWAITING_APPROVAL:
        raise BroadcastRefused(f"broadcast {broadcast_id} is {record.status.value}, not awaiting approval")
    await port.set_status(broadcast_id, Status.QUEUED if approve else Status.REJECTED, actor.label)
    await port.audit(
        AuditEntry(
            now,
            actor.label,
            AuditAction.BROADCAST,
            f"broadcast:{broadcast_id}",
            "approved" if approve else "rejected",
        )
    )
    decided = await port.get(broadcast_id)
    assert decided is not None
    return decided


async def approvers(port: BroadcastPort, record: BroadcastRecord) -> frozenset[str]:
    """Who besides the PPID Utama may approve ``record``: empty when no officer is bound to its
    kelurahan (nor its kecamatan), which the coordinator and the PPID Utama are then told."""
    return await port.approvers(record.area.id)


async def awaiting_for(port: BroadcastPort, actor: Actor) -> list[tuple[BroadcastRecord, bool]]:
    """The announcements ``actor`` may approve now, oldest first, each with whether an officer is
    bound to its kelurahan (False: only the PPID Utama can approve it)."""
    if not actor.may(Permission.PUBLISH_URGENT):
        return []
    found = []
    for record in await port.awaiting():
        bound = await port.approvers(record.area.id)
        if may_decide(actor, bound):
            found.append((record, bool(bound)))
    return found


async def status(port: BroadcastPort, actor: Actor, broadcast_id: int) -> tuple[BroadcastRecord, Figures]:
    record = await port.get(broadcast_id)
    if record is None or not _visible_to(actor, record) or not actor.may(Permission.BROADCAST):
        raise Forbidden(f"broadcast {broadcast_id}")
    return record, await port.figures(broadcast_id)


async def recent(port: BroadcastPort, actor: Actor, limit: int = 50) -> list[BroadcastRecord]:
    if not actor.may(Permission.BROADCAST):
        raise Forbidden("broadcasts")
    return [r for r in await port.recent(limit) if _visible_to(actor, r)]


def message_text(
    kind: Kind, area: AreaRecord, text: str, entry: tuple[str, str] | None, lang: Lang = Lang.ID
) -> str:
    """What a subscriber reads: the heading, the text, the shared register entry, how to stop."""
    body = "\n\n".join(
        p for p in (text, t("bc_entry", lang, title=entry[0], link=entry[1]) if entry else "") if p
    )
    key = "bc_serta_merta" if kind is Kind.SERTA_MERTA else "bc_announcement"
    return t(key, lang, area=area.label, text=body) + t("bc_footer", lang)


def subscriber_messages(
    kind: Kind,
    area: AreaRecord,
    text: str,
    entry: tuple[str, str] | None,
    attachment: Attachment | None,
    channel: Channel,
    lang: Lang,
    max_parts: int,
) -> list[Reply]:
    """The messages one subscriber of ``channel`` gets, in order: the announcement in numbered
    parts when it is longer than one message there, the file with the first. Raises
    :class:`TooManyParts` past ``max_parts``."""
    limit, size = PART_LIMITS[channel]
    parts = numbered_parts(
        message_text(kind, area, text, entry, lang), limit,
        lambda n, total: t("bc_part", lang, n=n, total=total), size=size, max_parts=max_parts,
    )  # fmt: skip
    return [Reply(text=part, attachment=attachment if n == 0 else None) for n, part in enumerate(parts)]


def serta_merta_entry_id(year: int, broadcast_id: int) -> str:
    """The register id a serta merta notice is published under (``SM-2026-0007``)."""
    return f"SM-{year}-{broadcast_id:04d}"


def serta_merta_title(text: str, area_label: str) -> str:
    """The register title: the notice's first line (shortened), and the area it concerns."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    first = first if len(first) <= 150 else first[:147].rstrip() + "..."
    return f"Informasi serta merta: {first}" + (f" ({area_label})" if area_label else "")
