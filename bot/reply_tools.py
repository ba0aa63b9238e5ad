"""The officer's tools beside the reply box of a live hand-off.

*Search*: the register and the FAQ, with the same knowledge search the bot answers with
(``KnowledgePort.search``); an entry's answer is the text the bot would send (``render_hit``).
*Saved replies*: short texts per OPD ("" for every OPD, kept by the PPID Utama), managed by the
officers of that OPD. *Notes*: private notes on a conversation for the officers who see it; they
never enter the outbox, so a citizen never sees one, and they are sealed like the inbox.
Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select

from bot.handoff_desk import Waiting
from handlers.domain.errors import DomainError
from handlers.ports import KnowledgePort
from handlers.search import render_hit
from handlers.services.actor import Actor, Forbidden, Permission, Role
from handlers.services.ports import AuditAction
from handlers.types import Lang
from storage.accounts import AuditRepository
from storage.crypto import Crypto
from storage.db import Database
from storage.models.console import ConversationNote, SavedReply

SEARCH_RESULTS = 5
_NOTE = "conversation.note"


@dataclass(frozen=True, slots=True)
class Found:
    id: str
    kind: str  # register | faq
    title: str
    answer: str  # what the bot would send for it


@dataclass(frozen=True, slots=True)
class Saved:
    id: int
    opd: str
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class Note:
    at: datetime
    author: str
    text: str


def _answer_text(hit_text: str, link: str) -> str:
    return f"{hit_text}\n{link}" if link else hit_text


def search(knowledge: KnowledgePort, query: str, lang: Lang) -> list[Found]:
    """The register and FAQ entries the bot would offer for ``query``, best first."""
    query = query.strip()[:200]
    if not query:
        return []
    hits = knowledge.search(query, limit=SEARCH_RESULTS).hits
    found = []
    for hit in list(hits)[:SEARCH_RESULTS]:
        reply = render_hit(hit, lang)
        found.append(Found(hit.id, hit.kind, hit.title, _answer_text(reply.text, reply.link)))
    return found


def entry(knowledge: KnowledgePort, entry_id: str, lang: Lang) -> str:
    """An entry's answer by id ("" when there is none)."""
    hit = knowledge.get(entry_id[:100])
    if hit is None:
        return ""
    reply = render_hit(hit, lang)
    return _answer_text(reply.text, reply.link)


class ReplyTools:
    def __init__(self, db: Database, crypto: Crypto, clock: Callable[[], datetime]) -> None:
        self.db, self.crypto, self.clock = db, crypto, clock

    @staticmethod
    def _opds(actor: Actor) -> Sequence[str] | None:
        """The OPDs whose saved replies the actor uses and keeps (None: all of them)."""
        if actor.role in (Role.ADMIN, Role.SYSTEM):
            return None
        if not actor.may(Permission.VIEW_REQUEST, next(iter(actor.opds), None)):
            raise Forbidden(Permission.VIEW_REQUEST.value)
        return sorted(actor.opds)

    async def saved(self, actor: Actor, opd: str | None = None) -> list[Saved]:
        """Saved replies the actor may use: their OPD's and those for every OPD (``opd``: one OPD's)."""
        mine = self._opds(actor)
        stmt = select(SavedReply).order_by(SavedReply.opd, SavedReply.title)
        if mine is not None:
            stmt = stmt.where(or_(SavedReply.opd == "", SavedReply.opd.in_(mine)))
        if opd is not None:
            stmt = stmt.where(or_(SavedReply.opd == "", SavedReply.opd == opd))
        async with self.db.session() as session:
            rows = (await session.scalars(stmt)).all()
        return [Saved(r.id, r.opd, r.title, r.body) for r in rows]

    async def add_saved(self, actor: Actor, opd: str, title: str, body: str) -> Saved:
        opd, title, body = opd.strip().upper(), " ".join(title.split())[:120], body.strip()
        mine = self._opds(actor)
        if (mine is not None and opd not in mine) or (not opd and mine is not None):
            raise Forbidden("saved_reply")
        if not title or not body:
            raise DomainError("err_saved_reply_empty")
        now = self.clock()
        async with self.db.write() as session:
            row = SavedReply(opd=opd, title=title, body=body[:4000], created_by=actor.label, created_at=now)
            session.add(row)
            await session.flush()
            await AuditRepository(session).add(now, actor.label, AuditAction.SAVED_REPLY_ADD.value,
                                               f"saved_reply:{row.id}", opd)  # fmt: skip
        return Saved(row.id, opd, title, row.body)

    async def remove_saved(self, actor: Actor, saved_id: int) -> None:
        mine = self._opds(actor)
        now = self.clock()
        async with self.db.write() as session:
            row = await session.get(SavedReply, saved_id)
            if row is None or (mine is not None and row.opd not in mine):
                raise Forbidden("saved_reply")  # another OPD's, or none: the same answer
            await session.execute(delete(SavedReply).where(SavedReply.id == saved_id))
            await AuditRepository(session).add(now, actor.label, AuditAction.SAVED_REPLY_REMOVE.value,
                                               f"saved_reply:{saved_id}", row.opd)  # fmt: skip

    async def notes(self, conversation_id: int) -> list[Note]:
        """The conversation's notes, oldest first (the caller has checked the officer may see it)."""
        async with self.db.session() as session:
            rows = (
                await session.scalars(
                    select(ConversationNote)
                    .where(ConversationNote.conversation_id == conversation_id)
                    .order_by(ConversationNote.id)
                )
            ).all()
        return [Note(r.created_at, r.author, self.crypto.decrypt_text(r.body_enc, _NOTE)) for r in rows]

    async def add_note(self, actor: Actor, conversation_id: int, text: str) -> None:
        """A private note (the caller has checked the officer may see the conversation)."""
        text = text.strip()[:4000]
        if not text:
            raise DomainError("err_note_empty")
        now = self.clock()
        async with self.db.write() as session:
            session.add(
                ConversationNote(
                    conversation_id=conversation_id,
                    author=actor.label,
                    body_enc=self.crypto.encrypt_text(text, _NOTE),
                    created_at=now,
                )
            )
            await AuditRepository(session).add(
                now, actor.label, AuditAction.NOTE_ADD.value, f"conversation:{conversation_id}", ""
            )


@dataclass(frozen=True, slots=True)
class BesideReply:
    """What the conversation page shows beside the reply box."""

    found: list[Found]
    saved: list[Saved]
    notes: list[Note]
    prefill: str  # the answer or saved reply chosen to insert


async def beside_reply(
    tools: ReplyTools, knowledge: KnowledgePort, actor: Actor, waiting: Waiting, *, lang: Lang, query: str,
    insert: str, saved: int,
) -> BesideReply:  # fmt: skip
    """Search results, the saved replies of the conversation's OPD, the notes, and the text to put
    in the reply box (``insert``: an entry's id; ``saved``: a saved reply's id)."""
    mine = await tools.saved(actor, waiting.opd or None) if waiting.opd or actor.role is Role.ADMIN else []
    prefill = entry(knowledge, insert, lang) if insert else ""
    if saved:
        prefill = next((s.body for s in mine if s.id == saved), prefill)
    return BesideReply(search(knowledge, query, lang), mine, await tools.notes(waiting.id), prefill)
