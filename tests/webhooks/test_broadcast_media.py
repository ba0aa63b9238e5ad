"""An announcement with a photo or PDF, and an over-long one in numbered parts, through the real
relay to the fake platforms (issue 12): each subscriber gets it once; the file is stored once and
goes up once per platform (Telegram's ``file_id`` and WhatsApp's media id are reused); a relay
restart halfway repeats nothing; a coordinator sends the photo from Telegram, WhatsApp or the
web chat."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.accounts import Accounts
from bot.area_store import AreaStore
from bot.areas import load_sample_areas
from bot.broadcast_store import BroadcastStore
from bot.coordinator_store import CoordinatorStore
from handlers.services import broadcasts
from handlers.services.actor import Actor
from handlers.services.ports import Document
from storage.accounts import AccountRepository
from storage.area_repository import AreaRepository
from storage.models import OutboxMessage
from storage.models.requests import StoredAttachment
from tests.fake_platforms import Call, FakeGraph, FakeTelegram
from tests.webhooks.conftest import FAST, Service, fixture, running
from tests.webhooks.test_broadcast_scale import max_in_any_second, subscribe_many, until

AREA = "sukamaju-wetan/rw02"
JPEG = b"\xff\xd8\xff\xe0" + b"photo-bytes" * 2000
PDF = b"%PDF-1.7\n" + b"jadwal " * 500
TG_RESIDENTS = (700001, 700002, 700003)
WA_RESIDENTS = (("62811000001", "ID.1000000000000001"), ("62811000002", "ID.1000000000000002"))
HEADING = "📢 Pengumuman RW 02 Sukamaju Wetan"


def tg_update(chat: int, n: int, **message: Any) -> dict[str, Any]:
    person = {"id": chat, "first_name": "Warga"}
    return {
        "update_id": 300_000 + n,
        "message": {
            "message_id": n,
            "from": {**person, "is_bot": False},
            "chat": {**person, "type": "private"},
            "date": 1773630000,
            **message,
        },
    }


def wa_update(number: str, user_id: str, n: int, **message: Any) -> dict[str, Any]:
    body = fixture("wa_text.json")
    value = body["entry"][0]["changes"][0]["value"]
    value["contacts"] = [{"profile": {"name": "Warga"}, "wa_id": number, "user_id": user_id}]
    value["messages"] = [
        {
            "from": number,
            "id": f"wamid.media{n}",
            "timestamp": "1773630000",
            "from_user_id": user_id,
            **message,
        }
    ]
    return body


async def subscribe_residents(service: Service) -> None:
    await load_sample_areas(service.runtime.db)
    for n, chat in enumerate(TG_RESIDENTS):
        await service.post_telegram(tg_update(chat, 10 + n, text="langganan RW 2 Sukamaju Wetan"))
    for n, (number, user) in enumerate(WA_RESIDENTS):
        text = {"body": "langganan RW 2 Sukamaju Wetan"}
        await service.post_whatsapp(wa_update(number, user, 20 + n, type="text", text=text))
    await service.settle()


async def announce(service: Service, text: str, file: Document | None = None) -> broadcasts.BroadcastRecord:
    async with service.runtime.db.write() as session:
        record = await broadcasts.send(
            BroadcastStore(session, crypto=service.runtime.crypto), Actor.system("op"), AREA, text=text,
            now=service.clock(), file=file,
        )  # fmt: skip
    await service.runtime.broadcaster.run_until_idle()
    await service.settle()
    return record


async def figures(service: Service, broadcast_id: int) -> broadcasts.Figures:
    async with service.runtime.db.session() as session:
        _, found = await broadcasts.status(BroadcastStore(session), Actor.system("op"), broadcast_id)
    return found


def ok(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.status == 200]


def tg_residents_calls(telegram: FakeTelegram, method: str) -> list[Call]:
    chats = {str(c) for c in TG_RESIDENTS}
    return [c for c in ok(telegram.calls_to(method)) if str(c.params["chat_id"]) in chats]


async def test_a_photo_goes_to_each_subscriber_once_and_up_once_per_platform(service: Service) -> None:
    await subscribe_residents(service)
    text = "Posyandu Sabtu 08.00 di balai RW."
    record = await announce(service, text, Document(JPEG, "", "jadwal posyandu.jpg"))
    assert record.attachment is not None and record.attachment.file_name == "jadwal posyandu.jpg"

    photos = tg_residents_calls(service.telegram, "sendPhoto")
    assert Counter(str(c.params["chat_id"]) for c in photos) == {str(c): 1 for c in TG_RESIDENTS}
    uploads = [c for c in photos if c.params["photo"] == "<file>"]
    assert len(uploads) == 1  # the bytes once; the other chats get Telegram's file_id
    [reused] = {str(c.params["photo"]) for c in photos if c not in uploads}  # one file_id for the rest
    assert reused.startswith("tgfile")
    assert all(c.params["caption"] == f"{HEADING}\n\n{text}" + _FOOTER for c in photos)  # the text as caption
    assert not [c for c in tg_residents_calls(service.telegram, "sendMessage") if "Posyandu" in str(c.params)]

    [upload] = service.graph.calls_to("upload")
    assert (upload.params["type"], upload.params["filename"]) == ("image/jpeg", "jadwal posyandu.jpg")
    assert service.graph.media[str(upload.params["id"])].data == JPEG
    for _, user in WA_RESIDENTS:
        [image] = [b for b in service.graph.sent(user) if b["type"] == "image"]
        assert image["image"] == {"id": upload.params["id"], "caption": f"{HEADING}\n\n{text}" + _FOOTER}

    assert (await figures(service, record.id)).sent == len(TG_RESIDENTS) + len(WA_RESIDENTS)
    async with service.runtime.db.session() as session:  # stored once, referenced by every row
        assert await session.scalar(select(func.count()).select_from(StoredAttachment)) == 1
        payloads = (await session.scalars(select(OutboxMessage.payload).where(OutboxMessage.broadcast_id.is_not(None)))).all()  # fmt: skip
    assert len(payloads) == 5 and all(record.attachment.ref in p and len(p) < 2000 for p in payloads)


_FOOTER = '\n\nBerhenti menerima: ketik "stop langganan".'


async def test_a_failed_upload_is_a_failed_send_with_its_reason_and_the_next_chat_uploads(
    service: Service,
) -> None:
    await subscribe_residents(service)
    service.telegram.fail_next(TG_RESIDENTS[0], "bad")  # its sendPhoto is refused
    service.graph.upload_failures = 1  # whichever WhatsApp chat uploads first
    record = await announce(service, "Foto kerusakan jalan", Document(JPEG, "", "jalan.jpg"))
    found = await figures(service, record.id)
    assert (found.sent, found.failed, found.queued) == (3, 2, 0)
    assert set(found.reasons) == {"400 Chat not found", "131053 Media upload error Media upload error"}
    photos = tg_residents_calls(service.telegram, "sendPhoto")
    assert sorted(str(c.params["chat_id"]) for c in photos) == [str(c) for c in TG_RESIDENTS[1:]]
    assert [c.status for c in service.graph.calls_to("upload")] == [400, 200]  # the next chat uploads again
    images = [b for _, user in WA_RESIDENTS for b in service.graph.sent(user) if b["type"] == "image"]
    assert len(images) == 1


async def test_a_long_text_follows_the_pdf_as_its_own_message(service: Service) -> None:
    await subscribe_residents(service)
    text = "Rapat warga membahas iuran kebersihan. " * 40  # longer than a caption (1024)
    await announce(service, text, Document(PDF, "", "undangan.pdf"))
    for chat in TG_RESIDENTS:
        [document] = [
            c
            for c in tg_residents_calls(service.telegram, "sendDocument")
            if c.params["chat_id"] == str(chat)
        ]
        [message] = [c for c in tg_residents_calls(service.telegram, "sendMessage") if "Rapat warga" in str(c.params["text"])
                     and c.params["chat_id"] == str(chat)]  # fmt: skip
        assert "caption" not in document.params and document.at <= message.at  # the file first, then the text
    for _, user in WA_RESIDENTS:
        sent_file, body = service.graph.sent(user)[-2:]
        assert sent_file["type"] == "document" and sent_file["document"]["filename"] == "undangan.pdf"
        assert "caption" not in sent_file["document"] and "Rapat warga" in body["text"]["body"]
    assert len(service.graph.calls_to("upload")) == 1


async def test_an_over_long_announcement_arrives_in_numbered_parts_in_order(service: Service) -> None:
    await subscribe_residents(service)
    text = "Paragraf pertama tentang jadwal. " * 80 + "\n\n" + "Paragraf kedua tentang lokasi. " * 80
    record = await announce(service, text)
    for chat in TG_RESIDENTS:
        texts = [str(m["text"]) for m in service.telegram.sent(chat) if "Paragraf" in str(m["text"])]
        assert [t[-5:] for t in texts] == ["(1/2)", "(2/2)"]
        assert texts[0].startswith(HEADING) and "Paragraf kedua" not in texts[0]
        assert texts[1].startswith("Paragraf kedua") and texts[1].count("Paragraf kedua") == 80
        assert all(len(t) <= 4096 for t in texts)
    for _, user in WA_RESIDENTS:
        texts = [b["text"]["body"] for b in service.graph.sent(user) if "Paragraf" in str(b)]
        assert [t[-5:] for t in texts] == ["(1/2)", "(2/2)"]
    found = await figures(service, record.id)
    assert (found.sent, found.queued) == (5, 0)  # subscribers, not rows
    async with service.runtime.db.session() as session:
        rows = await session.scalar(select(func.count()).where(OutboxMessage.broadcast_id == record.id))
    assert rows == 10


async def test_the_web_chat_gets_a_download_only_its_session_can_open(service: Service) -> None:
    await load_sample_areas(service.runtime.db)
    http = service.client
    mine = (await http.post("/api/web/session")).json()["session"]
    other = (await http.post("/api/web/session")).json()["session"]
    said = await http.post(
        "/api/web/messages",
        json={"text": "langganan RW 2 Sukamaju Wetan", "client_id": "client-sub-1"},
        headers={"X-Tanya-Session": mine},
    )
    assert said.status_code < 300
    await service.settle()
    await announce(service, "Jadwal ronda terlampir.", Document(PDF, "", "ronda.pdf"))
    messages = (await http.get("/api/web/messages", headers={"X-Tanya-Session": mine})).json()["messages"]
    [notice] = [m for m in messages if "Jadwal ronda" in m["text"]]
    assert notice["file"] == {"name": "ronda.pdf", "type": "application/pdf", "size": len(PDF)}
    url = f"/api/web/files/{notice['id']}"
    got = await http.get(url, headers={"X-Tanya-Session": mine})
    assert got.status_code == 200 and got.content == PDF
    assert (await http.get(url, headers={"X-Tanya-Session": other})).status_code == 404
    assert (await http.get(url)).status_code == 401


async def test_a_relay_restart_halfway_repeats_no_photo(
    tmp_path: Path, fakes: tuple[FakeTelegram, FakeGraph]
) -> None:
    telegram, graph = fakes
    count, rate = 600, 300.0
    async with running(tmp_path, telegram, graph, **{**FAST, "telegram_per_second": rate}) as service:
        await load_sample_areas(service.runtime.db)
        await subscribe_many(service.runtime.db, count, service.clock())
        async with service.runtime.db.write() as session:
            record = await broadcasts.send(
                BroadcastStore(session, crypto=service.runtime.crypto), Actor.system("op"), AREA,
                text="Foto lokasi genangan", now=service.clock(), file=Document(JPEG, "", "genangan.jpg"),
            )  # fmt: skip
        relay = service.runtime.relay
        relay._batch_size = relay._max_in_flight = 100  # so that the stop leaves rows unclaimed
        service.runtime.broadcaster.wake()
        await until(lambda: len(ok(telegram.calls_to("sendPhoto"))) >= count // 2, 60)
        await relay.stop()  # a restart halfway
        halfway = len(ok(telegram.calls_to("sendPhoto")))
        await relay.start()
        await until(lambda: len(ok(telegram.calls_to("sendPhoto"))) >= count, 60)
        await service.settle()
        photos = ok(telegram.calls_to("sendPhoto"))
        per_chat = Counter(str(c.params["chat_id"]) for c in photos)
        assert 0 < halfway < count
        assert len(per_chat) == count and set(per_chat.values()) == {1}  # none lost, none twice
        assert 1 <= len([c for c in photos if c.params["photo"] == "<file>"]) <= 2  # once per relay run
        assert max_in_any_second([c.at for c in photos]) <= rate * 1.02
        found = await figures(service, record.id)
        assert (found.sent, found.queued, found.failed) == (count, 0, 0)


# --- a coordinator sends the photo from their chat ---


async def coordinator_code(service: Service) -> str:
    db, now = service.runtime.db, service.clock()
    await Accounts(db).add(Actor.system("op"), "pakrw", "coordinator", [], "a-long-password-123", now)
    async with db.write() as session:
        account = await AccountRepository(session).get("pakrw")
        area = await AreaStore(session).get(AREA)
        assert account is not None and area is not None
        await AreaRepository(session).assign(account.id, area.id)
        return await CoordinatorStore(session, service.runtime.crypto).issue_code(account.id)


async def _telegram_coordinator(service: Service, code: str, caption: str) -> None:
    boss = 555001
    service.telegram.add_file("AgACphoto", JPEG, "photos/file_9.jpg")
    photo = [
        {
            "file_id": "AgACphoto",
            "file_unique_id": "AQADp",
            "file_size": len(JPEG),
            "width": 800,
            "height": 600,
        }
    ]
    messages: tuple[dict[str, Any], ...] = (
        {"text": f"kode {code}"},
        {"text": "kirim pengumuman"},
        {"photo": photo, "caption": caption},
        {"text": "ya"},
    )
    for n, message in enumerate(messages):
        await service.post_telegram(tg_update(boss, 90 + n, **message))
        await service.settle()


async def _whatsapp_coordinator(service: Service, code: str, caption: str) -> None:
    number, user = "62811999999", "ID.1999999999999999"
    media = service.graph.add_media("88001", JPEG, "image/jpeg")
    image = {"caption": caption, "mime_type": "image/jpeg", "sha256": media.sha256, "id": "88001"}
    for n, message in enumerate(
        (
            {"type": "text", "text": {"body": f"kode {code}"}},
            {"type": "text", "text": {"body": "kirim pengumuman"}},
            {"type": "image", "image": image},
            {"type": "text", "text": {"body": "ya"}},
        )
    ):
        await service.post_whatsapp(wa_update(number, user, 90 + n, **message))
        await service.settle()


async def _web_coordinator(service: Service, code: str, caption: str) -> None:
    http = service.client
    session = {"X-Tanya-Session": (await http.post("/api/web/session")).json()["session"]}
    for n, text in enumerate((f"kode {code}", "kirim pengumuman")):
        await http.post(
            "/api/web/messages", json={"text": text, "client_id": f"boss-{n}-xyz"}, headers=session
        )
        await service.settle()
    uploaded = await http.post(
        "/api/web/files", params={"client_id": "boss-file-xyz"}, content=JPEG,
        headers={**session, "content-type": "image/jpeg"},
    )  # fmt: skip
    assert uploaded.json()["accepted"] is True
    await service.settle()
    for n, text in enumerate((caption, "ya")):
        await http.post(
            "/api/web/messages", json={"text": text, "client_id": f"boss-{n}-end"}, headers=session
        )
        await service.settle()


@pytest.mark.parametrize("channel", ["telegram", "whatsapp", "web"])
async def test_a_coordinator_sends_a_photo_from_the_chat_and_residents_get_it_once(
    tmp_path: Path, fakes: tuple[FakeTelegram, FakeGraph], channel: str
) -> None:
    telegram, graph = fakes
    async with running(
        tmp_path, telegram, graph, sealed_files=True, broadcast_approval=False, **FAST
    ) as service:
        await subscribe_residents(service)
        code = await coordinator_code(service)
        caption = "Kerja bakti Minggu 07.00, titik kumpul seperti di foto."
        coordinate = {
            "telegram": _telegram_coordinator,
            "whatsapp": _whatsapp_coordinator,
            "web": _web_coordinator,
        }
        await coordinate[channel](service, code, caption)
        await service.runtime.broadcaster.run_until_idle()
        await service.settle()
        photos = tg_residents_calls(telegram, "sendPhoto")
        assert Counter(str(c.params["chat_id"]) for c in photos) == {str(c): 1 for c in TG_RESIDENTS}
        assert all(caption in str(c.params["caption"]) for c in photos)
        assert len([c for c in photos if c.params["photo"] == "<file>"]) == 1
        for _, user in WA_RESIDENTS:
            [image] = [b for b in graph.sent(user) if b["type"] == "image"]
            assert caption in image["image"]["caption"]
        [upload] = graph.calls_to("upload")
        assert graph.media[str(upload.params["id"])].data == JPEG  # the coordinator's bytes, unchanged
