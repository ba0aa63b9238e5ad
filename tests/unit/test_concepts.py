"""The concept layer a PPID extends (issue 11): a file of its own and learned terms in the
database, validated, picked up by the search and by the running service's index."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import pytest

from bot.knowledge_loader import LiveKnowledge, import_files
from knowledge.concepts import Concept, ConceptError, parse_concepts, read_concepts
from knowledge.faq import parse_faq
from knowledge.models import FaqEntry, RegisterEntry
from knowledge.register import parse_register
from knowledge.search import SearchEngine
from storage.db import Database
from storage.knowledge_repository import KnowledgeRepository

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
NOW = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
QUERY = "jualan kue di rumah perlu apa"
SPP_IRT = "DIP-2024-0155"  # SOP Penerbitan Sertifikat Produksi Pangan Industri Rumah Tangga
CONCEPT = Concept.make("jualan kue di rumah", "sertifikat produksi pangan industri rumah tangga; spp irt")


@lru_cache(maxsize=1)
def sample() -> tuple[list[RegisterEntry], list[FaqEntry]]:
    """The sample without its example questions (which alone lead QUERY to SPP_IRT): the concept
    layer is what is tested here."""
    register = [replace(e, contoh=()) for e in parse_register(SAMPLE / "register.csv").entries]
    return register, [replace(e, contoh=()) for e in parse_faq(SAMPLE / "faq.csv").entries]


def test_a_ppid_concept_leads_a_situation_to_its_service() -> None:
    register, faq = sample()
    assert SPP_IRT not in [h.id for h in SearchEngine.from_entries(register, faq).search(QUERY).hits[:1]]
    taught = SearchEngine.from_entries(register, faq, [CONCEPT])
    assert taught.search(QUERY).hits[0].id == SPP_IRT


@pytest.mark.parametrize(
    ("situation", "services", "problem"),
    [
        ("", "nib", "empty"),
        ("🙏", "nib", "empty"),
        ("jualan", " ; ;", "no service"),
        ("x" * 201, "nib", "longer than"),
        ("jualan", ";".join(f"s{i}" for i in range(11)), "at most"),
    ],
)
def test_bad_concepts_are_refused(situation: str, services: str, problem: str) -> None:
    with pytest.raises(ConceptError, match=problem):
        Concept.make(situation, services)


def test_concepts_file_reports_every_bad_line(tmp_path: Path) -> None:
    text = "# comment\njualan di rumah\tizin usaha mikro; nib\nno tab here\n\t nib\n"
    concepts, problems = parse_concepts(text)
    assert concepts == [Concept("jualan di rumah", ("izin usaha mikro", "nib"))]
    assert problems == [
        "line 3: no tab between the situation and its services",
        "line 4: the situation is empty",
    ]
    path = tmp_path / "concepts.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConceptError, match="line 3"):
        read_concepts(path)


async def test_learned_concepts_are_stored_listed_and_retired(database: Database) -> None:
    async with database.write() as session:
        first = await KnowledgeRepository(session).add_concept(CONCEPT, now=NOW)
        await KnowledgeRepository(session).add_concept(Concept.make("buka warung", "nib"), now=NOW)
    async with database.write() as session:
        assert await KnowledgeRepository(session).retire_concept(first, now=NOW)
        assert not await KnowledgeRepository(session).retire_concept(first, now=NOW)
    async with database.session() as session:
        assert await KnowledgeRepository(session).load_concepts() == [Concept("buka warung", ("nib",))]


async def import_sample(database: Database) -> None:
    register, faq = sample()
    async with database.write() as session:
        await KnowledgeRepository(session).import_register(register, now=NOW)
        await KnowledgeRepository(session).import_faq(faq, now=NOW)


async def test_the_running_index_picks_up_a_learned_concept(database: Database) -> None:
    await import_sample(database)
    live = LiveKnowledge(database)
    assert await live.refresh()
    assert SPP_IRT not in [h.id for h in live.search(QUERY).hits[:1]]
    async with database.write() as session:
        await KnowledgeRepository(session).add_concept(CONCEPT, now=NOW + timedelta(seconds=1))
    assert await live.refresh()  # the stamp saw the new concept
    assert live.search(QUERY).hits[0].id == SPP_IRT
    assert not await live.refresh()


async def test_the_running_index_reads_the_ppid_file(database: Database, tmp_path: Path) -> None:
    await import_files(database, SAMPLE / "register.csv", SAMPLE / "faq.csv")
    path = tmp_path / "concepts.txt"
    path.write_text(CONCEPT.line() + "\n", encoding="utf-8")
    live = LiveKnowledge(database, concepts_file=str(path))
    assert await live.refresh()
    assert live.search(QUERY).hits[0].id == SPP_IRT


def test_cli_adds_lists_and_removes_concepts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main
    from bot.settings import get_settings

    monkeypatch.setenv("TANYA_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/tanya.db")
    get_settings.cache_clear()
    try:
        assert main(["concepts", "add", "jualan di rumah", "izin usaha mikro; nib"]) == 0
        assert main(["concepts", "list"]) == 0
        assert "1\tjualan di rumah\tizin usaha mikro; nib" in capsys.readouterr().out
        assert main(["concepts", "add", "  ", "nib"]) == 2
        assert main(["concepts", "remove", "1"]) == 0
        assert main(["concepts", "remove", "1"]) == 1
        capsys.readouterr()
        assert main(["concepts", "list"]) == 0
        assert capsys.readouterr().out == ""
        good = tmp_path / "good.txt"
        good.write_text(CONCEPT.line() + "\n", encoding="utf-8")
        assert main(["concepts", "check", str(good)]) == 0
        bad = tmp_path / "bad.txt"
        bad.write_text("no tab\n", encoding="utf-8")
        assert main(["concepts", "check", str(bad)]) == 1
    finally:
        get_settings.cache_clear()


def test_search_cli_refuses_a_bad_concepts_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    bad = tmp_path / "bad.txt"
    bad.write_text("no tab\n", encoding="utf-8")
    args = ["search", "--register", str(SAMPLE / "register.csv"), "--concepts", str(bad), "apbd"]
    assert main(args) == 1
    assert "line 1: no tab" in capsys.readouterr().err
    missing = [
        "search",
        "--register",
        str(SAMPLE / "register.csv"),
        "--concepts",
        str(tmp_path / "no.txt"),
        "apbd",
    ]
    assert main(missing) == 1
