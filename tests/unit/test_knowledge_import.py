"""Register and FAQ import: the shared CSV format, XLSX, header variants, every bad row reported,
and an atomic database import (all or nothing, re-import updates by id, retire missing)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from knowledge.faq import parse_faq
from knowledge.models import Category
from knowledge.register import parse_category, parse_register
from storage.db import Database
from storage.knowledge_repository import KnowledgeRepository
from storage.models.knowledge import RegisterEntryRow

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
NOW = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)

HEADER = ["id", "judul", "ringkasan", "kategori", "opd", "tahun", "tautan", "alasan_pengecualian"]
GOOD = [
    ["DIP-1", "APBD 2024", "Anggaran kota", "berkala", "BPKAD", "2024", "https://x.go.id/apbd", ""],
    [
        "DIP-2",
        "Rekam Medis",
        "Catatan pasien",
        "dikecualikan",
        "RSUD",
        "2024",
        "",
        "Pasal 17 huruf h; rahasia",
    ],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_shared_register_and_faq_import_as_is() -> None:
    register = parse_register(SAMPLE / "register.csv")
    faq = parse_faq(SAMPLE / "faq.csv")
    assert register.ok and faq.ok
    assert len(register.entries) == 618 and len(faq.entries) == 62
    exempt = [e for e in register.entries if e.kategori is Category.DIKECUALIKAN]
    assert len(exempt) == 56 and all(e.pasal_17_letter and not e.tautan for e in exempt)
    assert register.entries[0].kata_kunci[:2] == ("profil", "struktur organisasi")


def test_xlsx_with_title_rows_and_agency_headers(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["DAFTAR INFORMASI PUBLIK PEMERINTAH KOTA SUKAMAJU"])
    sheet.append([])
    sheet.append(
        [
            "No. DIP",
            "Judul Informasi",
            "Ringkasan Isi Informasi",
            "Pejabat/Unit Penguasa Informasi",
            "Penanggung Jawab",
            "Bentuk Informasi",
            "Jangka Waktu Penyimpanan",
            "Jenis/Kategori Informasi",
            "Tahun",
        ]
    )
    sheet.append(
        [
            "A-1",
            "Renstra Dinkes",
            "Rencana",
            "Dinas Kesehatan",
            "Kadis",
            "softcopy",
            "5 tahun",
            "Berkala",
            2021.0,
        ]
    )
    sheet.append(
        ["A-2", "Info Banjir", "Peringatan", "BPBD", "Kalak", "softcopy", "darurat", "serta-merta", None]
    )
    sheet.append(
        [
            "A-3",
            "Daftar Perda",
            "Perda",
            "Bagian Hukum",
            "Kabag",
            "hardcopy",
            "permanen",
            "Tersedia Setiap Saat",
            "TA 2023",
        ]
    )
    path = tmp_path / "dip.xlsx"
    book.save(path)
    parsed = parse_register(path)
    assert parsed.ok, parsed.problems
    first, second, third = parsed.entries
    assert (first.id, first.opd, first.tahun, first.retensi) == ("A-1", "Dinas Kesehatan", 2021, "5 tahun")
    assert first.kategori is Category.BERKALA and first.bentuk == "softcopy"
    assert second.kategori is Category.SERTA_MERTA and second.tahun is None
    assert third.kategori is Category.SETIAP_SAAT and third.tahun == 2023


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Berkala", Category.BERKALA),
        ("Informasi Wajib Tersedia Setiap Saat", Category.SETIAP_SAAT),
        ("serta-merta", Category.SERTA_MERTA),
        ("Dikecualikan", Category.DIKECUALIKAN),
        ("rahasia negara", None),
        ("", None),
    ],
)
def test_category_spellings(text: str, category: Category | None) -> None:
    assert parse_category(text) is category


def test_malformed_file_lists_every_bad_row(tmp_path: Path) -> None:
    rows = [
        GOOD[0],
        ["", "Tanpa id", "", "berkala", "BPKAD", "2024", "", ""],  # row 3
        ["DIP-3", "", "", "kadang-kadang", "", "tahun lalu", "ftp://x", ""],  # row 4: five problems
        ["DIP-1", "Duplikat", "", "berkala", "BPKAD", "2024", "", ""],  # row 5
        ["DIP-4", "Gaji ASN", "", "dikecualikan", "BPKAD", "2024", "https://x.go.id/gaji", ""],  # row 6
        ["DIP-5", "x" * 501, "", "berkala", "BPKAD", "", "", ""],  # row 7
    ]
    parsed = parse_register(write_csv(tmp_path / "bad.csv", rows))
    assert not parsed.ok
    by_row: dict[int, set[str]] = {}
    for problem in parsed.problems:
        by_row.setdefault(problem.row, set()).add(problem.column)
    assert by_row == {
        3: {"id"},
        4: {"judul", "kategori", "opd", "tahun", "tautan"},
        5: {"id"},
        6: {"alasan_pengecualian", "tautan"},
        7: {"judul"},
    }
    duplicate = next(p for p in parsed.problems if p.row == 5)
    assert str(duplicate) == "row 5, column 'id': duplicate id 'DIP-1' (first on row 2)"


def test_missing_required_column_and_unknown_file_type(tmp_path: Path) -> None:
    parsed = parse_register(write_csv(tmp_path / "x.csv", [["1", "t"]], header=["id", "judul"]))
    assert [p.message for p in parsed.problems] == ["required column(s) not found: kategori, opd"]
    other = tmp_path / "dip.pdf"
    other.write_bytes(b"%PDF")
    assert "unsupported file type" in parse_register(other).problems[0].message


def test_semicolon_csv_from_excel(tmp_path: Path) -> None:
    path = tmp_path / "faq.csv"
    path.write_text(
        "ID;Pertanyaan;Jawaban\nF-1;Apa itu PPID?;Pejabat pengelola informasi.\n", encoding="utf-8"
    )
    parsed = parse_faq(path)
    assert parsed.ok and parsed.entries[0].pertanyaan == "Apa itu PPID?"


async def count_rows(db: Database, active: bool | None = None) -> int:
    query = select(func.count()).select_from(RegisterEntryRow)
    if active is not None:
        query = query.where(RegisterEntryRow.active.is_(active))
    async with db.session() as session:
        return int((await session.execute(query)).scalar_one())


async def test_import_then_reimport_updates_by_id_and_retires_missing(
    database: Database, tmp_path: Path
) -> None:
    entries = parse_register(write_csv(tmp_path / "a.csv", GOOD)).entries
    async with database.write() as session:
        first = await KnowledgeRepository(session).import_register(entries, now=NOW)
    assert (first.created, first.updated) == (2, 0)
    changed = [["DIP-1", "APBD Kota 2024", "Anggaran", "berkala", "BPKAD", "2024", "https://x.go.id/a", ""]]
    again = parse_register(write_csv(tmp_path / "b.csv", changed)).entries
    async with database.write() as session:
        second = await KnowledgeRepository(session).import_register(again, now=NOW, retire_missing=True)
    assert (second.created, second.updated, second.unchanged, second.retired) == (0, 1, 0, 1)
    async with database.session() as session:
        loaded = await KnowledgeRepository(session).load_register()
    assert [(e.id, e.judul) for e in loaded] == [("DIP-1", "APBD Kota 2024")]
    assert await count_rows(database, active=False) == 1  # retired, not deleted
    async with database.write() as session:
        third = await KnowledgeRepository(session).import_register(entries, now=NOW)
    assert (third.created, third.updated) == (0, 2)  # DIP-2 comes back, DIP-1 changes back


async def test_import_is_atomic(database: Database) -> None:
    entries = parse_register(SAMPLE / "register.csv").entries
    with pytest.raises(RuntimeError):
        async with database.write() as session:
            await KnowledgeRepository(session).import_register(entries, now=NOW)
            raise RuntimeError("the disk filled up half-way")
    assert await count_rows(database) == 0
    async with database.write() as session:
        await KnowledgeRepository(session).import_register(entries, now=NOW)
    assert await count_rows(database, active=True) == 618
    async with database.session() as session:
        loaded = {e.id: e for e in await KnowledgeRepository(session).load_register()}
    assert loaded["DIP-2024-0001"] == entries[0]
