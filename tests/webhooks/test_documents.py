"""An officer's document on each channel: Telegram sendDocument after the text, WhatsApp the media
upload API then a document message, the web chat a download for that conversation's session only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from handlers.types import Attachment, Reply
from storage.attachments import AttachmentStore
from storage.models import Conversation
from storage.repositories import ConversationRepository, OutboxRepository
from tests.fake_platforms import FakeGraph, FakeTelegram
from tests.webhooks.conftest import FAST, Service, running

PDF = b"%PDF-1.4\n%%EOF\n"
USER = "555001"
BUDI = "6281398765432"


async def _queue(
    service: Service, channel: str, chat_id: str, text: str, *, hours_ago: float = 0
) -> Attachment:
    store = AttachmentStore(service.runtime.db, service.runtime.crypto)
    ref = await store.put(PDF, "application/pdf", "jawaban.pdf")
    attachment = Attachment(ref, "application/pdf", len(PDF), "jawaban.pdf")
    async with service.runtime.db.write() as session:
        key = (channel, chat_id)
        conv = (await ConversationRepository.lock_or_create(session, [key], service.clock()))[key]
        conv.last_inbound_at = service.clock() - timedelta(hours=hours_ago)
        OutboxRepository.add(
            session, conv, [Reply(text=text, attachment=attachment).to_json()], service.clock()
        )
    return attachment


async def test_telegram_sends_the_document_after_the_text(service: Service) -> None:
    await _queue(service, "telegram", USER, "Dokumen jawaban terlampir.")
    await service.settle()
    assert service.telegram.sent(USER)[-1]["text"] == "Dokumen jawaban terlampir."
    [document] = service.telegram.calls_to("sendDocument")
    assert str(document.params["chat_id"]) == USER and document.params["document"] == "<file>"
    assert (await service.outbox())[-1].status == "sent"


async def test_whatsapp_uploads_the_document_then_sends_it(service: Service) -> None:
    await _queue(service, "whatsapp", BUDI, "Dokumen jawaban terlampir.")
    await service.settle()
    [upload] = service.graph.calls_to("upload")
    assert upload.params["type"] == "application/pdf" and upload.params["filename"] == "jawaban.pdf"
    assert service.graph.media[str(upload.params["id"])].data == PDF
    text, document = service.graph.sent(BUDI)[-2:]
    assert text["text"]["body"] == "Dokumen jawaban terlampir."
    assert document["type"] == "document"
    assert document["document"] == {"id": upload.params["id"], "filename": "jawaban.pdf"}
    assert (await service.outbox())[-1].status == "sent"


async def test_the_web_chat_serves_the_file_to_its_own_session_only(service: Service) -> None:
    http = service.client
    mine = (await http.post("/api/web/session")).json()["session"]
    other = (await http.post("/api/web/session")).json()["session"]
    sent = await http.post(
        "/api/web/messages", json={"text": "halo", "client_id": "client-1"}, headers={"X-Tanya-Session": mine}
    )
    assert sent.status_code < 300, sent.text
    await service.settle()
    async with service.runtime.db.session() as session:
        conversation = (
            await session.scalars(select(Conversation).where(Conversation.channel == "web"))
        ).one()
    await _queue(service, "web", conversation.chat_id, "Berkas untuk Anda.")
    await service.settle()
    messages = (await http.get("/api/web/messages", headers={"X-Tanya-Session": mine})).json()["messages"]
    [with_file] = [m for m in messages if m.get("file")]
    assert with_file["file"] == {"name": "jawaban.pdf", "type": "application/pdf", "size": len(PDF)}
    url = f"/api/web/files/{with_file['id']}"
    got = await http.get(url, headers={"X-Tanya-Session": mine})
    assert got.status_code == 200 and got.content == PDF
    assert (
        got.headers["content-type"] == "application/pdf"
        and "attachment" in got.headers["content-disposition"]
    )
    assert (await http.get(url, headers={"X-Tanya-Session": other})).status_code == 404
    assert (await http.get(url)).status_code == 401
    plain = next(m for m in messages if not m.get("file"))
    assert (
        await http.get(f"/api/web/files/{plain['id']}", headers={"X-Tanya-Session": mine})
    ).status_code == 404


async def test_outside_the_whatsapp_window_only_the_template_goes(
    tmp_path: Path, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, graph = fakes
    options = {**FAST, "whatsapp_template_name": "tanya_pemberitahuan", "whatsapp_template_lang": "id"}
    async with running(tmp_path, telegram, graph, **options) as service:
        await _queue(service, "whatsapp", BUDI, "Dokumen jawaban terlampir.", hours_ago=30)
        await service.settle()
        assert graph.calls_to("upload") == []  # Meta takes only a template outside the window
        assert [b["type"] for b in graph.sent(BUDI)] == ["template"]
        assert (await service.outbox())[-1].status == "sent"
