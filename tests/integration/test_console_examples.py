"""Example questions (``contoh_pertanyaan``) edited in the console's register and FAQ forms: saved
with the entry, shown again in its edit form, and searched by the running index at once."""

from __future__ import annotations

import html
import re

import httpx

from storage.knowledge_repository import KnowledgeRepository
from tests.integration.test_console import Desk, csrf

NEW_ENTRY = {
    "id": "DIP-2026-9100",
    "judul": "Layanan Penanganan Satwa Liar di Permukiman",
    "ringkasan": "Petugas menangkap dan memindahkan satwa liar yang masuk ke rumah warga.",
    "kategori": "setiap_saat",
    "opd": "Dinas Kesehatan",
    "opd_singkatan": "Dinkes",
    "contoh_pertanyaan": "ada musang masuk plafon rumah;  biawak di selokan belakang rumah ",
}
EXAMPLES = ("ada musang masuk plafon rumah", "biawak di selokan belakang rumah")
NEW_FAQ = {
    "id": "FAQ-901",
    "pertanyaan": "Bolehkah warga meminjam aula kantor kelurahan?",
    "jawaban": "Boleh, dengan surat permohonan ke lurah.",
    "contoh_pertanyaan": "pinjam tempat buat arisan warga\nboleh pakai gedung buat arisan gak",
}
FAQ_EXAMPLES = ("pinjam tempat buat arisan warga", "boleh pakai gedung buat arisan gak")


async def _stored(desk: Desk, entry_id: str) -> tuple[str, ...] | None:
    """The example questions stored with a register or FAQ entry (None: no such entry)."""
    async with desk.runtime.db.session() as session:
        repository = KnowledgeRepository(session)
        entry = await repository.register_entry(entry_id) or await repository.faq_entry(entry_id)
    return entry.contoh if entry is not None else None


def _textarea(page: httpx.Response, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>([^<]*)</textarea>', page.text)
    assert found, f"no {name} textarea"
    return html.unescape(found[1])


async def test_a_register_entrys_examples_are_saved_shown_and_searched(console: Desk) -> None:
    runtime = console.runtime
    query = "musang biawak"
    assert runtime.knowledge.get(NEW_ENTRY["id"]) is None  # a new entry: the sample has neither word
    rina = await console.login("rina")
    token = csrf(await rina.get("/console/register"))
    saved = await rina.post("/console/register/save", data={**NEW_ENTRY, "csrf_token": token})
    assert saved.status_code == 303
    assert await _stored(console, NEW_ENTRY["id"]) == EXAMPLES
    page = await rina.get(f"/console/register/entry/{NEW_ENTRY['id']}")
    assert page.status_code == 200
    shown = _textarea(page, "contoh_pertanyaan")
    assert all(example in shown for example in EXAMPLES)
    assert runtime.knowledge.search(query).hits[0].id == NEW_ENTRY["id"]  # at once, no restart

    # the form as shown, saved again unchanged: the same two examples, not one joined string
    values = dict(re.findall(r'<input name="(\w+)" value="([^"]*)"', page.text))
    values.update(
        {"kategori": "setiap_saat", "ringkasan": NEW_ENTRY["ringkasan"], "contoh_pertanyaan": shown}
    )
    again = await rina.post("/console/register/save", data={**values, "csrf_token": csrf(page)})
    assert again.status_code == 303
    assert await _stored(console, NEW_ENTRY["id"]) == EXAMPLES


async def test_an_example_too_long_is_refused_with_the_column_named(console: Desk) -> None:
    rina = await console.login("rina")
    token = csrf(await rina.get("/console/register"))
    too_long = {**NEW_ENTRY, "contoh_pertanyaan": "singkat; " + "panjang " * 30}
    refused = await rina.post("/console/register/save", data={**too_long, "csrf_token": token})
    assert refused.status_code == 400 and "contoh_pertanyaan" in refused.text
    assert console.runtime.knowledge.get(NEW_ENTRY["id"]) is None


async def test_an_faq_entrys_examples_are_saved_shown_and_searched(console: Desk) -> None:
    runtime = console.runtime
    assert runtime.knowledge.get(NEW_FAQ["id"]) is None
    http = await console.login("utama")
    token = csrf(await http.get("/console/register/faq"))
    saved = await http.post("/console/register/faq/save", data={**NEW_FAQ, "csrf_token": token})
    assert saved.status_code == 303
    assert await _stored(console, NEW_FAQ["id"]) == FAQ_EXAMPLES
    page = await http.get(f"/console/register/faq/entry/{NEW_FAQ['id']}")
    assert page.status_code == 200
    assert all(example in _textarea(page, "contoh_pertanyaan") for example in FAQ_EXAMPLES)
    found = runtime.knowledge.search("pinjam tempat buat arisan")
    assert found.hits and found.hits[0].id == NEW_FAQ["id"]
