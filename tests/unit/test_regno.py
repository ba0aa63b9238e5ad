"""Registration and objection numbers: readable, unique per sequence, sortable, parsed leniently."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.domain.errors import InvalidNumber
from handlers.domain.regno import (
    NumberKind,
    RegNo,
    find_number,
    format_objection_number,
    format_request_number,
    parse_number,
)


def test_format() -> None:
    assert format_request_number(2026, 123) == "PPID-2026-000123"
    assert format_objection_number(2026, 45) == "KBR-2026-000045"
    assert format_request_number(2026, 999_999) == "PPID-2026-999999"


@pytest.mark.parametrize(("year", "sequence"), [(2026, 0), (2026, 1_000_000), (26, 1), (20260, 1)])
def test_format_refuses_numbers_that_would_not_sort(year: int, sequence: int) -> None:
    with pytest.raises(InvalidNumber):
        format_request_number(year, sequence)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("PPID-2026-000123", RegNo(NumberKind.REQUEST, 2026, 123)),
        ("ppid-2026-123", RegNo(NumberKind.REQUEST, 2026, 123)),
        (" PPID 2026 000123 ", RegNo(NumberKind.REQUEST, 2026, 123)),
        ("PPID/2026/000123", RegNo(NumberKind.REQUEST, 2026, 123)),
        ("PPID2026000123", RegNo(NumberKind.REQUEST, 2026, 123)),
        ("kbr-2026-45", RegNo(NumberKind.OBJECTION, 2026, 45)),
    ],
)
def test_parse(raw: str, expected: RegNo) -> None:
    assert parse_number(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "PPID-2026", "PPID-2026-0000001", "XYZ-2026-000123", "PPID-2026-000000", "cek PPID-2026-1"]
)
def test_parse_rejects(raw: str) -> None:
    with pytest.raises(InvalidNumber):
        parse_number(raw)


def test_find_number_in_a_sentence() -> None:
    assert find_number("cek status PPID-2026-000123 ya") == RegNo(NumberKind.REQUEST, 2026, 123)
    assert find_number("keberatan KBR-2026-000045 dan PPID-2026-000123", NumberKind.REQUEST) == RegNo(
        NumberKind.REQUEST, 2026, 123
    )
    assert find_number("status permohonan saya?") is None
    assert find_number("PPID-2026-000000 lalu PPID-2026-000007") == RegNo(NumberKind.REQUEST, 2026, 7)


_numbers = st.builds(
    RegNo,
    st.sampled_from(NumberKind),
    st.integers(min_value=2000, max_value=2099),
    st.integers(min_value=1, max_value=999_999),
)


@given(st.lists(_numbers, max_size=20))
def test_text_sorts_like_the_numbers(numbers: list[RegNo]) -> None:
    assert sorted(str(n) for n in numbers) == [str(n) for n in sorted(numbers)]


@given(_numbers)
def test_format_then_parse_round_trips(number: RegNo) -> None:
    assert parse_number(str(number)) == number
