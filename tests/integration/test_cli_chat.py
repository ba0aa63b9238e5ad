"""``tanya chat --user X`` end to end: each terminal user sees only their own conversation's
messages; what came for another user waits for that user's next session (issue 9 item 4)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channels.cli import CliSender
from bot.cli import main
from bot.relay import Relay
from bot.settings import get_settings
from handlers.types import Reply
from storage.db import Database
from storage.models import OutboxMessage
from storage.repositories import ConversationRepository, OutboxRepository
from tests.conftest import SECRET
from tests.dialogs.requests_chat import GOOD


@pytest.fixture
def tanya(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TANYA_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("TANYA_SECRET_KEY", SECRET)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def chat(
    user: str, lines: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> str:
    """Run ``printf LINES | tanya chat --user USER``; what it printed."""
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))
    capsys.readouterr()
    assert main(["chat", "--user", user]) == 0
    return capsys.readouterr().out


def test_a_decision_reaches_only_its_requesters_terminal(
    tanya: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    filed = chat("budi", [text for text, _ in GOOD] + ["1"], capsys, monkeypatch)
    assert "PPID-2026-" in filed
    number = next(w for w in filed.replace(".", " ").split() if w.startswith("PPID-"))
    capsys.readouterr()
    assert main(["request", "decide", number, "--outcome", "granted", "--note", "Dokumen terlampir.",
                 "--by", "rina"]) == 0  # fmt: skip
    assert "requester notified" in capsys.readouterr().out

    mallory = chat("mallory", ["halo"], capsys, monkeypatch)
    assert "bot>" in mallory  # mallory gets her own answer ...
    assert "Pemberitahuan tertulis" not in mallory and number not in mallory  # ... and nothing of budi's

    budi = chat("budi", ["halo"], capsys, monkeypatch)
    assert "Pemberitahuan tertulis" in budi and number in budi and "Dokumen terlampir." in budi
    assert budi.count("Pemberitahuan tertulis") == 1
    assert "Pemberitahuan tertulis" not in chat("budi", ["halo"], capsys, monkeypatch)  # sent once


@pytest.mark.usefixtures("installed_key")
async def test_a_terminal_relay_claims_only_its_users_rows(database: Database) -> None:
    """On SQLite and PostgreSQL: the claim leaves the other terminal users' rows pending, in order."""
    now = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)
    async with database.write() as session:
        convs = await ConversationRepository.lock_or_create(
            session, [("cli", "budi"), ("cli", "mallory")], now
        )
        for user, texts in (("budi", ["b1", "b2"]), ("mallory", ["m1"])):
            OutboxRepository.add(session, convs[("cli", user)], [Reply(text=t).to_json() for t in texts], now)
    screens = {user: io.StringIO() for user in ("budi", "mallory")}
    await Relay(database, [CliSender("mallory", screens["mallory"])], lambda: now).drain()
    assert screens["mallory"].getvalue() == "bot> m1\n"
    async with database.session() as session:
        pending = (
            await session.scalars(select(OutboxMessage.chat_id).where(OutboxMessage.status == "pending"))
        ).all()
    assert sorted(pending) == ["budi", "budi"]
    await Relay(database, [CliSender("budi", screens["budi"])], lambda: now).drain()
    assert screens["budi"].getvalue() == "bot> b1\nbot> b2\n"
