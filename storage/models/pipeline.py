"""Tables of the message pipeline: conversations, the inbox and the outbox."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.crypto import SealedText
from storage.models.base import Base, BigId, UTCDateTime


class InboxStatus(StrEnum):
    PENDING = "pending"
    PROCESSED = "processed"
    FAILED = "failed"  # the handler raised: the user got an apology, the error is logged


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by the relay named in ``owner``
    SENT = "sent"
    FAILED = "failed"  # permanent platform error; visible to officers
    HELD = "held"  # cannot be delivered now (e.g. outside WhatsApp's 24-hour window, no template)
    SHED = "shed"  # not sent: the chat's backlog was over the cap (a flood); visible to officers


UNSENT_SQL = "status IN ('pending', 'sending')"  # the partial index's condition, spelled out in queries
PENDING_SQL = "status = 'pending'"  # ix_outbox_due's condition (revision 0015), spelled out likewise


class OutboxKind(StrEnum):
    REPLY = "reply"  # the bot's answer to a message; the only kind shed in a flood
    NOTICE = "notice"  # an officer's decision or the like
    OVERFLOW = "overflow"  # the one "too many messages" notice of a flood
    BROADCAST = "broadcast"  # an RT/RW announcement to a subscriber (sent after replies)
    URGENT = "urgent"  # a serta merta notice (UU 14/2008 Pasal 10): sent before everything else


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(128))  # a WhatsApp number only as its pseudonym
    state: Mapped[str] = mapped_column(SealedText("conversation.state"), default="")  # form answers: PII
    # where replies go when chat_id is a pseudonym (the WhatsApp number), read only to send
    address: Mapped[str | None] = mapped_column(SealedText("conversation.address"), nullable=True)
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # up on erasure
    mode: Mapped[str] = mapped_column(String(16), default="bot")
    lang: Mapped[str] = mapped_column(String(8), default="id")
    source: Mapped[str] = mapped_column(String(128), default="")
    opd: Mapped[str] = mapped_column(String(64), default="")
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_inbound_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class InboxMessage(Base):
    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "message_id"),
        Index("ix_inbox_pending", "status", "channel", "chat_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(16))
    message_id: Mapped[str] = mapped_column(String(128))
    chat_id: Mapped[str] = mapped_column(String(128))
    payload: Mapped[str] = mapped_column(SealedText("inbox.payload"))  # what the citizen typed: PII
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default=InboxStatus.PENDING)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    error: Mapped[str] = mapped_column(String(200), default="")


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "status", "next_attempt_at", "id"),
        Index(
            "ix_outbox_unsent",
            "conversation_id",
            "id",
            sqlite_where=text(UNSENT_SQL),
            postgresql_where=text(UNSENT_SQL),
        ),
        Index(  # the relay's due heads, a kind at a time (revision 0015)
            "ix_outbox_due",
            "kind",
            "next_attempt_at",
            "id",
            sqlite_where=text(PENDING_SQL),
            postgresql_where=text(PENDING_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    conversation_id: Mapped[int] = mapped_column(BigId, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(128))
    payload: Mapped[str] = mapped_column(SealedText("outbox.payload"))
    kind: Mapped[str] = mapped_column(String(16), default="reply")  # reply | notice | broadcast | officer
    in_reply_to: Mapped[int | None] = mapped_column(BigId, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    platform_message_id: Mapped[str] = mapped_column(String(128), default="", index=True)
    delivery_state: Mapped[str] = mapped_column(String(16), default="")
    error: Mapped[str] = mapped_column(String(300), default="")
    owner: Mapped[str] = mapped_column(String(32), default="", server_default="")  # relay, while sending
    broadcast_id: Mapped[int | None] = mapped_column(BigId, nullable=True, index=True)  # revision 0010


class RelayOwner(Base):
    """A running relay (one per serving process): outbox rows it claims carry its id.

    It refreshes ``heartbeat_at`` every second; rows of an owner whose heartbeat is stale (the
    process died) are taken back by any other relay.
    """

    __tablename__ = "relay_owners"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime)
