"""Platform-neutral envelopes: what an adapter hands to the pipeline and what the relay sends."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import NamedTuple

from handlers.types import Attachment, Channel, InputKind, Reply, UserInput


@dataclass(frozen=True, slots=True, order=True)
class ConversationKey:
    channel: Channel
    chat_id: str

    def __str__(self) -> str:
        return f"{self.channel}:{self.chat_id}"


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One user message, verified and normalised by its channel adapter."""

    channel: Channel
    chat_id: str
    message_id: str  # unique per channel: the platform's id (update_id, wamid) or a client id
    received_at: datetime
    input: UserInput
    sender_id: str = ""
    source: str = ""  # e.g. a Telegram deep-link payload (a QR poster of a kelurahan)
    address: str = ""  # where replies go when ``chat_id`` is a pseudonym (WhatsApp: the number)

    @property
    def key(self) -> ConversationKey:
        return ConversationKey(self.channel, self.chat_id)

    def payload_json(self) -> str:
        data = _fields_of(self.input)  # not dataclasses.asdict: it deep-copies, on the webhook's path
        if self.input.attachment:
            data["attachment"] = _fields_of(self.input.attachment)
        stored: dict[str, object] = {"input": data, "sender_id": self.sender_id, "source": self.source}
        if self.address:
            stored["address"] = self.address
        return json.dumps(stored)  # ASCII-escaped: lone surrogates cannot break the database driver

    @staticmethod
    def input_from_json(raw: str) -> StoredInput:
        data = json.loads(raw)
        fields = dict(data["input"])
        attachment = fields.pop("attachment", None)
        user_input = UserInput(
            **{**fields, "kind": InputKind(fields["kind"])},
            attachment=Attachment(**attachment) if attachment else None,
        )
        return StoredInput(
            user_input,
            str(data.get("sender_id", "")),
            str(data.get("source", "")),
            str(data.get("address", "")),
        )


class StoredInput(NamedTuple):
    """An inbox row's payload, read back."""

    input: UserInput
    sender_id: str
    source: str
    address: str


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """An outbox row as the relay hands it to a channel sender."""

    id: int
    conversation_id: int
    channel: Channel
    chat_id: str
    reply: Reply
    kind: str = "reply"
    attempts: int = 0
    extra: dict[str, str] = field(default_factory=dict)


def _fields_of(value: UserInput | Attachment) -> dict[str, object]:
    """A flat dataclass as a dict of its fields (one level: nested values are handled by the caller)."""
    return {f.name: getattr(value, f.name) for f in fields(value)}
