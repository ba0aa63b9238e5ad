"""Officer accounts, their OPD, failed logins and the audit log of officer actions (revision 0007).

Passwords are argon2id hashes (``storage.accounts``); nothing here is personal data of citizens.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, BigId, UTCDateTime


class Account(Base):
    """A console user: PPID Utama (admin), PPID Pelaksana (officer), Atasan PPID, RT/RW coordinator."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    must_change: Mapped[bool] = mapped_column(Boolean, default=False)  # a one-time password was given
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)  # raised by a logout: older sessions end


class AccountOpd(Base):
    """The OPD an officer serves (a PPID Pelaksana may serve several)."""

    __tablename__ = "account_opds"

    account_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    opd: Mapped[str] = mapped_column(String(32), primary_key=True)


class LoginFailure(Base):
    """One failed login, keyed by a hash of the username or of the address (throttling)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditLog(Base):
    """Every officer action: who, what, on which request/objection/account, when. No personal data."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target", "target", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
