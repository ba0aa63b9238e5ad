"""Import the Daftar Informasi Publik (DIP) from CSV or XLSX, validating every row.

The fields follow Perki 1/2021 (ringkasan isi, pejabat/unit penguasa informasi, penanggung jawab,
waktu/tempat pembuatan, bentuk, jangka waktu penyimpanan) and UU 14/2008 Pasal 9-11 and 17 for the
category. An exempt entry must state its Pasal 17 letter and reason and must not carry a link.
"""

from __future__ import annotations

import re

from knowledge.examples import EXAMPLE_COLUMN_NAMES, example_problem, split_examples
from knowledge.importing import ParsedFile, parse_file
from knowledge.models import Category, ImportProblem, RegisterEntry
from knowledge.tabular import OnRow, Source, fold_header

# Folded header spellings per field (see tabular.fold_header); longest match wins.
REGISTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "kode", "kode informasi", "nomor informasi", "no dip", "id informasi", "nomor", "no"),
    "judul": ("judul", "judul informasi", "nama informasi", "informasi", "title"),
    "ringkasan": (
        "ringkasan",
        "ringkasan isi",
        "ringkasan isi informasi",
        "ringkasan informasi",
        "isi informasi",
        "deskripsi",
        "summary",
    ),
    "kategori": (
        "kategori",
        "kategori informasi",
        "jenis kategori informasi",
        "jenis informasi",
        "klasifikasi informasi",
        "klasifikasi",
        "sifat informasi",
        "category",
    ),
    "opd": (
        "opd",
        "pejabat unit penguasa informasi",
        "unit penguasa informasi",
        "pejabat penguasa informasi",
        "penguasa informasi",
        "pejabat yang menguasai informasi",
        "unit kerja",
        "perangkat daerah",
        "unit",
    ),
    "opd_singkatan": ("opd singkatan", "singkatan opd", "singkatan unit", "singkatan", "kode opd"),
    "penanggung_jawab": (
        "penanggung jawab",
        "penanggungjawab",
        "pejabat penanggung jawab",
        "penanggung jawab pembuatan informasi",
        "penanggung jawab penerbitan informasi",
    ),
    "bentuk": ("bentuk", "bentuk informasi", "bentuk informasi yang tersedia", "format"),
    "tahun": (
        "tahun",
        "tahun informasi",
        "tahun pembuatan",
        "waktu pembuatan",
        "waktu dan tempat pembuatan informasi",
        "waktu pembuatan informasi",
        "year",
    ),
    "retensi": (
        "retensi",
        "masa retensi",
        "jangka waktu penyimpanan",
        "jangka waktu penyimpanan atau retensi arsip",
        "jangka waktu penyimpanan retensi arsip",
    ),
    "tautan": ("tautan", "tautan informasi", "link", "link informasi", "alamat tautan", "url"),
    "kata_kunci": ("kata kunci", "kata kunci informasi", "keywords", "keyword", "tag", "tags"),
    "alasan_pengecualian": (
        "alasan pengecualian",
        "alasan dikecualikan",
        "dasar pengecualian",
        "alasan",
        "uji konsekuensi",
    ),
    "contoh_pertanyaan": EXAMPLE_COLUMN_NAMES,
}
REQUIRED = ("id", "judul", "kategori", "opd")

MAX_TITLE = 500
MAX_TEXT = 5000
MAX_ID = 64
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|2100)(?!\d)")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_PASAL_17 = re.compile(r"pasal\s*17\b.*?\b(?:huruf\s*)?[a-j]\b", re.IGNORECASE)

# Folded category spellings ("Tersedia Setiap Saat", "serta-merta", "Wajib Berkala", "Exempt" ...)
_CATEGORY_WORDS: tuple[tuple[str, Category], ...] = (
    ("dikecualikan", Category.DIKECUALIKAN),
    ("kecuali", Category.DIKECUALIKAN),
    ("exempt", Category.DIKECUALIKAN),
    ("tertutup", Category.DIKECUALIKAN),
    ("sertamerta", Category.SERTA_MERTA),
    ("immediate", Category.SERTA_MERTA),
    ("setiapsaat", Category.SETIAP_SAAT),
    ("anytime", Category.SETIAP_SAAT),
    ("onrequest", Category.SETIAP_SAAT),
    ("berkala", Category.BERKALA),
    ("periodic", Category.BERKALA),
)


def parse_category(text: str) -> Category | None:
    """Accept the usual spellings of the four categories; ``None`` when none fits."""
    squashed = fold_header(text).replace(" ", "")
    if not squashed:
        return None
    for word, category in _CATEGORY_WORDS:
        if word in squashed:
            return category
    return None


def parse_year(text: str) -> int | None:
    """The first plausible year in ``text`` ("2024", "TA 2024", "2021-2026", "2024.0")."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def split_keywords(text: str) -> tuple[str, ...]:
    parts = re.split(r"[;,|\n]", text)
    return tuple(dict.fromkeys(p.strip().lower() for p in parts if p.strip()))


def parse_register_row(number: int, values: dict[str, str]) -> RegisterEntry | list[ImportProblem]:
    """Validate one register row; every problem of the row is returned, not just the first."""
    problems: list[ImportProblem] = []

    def problem(column: str, message: str) -> None:
        problems.append(ImportProblem(number, message, column))

    entry_id = values.get("id", "")
    if not entry_id:
        problem("id", "id is empty")
    elif len(entry_id) > MAX_ID or not _ID.match(entry_id):
        problem("id", f"id {entry_id[:40]!r} must be letters, digits, '.', '-', '_' or '/' (max {MAX_ID})")
    title = values.get("judul", "")
    if not title:
        problem("judul", "title is empty")
    elif len(title) > MAX_TITLE:
        problem("judul", f"title is longer than {MAX_TITLE} characters")
    for column in ("ringkasan", "alasan_pengecualian"):
        if len(values.get(column, "")) > MAX_TEXT:
            problem(column, f"text is longer than {MAX_TEXT} characters")
    raw_category = values.get("kategori", "")
    category = parse_category(raw_category)
    if category is None:
        problem(
            "kategori",
            f"unknown category {raw_category[:40]!r} (berkala, serta merta, setiap saat or dikecualikan)",
        )
    if not values.get("opd", ""):
        problem("opd", "the unit holding the information (OPD) is empty")
    raw_year = values.get("tahun", "")
    year = parse_year(raw_year)
    if raw_year and year is None:
        problem("tahun", f"no year in {raw_year[:40]!r}")
    link = values.get("tautan", "")
    if link and not _URL.match(link):
        problem("tautan", f"link {link[:60]!r} is not an http(s) address")
    examples = split_examples(values.get("contoh_pertanyaan", ""))
    if wrong := example_problem(examples):
        problem("contoh_pertanyaan", wrong)
    reason = values.get("alasan_pengecualian", "")
    if category is Category.DIKECUALIKAN:
        if not _PASAL_17.search(reason):
            problem(
                "alasan_pengecualian",
                "an exempt entry needs its reason with the letter of UU 14/2008 Pasal 17 (Pasal 17 huruf a-j)",
            )
        if link:
            problem("tautan", "an exempt entry must not carry a link to its content")
    if problems or category is None:
        return problems
    return RegisterEntry(
        id=entry_id,
        judul=" ".join(title.split()),
        ringkasan=values.get("ringkasan", ""),
        kategori=category,
        opd=" ".join(values.get("opd", "").split()),
        opd_singkatan=values.get("opd_singkatan", ""),
        penanggung_jawab=values.get("penanggung_jawab", ""),
        bentuk=values.get("bentuk", ""),
        tahun=year,
        retensi=values.get("retensi", ""),
        tautan=link,
        kata_kunci=split_keywords(values.get("kata_kunci", "")),
        alasan_pengecualian=reason if category is Category.DIKECUALIKAN else "",
        contoh=examples,
    )


def parse_register(
    path: Source, *, progress: bool = False, on_row: OnRow | None = None
) -> ParsedFile[RegisterEntry]:
    """Read and validate a register file; import it only if the result has no problems."""
    return parse_file(
        path, REGISTER_COLUMNS, REQUIRED, parse_register_row, lambda e: e.id, progress=progress, on_row=on_row
    )
