"""The console's reply tools: saved replies per OPD, private notes on conversations (revision 0011).

A note may quote what a citizen said, so its text is kept as AES-GCM ciphertext like the inbox's.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
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
