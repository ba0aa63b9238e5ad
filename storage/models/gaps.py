"""Tables of what citizens could not find, and of the bot's own service (revision 0009).

Questions are stored only after ``handlers.scrub`` replaced NIKs, phone numbers, e-mail
addresses and introduced names by markers: the text column is plain because nothing personal is
left in it (the tests scan the database file for the originals). A group gathers similar
questions (``handlers.gaps.nearest_group``); an officer links it to the entry that answers it,
notes it as information an OPD should publish, or marks it as another body's with a referral.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigId, UTCDateTime


class GapGroupRow(Base):
    __tablename__ = "gap_groups"
    __table_args__ = (Index("ix_gap_groups_status", "status"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(400))  # the first question's informative words, sorted
    example: Mapped[str] = mapped_column(Text)  # the first question (scrubbed)
    count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))  # handlers.gaps.GapStatus
    entry_id: Mapped[str] = mapped_column(String(64), default="")  # linked: the entry that answers it
    opd: Mapped[str] = mapped_column(String(200), default="")  # to publish: the OPD that should
    referral: Mapped[str] = mapped_column(Text, default="")  # not ours: where to send people
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GapQuestionRow(Base):
    __tablename__ = "gap_questions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(BigId, ForeignKey("gap_groups.id"), index=True)
    question: Mapped[str] = mapped_column(Text)  # scrubbed
    reason: Mapped[str] = mapped_column(String(16))  # handlers.types.GapReason
    channel: Mapped[str] = mapped_column(String(16))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class ServiceCountRow(Base):
    """Questions the bot answered, per office day, kind and channel (the annual report's figures)."""

    __tablename__ = "service_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)  # handlers.types.ServiceKind
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
