"""Errors raised by the domain rules. Each carries a machine-readable reason, never personal data."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handlers.domain.lifecycle import Action, RequestStatus


class DomainError(Exception):
    """Base class: an expected rule violation that callers turn into a polite reply."""


class IllegalTransition(DomainError):
    """A request cannot take ``action`` in status ``current``."""

    def __init__(self, current: RequestStatus, action: Action) -> None:
        super().__init__(f"cannot {action.value} a request that is {current.value}")
        self.current = current
        self.action = action


class EventOutOfOrder(DomainError):
    """An event is dated before the last event of the history it is appended to."""


class InvalidDecision(DomainError):
    """An outcome lacks what the law asks of it (e.g. a refusal without a Pasal 17 letter)."""


class ExtensionTooLong(DomainError):
    """An extension outside 1..7 working days (UU 14/2008 Pasal 22(8))."""


class NikProblem(StrEnum):
    """Why a NIK was refused."""

    NON_DIGIT = "non_digit"
    LENGTH = "length"
    PROVINCE = "province"
    REGION = "region"  # regency/city or district code 00
    BIRTH_DATE = "birth_date"
    SERIAL = "serial"


class InvalidNik(DomainError):
    """A NIK that cannot be real. ``digits`` is how many digits were typed (for the re-prompt)."""

    def __init__(self, reason: NikProblem, digits: int = 0) -> None:
        super().__init__(reason.value)  # never the NIK itself: messages end up in logs
        self.reason = reason
        self.digits = digits


class InvalidNumber(DomainError):
    """A registration or objection number that does not parse."""
