"""The web chat's file upload and its rendering of replies (issue 14): the KTP photo of the form
reaches the encrypted store through the same checks as Telegram's and WhatsApp's files."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from bot.channels.render import web_message
from bot.runtime import Runtime
from handlers.types import Choice, Reply, ReplyStyle
from storage.db import Database
from storage.models.requests import StoredAttachment
from tests.dialogs.requests_chat import GOOD
from tests.integration.test_web_limits import web_client

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.7\n" + b"1 0 obj\n" * 20


@pytest.fixture
async def client(sqlite_db: Database) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    """The web API with room for a whole form typed at test speed (the limits have their own tests)."""
    async with web_client(sqlite_db, web_messages_burst=100) as made:
        yield made


async def _session(http: httpx.AsyncClient) -> dict[str, str]:
    return {"X-Tanya-Session": (await http.post("/api/web/session")).json()["session"]}


async def _say(http: httpx.AsyncClient, runtime: Runtime, headers: dict[str, str], text: str, n: int) -> None:
    body = {"text": text, "client_id": f"form{n:05d}"}
    assert (await http.post("/api/web/messages", json=body, headers=headers)).status_code == 202
    await runtime.pipeline.wait_idle()


async def _last(http: httpx.AsyncClient, runtime: Runtime, headers: dict[str, str]) -> dict[str, object]:
    await runtime.pipeline.wait_idle()
    await runtime.relay.drain()
    messages = (await http.get("/api/web/messages", headers=headers)).json()["messages"]
    last: dict[str, object] = messages[-1]
    return last


async def _stored(runtime: Runtime) -> int:
    async with runtime.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(StoredAttachment)) or 0)


async def _upload(
    http: httpx.AsyncClient, headers: dict[str, str], data: bytes, mime: str, cid: str
) -> httpx.Response:
    return await http.post(
        "/api/web/files", params={"client_id": cid}, content=data, headers={**headers, "Content-Type": mime}
    )


async def test_a_photo_uploaded_at_the_attachment_step_is_stored_and_attached(
    client: tuple[httpx.AsyncClient, Runtime],
) -> None:
    http, runtime = client
    headers = await _session(http)
    for n, (text, _expected) in enumerate(GOOD[:-1]):
        await _say(http, runtime, headers, text, n)
    asked = await _last(http, runtime, headers)
    assert "foto KTP" in str(asked["text"])
    assert asked["choices"] == [{"label": "Lewati", "payload": "request_form:attachment:lewati"}]

    refused = await _upload(http, headers, b"<html><script>x</script>" + PNG, "image/png", "file00001")
    assert refused.status_code == 202 and refused.json()["accepted"] is False  # not what its type says
    assert "tidak dapat kami terima" in str((await _last(http, runtime, headers))["text"])
    too_big = await _upload(http, headers, PDF + b"0" * (10 * 1024 * 1024), "application/pdf", "file00002")
    assert too_big.json()["accepted"] is False
    assert await _stored(runtime) == 0

    accepted = await _upload(http, headers, PNG, "image/png", "file00003")
    assert accepted.json() == {"accepted": True, "duplicate": False}
    summary = await _last(http, runtime, headers)
    assert "1 berkas terlampir" in str(summary["text"])
    assert await _stored(runtime) == 1
    again = await _upload(http, headers, PNG, "image/png", "file00003")  # a retry: processed once
    assert again.json()["duplicate"] is True


async def test_an_upload_needs_a_session_and_a_client_id(client: tuple[httpx.AsyncClient, Runtime]) -> None:
    http, _ = client
    assert (await _upload(http, {}, PNG, "image/png", "file00001")).status_code == 401
    headers = await _session(http)
    assert (await _upload(http, headers, PNG, "image/png", "bad id!")).status_code == 422


def test_the_web_shows_a_menu_once_with_whole_labels_and_marks_notices() -> None:
    menu = Reply(
        text="Silakan pilih:\n1. Cari informasi publik\n2. Bantuan",
        choices=(Choice("Cari informasi publik", "menu:search"), Choice("Bantuan", "menu:help")),
    )
    shown = web_message(menu)
    assert shown["text"] == "Silakan pilih:"
    assert [c["label"] for c in shown["choices"]] == ["Cari informasi publik", "Bantuan"]  # type: ignore[attr-defined]
    results = Reply(
        text="Informasi lain:\n2. Bagaimana cara mengurus akta kelahiran?\n3. Bagaimana cara mengurus KTP?",
        choices=(Choice("2. Bagaimana cara…", "faq:FAQ-001"), Choice("3. Bagaimana cara…", "faq:FAQ-002")),
    )
    labels = [c["label"] for c in web_message(results)["choices"]]  # type: ignore[attr-defined]
    assert labels == ["2. Bagaimana cara mengurus akta kelahiran?", "3. Bagaimana cara mengurus KTP?"]
    assert web_message(results)["text"] == "Informasi lain:"
    listed_elsewhere = Reply(text="Data:\n1. Nama: Siti", choices=(Choice("Kirim", "form:summary:confirm"),))
    assert web_message(listed_elsewhere)["text"] == "Data:\n1. Nama: Siti"  # not a button's line: kept
    grounds = Reply(
        text="Apa alasan keberatan Anda?\na. Permohonan Anda ditolak.\nc. Permohonan Anda tidak ditanggapi.",
        choices=(Choice("A", "objection:ground:a"), Choice("C", "objection:ground:c")),
    )
    shown = web_message(grounds)
    assert shown["text"] == "Apa alasan keberatan Anda?"  # letter buttons get their ground's words
    assert [c["label"] for c in shown["choices"]] == [  # type: ignore[attr-defined]
        "a. Permohonan Anda ditolak.",
        "c. Permohonan Anda tidak ditanggapi.",
    ]
    assert web_message(Reply(text="Nomor PPID-2026-000001", style=ReplyStyle.NOTICE))["style"] == "notice"
    assert web_message(Reply(text="x"), notice=True)["style"] == "notice"
    assert web_message(Reply(text="x"))["style"] == "chat"


@pytest.mark.parametrize(("data", "mime"), [(PNG, "image/png"), (PDF, "application/pdf"),
                                            (b"\xff\xd8\xff\xe0" + b"0" * 10, "image/jpeg"),
                                            (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"), (b"GIF89a", "")])  # fmt: skip
def test_sniffed_type(data: bytes, mime: str) -> None:
    from bot.channels.media import sniffed_type

    assert sniffed_type(data) == mime


async def test_start_en_greets_in_english(client: tuple[httpx.AsyncClient, Runtime]) -> None:
    """The page at /?lang=en asks for its greeting with "/start en"."""
    http, runtime = client
    headers = await _session(http)
    await _say(http, runtime, headers, "/start en", 1)
    await runtime.relay.drain()
    messages = (await http.get("/api/web/messages", headers=headers)).json()["messages"]
    assert "Welcome to Tanya PPID" in messages[0]["text"]
    assert messages[-1]["choices"][0]["label"] == "Search public information"


def test_branding_takes_only_web_addresses_and_escapes_them() -> None:
    from bot.channels.web_page import body_branding

    logo, links = body_branding("javascript:alert(1)", 'https://ppid.kota.go.id/"><script>x</script>', "")
    assert logo == "" and "<script>" not in links and "&quot;&gt;&lt;script&gt;" in links
    assert body_branding("", "", "") == ("", "")
    logo, _ = body_branding("https://ppid.kota.go.id/logo.png", "", "data:text/html,x")
    assert logo.startswith('<img class="logo" src="https://ppid.kota.go.id/logo.png"')


async def test_the_page_allows_the_logos_origin_only(client: tuple[httpx.AsyncClient, Runtime]) -> None:
    http, runtime = client
    runtime.settings.body_logo_url = "https://ppid.kota.go.id/logo.png"
    page = await http.get("/")
    assert "img-src 'self' data: https://ppid.kota.go.id;" in page.headers["Content-Security-Policy"]
    assert '<img class="logo" src="https://ppid.kota.go.id/logo.png"' in page.text
    runtime.settings.body_logo_url = "https://a.com;script-src *"
    page = await http.get("/")
    assert "img-src 'self' data:;" in page.headers["Content-Security-Policy"] and "logo" not in page.text
