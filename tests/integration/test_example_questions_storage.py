"""Example questions (``contoh_pertanyaan``, revision 0017) stored with their register and FAQ
entries, on SQLite and PostgreSQL: imported, loaded back, counted as a change, searched by the
running index; ``tanya search --register FILE`` reads the column too."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.cli import main
from bot.knowledge_loader import LiveKnowledge
from bot.settings import get_settings
from knowledge.models import Category, FaqEntry, RegisterEntry
from storage import migrate
from storage.db import Database
from storage.knowledge_repository import ImportSummary, KnowledgeRepository

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
BEFORE = "0016_upload_jobs"
PASSWORD = "a-long-password-123\n"


def _entry(entry_id: str, judul: str, ringkasan: str, contoh: tuple[str, ...] = ()) -> RegisterEntry:
    return RegisterEntry(
        id=entry_id,
        judul=judul,
        ringkasan=ringkasan,
        kategori=Category.BERKALA,
        opd="Dinas Kesehatan",
        opd_singkatan="Dinkes",
        contoh=contoh,
    )


REGISTER = [
    _entry("DIP-1", "Daftar Puskesmas dan Jam Pelayanan", "Alamat dan jam buka puskesmas di kota."),
    _entry("DIP-2", "Jadwal Imunisasi Anak", "Jadwal imunisasi dasar lengkap di posyandu."),
    _entry("DIP-3", "Data Kemiskinan Kota", "Jumlah penduduk miskin per kecamatan."),
    _entry("DIP-4", "Rencana Tata Ruang Wilayah", "Peta RTRW kota."),
    _entry(
        "DIP-8",
        "Laporan Kegiatan Kesehatan Lingkungan",
        "Kegiatan sanitasi.",
        ("kapan fogging di kampung kami", "banyak nyamuk di gang, kapan disemprot?"),
    ),
]
FAQ = [
    FaqEntry(
        "FAQ-1",
        "Berapa lama permohonan informasi diproses?",
        "Paling lambat 10 hari kerja.",
        contoh=("apakah surat permohonan harus pakai materai?", "berapa hari nunggu jawaban"),
    ),
    FaqEntry("FAQ-2", "Apa itu PPID?", "Pejabat pengelola informasi dan dokumentasi."),
]


async def _import(
    database: Database, register: list[RegisterEntry], faq: list[FaqEntry], now: datetime = NOW
) -> tuple[ImportSummary, ImportSummary]:
    async with database.write() as session:
        repository = KnowledgeRepository(session)
        return await repository.import_register(register, now=now), await repository.import_faq(faq, now=now)


async def test_examples_are_stored_and_loaded_back(database: Database) -> None:
    created = await _import(database, REGISTER, FAQ)
    assert created == (ImportSummary(created=5), ImportSummary(created=2))
    async with database.session() as session:
        repository = KnowledgeRepository(session)
        register, faq = await repository.load_register(), await repository.load_faq()
        one = await repository.register_entry("DIP-8")
        question = await repository.faq_entry("FAQ-1")
    assert register == REGISTER and faq == FAQ  # every field, the examples in their order
    assert one is not None and one.contoh == REGISTER[-1].contoh
    assert question is not None and question.contoh == FAQ[0].contoh
    assert [e.contoh for e in register if e.id != "DIP-8"] == [(), (), (), ()]
    assert await _import(database, REGISTER, FAQ, NOW + timedelta(minutes=1)) == (
        ImportSummary(unchanged=5),
        ImportSummary(unchanged=2),
    )


async def test_changing_only_the_examples_is_an_update(database: Database) -> None:
    await _import(database, REGISTER, FAQ)
    register = [*REGISTER[:-1], replace(REGISTER[-1], contoh=("lingkungan kotor banyak tikus",))]
    faq = [replace(FAQ[0], contoh=()), FAQ[1]]  # examples removed
    again = await _import(database, register, faq, NOW + timedelta(minutes=1))
    assert again == (ImportSummary(updated=1, unchanged=4), ImportSummary(updated=1, unchanged=1))
    async with database.session() as session:
        repository = KnowledgeRepository(session)
        assert await repository.load_register() == register
        assert await repository.load_faq() == faq
    added = [*register[:1], replace(register[1], contoh=("jadwal suntik anak",)), *register[2:]]
    assert (await _import(database, added, faq, NOW + timedelta(minutes=2)))[0] == ImportSummary(
        updated=1, unchanged=4
    )


async def test_the_running_index_finds_an_entry_by_a_word_of_its_examples(database: Database) -> None:
    plain = [replace(e, contoh=()) for e in REGISTER]
    await _import(database, plain, [replace(f, contoh=()) for f in FAQ])
    live = LiveKnowledge(database)
    assert await live.refresh()
    assert live.search("nyamuk disemprot").hits == () and live.search("pakai materai").hits == ()
    await _import(database, REGISTER, FAQ, NOW + timedelta(seconds=1))  # the examples come in
    assert await live.refresh()
    assert live.search("nyamuk disemprot").hits[0].id == "DIP-8"
    assert live.search("pakai materai").hits[0].id == "FAQ-1"
    assert not await live.refresh()


def _columns(connection: Connection, table: str) -> set[str]:
    return {c["name"] for c in inspect(connection).get_columns(table)}


async def test_rows_from_before_the_migration_have_no_examples(empty_db: Database) -> None:
    """Revision 0017 adds the column with "" to existing rows (they load with no examples), and
    goes down again."""
    await migrate.upgrade(empty_db, BEFORE)
    async with empty_db.write() as session:
        await session.execute(
            text(
                "INSERT INTO faq_entries (id, pertanyaan, jawaban, tautan, active, created_at, updated_at) "
                "VALUES ('FAQ-1', 'Apa itu PPID?', 'Pejabat informasi.', '', :yes, :now, :now)"
            ),
            {"yes": True, "now": NOW},
        )
    await migrate.upgrade(empty_db, "0017_example_questions")
    async with empty_db.session() as session:
        assert await KnowledgeRepository(session).load_faq() == [
            FaqEntry("FAQ-1", "Apa itu PPID?", "Pejabat informasi.")
        ]
        connection = await session.connection()
        for table in ("register_entries", "faq_entries"):
            assert "contoh_pertanyaan" in await connection.run_sync(_columns, table)
    await migrate.downgrade(empty_db, BEFORE)
    async with empty_db.session() as session:
        connection = await session.connection()
        for table in ("register_entries", "faq_entries"):
            assert "contoh_pertanyaan" not in await connection.run_sync(_columns, table)


# --- the shell ---

REGISTER_CSV = [
    ["id", "judul", "ringkasan", "kategori", "opd", "opd_singkatan", "Contoh Pertanyaan"],
    *[[e.id, e.judul, e.ringkasan, "berkala", e.opd, e.opd_singkatan, "; ".join(e.contoh)] for e in REGISTER],
]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


def _search(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["search", *args, "--json"]) == 0
    line: dict[str, object] = json.loads(capsys.readouterr().out)
    return line


def test_search_from_a_file_finds_an_entry_by_a_word_of_its_examples(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _csv(tmp_path / "dip.csv", REGISTER_CSV)
    found = _search(capsys, "--register", str(path), "nyamuk", "disemprot")
    results = found["results"]
    assert isinstance(results, list) and results and results[0]["id"] == "DIP-8"
    assert found["query"] == "nyamuk disemprot"
    without = _csv(tmp_path / "plain.csv", [row[:-1] for row in REGISTER_CSV])
    assert _search(capsys, "--register", str(without), "nyamuk", "disemprot")["results"] == []


@pytest.fixture
def shell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A database holding FAQ-1 with its examples, and a PPID Utama account."""
    monkeypatch.setenv("TANYA_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/t.db")
    monkeypatch.setenv("TANYA_SECRET_KEY", "test-secret-key-0123456789abcdefghijklmnop")
    get_settings.cache_clear()
    faq = _csv(
        tmp_path / "faq.csv",
        [
            ["id", "pertanyaan", "jawaban", "contoh_pertanyaan"],
            *[[f.id, f.pertanyaan, f.jawaban, "\n".join(f.contoh)] for f in FAQ],
        ],
    )
    assert main(["import-faq", str(faq)]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD))
    assert main(["user", "add", "utama", "--role", "admin", "--password-stdin"]) == 0
    yield tmp_path
    get_settings.cache_clear()


def test_imported_examples_are_searched_from_the_database(
    shell: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    results = _search(capsys, "pakai", "materai")["results"]
    assert isinstance(results, list) and results and results[0]["id"] == "FAQ-1"
    capsys.readouterr()
    assert main(["faq", "show", "FAQ-1", "--as", "utama"]) == 0
    assert f"contoh_pertanyaan: {' | '.join(FAQ[0].contoh)}" in capsys.readouterr().out


def test_changing_an_faq_answer_from_the_shell_keeps_its_examples(
    shell: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    question = FAQ[0]
    changed = [
        "faq",
        "set",
        question.id,
        "--question",
        question.pertanyaan,
        "--answer",
        "Paling lambat 7 hari.",
    ]
    assert main([*changed, "--as", "utama"]) == 0
    assert "FAQ-1 changed" in capsys.readouterr().out
    assert main(["faq", "show", "FAQ-1", "--as", "utama"]) == 0
    assert f"contoh_pertanyaan: {' | '.join(question.contoh)}" in capsys.readouterr().out


def test_faq_set_with_examples_replaces_them(shell: Path, capsys: pytest.CaptureFixture[str]) -> None:
    question = FAQ[0]
    args = ["faq", "set", question.id, "--question", question.pertanyaan, "--answer", question.jawaban]
    assert main([*args, "--examples", "kapan dijawab; berapa hari kerja", "--as", "utama"]) == 0
    capsys.readouterr()
    assert main(["faq", "show", "FAQ-1", "--as", "utama"]) == 0
    assert "contoh_pertanyaan: kapan dijawab | berapa hari kerja" in capsys.readouterr().out
