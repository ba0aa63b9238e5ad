"""Reply tools in a live hand-off: search the register/FAQ and insert an answer, saved replies per
OPD, and private notes a citizen never sees; each change audited, each refused across OPDs."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from storage.models import OutboxMessage
from storage.models.console import ConversationNote
from tests.dialogs.test_search_handler import DEADLINE_FAQ, FakeKnowledge
from tests.integration.test_console import Desk, csrf, desk  # noqa: F401 (the fixture)

# ruff: noqa: F811 (the fixture is a parameter of each test)


async def _waiting(desk: Desk, chat_id: str, opd: str) -> str:
    await desk.chat.say("chat dengan petugas", chat_id)
    admin = await desk.login("utama")
    found = re.search(r'href="/console/conversations/(\d+)"', (await admin.get("/console/inbox")).text)
    assert found
    conversation = f"/console/conversations/{found.group(1)}"
    token = csrf(await admin.get(conversation))
    await admin.post(f"{conversation}/route", data={"text": opd, "csrf_token": token})
    await desk.chat.harness.settle()
    return conversation


async def test_search_inserts_the_answer_the_bot_would_give(desk: Desk) -> None:
    desk.runtime.knowledge = FakeKnowledge({"lama jawab": (DEADLINE_FAQ,)})
    conversation = await _waiting(desk, "u6", "DINKES")
    rina = await desk.login("rina")
    page = await rina.get(f"{conversation}?q=lama+jawab")
    assert page.status_code == 200 and DEADLINE_FAQ.title in page.text
    link = re.search(r'href="([^"]+insert=[^"#]+)', page.text)
    assert link
    filled = await rina.get(html.unescape(link.group(1)))
    box = re.search(r'<textarea name="text" id="reply-text"[^>]*>([^<]*)</textarea>', filled.text)
    assert box and "10 hari kerja" in html.unescape(box.group(1))
    assert "Tidak ada yang cocok" in (await rina.get(f"{conversation}?q=zzz")).text


async def test_saved_replies_are_kept_per_opd(desk: Desk) -> None:
    conversation = await _waiting(desk, "u6", "DINKES")
    rina, budi, admin = await desk.login("rina"), await desk.login("budi"), await desk.login("utama")
    token = csrf(await rina.get("/console/saved-replies"))
    added = await rina.post("/console/saved-replies", data={"opd": "DINKES", "title": "Jam layanan",
                            "body": "Layanan PPID Dinkes buka Senin-Jumat 08.00-16.00.", "csrf_token": token})  # fmt: skip
    assert added.status_code == 303
    assert (await rina.post("/console/saved-replies", data={"opd": "DISDIK", "title": "x", "body": "y",
                                                          "csrf_token": token})).status_code == 403  # fmt: skip
    empty = await rina.post("/console/saved-replies", data={"opd": "DINKES", "title": "", "body": "",
                                                           "csrf_token": token})  # fmt: skip
    assert empty.status_code == 400 and "wajib diisi" in empty.text
    admin_token = csrf(await admin.get("/console/saved-replies"))
    await admin.post("/console/saved-replies", data={"opd": "", "title": "Salam", "body": "Selamat siang.",
                                                     "csrf_token": admin_token})  # fmt: skip
    budi_page = await budi.get("/console/saved-replies")
    assert "Selamat siang." in budi_page.text and "Jam layanan" not in budi_page.text  # not DISDIK's
    page = await rina.get(conversation)
    saved = re.search(r'href="([^"]+saved=(\d+))[^"]*">', page.text)
    assert saved and "Jam layanan" in page.text and "Salam" in page.text
    filled = await rina.get(html.unescape(saved.group(1)))
    assert "Layanan PPID Dinkes buka" in filled.text or "Selamat siang." in filled.text
    rina_id = re.findall(
        r"/console/saved-replies/(\d+)/remove", (await rina.get("/console/saved-replies")).text
    )
    assert len(rina_id) == 1  # she may remove her OPD's, not the PPID Utama's
    budi_token = csrf(budi_page)
    assert (
        await budi.post(f"/console/saved-replies/{rina_id[0]}/remove", data={"csrf_token": budi_token})
    ).status_code == 403
    assert (
        await rina.post(f"/console/saved-replies/{rina_id[0]}/remove", data={"csrf_token": token})
    ).status_code == 303
    actions = [(a, t) for _, a, t in await desk.audit() if a.startswith("saved_reply")]
    assert [a for a, _ in actions] == ["saved_reply_add", "saved_reply_add", "saved_reply_remove"]
    coordinator = await desk.login("pakrt")
    assert (await coordinator.get("/console/saved-replies")).status_code == 403


async def test_a_private_note_is_never_sent_to_the_citizen(desk: Desk) -> None:
    conversation = await _waiting(desk, "u6", "DINKES")
    rina = await desk.login("rina")
    token = csrf(await rina.get(conversation))
    async with desk.runtime.db.session() as session:
        before = len((await session.scalars(select(OutboxMessage))).all())
    noted = await rina.post(f"{conversation}/note", data={"text": "Warga ini sudah menelepon dua kali.",
                                                          "csrf_token": token})  # fmt: skip
    assert noted.status_code == 303
    await desk.chat.harness.settle()
    async with desk.runtime.db.session() as session:
        assert len((await session.scalars(select(OutboxMessage))).all()) == before  # nothing queued
        [note] = (await session.scalars(select(ConversationNote))).all()
    assert b"menelepon" not in note.body_enc  # sealed
    page = await rina.get(conversation)
    assert "Warga ini sudah menelepon dua kali." in page.text
    assert all("menelepon" not in r.text for r in desk.chat.sender.sent["u6"])
    target = "conversation:" + conversation.rsplit("/", 1)[1]
    assert ("officer:rina", "note_add", target) in await desk.audit()
    budi = await desk.login("budi")
    refused = await budi.post(
        f"{conversation}/note", data={"text": "x", "csrf_token": csrf(await budi.get("/console"))}
    )
    assert refused.status_code == 404
