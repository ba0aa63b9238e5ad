"""Areas (kota -> kecamatan -> kelurahan -> RW -> RT), residents' subscriptions, coordinators'
areas and broadcasts (revision 0010; a broadcast's attachment 0012).

A subscription holds the conversation only: no name, number or address of the resident.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigId, UTCDateTime


class BroadcastKind(StrEnum):
    ANNOUNCEMENT = "announcement"  # a coordinator's (or officer's) notice to an RW/RT
    SERTA_MERTA = "serta_merta"  # UU 14/2008 Pasal 10: goes out at once, before anything else queued


class BroadcastStatus(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"  # the kelurahan's officer approves first (a setting)
    QUEUED = "queued"  # accepted; the fan-out writes one outbox row per subscriber in chunks
    FANNED_OUT = "fanned_out"  # every subscriber's row is in the outbox
    REJECTED = "rejected"


class Area(Base):
    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # sukamaju-wetan/rw02/rt003
    level: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(80))
    number: Mapped[int] = mapped_column(Integer, default=0)  # RW or RT number
    parent_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("areas.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AccountArea(Base):
    """The RW or RT a coordinator account serves."""

    __tablename__ = "account_areas"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    area_id: Mapped[int] = mapped_column(BigId, ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True)


class AreaOfficer(Base):
    """A kelurahan (or kecamatan) whose coordinators' announcements an officer account approves
    (e.g. the lurah's PPID Pelaksana); a kecamatan binding covers every kelurahan in it (revision 0013)."""

    __tablename__ = "area_officers"
    __table_args__ = (Index("ix_area_officers_area", "area_id", "account_id"),)

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    area_id: Mapped[int] = mapped_column(BigId, ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Subscription(Base):
    """A conversation that receives the notices of an area (and, for a RW, of its RTs)."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("conversation_id", "area_id", name="uq_subscriptions_conversation_area"),
        Index("ix_subscriptions_area", "area_id", "conversation_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    conversation_id: Mapped[int] = mapped_column(BigId, ForeignKey("conversations.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(BigId, ForeignKey("areas.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Broadcast(Base):
    """One announcement or serta merta notice to an area; its outbox rows carry its id."""

    __tablename__ = "broadcasts"
    __table_args__ = (Index("ix_broadcasts_status", "status", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16), default=BroadcastKind.ANNOUNCEMENT)
    area_id: Mapped[int] = mapped_column(BigId, ForeignKey("areas.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text, default="")  # public information, not personal data
    entry_id: Mapped[str] = mapped_column(String(64), default="")  # a shared register entry
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default=BroadcastStatus.QUEUED)
    decided_by: Mapped[str] = mapped_column(String(64), default="")
    # the fan-out's cursor: subscriptions with a conversation id up to this one have their row
    cursor: Mapped[int] = mapped_column(BigId, default=0)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    fanned_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # one photo or PDF (revision 0012): a ref into the sealed attachment store, stored once
    attachment_ref: Mapped[str | None] = mapped_column(String(40), nullable=True)
    attachment_type: Mapped[str] = mapped_column(String(100), default="", server_default="")
    attachment_size: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    attachment_name: Mapped[str] = mapped_column(String(120), default="", server_default="")


class CoordinatorLink(Base):
    """A coordinator's chat: a one-time code shown in the console (a keyed hash is kept, never the
    code), then the conversation that gave it."""

    __tablename__ = "coordinator_links"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    code_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    conversation_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("conversations.id", ondelete="SET NULL"), nullable=True, index=True
    )
    linked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
