"""Answer documents and the written notice from the console (issue 10): an upload checked as
intake checks a citizen's file, kept encrypted with its request, sent on the chat only when the
requester chose "lewat chat ini"; the notice as a page and a PDF; a file in a hand-off reply."""

from __future__ import annotations

import re

from sqlalchemy import select

from handlers.types import Reply
from storage.attachments import AttachmentStore
from storage.models.requests import StoredAttachment
from tests.dialogs.requests_chat import GOOD
from tests.integration.test_console import Desk, csrf, desk  # noqa: F401 (the fixture)

# ruff: noqa: F811 (the fixture is a parameter of each test)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHAT_COPY = [(a, e) if a != "4" else ("5", ["foto KTP"]) for a, e in GOOD]  # "lewat chat ini"


async def _chat_request(desk: Desk, chat_id: str) -> str:
    await desk.chat.transcript(CHAT_COPY, chat_id)
    answer = await desk.chat.say("1", chat_id)
    number = next(w for w in answer.replace(".", " ").split() if w.startswith("PPID-"))
    admin = await desk.login("utama")
    page = await admin.get(f"/console/requests/{number}")
    await admin.post(f"/console/requests/{number}/route", data={"opd": "DINKES", "csrf_token": csrf(page)})
    return number


async def _sent(desk: Desk, chat_id: str) -> list[Reply]:
    await desk.runtime.relay.drain()
    return desk.chat.sender.sent[chat_id]


async def test_a_decision_with_an_answer_document_reaches_a_chat_that_chose_the_chat(desk: Desk) -> None:
    number = await _chat_request(desk, "u5")
    rina = await desk.login("rina")
    token = csrf(await rina.get(f"/console/requests/{number}"))
    before = len(await _sent(desk, "u5"))
    decided = await rina.post(
        f"/console/requests/{number}/decide",
        data={"outcome": "granted", "csrf_token": token},
        files={"document": ("apbd 2024.pdf", PDF, "application/pdf")},
    )
    assert decided.status_code == 303, decided.text
    new = (await _sent(desk, "u5"))[before:]
    assert [r.attachment.file_name for r in new if r.attachment] == [
        f"pemberitahuan-{number}.pdf",
        "apbd 2024.pdf",
    ]
    notice, answer = new[0], new[1]
    assert "Pasal 22 ayat (7)" in notice.text and number in answer.text
    store = AttachmentStore(desk.runtime.db, desk.runtime.crypto)
    assert notice.attachment and (await store.get(notice.attachment.ref)).startswith(b"%PDF-")
    assert answer.attachment and await store.get(answer.attachment.ref) == PDF
    async with desk.runtime.db.session() as session:
        kept = (
            await session.scalars(select(StoredAttachment).where(StoredAttachment.request_id.is_not(None)))
        ).all()
    assert {r.ref for r in kept} >= {notice.attachment.ref, answer.attachment.ref}
    assert all(PDF not in r.data_enc for r in kept)  # sealed
    [(actor, detail)] = [(r[0], r[3]) for r in await _audit(desk) if r[1] == "decide" and r[2] == number]
    assert actor == "officer:rina" and "document application/pdf" in detail and detail.endswith("sent")


async def _audit(desk: Desk) -> list[tuple[str, str, str, str]]:
    from storage.models.accounts import AuditLog

    async with desk.runtime.db.session() as session:
        rows = (await session.scalars(select(AuditLog).order_by(AuditLog.id))).all()
    return [(r.actor, r.action, r.target, r.detail) for r in rows]


async def test_the_answer_waits_when_the_requester_chose_e_mail_and_a_wrong_file_is_refused(
    desk: Desk,
) -> None:
    rina = await desk.login("rina")
    page = await rina.get(f"/console/requests/{desk.dinkes}")
    token = csrf(page)
    for name, data in (
        ("virus.pdf", b"MZ\x90\x00not a pdf"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024)),
    ):
        refused = await rina.post(
            f"/console/requests/{desk.dinkes}/decide",
            data={"outcome": "granted", "csrf_token": token},
            files={"document": (name, data, "application/pdf")},
        )
        assert refused.status_code == 400
        assert "Berkas tidak diterima" in refused.text and "document_refused" not in refused.text
    assert "decide" not in [a for _, a, t, _ in await _audit(desk) if t == desk.dinkes]
    before = len(await _sent(desk, "u1"))
    decided = await rina.post(
        f"/console/requests/{desk.dinkes}/decide",
        data={"outcome": "granted", "csrf_token": token},
        files={"document": ("apbd.pdf", PDF, "application/pdf")},
    )
    assert decided.status_code == 303
    new = (await _sent(desk, "u1"))[before:]
    assert [r.attachment.file_name for r in new if r.attachment] == [f"pemberitahuan-{desk.dinkes}.pdf"]


async def test_the_written_notice_page_and_pdf(desk: Desk) -> None:
    rina = await desk.login("rina")
    token = csrf(await rina.get(f"/console/requests/{desk.dinkes}"))
    assert (await rina.get(f"/console/requests/{desk.dinkes}/notice")).status_code == 404  # not decided
    await rina.post(f"/console/requests/{desk.dinkes}/decide", data={
        "outcome": "refused", "pasal17": "h", "reason": "Data kesehatan pribadi.", "csrf_token": token})  # fmt: skip
    page = await rina.get(f"/console/requests/{desk.dinkes}/notice")
    assert page.status_code == 200
    for part in ("PEMBERITAHUAN TERTULIS", "Pasal 22 ayat (7)", "Ditolak", "Data kesehatan pribadi.",
                 "Pemerintah Kota Sukamaju", "keberatan", "Biaya"):  # fmt: skip
        assert part.lower() in page.text.lower(), part
    pdf = await rina.get(f"/console/requests/{desk.dinkes}/notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert (
        pdf.headers["content-type"] == "application/pdf"
        and "pemberitahuan-" in pdf.headers["content-disposition"]
    )
    budi = await desk.login("budi")
    for path in ("notice", "notice.pdf"):
        assert (await budi.get(f"/console/requests/{desk.dinkes}/{path}")).status_code == 404


async def test_an_officer_sends_a_file_in_a_hand_off_reply(desk: Desk) -> None:
    chat = desk.chat
    await chat.say("chat dengan petugas", "u7")
    admin = await desk.login("utama")
    inbox = await admin.get("/console/inbox")
    found = re.search(r'href="/console/conversations/(\d+)"', inbox.text)
    assert found
    conversation = f"/console/conversations/{found.group(1)}"
    token = csrf(await admin.get(conversation))
    await admin.post(f"{conversation}/take", data={"csrf_token": token})
    replied = await admin.post(
        f"{conversation}/reply", data={"text": "", "csrf_token": token},
        files={"document": ("jadwal.pdf", PDF, "application/pdf")},
    )  # fmt: skip
    assert replied.status_code == 303
    await chat.harness.settle()
    last = (await _sent(desk, "u7"))[-1]
    assert last.attachment is not None and last.attachment.file_name == "jadwal.pdf"
    assert "jadwal.pdf" in last.text
    store = AttachmentStore(desk.runtime.db, desk.runtime.crypto)
    assert await store.get(last.attachment.ref) == PDF
    audit = [
        r for r in await _audit(desk) if r[2] == f"conversation:{found.group(1)}" and r[1] == "officer_reply"
    ]
    assert audit and "document application/pdf" in audit[0][3]


async def test_form_errors_are_sentences_of_the_catalogue_not_english_reasons(desk: Desk) -> None:
    rina = await desk.login("rina")
    token = csrf(await rina.get(f"/console/requests/{desk.dinkes}"))
    refused = await rina.post(
        f"/console/requests/{desk.dinkes}/decide", data={"outcome": "refused", "csrf_token": token}
    )
    assert refused.status_code == 400
    assert "Penolakan wajib menyebut huruf Pasal 17" in refused.text and "needs" not in refused.text
    extend = await rina.post(
        f"/console/requests/{desk.dinkes}/extend", data={"days": "3", "reason": " ", "csrf_token": token}
    )
    assert extend.status_code == 400 and "alasan tertulis" in extend.text and "needs" not in extend.text
    admin = await desk.login("utama")
    page = await admin.get("/console/accounts")
    bad = await admin.post(
        "/console/accounts", data={"username": "x y", "role": "officer", "csrf_token": csrf(page)}
    )
    assert bad.status_code == 400 and "Nama pengguna 2-32" in bad.text and "a username is" not in bad.text
    await rina.get("/console/lang/en")
    english = await rina.post(
        f"/console/requests/{desk.dinkes}/decide", data={"outcome": "refused", "csrf_token": token}
    )
    assert "A refusal needs its Pasal 17 letter" in english.text
