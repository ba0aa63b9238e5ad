"""NIK shape checks: length, digits, province, region, date of birth (+40 for women), serial."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.domain.errors import InvalidNik, NikProblem
from handlers.domain.nik import PROVINCE_CODES, Sex, parse_nik

TODAY = date(2026, 3, 16)


@pytest.mark.parametrize(
    ("raw", "born", "sex"),
    [
        ("3273010101900001", date(1990, 1, 1), Sex.MALE),
        ("3273014501900002", date(1990, 1, 5), Sex.FEMALE),  # day 45 = 5 + 40
        ("3273017112990003", date(1999, 12, 31), Sex.FEMALE),  # day 71 = 31 + 40
        ("3273 0101 0190 0001", date(1990, 1, 1), Sex.MALE),  # spaces
        ("3273.0101.0190.0001", date(1990, 1, 1), Sex.MALE),  # dots
        ("32.73.01-010190-0001", date(1990, 1, 1), Sex.MALE),
        ("  3273010101900001\n", date(1990, 1, 1), Sex.MALE),
        ("３２７３０１０１０１９００００１", date(1990, 1, 1), Sex.MALE),  # full-width digits
        ("9601012902000001", date(2000, 2, 29), Sex.MALE),  # Papua Barat Daya, leap day 2000
        ("1101010101250001", date(2025, 1, 1), Sex.MALE),  # born last year: 20YY
        ("1101010112260001", date(1926, 12, 1), Sex.MALE),  # December 26 is in the future: 1926
    ],
)
def test_valid_nik(raw: str, born: date, sex: Sex) -> None:
    nik = parse_nik(raw, today=TODAY)
    assert nik.birth_date == born
    assert nik.sex is sex
    assert len(nik.value) == 16 and nik.value.isdigit()


def test_masking_never_shows_more_than_four_digits() -> None:
    nik = parse_nik("3273010101900001", today=TODAY)
    assert nik.last4 == "0001"
    assert nik.masked == "************0001"
    assert str(nik) == nik.masked
    assert "3273" not in repr(nik) and "0001" in repr(nik)
    assert nik.province_code == "32" and nik.region_code == "327301"


@pytest.mark.parametrize(
    ("raw", "reason", "digits"),
    [
        ("", NikProblem.LENGTH, 0),
        ("327301010190001", NikProblem.LENGTH, 15),
        ("32730101019000011", NikProblem.LENGTH, 17),
        ("3273O10101900001", NikProblem.NON_DIGIT, 15),  # letter O for zero
        ("NIK 3273010101900001", NikProblem.NON_DIGIT, 16),
        ("3273/0101/0190/0001", NikProblem.NON_DIGIT, 16),
        ("2073010101900001", NikProblem.PROVINCE, 16),  # 20 is no province
        ("9973010101900001", NikProblem.PROVINCE, 16),
        ("0073010101900001", NikProblem.PROVINCE, 16),
        ("3200010101900001", NikProblem.REGION, 16),
        ("3273000101900001", NikProblem.REGION, 16),
        ("3273013201900001", NikProblem.BIRTH_DATE, 16),  # day 32
        ("3273014001900001", NikProblem.BIRTH_DATE, 16),  # day 40: neither a man's nor a woman's
        ("3273017201900001", NikProblem.BIRTH_DATE, 16),  # day 72 = 32 + 40
        ("3273010013900001", NikProblem.BIRTH_DATE, 16),  # month 13
        ("3273010000900001", NikProblem.BIRTH_DATE, 16),  # day 0
        ("3273013002900001", NikProblem.BIRTH_DATE, 16),  # 30 February
        ("3273012902010001", NikProblem.BIRTH_DATE, 16),  # 29 February 2001 / 1901
        ("3273010101900000", NikProblem.SERIAL, 16),
    ],
)
def test_invalid_nik(raw: str, reason: NikProblem, digits: int) -> None:
    with pytest.raises(InvalidNik) as caught:
        parse_nik(raw, today=TODAY)
    assert caught.value.reason is reason
    assert caught.value.digits == digits
    assert "3273" not in str(caught.value)  # the message never carries the NIK


def test_province_codes_are_the_38_provinces() -> None:
    assert len(PROVINCE_CODES) == 38
    assert all(11 <= int(code) <= 96 for code in PROVINCE_CODES)


@given(st.text(max_size=40))
def test_parse_nik_raises_only_invalid_nik(raw: str) -> None:
    try:
        nik = parse_nik(raw, today=TODAY)
    except InvalidNik:
        return
    assert nik.birth_date <= TODAY
