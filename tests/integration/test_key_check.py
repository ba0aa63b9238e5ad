"""A key that is not the data's is refused at start-up, with a message naming the key to fix,
before anything is written; the first start stores the key check value (issue 9, item 5)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from bot.cli import main
from bot.knowledge_loader import EmptyKnowledge
from bot.runtime import Runtime
from bot.secrets import WrongSecretKey
from bot.settings import Settings, get_settings
from handlers.types import Channel
from storage import migrate
from storage.crypto import crypto_for, install_key
from storage.db import Database
from storage.models import Conversation, InboxMessage, OutboxMessage
from storage.models.privacy import KeyCheck
from storage.privacy import check_key
from storage.repositories import ConversationRepository, InboxRepository, NewInbox, OutboxRepository
from tests.conftest import SECRET, make_runtime
from tests.fakes import ChatHarness, RecordingSender, inbound

OTHER = "another-secret-key-that-was-mistyped-0000"


def _runtime(db: Database, key: str) -> Runtime:
    return Runtime(
        settings=Settings(secret_key=key),
        db=db,
        knowledge=EmptyKnowledge(),
        secret_key=key,
        senders=[RecordingSender(Channel.CLI)],
    )


async def _count(db: Database, model: type[InboxMessage] | type[KeyCheck]) -> int:
    async with db.session() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_first_start_stores_the_check_value_and_the_same_key_starts_again(sqlite_db: Database) -> None:
    assert await _count(sqlite_db, KeyCheck) == 0
    runtime = make_runtime(sqlite_db, RecordingSender(Channel.CLI))
    await runtime.start()
    await runtime.pipeline.stop()
    await runtime.relay.stop()
    async with sqlite_db.session() as session:
        stored = (await session.scalars(select(KeyCheck))).one()
    assert stored.value == crypto_for(SECRET).key_check() and SECRET not in stored.value
    again = make_runtime(sqlite_db, RecordingSender(Channel.CLI))
    await again.start()  # the same key: no complaint
    await again.pipeline.stop()
    await again.relay.stop()


async def test_a_different_key_is_refused_before_anything_is_written(database: Database) -> None:
    sender = RecordingSender(Channel.CLI)
    runtime = make_runtime(database, sender)
    await runtime.start()
    assert await ChatHarness(runtime, sender).send(inbound("halo"))
    await runtime.pipeline.stop()
    await runtime.relay.stop()
    before = await _count(database, InboxMessage)

    wrong = _runtime(database, OTHER)
    with pytest.raises(WrongSecretKey, match="TANYA_SECRET_KEY") as refused:
        await wrong.start()
    assert "not the key this database" in str(refused.value) and OTHER not in str(refused.value)
    assert await _count(database, InboxMessage) == before


async def test_an_older_database_sealed_with_another_key_is_refused(sqlite_db: Database) -> None:
    """A database from before the check value: the first start opens what is sealed first."""
    sender = RecordingSender(Channel.CLI)
    runtime = make_runtime(sqlite_db, sender)
    await runtime.start()
    await ChatHarness(runtime, sender).send(inbound("halo"))
    await runtime.pipeline.stop()
    await runtime.relay.stop()
    async with sqlite_db.write() as session:
        await session.execute(delete(KeyCheck))
    with pytest.raises(WrongSecretKey):
        await _runtime(sqlite_db, OTHER).start()
    assert await _count(sqlite_db, KeyCheck) == 0


async def test_the_first_start_gives_older_whatsapp_chats_their_pseudonym(tmp_path: Path) -> None:
    number = "6281398765432"
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/old.db")
    await migrate.upgrade(db)
    crypto = install_key(SECRET)
    now = await _legacy_whatsapp_rows(db, number)
    assert await check_key(db, crypto, now, pseudonymous=["whatsapp"])
    pseudonym = crypto.chat_pseudonym(number)
    async with db.session() as session:
        conversation = (await session.scalars(select(Conversation))).one()
        assert (conversation.chat_id, conversation.address) == (pseudonym, number)
        assert set(await session.scalars(select(InboxMessage.chat_id))) == {pseudonym}
        assert set(await session.scalars(select(OutboxMessage.chat_id))) == {pseudonym}
    await db.dispose()
    assert number.encode() not in _files(tmp_path, "old.db")


def _files(directory: Path, prefix: str) -> bytes:
    return b"".join(p.read_bytes() for p in directory.iterdir() if p.name.startswith(prefix))


async def _legacy_whatsapp_rows(db: Database, number: str) -> datetime:
    """Rows as a version before pseudonyms wrote them: the number as the chat id."""
    now = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)
    async with db.write() as session:
        await InboxRepository.insert_new(session, [NewInbox("whatsapp", "wamid.1", number, "{}", now)])
        convs = await ConversationRepository.lock_or_create(session, [("whatsapp", number)], now)
        OutboxRepository.add(session, convs[("whatsapp", number)], ['{"text": "hai"}'], now)
    return now


# --- the command line: every entry point refuses, exit status 2, the message names the key ---


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TANYA_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/cli.db")
    monkeypatch.delenv("TANYA_SECRET_KEY", raising=False)
    monkeypatch.setenv("TANYA_SECRET_KEY_FILE", str(tmp_path / "var" / "secret.key"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _tanya(monkeypatch: pytest.MonkeyPatch, key: str | None, *argv: str) -> int:
    if key is None:
        monkeypatch.delenv("TANYA_SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("TANYA_SECRET_KEY", key)
    get_settings.cache_clear()
    return main(list(argv))


def test_officer_commands_refuse_a_mistyped_key(
    environment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _tanya(monkeypatch, SECRET, "request", "list") == 0
    assert _tanya(monkeypatch, OTHER, "request", "list") == 2
    err = capsys.readouterr().err
    assert "TANYA_SECRET_KEY" in err and "not the key this database" in err and "Traceback" not in err
    assert _tanya(monkeypatch, SECRET, "request", "list") == 0  # the right key still works


def test_serve_and_chat_refuse_a_regenerated_development_key(
    environment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _tanya(monkeypatch, None, "requester", "erase", "--dry-run") == 0  # generates var/secret.key
    key_file = environment / "var" / "secret.key"
    key_file.unlink()  # lost: the next start generates a new one
    assert _tanya(monkeypatch, None, "serve", "--port", "1") == 2  # refused before uvicorn starts
    err = capsys.readouterr().err
    assert str(key_file) in err and "TANYA_SECRET_KEY" in err
    monkeypatch.setattr("sys.stdin", _Lines("halo\n"))
    assert _tanya(monkeypatch, None, "chat") == 2
    assert "not the key this database" in capsys.readouterr().err


class _Lines:
    def __init__(self, text: str) -> None:
        self._lines = text.splitlines(keepends=True)

    def isatty(self) -> bool:
        return False

    def readline(self) -> str:
        return self._lines.pop(0) if self._lines else ""
