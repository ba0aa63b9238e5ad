"""Register (Daftar Informasi Publik) and FAQ entries as plain, immutable values.

The register and its categories follow UU 14/2008 Pasal 9-11 and 17 and Perki 1/2021.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """The four classes of public information (UU 14/2008 Pasal 9, 10, 11 and 17)."""

    BERKALA = "berkala"  # Pasal 9: published periodically
    SERTA_MERTA = "serta_merta"  # Pasal 10: announced immediately
    SETIAP_SAAT = "setiap_saat"  # Pasal 11: available at any time on request
    DIKECUALIKAN = "dikecualikan"  # Pasal 17: exempt after a consequence test (Pasal 19)


class EntryKind(StrEnum):
    REGISTER = "register"
    FAQ = "faq"


_PASAL_17 = re.compile(r"pasal\s*17\s*(?:huruf\s*)?([a-j])\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One row of the DIP. ``tahun`` is the year the information refers to, if any."""

    id: str
    judul: str
    ringkasan: str
    kategori: Category
    opd: str
    opd_singkatan: str = ""
    penanggung_jawab: str = ""
    bentuk: str = ""
    tahun: int | None = None
    retensi: str = ""
    tautan: str = ""
    kata_kunci: tuple[str, ...] = ()
    alasan_pengecualian: str = ""
    contoh: tuple[str, ...] = ()  # example questions citizens ask for it (``contoh_pertanyaan``)
    active: bool = True

    @property
    def is_exempt(self) -> bool:
        return self.kategori is Category.DIKECUALIKAN

    @property
    def pasal_17_letter(self) -> str:
        """The letter of UU 14/2008 Pasal 17 named in ``alasan_pengecualian`` ("" if none)."""
        match = _PASAL_17.search(self.alasan_pengecualian)
        return match.group(1).lower() if match else ""


@dataclass(frozen=True, slots=True)
class FaqEntry:
    id: str
    pertanyaan: str
    jawaban: str
    tautan: str = ""
    contoh: tuple[str, ...] = ()  # other ways citizens ask it (``contoh_pertanyaan``)
    active: bool = True


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """A problem found in one row (``row`` is the line/row number as a spreadsheet shows it)."""

    row: int
    message: str
    column: str = ""

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.message}"
