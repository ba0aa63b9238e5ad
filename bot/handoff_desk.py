"""The officers' side of a live hand-off: who waits, what was said, and the console's actions.

An action (take, reply, hand back, route) is checked against the officer's OPD, written to the
audit log, and enters the conversation as a synthetic inbox event (``InputKind.OFFICER``) that the
pipeline applies in order with the citizen's messages (``handlers.handoff``): the console never
writes conversation state itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.messages import InboundMessage
from handlers import handoff
from handlers.domain.errors import DomainError
from handlers.services.actor import Actor, Permission
from handlers.services.ports import AuditAction
from handlers.types import Attachment, Channel, ConversationState, InputKind, Mode, Reply, UserInput
from storage.accounts import AuditRepository
from storage.db import Database
from storage.handoff_repository import HandoffRepository
from storage.models import Conversation

Submit = Callable[[Sequence[InboundMessage]], Awaitable[list[bool]]]
_AUDIT = {
    handoff.OfficerEvent.TAKE: AuditAction.TAKE_OVER,
    handoff.OfficerEvent.REPLY: AuditAction.OFFICER_REPLY,
    handoff.OfficerEvent.RELEASE: AuditAction.HAND_BACK,
    handoff.OfficerEvent.ROUTE: AuditAction.ROUTE_CONVERSATION,
}


class ConversationNotFound(DomainError):
    """Not waiting for an officer, or not one the officer may see: the console answers 404."""


@dataclass(frozen=True, slots=True)
class Waiting:
    id: int
    channel: str
    since: datetime
    opd: str
    officer: str


@dataclass(frozen=True, slots=True)
class Line:
    at: datetime
    who: str  # citizen | bot | officer | event
    text: str


def _waiting(row: Conversation) -> Waiting | None:
    state = ConversationState.from_json(row.state)
    if state.mode is not Mode.HUMAN:
        return None
    raw = state.data.get(handoff.SINCE, "")
    try:
        since = datetime.fromisoformat(raw) if raw else row.updated_at
    except ValueError:
        since = row.updated_at
    return Waiting(
        row.id, row.channel, since, state.data.get(handoff.OPD, ""), state.data.get(handoff.OFFICER, "")
    )


class HandoffDesk:
    def __init__(self, db: Database, submit: Submit, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.submit = submit
        self.clock = clock

    async def waiting(self, actor: Actor) -> list[Waiting]:
        """The conversations the actor may take, longest wait first."""
        async with self.db.session() as session:
            rows = await HandoffRepository(session).waiting()
        found = [w for w in map(_waiting, rows) if w and actor.may(Permission.ACT_ON_REQUEST, w.opd)]
        return sorted(found, key=lambda w: w.since)

    async def _visible(self, actor: Actor, conversation_id: int) -> tuple[Conversation, Waiting]:
        async with self.db.session() as session:
            row = await HandoffRepository(session).get(conversation_id)
        waiting = _waiting(row) if row else None
        if row is None or waiting is None or not actor.may(Permission.ACT_ON_REQUEST, waiting.opd):
            raise ConversationNotFound(str(conversation_id))
        return row, waiting

    async def conversation(self, actor: Actor, conversation_id: int) -> tuple[Waiting, list[Line]]:
        """The conversation's messages, oldest first (the citizen's, the bot's and the officers')."""
        row, waiting = await self._visible(actor, conversation_id)
        async with self.db.session() as session:
            repo = HandoffRepository(session)
            inbound, outbound = await repo.inbound(row), await repo.outbound(row.id)
        lines: list[Line] = []
        for message in inbound:
            user_input = InboundMessage.input_from_json(message.payload).input
            if user_input.kind is InputKind.OFFICER:
                if user_input.command != handoff.OfficerEvent.REPLY.value:  # replies show as sent
                    lines.append(
                        Line(message.received_at, "event", f"{user_input.command} {user_input.text}")
                    )
                continue
            lines.append(
                Line(message.received_at, "citizen", user_input.text or f"[{user_input.kind.value}]")
            )
        for sent in outbound:
            text = Reply.from_json(sent.payload).text
            lines.append(Line(sent.created_at, "officer" if handoff.officer_said(text) else "bot", text))
        lines.sort(key=lambda line: line.at)
        return waiting, lines

    async def act(
        self, actor: Actor, conversation_id: int, event: handoff.OfficerEvent, text: str = "",
        attachment: Attachment | None = None,
    ) -> None:  # fmt: skip
        """Put the action on record, then hand it to the pipeline; ``attachment`` (already in the
        attachment store) goes with a reply."""
        row, _ = await self._visible(actor, conversation_id)
        if event is handoff.OfficerEvent.ROUTE:
            actor.require(Permission.ROUTE, text.strip().upper())
            if not text.strip():
                raise DomainError("an OPD is needed")
        if event is handoff.OfficerEvent.REPLY and not text.strip() and attachment is None:
            raise DomainError("an empty reply")
        now = self.clock()
        async with self.db.write() as session:  # on record before it takes effect
            detail = text.strip().upper() if event is handoff.OfficerEvent.ROUTE else ""
            if attachment is not None and event is handoff.OfficerEvent.REPLY:
                detail = f"document {attachment.mime_type} {attachment.size} bytes"
            await AuditRepository(session).add(now, actor.label, _AUDIT[event].value, f"conversation:{row.id}",
                                               detail)  # fmt: skip
        synthetic = InboundMessage(
            channel=Channel(row.channel),
            chat_id=row.chat_id,
            message_id=f"console:{uuid.uuid4().hex}",
            received_at=now,
            input=UserInput(
                kind=InputKind.OFFICER,
                command=event.value,
                text=text[:4000],
                sender_name=actor.username,
                attachment=attachment if event is handoff.OfficerEvent.REPLY else None,
            ),
        )
        await self.submit([synthetic])
