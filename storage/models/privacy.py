"""The key check value (revision 0005): one row identifying the key the data is sealed with."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime


class KeyCheck(Base):
    """``Crypto.key_check()`` of the key the database's personal data is sealed with (id is 1)."""

    __tablename__ = "key_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
