"""The NIK (Nomor Induk Kependudukan): 16 digits on the KTP.

Layout: 2 province, 2 regency/city, 2 district, 6 date of birth DDMMYY (DD + 40 for women),
4 serial. Only the shape can be checked here; the bot cannot ask Dukcapil whether it exists.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from handlers.domain.errors import InvalidNik, NikProblem

NIK_LENGTH = 16
_SEPARATORS = frozenset(".-")  # and any whitespace
_FEMALE_DAY_OFFSET = 40

# Province codes of Kemendagri (Dukcapil) in use in NIKs, including Papua's since 2022.
PROVINCE_CODES: dict[str, str] = {
    "11": "Aceh",
    "12": "Sumatera Utara",
    "13": "Sumatera Barat",
    "14": "Riau",
    "15": "Jambi",
    "16": "Sumatera Selatan",
    "17": "Bengkulu",
    "18": "Lampung",
    "19": "Kepulauan Bangka Belitung",
    "21": "Kepulauan Riau",
    "31": "DKI Jakarta",
    "32": "Jawa Barat",
    "33": "Jawa Tengah",
    "34": "DI Yogyakarta",
    "35": "Jawa Timur",
    "36": "Banten",
    "51": "Bali",
    "52": "Nusa Tenggara Barat",
    "53": "Nusa Tenggara Timur",
    "61": "Kalimantan Barat",
    "62": "Kalimantan Tengah",
    "63": "Kalimantan Selatan",
    "64": "Kalimantan Timur",
    "65": "Kalimantan Utara",
    "71": "Sulawesi Utara",
    "72": "Sulawesi Tengah",
    "73": "Sulawesi Selatan",
    "74": "Sulawesi Tenggara",
    "75": "Gorontalo",
    "76": "Sulawesi Barat",
    "81": "Maluku",
    "82": "Maluku Utara",
    "91": "Papua",
    "92": "Papua Barat",
    "93": "Papua Selatan",
    "94": "Papua Tengah",
    "95": "Papua Pegunungan",
    "96": "Papua Barat Daya",
}


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True, slots=True)
class Nik:
    """A NIK of plausible shape. ``repr`` and ``str`` are masked so it never lands in a log."""

    value: str = field(repr=False)
    birth_date: date = field(repr=False)
    sex: Sex = field(repr=False)

    @property
    def province_code(self) -> str:
        return self.value[:2]

    @property
    def region_code(self) -> str:
        """Province, regency/city and district: the six-digit Kemendagri area code."""
        return self.value[:6]

    @property
    def last4(self) -> str:
        return self.value[-4:]

    @property
    def masked(self) -> str:
        """``"************1234"``: what officers without need and every log see (UU 27/2022)."""
        return "*" * (NIK_LENGTH - 4) + self.last4

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"Nik({self.masked})"


def _digits(raw: str) -> str:
    """``raw`` without separators, full-width digits folded; InvalidNik if anything else is left."""
    text = "".join(ch for ch in unicodedata.normalize("NFKC", raw) if not (ch.isspace() or ch in _SEPARATORS))
    if any(ch not in "0123456789" for ch in text):
        raise InvalidNik(NikProblem.NON_DIGIT, sum(ch in "0123456789" for ch in text))
    return text


def _birth_date(ddmmyy: str, today: date) -> tuple[date, Sex]:
    day, month, yy = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    sex = Sex.MALE
    if day > _FEMALE_DAY_OFFSET:
        day, sex = day - _FEMALE_DAY_OFFSET, Sex.FEMALE
    for century in (2000, 1900):  # the latest date of birth that is not in the future
        try:
            born = date(century + yy, month, day)
        except ValueError:
            continue
        if born <= today:
            return born, sex
    raise InvalidNik(NikProblem.BIRTH_DATE, NIK_LENGTH)


def parse_nik(raw: str, *, today: date | None = None) -> Nik:
    """Check the shape of a NIK; spaces, dots and dashes between digits are allowed.

    Raises :class:`InvalidNik` with the reason: non-digits, length, an unknown province code,
    regency or district code 00, an impossible date of birth (DD + 40 for women), serial 0000.
    ``today`` (default: the system date) decides the century of the year of birth.
    """
    digits = _digits(raw)
    if len(digits) != NIK_LENGTH:
        raise InvalidNik(NikProblem.LENGTH, len(digits))
    if digits[:2] not in PROVINCE_CODES:
        raise InvalidNik(NikProblem.PROVINCE, NIK_LENGTH)
    if digits[2:4] == "00" or digits[4:6] == "00":
        raise InvalidNik(NikProblem.REGION, NIK_LENGTH)
    born, sex = _birth_date(digits[6:12], today or date.today())
    if digits[12:] == "0000":
        raise InvalidNik(NikProblem.SERIAL, NIK_LENGTH)
    return Nik(digits, born, sex)
