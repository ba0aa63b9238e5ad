"""Register (DIP) and FAQ tables. Owned by the knowledge feature (revision 0002).

An entry missing from a later import is retired (``active`` false, ``retired_at`` set), never
deleted: a request or an answer may still point at it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime


class RegisterEntryRow(Base):
    """One entry of the Daftar Informasi Publik (UU 14/2008 Pasal 9-11, 17; Perki 1/2021)."""

    __tablename__ = "register_entries"
    __table_args__ = (Index("ix_register_entries_active", "active"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    judul: Mapped[str] = mapped_column(Text)
    ringkasan: Mapped[str] = mapped_column(Text, default="")
    kategori: Mapped[str] = mapped_column(String(16))
    opd: Mapped[str] = mapped_column(String(255))
    opd_singkatan: Mapped[str] = mapped_column(String(64), default="")
    penanggung_jawab: Mapped[str] = mapped_column(String(255), default="")
    bentuk: Mapped[str] = mapped_column(String(64), default="")
    tahun: Mapped[int | None] = mapped_column(Integer, nullable=True)
    retensi: Mapped[str] = mapped_column(String(255), default="")
    tautan: Mapped[str] = mapped_column(String(1000), default="")
    kata_kunci: Mapped[str] = mapped_column(Text, default="")  # "; "-separated
    alasan_pengecualian: Mapped[str] = mapped_column(Text, default="")
    contoh_pertanyaan: Mapped[str] = mapped_column(Text, default="")  # " | "-separated (revision 0017)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # a serta merta entry published (Pasal 10), when and by whom (an actor label; revision 0014)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    published_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class FaqEntryRow(Base):
    """One procedural question and its answer."""

    __tablename__ = "faq_entries"
    __table_args__ = (Index("ix_faq_entries_active", "active"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pertanyaan: Mapped[str] = mapped_column(Text)
    jawaban: Mapped[str] = mapped_column(Text)
    tautan: Mapped[str] = mapped_column(String(1000), default="")
    contoh_pertanyaan: Mapped[str] = mapped_column(Text, default="")  # " | "-separated (revision 0017)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SearchConceptRow(Base):
    """A concept a PPID officer taught the search (revision 0008): an everyday situation and the
    services that serve it, e.g. from a question the search could not answer. Retired, not deleted."""

    __tablename__ = "search_concepts"
    __table_args__ = (Index("ix_search_concepts_active", "active"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    situation: Mapped[str] = mapped_column(String(200))
    services: Mapped[str] = mapped_column(Text)  # "; "-separated
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
