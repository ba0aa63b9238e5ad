"""Registration numbers (UU 14/2008 Pasal 22(4): *nomor pendaftaran*) and objection numbers.

``PPID-2026-000123``: prefix, year of receipt, a per-year sequence padded to six digits, so the
text sorts like the (year, sequence) pair and is unique given a unique sequence per year.
Objections use ``KBR-2026-000045`` (keberatan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from handlers.domain.errors import InvalidNumber

SEQUENCE_DIGITS = 6
_MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1


class NumberKind(StrEnum):
    REQUEST = "PPID"
    OBJECTION = "KBR"


# Lenient reading of what people type: "ppid 2026 123", "PPID/2026/000123", "kbr-2026-45".
_PATTERN = re.compile(
    r"\b(?P<kind>PPID|KBR)\s*[-/. ]?\s*(?P<year>\d{4})\s*[-/. ]?\s*(?P<seq>\d{1,6})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True, order=True)
class RegNo:
    """A parsed number; orders by kind, year, sequence (the same order as the text)."""

    kind: NumberKind
    year: int
    sequence: int

    def __post_init__(self) -> None:
        if not 1 <= self.sequence <= _MAX_SEQUENCE:
            raise InvalidNumber(f"sequence must be 1..{_MAX_SEQUENCE}")
        if not 1000 <= self.year <= 9999:
            raise InvalidNumber("year must have four digits")

    def __str__(self) -> str:
        return f"{self.kind.value}-{self.year:04d}-{self.sequence:0{SEQUENCE_DIGITS}d}"


def format_request_number(year: int, sequence: int) -> str:
    """``(2026, 123)`` -> ``"PPID-2026-000123"``."""
    return str(RegNo(NumberKind.REQUEST, year, sequence))


def format_objection_number(year: int, sequence: int) -> str:
    """``(2026, 45)`` -> ``"KBR-2026-000045"``."""
    return str(RegNo(NumberKind.OBJECTION, year, sequence))


def _from_match(match: re.Match[str]) -> RegNo:
    return RegNo(NumberKind(match["kind"].upper()), int(match["year"]), int(match["seq"]))


def parse_number(raw: str) -> RegNo:
    """The number ``raw`` is, leniently (case, separators, padding); :class:`InvalidNumber` otherwise."""
    match = _PATTERN.fullmatch(raw.strip())
    if match is None:
        raise InvalidNumber("not a PPID-YYYY-NNNNNN or KBR-YYYY-NNNNNN number")
    return _from_match(match)


def find_number(text: str, kind: NumberKind | None = None) -> RegNo | None:
    """The first well-formed number in a sentence ("cek status PPID-2026-000123"), or None."""
    for match in _PATTERN.finditer(text):
        try:
            number = _from_match(match)
        except InvalidNumber:
            continue
        if kind is None or number.kind is kind:
            return number
    return None
