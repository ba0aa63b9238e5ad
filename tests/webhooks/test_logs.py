"""No secret and no personal data in any log line of a full run (Telegram, WhatsApp, web chat)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logging import REDACTOR, configure_logging
from tests.dialogs.requests_chat import EMAIL, GOOD, NIK
from tests.fake_platforms import FakeGraph, FakeTelegram
from tests.webhooks.conftest import FAST, TG_SECRET, WA_APP_SECRET, fixture, running

BOT_TOKEN = "7012345678:AAHfQx2mR9kLpZ3vW8yT1uN5sB6cD4eG0jQ"
GRAPH_TOKEN = "EAAGm0PX4ZCpsBAKZCqY7SfZBZCd8ZBQZDZD"
PHONE = "0812-3456-7890"
APP_LOGGERS = ("bot", "handlers", "knowledge", "storage")


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Everything the service logs, as the serving process configures it, app loggers at DEBUG."""
    root = logging.getLogger()
    before = (root.level, {name: logging.getLogger(name).level for name in APP_LOGGERS})
    buffer = io.StringIO()
    handler = configure_logging("INFO", stream=buffer)
    for name in APP_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield buffer
    root.removeHandler(handler)
    root.setLevel(before[0])
    for name, level in before[1].items():
        logging.getLogger(name).setLevel(level)


async def test_a_full_run_logs_no_token_nik_phone_or_email(tmp_path: Path, captured: io.StringIO) -> None:
    telegram, graph = FakeTelegram(token=BOT_TOKEN), FakeGraph(token=GRAPH_TOKEN)
    telegram.start()
    graph.start()
    try:
        async with running(tmp_path, telegram, graph, **FAST, web_messages_burst=100) as service:
            assert (await service.post_telegram(fixture("tg_text.json"))).status_code == 200
            assert (await service.post_whatsapp(fixture("wa_text.json"))).status_code == 200
            await service.settle()
            assert telegram.sent() and graph.calls  # the Bot API and the Graph API were called
            session = (await service.client.post("/api/web/session")).json()["session"]
            headers = {"X-Tanya-Session": session}
            for n, (text, _expected) in enumerate([*GOOD, ("1", [])]):
                body = {"text": text, "client_id": f"form{n:04d}"}
                response = await service.client.post("/api/web/messages", json=body, headers=headers)
                assert response.status_code == 202
                await service.settle()
            replies = (await service.client.get("/api/web/messages", headers=headers)).json()["messages"]
            assert any("nomor pendaftaran" in m["text"] for m in replies)  # the request was filed
            assert any(EMAIL in m["text"] for m in replies)  # the summary: personal data went through
            logging.getLogger("bot.test").info("a line with the token %s", BOT_TOKEN)  # the filter's own job
    finally:
        telegram.stop()
        graph.stop()
    text = captured.getvalue()
    assert "a line with the token" in text and "HTTP Request" not in text
    digits = NIK.replace(" ", "")
    for secret in (BOT_TOKEN, GRAPH_TOKEN, TG_SECRET, WA_APP_SECRET, digits, EMAIL, PHONE, "81234567890"):
        assert secret not in text, f"{secret!r} is in the log"


def test_the_redactor_blanks_secrets_and_personal_data() -> None:
    REDACTOR.add_secrets(["s3cret-value-xyz"])
    line = (
        f"GET https://api.telegram.org/bot{BOT_TOKEN}/getMe key=s3cret-value-xyz nik 3273 0101 0190 0001 "
        "hp +62 812-3456-7890 / 081234567890 mail siti.rahma@example.com Authorization: Bearer abcdefghijkl"
    )
    clean = REDACTOR.redact(line)
    for leaked in (BOT_TOKEN, "s3cret", "0190", "3456", "234567890", "siti.rahma", "abcdefghijkl"):
        assert leaked not in clean
    assert REDACTOR.redact("request 12345 took 3 ms") == "request 12345 took 3 ms"
