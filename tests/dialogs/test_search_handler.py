"""The search handler on a fake knowledge port (found, exempt, FAQ, abstention) and on the real
engine over the sample register."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import pytest

from handlers.context import HandlerContext
from handlers.search import MAX_FAQ_LISTED, handle_search, handle_show_entry, pick_from_results, short_label
from handlers.types import Channel, ConversationInfo, ConversationState, Flow, Lang
from knowledge.faq import parse_faq
from knowledge.register import parse_register
from knowledge.search import Hit, SearchAnswer, SearchEngine
from tests.fakes import ChatHarness

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"

APBD = Hit(
    id="DIP-2024-0469",
    kind="register",
    score=97.0,
    title="Anggaran Pendapatan dan Belanja Daerah (APBD) Kota Sukamaju Tahun Anggaran 2024",
    category="berkala",
    unit="Badan Pengelolaan Keuangan dan Aset Daerah",
    year=2024,
    link="https://ppid.sukamajukota.go.id/dip/bpkad/apbd-2024",
    text="Dokumen APBD yang memuat target pendapatan dan belanja.",
)
APBD_2023 = Hit(
    id="DIP-2024-0470",
    kind="register",
    score=90.0,
    title="Anggaran Pendapatan dan Belanja Daerah (APBD) Kota Sukamaju Tahun Anggaran 2023",
    category="berkala",
    unit="Badan Pengelolaan Keuangan dan Aset Daerah",
    year=2023,
    link="https://ppid.sukamajukota.go.id/dip/bpkad/apbd-2023",
)
SALARIES = Hit(
    id="DIP-2024-0490",
    kind="register",
    score=88.0,
    title="Daftar Gaji dan Potongan Penghasilan Individual ASN",
    category="dikecualikan",
    unit="Badan Pengelolaan Keuangan dan Aset Daerah",
    year=2024,
    exemption_reason="Pasal 17 huruf h UU 14/2008; uji konsekuensi: memuat data keuangan pribadi pegawai.",
    pasal_17_letter="h",
)
DEADLINE_FAQ = Hit(
    id="FAQ-006",
    kind="faq",
    score=95.0,
    title="Berapa lama permohonan informasi dijawab?",
    link="https://ppid.sukamajukota.go.id/faq#lama",
    text="PPID wajib memberikan pemberitahuan tertulis paling lambat 10 hari kerja.",
)


@dataclass
class FakeKnowledge:
    answers: dict[str, tuple[Hit, ...]] = field(default_factory=dict)

    def search(self, query: str, limit: int = 5) -> SearchAnswer:
        return SearchAnswer(query=query, hits=self.answers.get(query, ())[:limit])

    def get(self, entry_id: str) -> Hit | None:
        every = [hit for hits in self.answers.values() for hit in hits]
        return next((hit for hit in every if hit.id == entry_id), None)

    def faq(self, limit: int = 10) -> Sequence[Hit]:
        return (DEADLINE_FAQ,)[:limit]


def make_ctx(knowledge: object) -> HandlerContext:
    now = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
    info = ConversationInfo(id=1, channel=Channel.CLI, chat_id="c1", received_at=now)
    return HandlerContext(conversation=info, now=now, knowledge=knowledge)  # type: ignore[arg-type]


FAKE = FakeKnowledge(
    {
        "apbd": (APBD, APBD_2023),
        "gaji pns": (SALARIES, APBD),
        "berapa lama dijawab": (DEADLINE_FAQ,),
    }
)


async def test_found_answer_shows_title_category_unit_year_link_and_more() -> None:
    outcome = await handle_search("apbd", ConversationState(), make_ctx(FAKE))
    best, more = outcome.replies
    assert APBD.title in best.text
    assert "informasi berkala" in best.text and "Badan Pengelolaan Keuangan" in best.text
    assert "Tahun: 2024" in best.text and best.link == APBD.link
    assert "2. " + APBD_2023.title in more.text
    assert [c.payload for c in more.choices] == ["dip:DIP-2024-0470", "gap:unhelpful"]  # then "Bukan ini"
    assert more.choices[0].label.startswith("2. Anggaran") and len(more.choices[0].label) <= 24
    assert outcome.state.flow is Flow.SEARCH_RESULTS
    assert pick_from_results("2", outcome.state) == "DIP-2024-0470"
    assert pick_from_results("no. 1", outcome.state) == "DIP-2024-0469"
    assert pick_from_results("7", outcome.state) is None
    assert pick_from_results("apbd 2", outcome.state) is None


async def test_exempt_answer_is_never_offered_as_available() -> None:
    outcome = await handle_search("gaji pns", ConversationState(), make_ctx(FAKE))
    best = outcome.replies[0]
    assert "dikecualikan" in best.text and "Pasal 17 huruf h" in best.text
    assert "data keuangan pribadi pegawai" in best.text  # the consequence test, as the reason
    assert "permohonan informasi secara resmi" in best.text and "keberatan" in best.text
    assert best.link == "" and [c.payload for c in best.choices] == ["menu:request"]


async def test_exempt_entry_in_the_list_is_marked() -> None:
    knowledge = FakeKnowledge({"apbd": (APBD, SALARIES)})
    outcome = await handle_search("apbd", ConversationState(), make_ctx(knowledge))
    assert "(dikecualikan)" in outcome.replies[1].text


async def test_faq_answer_shows_the_answer_text() -> None:
    outcome = await handle_search("berapa lama dijawab", ConversationState(), make_ctx(FAKE))
    (reply,) = outcome.replies
    assert DEADLINE_FAQ.title in reply.text and "10 hari kerja" in reply.text
    assert reply.link == DEADLINE_FAQ.link


async def test_abstention_offers_faq_request_and_officer() -> None:
    outcome = await handle_search("cara perpanjang SIM", ConversationState(flow=Flow.STATUS), make_ctx(FAKE))
    (reply,) = outcome.replies
    assert "belum menemukan" in reply.text and "cara perpanjang SIM" in reply.text
    assert [c.payload for c in reply.choices] == ["faq:list", "menu:request", "menu:officer"]
    assert outcome.state.flow is Flow.NONE


async def test_english_user_gets_english_answer() -> None:
    outcome = await handle_search("apbd", ConversationState(lang=Lang.EN), make_ctx(FAKE))
    assert "The best match" in outcome.replies[0].text and "Held by" in outcome.replies[0].text


async def test_show_entry_by_choice_keeps_the_list() -> None:
    ctx = make_ctx(FAKE)
    listed = await handle_search("apbd", ConversationState(), ctx)
    shown = await handle_show_entry("dip:DIP-2024-0470", listed.state, ctx)
    assert APBD_2023.title in shown.replies[0].text
    assert shown.state == listed.state
    gone = await handle_show_entry("dip:DIP-0000", listed.state, ctx)
    assert "sudah tidak tersedia" in gone.replies[0].text


async def test_faq_list_choice_lists_questions_to_pick() -> None:
    outcome = await handle_show_entry("faq:list", ConversationState(), make_ctx(FAKE))
    assert "1. " + DEADLINE_FAQ.title in outcome.replies[0].text
    assert pick_from_results("1", outcome.state) == "FAQ-006"


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Renja Dinkes Tahun 2024", "Renja Dinkes Tahun 2024"),
        ("Jadwal Pelayanan Posyandu Balita dan Posbindu PTM", "Jadwal Pelayanan…"),
    ],
)
def test_short_label(title: str, label: str) -> None:
    assert short_label(title) == label and len(short_label(title)) <= 24


@lru_cache(maxsize=1)
def sample_engine() -> SearchEngine:
    register = parse_register(SAMPLE / "register.csv").entries
    faq = parse_faq(SAMPLE / "faq.csv").entries
    return SearchEngine.from_entries(register, faq)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("gmn cr ngurus akte lahir", "akta kelahiran"),
        ("rekam medis pasien rsud", "dikecualikan"),
        ("berapa lama permohonan informasi dijawab?", "10 hari kerja"),
        ("cara perpanjang SIM", "bukan kewenangan pemerintah kota sukamaju"),  # the police's
        ("resep rendang padang yang empuk", "belum menemukan"),
    ],
)
async def test_real_engine_answers(query: str, expected: str) -> None:
    outcome = await handle_search(query, ConversationState(), make_ctx(sample_engine()))
    assert expected in outcome.replies[0].text.lower()


async def test_the_whole_faq_can_be_paged_through() -> None:
    engine = sample_engine()
    total = len(engine.faq(10_000))
    assert total > 2 * MAX_FAQ_LISTED  # the sample has 62 questions
    ctx = make_ctx(engine)
    seen: list[str] = []
    payload, state = "faq:list", ConversationState()
    while payload:
        outcome = await handle_show_entry(payload, state, ctx)
        reply, state = outcome.replies[0], outcome.state
        numbered = [c for c in reply.choices if c.payload.startswith("faq:FAQ")]
        assert len(reply.choices) <= 10  # a WhatsApp list
        seen += [c.payload for c in numbered]
        more = [c for c in reply.choices if c.payload.startswith("faq:list:")]
        payload = more[0].payload if more else ""
        if more:
            assert f"{len(seen) + 1}" in more[0].label and "faq " in reply.text
    assert len(seen) == total == len(set(seen))
    assert pick_from_results(str(total), state) == seen[-1].removeprefix("faq:")  # every number shown
    assert pick_from_results("1", state) == seen[0].removeprefix("faq:")


async def test_typing_faq_and_a_number_lists_from_that_question(harness: ChatHarness) -> None:
    harness.runtime.knowledge = sample_engine()
    answer = await harness.say("faq 10")
    assert "10. " in answer and "\n1. " not in answer


async def test_middling_evidence_offers_the_best_three_as_maybe() -> None:
    """A need described in everyday words: the notice of water distribution cuts is offered as
    "mungkin yang Anda maksud", not refused with "tidak ditemukan" (issue 11)."""
    query = "air PAM mati lg dr subuh, knp ya? ada pengumuman ga"
    outcome = await handle_search(query, ConversationState(), make_ctx(sample_engine()))
    (reply,) = outcome.replies
    assert reply.text.startswith("Kami belum yakin") and "Mungkin yang Anda maksud" in reply.text
    assert "Gangguan Distribusi Air" in reply.text.splitlines()[1]
    payloads = [c.payload for c in reply.choices]
    assert (
        payloads[0] == "dip:DIP-2024-0168"
        and len([p for p in payloads if p.startswith(("dip:", "faq:"))]) <= 3
    )
    assert "menu:request" in payloads and "menu:officer" in payloads
    assert outcome.state.flow is Flow.SEARCH_RESULTS  # "1" picks the first one next
    assert pick_from_results("1", outcome.state) == "DIP-2024-0168"


async def test_information_asked_for_is_searched_and_offers_the_request_form() -> None:
    outcome = await handle_search("saya mau minta data APBD", ConversationState(), make_ctx(sample_engine()))
    assert "APBD" in outcome.replies[0].text
    assert "menu:request" in [c.payload for c in outcome.replies[0].choices]


async def test_a_year_the_register_does_not_hold_offers_the_edition_it_holds_and_a_request() -> None:
    """ "LKPD 2019": not found for that year, but the citizen learns which edition the register
    holds (a button opens it) and that another year is asked for by a formal request (UU 14/2008
    Pasal 22)."""
    query = "laporan keuangan pemkot sukamaju tahun 2019"
    outcome = await handle_search(query, ConversationState(), make_ctx(sample_engine()))
    (reply,) = outcome.replies
    assert "belum ada di Daftar Informasi Publik Pemerintah Kota Sukamaju" in reply.text
    assert "Yang tersedia: Laporan Keuangan" in reply.text and "permohonan informasi" in reply.text
    payloads = [c.payload for c in reply.choices]
    assert payloads[0].startswith("dip:DIP-") and "menu:request" in payloads and "menu:officer" in payloads
    shown = await handle_show_entry(payloads[0], outcome.state, make_ctx(sample_engine()))
    assert "Laporan Keuangan" in shown.replies[0].text


async def test_a_question_about_another_region_says_so() -> None:
    outcome = await handle_search(
        "PBB kota depok jatuh tempo kapan", ConversationState(), make_ctx(sample_engine())
    )
    (reply,) = outcome.replies
    assert "tentang daerah lain" in reply.text and "Pemerintah Kota Sukamaju" in reply.text
    english = await handle_search(
        "property tax due date in depok", ConversationState(lang=Lang.EN), make_ctx(sample_engine())
    )
    assert "another region" in english.replies[0].text
