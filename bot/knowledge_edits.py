"""Changing what the search answers from - the register (DIP, UU 14/2008 Pasal 9-11, 17; Perki
1/2021) and the FAQ - once for the console (``/console/register``) and the command line
(``tanya register``, ``tanya faq``: :mod:`bot.commands.knowledge`).

Every workflow here is one application service: the permission check, the change and its audit row
in one write transaction; then the running search index is rebuilt (:func:`refresh_search`), so the
very next question sees the change, without a restart.

Who may change what:

- **register entries**: admins (PPID Utama) all; an officer (PPID Pelaksana) only the entries of
  their own OPD, by the entry's ``opd_singkatan`` - also when uploading a file: another OPD's rows
  are bad rows, and "retire the missing entries" retires only their OPD's;
- **FAQ entries**: admins only. An FAQ answers procedural questions about the whole body (how to
  ask, object, what it costs: Perki 1/2021's standard service); its rows carry no OPD and none can
  be derived from a question, so no officer owns one. An officer reads them.

Publishing a *serta merta* entry (Pasal 10) is an explicit act kept as data (``published_at``,
``published_by``) besides its audit row; a second publication is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.area_store import AreaStore
from bot.broadcast_store import BroadcastStore
from bot.console.texts import t as console_t
from bot.knowledge_loader import LiveKnowledge
from handlers.area_ports import AreaRecord
from handlers.domain.areas import AreaLevel
from handlers.domain.errors import DomainError
from handlers.services import broadcasts
from handlers.services.actor import Actor, Forbidden, Role
from handlers.services.ports import AuditAction
from handlers.types import Lang
from knowledge.importing import ParsedFile
from knowledge.models import Category, FaqEntry, ImportProblem, RegisterEntry
from storage.accounts import AuditRepository
from storage.crypto import Crypto
from storage.db import Database
from storage.knowledge_repository import (
    ImportSummary,
    KnowledgeRepository,
    Publication,
    faq_values,
    register_values,
)


class Wakeable(Protocol):
    def wake(self) -> None: ...


class Editing(Protocol):
    """What an edit needs of the process it runs in: the server's ``Runtime`` (the console), or a
    command's context (the command line: no index to refresh, no broadcaster to wake; the running
    server sees the change at its next poll)."""

    @property
    def db(self) -> Database: ...
    @property
    def crypto(self) -> Crypto: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    @property
    def knowledge(self) -> object: ...  # the live search index, refreshed at once when it is one
    @property
    def broadcaster(self) -> Wakeable: ...
    @property
    def broadcast_rules(self) -> broadcasts.BroadcastRules: ...


class Sheet(StrEnum):
    """What a file or a form changes."""

    REGISTER = "register"
    FAQ = "faq"


class NotPublishable(DomainError):
    """Only an active serta merta entry can be published."""


@dataclass(frozen=True, slots=True)
class Published:
    """A serta merta entry's publication, and the notice that took it to subscribers (if any)."""

    publication: Publication
    broadcast_id: int | None = None


class AlreadyPublished(DomainError):
    """The entry was published before; the first publication stands."""

    def __init__(self, publication: Publication) -> None:
        super().__init__(f"published {publication.at.isoformat()} by {publication.by}")
        self.publication = publication


class UploadStale(DomainError):
    """Since the preview, an entry of the file moved to an OPD the uploader may not change."""


ADMINS = frozenset({Role.ADMIN, Role.SYSTEM})


def may_edit(actor: Actor, opd_short: str) -> bool:
    """Admins edit every register entry; an officer those of their own OPD (by its abbreviation)."""
    if actor.role in ADMINS:
        return True
    return actor.role is Role.OFFICER and opd_short.strip().upper() in actor.opds


def may_edit_faq(actor: Actor) -> bool:
    """The FAQ is the PPID Utama's (see the module's docstring)."""
    return actor.role in ADMINS


def upload_scope(actor: Actor, sheet: Sheet) -> frozenset[str] | None:
    """The OPDs an upload may touch: None for all (admins); an officer's own for the register.
    Forbidden for anyone else (and for an officer's FAQ file)."""
    if actor.role in ADMINS:
        return None
    if sheet is Sheet.REGISTER and actor.role is Role.OFFICER and actor.opds:
        return actor.opds
    raise Forbidden(f"{sheet.value}_import")


async def refresh_search(runtime: Editing) -> None:
    """The running index sees the change now, not at the next poll."""
    if isinstance(runtime.knowledge, LiveKnowledge):
        await runtime.knowledge.refresh(force=True)


# --- one entry at a time ---


async def save_register_entry(runtime: Editing, actor: Actor, entry: RegisterEntry) -> bool:
    """Add or change one register entry; True when it was added. An officer may neither change
    another OPD's entry nor move one of theirs (or a new one) into another OPD."""
    if not may_edit(actor, entry.opd_singkatan):
        raise Forbidden("entry")
    now = runtime.clock()
    async with runtime.db.write() as session:
        repository = KnowledgeRepository(session)
        old = await repository.register_entry(entry.id)
        if old is not None and not may_edit(actor, old.opd_singkatan):
            raise Forbidden("entry")  # another OPD's entry: not by renaming its OPD either
        await repository.import_register([entry], now=now)
        action = AuditAction.ENTRY_ADD if old is None else AuditAction.ENTRY_EDIT
        await AuditRepository(session).add(now, actor.label, action.value, entry.id)
    await refresh_search(runtime)
    return old is None


async def editable_register_entry(runtime: Editing, actor: Actor, entry_id: str) -> RegisterEntry | None:
    """The entry to edit (None if there is none); Forbidden if it is another OPD's."""
    async with runtime.db.session() as session:
        entry = await KnowledgeRepository(session).register_entry(entry_id)
    if entry is not None and not may_edit(actor, entry.opd_singkatan):
        raise Forbidden("entry")
    return entry


async def retire_register_entry(runtime: Editing, actor: Actor, entry_id: str) -> bool:
    """Take an entry out of the search (kept); False when there is no such active entry."""
    now = runtime.clock()
    async with runtime.db.write() as session:
        repository = KnowledgeRepository(session)
        entry = await repository.register_entry(entry_id)
        if entry is None:
            return False
        if not may_edit(actor, entry.opd_singkatan):
            raise Forbidden("entry")
        retired = await repository.retire_register_entry(entry_id, now=now)
        if retired:
            await AuditRepository(session).add(now, actor.label, AuditAction.ENTRY_RETIRE.value, entry_id)
    await refresh_search(runtime)
    return retired


async def publish_register_entry(runtime: Editing, actor: Actor, entry_id: str, *, to: str = "") -> Published:
    """Publish an active serta merta entry (UU 14/2008 Pasal 10) once: the mark is data on the
    entry (when, by whom) and an audit row. With ``to`` (a kota, kecamatan or kelurahan key) the
    entry goes at once to every subscriber there as a serta merta notice, in the same transaction:
    a notice that cannot be sent (no such area, not allowed) publishes nothing. A second
    publication raises :class:`AlreadyPublished`."""
    now = runtime.clock()
    broadcast_id: int | None = None
    async with runtime.db.write() as session:
        repository = KnowledgeRepository(session)
        entry = await repository.register_entry(entry_id)
        if entry is not None and not may_edit(actor, entry.opd_singkatan):
            raise Forbidden("entry")
        if entry is None or entry.kategori is not Category.SERTA_MERTA or not entry.active:
            raise NotPublishable(entry_id)
        if not await repository.publish_register_entry(entry_id, now=now, by=actor.label):
            before = (await repository.published([entry_id])).get(entry_id)
            raise AlreadyPublished(before or Publication(now, ""))
        await AuditRepository(session).add(
            now, actor.label, AuditAction.ENTRY_PUBLISH.value, entry_id, entry.kategori.value
        )
        if to:
            record = await broadcasts.send(
                BroadcastStore(session, now=now, crypto=runtime.crypto), actor, to, entry_id=entry_id,
                kind=broadcasts.Kind.SERTA_MERTA, now=now, rules=runtime.broadcast_rules,
            )  # fmt: skip
            broadcast_id = record.id
    if broadcast_id is not None:
        runtime.broadcaster.wake()
    return Published(Publication(now, actor.label), broadcast_id)


async def urgent_areas(runtime: Editing) -> list[AreaRecord]:
    """The areas a serta merta notice may go to: the kota, its kecamatan and kelurahan."""
    async with runtime.db.session() as session:
        levels = [level for level in AreaLevel if level in broadcasts.URGENT_LEVELS]  # kota first
        return list(await AreaStore(session).at_levels(levels))


async def published(runtime: Editing, entries: Sequence[RegisterEntry]) -> dict[str, Publication]:
    """The publications of those of ``entries`` that are serta merta."""
    async with runtime.db.session() as session:
        ids = [e.id for e in entries if e.kategori is Category.SERTA_MERTA]
        return await KnowledgeRepository(session).published(ids)


async def faq_entry(runtime: Editing, actor: Actor, entry_id: str) -> FaqEntry | None:
    if not may_edit_faq(actor):
        raise Forbidden("faq")
    async with runtime.db.session() as session:
        return await KnowledgeRepository(session).faq_entry(entry_id)


async def save_faq_entry(runtime: Editing, actor: Actor, entry: FaqEntry) -> bool:
    """Add or change one FAQ entry (admins); True when it was added."""
    if not may_edit_faq(actor):
        raise Forbidden("faq")
    now = runtime.clock()
    async with runtime.db.write() as session:
        repository = KnowledgeRepository(session)
        old = await repository.faq_entry(entry.id)
        await repository.import_faq([entry], now=now)
        action = AuditAction.FAQ_ADD if old is None else AuditAction.FAQ_EDIT
        await AuditRepository(session).add(now, actor.label, action.value, entry.id)
    await refresh_search(runtime)
    return old is None


async def retire_faq_entry(runtime: Editing, actor: Actor, entry_id: str) -> bool:
    """Take an FAQ entry out of the search (kept); False when there is no such active entry."""
    if not may_edit_faq(actor):
        raise Forbidden("faq")
    now = runtime.clock()
    async with runtime.db.write() as session:
        retired = await KnowledgeRepository(session).retire_faq_entry(entry_id, now=now)
        if retired:
            await AuditRepository(session).add(now, actor.label, AuditAction.FAQ_RETIRE.value, entry_id)
    await refresh_search(runtime)
    return retired


# --- a whole file ---

Entry = RegisterEntry | FaqEntry


@dataclass(slots=True)
class Preview:
    """What applying a checked file would do; it may be applied only without problems."""

    sheet: Sheet
    added: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    rows: int = 0
    entries: list[Entry] = field(default_factory=list, repr=False)  # what "apply" imports


def _values(entry: Entry) -> dict[str, object]:
    return register_values(entry) if isinstance(entry, RegisterEntry) else faq_values(entry)


async def preview_upload(
    runtime: Editing, actor: Actor, sheet: Sheet, parsed: ParsedFile[RegisterEntry] | ParsedFile[FaqEntry],
    *, retire_missing: bool, lang: Lang = Lang.ID,
) -> Preview:  # fmt: skip
    """Compare a checked file with the stored entries. For an officer, a row of another OPD, or one
    whose id is another OPD's entry, is a bad row with its reason; "retired" counts only their OPD's
    entries."""
    scope = upload_scope(actor, sheet)
    preview = Preview(sheet, problems=list(parsed.problems), rows=parsed.rows)
    async with runtime.db.session() as session:
        repository = KnowledgeRepository(session)
        current: dict[str, Entry] = {
            e.id: e
            for e in await (repository.load_register() if sheet is Sheet.REGISTER else repository.load_faq())
        }
        owners = await repository.register_opds([e.id for e in parsed.entries]) if scope is not None else {}
        in_scope = set(await repository.register_ids_of(scope)) if scope is not None else set(current)
    allowed = ", ".join(sorted(scope or ()))
    numbered: list[tuple[int, Entry]] = list(zip(parsed.lines, parsed.entries, strict=True))
    for line, entry in numbered:
        if scope is not None and isinstance(entry, RegisterEntry):
            theirs = [o for o in (entry.opd_singkatan, owners.get(entry.id)) if o is not None]
            other = next((o for o in theirs if o.strip().upper() not in scope), None)
            if other is not None:
                message = console_t("upload_other_opd", lang).format(opd=other or "-", allowed=allowed)
                preview.problems.append(ImportProblem(line, message, "opd_singkatan"))
                continue
        preview.entries.append(entry)
        old = current.get(entry.id)
        if old is None:
            preview.added.append(entry)
        elif _values(old) != _values(entry):
            preview.changed.append(entry)
    preview.problems.sort(key=lambda p: p.row)
    if retire_missing:
        preview.retired = sorted((set(current) & in_scope) - {e.id for e in parsed.entries})
    return preview


async def apply_upload(
    runtime: Editing, actor: Actor, preview: Preview, *, retire_missing: bool
) -> ImportSummary:
    """Import a previewed file in one transaction with its audit row: all of it or nothing. An
    officer's file is checked again against the entries' OPDs as they are now."""
    if preview.problems:
        raise UploadStale("the file has bad rows")
    scope = upload_scope(actor, preview.sheet)
    now = runtime.clock()
    async with runtime.db.write() as session:
        repository = KnowledgeRepository(session)
        if preview.sheet is Sheet.REGISTER:
            entries = [e for e in preview.entries if isinstance(e, RegisterEntry)]
            if scope is not None:
                owners = await repository.register_opds([e.id for e in entries])
                if any(o.strip().upper() not in scope for o in owners.values()):
                    raise UploadStale("an entry of the file belongs to another OPD now")
            summary = await repository.import_register(
                entries, now=now, retire_missing=retire_missing, opds=scope
            )
            action = AuditAction.REGISTER_IMPORT
        else:
            faq = [e for e in preview.entries if isinstance(e, FaqEntry)]
            summary = await repository.import_faq(faq, now=now, retire_missing=retire_missing)
            action = AuditAction.FAQ_IMPORT
        await AuditRepository(session).add(now, actor.label, action.value, preview.sheet.value, str(summary))
    await refresh_search(runtime)
    return summary
