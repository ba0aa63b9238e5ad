"""Tables of formal information requests (UU 14/2008 Pasal 22) and objections (Pasal 35-36).

Personal data (UU 27/2022) lives only in ``requesters`` and ``attachments``, always as AES-GCM
ciphertext (``storage.crypto``); a keyed hash of the NIK finds a requester's earlier requests.
Requests and objections keep no personal data, so they stay for the annual report (Pasal 12)
after a requester's data is erased. Owned by the request feature (revision 0003).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigId, UTCDateTime


class Requester(Base):
    """A pemohon. Every personal field is ciphertext; NULL once erased after the retention period."""

    __tablename__ = "requesters"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    requester_type: Mapped[str] = mapped_column(String(16))  # perorangan | badan_hukum | kelompok
    filing_as: Mapped[str] = mapped_column(String(16))  # sendiri | kuasa
    nik_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    name_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    nik_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    legal_entity_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    address_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    email_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class InfoRequest(Base):
    """A permohonan informasi with its registration number (Pasal 22(4)) and deadlines."""

    __tablename__ = "requests"
    __table_args__ = (
        UniqueConstraint("number"),
        Index("ix_requests_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(24))  # PPID-2026-000123
    requester_id: Mapped[int] = mapped_column(BigId, ForeignKey("requesters.id"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(BigId, nullable=True, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    information: Mapped[str] = mapped_column(Text)  # rincian informasi
    purpose: Mapped[str] = mapped_column(Text)  # tujuan penggunaan
    obtain_method: Mapped[str] = mapped_column(String(24))
    copy_delivery: Mapped[str] = mapped_column(String(24), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_on: Mapped[date] = mapped_column(Date)  # effective receipt date: day zero
    original_due_on: Mapped[date] = mapped_column(Date)  # 10 working days (Pasal 22(7))
    due_on: Mapped[date] = mapped_column(Date)  # after the one extension (Pasal 22(8))
    extension_reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(24))
    outcome: Mapped[str] = mapped_column(String(24), default="")
    pasal17: Mapped[str] = mapped_column(String(1), default="")
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    holder: Mapped[str] = mapped_column(String(200), default="")
    notice: Mapped[str] = mapped_column(Text, default="")  # the officer's note to the requester
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    opd: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # the access code given at filing (revision 0004): a keyed hash checks a try, the ciphertext
    # lets the filing conversation be shown it again; NULL for requests filed before codes existed
    access_code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    access_code_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class RequestEvent(Base):
    """One status change; the request's history is the list of these in id order."""

    __tablename__ = "request_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(BigId, ForeignKey("requests.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")


class Objection(Base):
    """A keberatan to the Atasan PPID (Pasal 35(1) ground a-g; answer due per Pasal 36(2))."""

    __tablename__ = "objections"
    __table_args__ = (UniqueConstraint("number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(24))  # KBR-2026-000045
    request_id: Mapped[int] = mapped_column(BigId, ForeignKey("requests.id"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    channel: Mapped[str] = mapped_column(String(16))
    ground: Mapped[str] = mapped_column(String(1))
    explanation: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(16), default="")  # "" pending | upheld | dismissed
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # the requester took the dispute to the Komisi Informasi (Pasal 37), as officers record it (0009)
    commission_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class Holiday(Base):
    """A national holiday or cuti bersama (seeded from ``holidays``) or an administrator's date.

    Removing a seeded date keeps its row with ``active = false``, so re-seeding does not restore it.
    """

    __tablename__ = "holidays"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16))  # package | admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class StoredAttachment(Base):
    """A KTP photo, deed or power of attorney: AES-GCM ciphertext of the bytes and the file name."""

    __tablename__ = "attachments"

    ref: Mapped[str] = mapped_column(String(40), primary_key=True)
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    file_name_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    data_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    request_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("requests.id"), nullable=True, index=True
    )


class NumberSequence(Base):
    """The last number given per kind (PPID, KBR) and year: registration numbers never repeat."""

    __tablename__ = "number_sequences"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class PersonalDataAccess(Base):
    """Audit trail of who read or erased personal data, and of failed status checks
    (UU 27/2022 Pasal 46: a breach must be traceable and notified within 3x24 hours)."""

    __tablename__ = "personal_data_access"
    __table_args__ = (
        Index("ix_personal_data_access_request", "request_id", "action", "at"),
        Index("ix_personal_data_access_actor", "actor", "action", "at"),  # tries per conversation
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))  # show | erase | status_denied | access_denied
    requester_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    request_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
