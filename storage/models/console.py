"""The console's reply tools: saved replies per OPD, private notes on conversations (revision 0011);
uploaded register and FAQ files waiting to be checked or applied (revision 0016).

A note may quote what a citizen said, so its text is kept as AES-GCM ciphertext like the inbox's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigId, UTCDateTime


class SavedReply(Base):
    __tablename__ = "saved_replies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    opd: Mapped[str] = mapped_column(String(32), index=True)  # "" for every OPD
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConversationNote(Base):
    __tablename__ = "conversation_notes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    conversation_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(64))
    body_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class UploadJobRow(Base):
    """An uploaded register or FAQ file being checked or waiting for "apply" (revision 0016), shared
    by every worker process. The file's bytes and the preview are AES-GCM ciphertext; the bytes are
    dropped once the file cannot be applied (a failed check, bad rows), is applied, or expires."""

    __tablename__ = "upload_jobs"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # random: names the job in URLs
    account_id: Mapped[int | None] = mapped_column(BigId, nullable=True, index=True)
    session_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of the session's CSRF token
    sheet: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(String(32))  # "upload.csv" or "upload.xlsx": the parser's cue
    retire_missing: Mapped[bool] = mapped_column(Boolean)
    lang: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16), index=True)  # checking | ready | failed
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)  # every second while checking
    data_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    preview_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
