"""After a request is filed by chat, the SQLite files hold no NIK, phone, e-mail, address or access
code in plain text (UU 27/2022): not in the request tables, the inbox, the outbox, the conversation
state, the WAL, nor in freed pages."""

from __future__ import annotations

from pathlib import Path

from storage import migrate
from storage.attachments import AttachmentStore
from storage.db import Database
from tests.dialogs.requests_chat import ADDRESS, EMAIL, MONDAY_10, NIK, PHONE_E164, Chat, Clock, start_chat

SECRETS_TYPED = [NIK, "3273 0101 0190 0001", "0812-3456-7890", PHONE_E164, "81234567890", EMAIL, ADDRESS]


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in directory.iterdir() if p.name.startswith("pii.db")}


def _leaks(files: dict[str, bytes], needles: list[str]) -> list[tuple[str, str]]:
    found = []
    for name, data in files.items():
        for needle in needles:
            for encoded in (needle.encode("utf-8"), needle.encode("utf-16-le")):
                if encoded in data:
                    found.append((name, needle))
    return found


async def test_no_personal_data_in_plain_text_after_filing(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/pii.db")
    await migrate.upgrade(db)
    chat: Chat = await start_chat(db, Clock(MONDAY_10))
    store = AttachmentStore(db, chat.runtime.crypto)
    await store.put(b"KTP-PHOTO-BYTES-" + NIK.encode(), "image/jpeg", f"ktp_{NIK}.jpg")
    number = await chat.file()
    assert number == "PPID-2026-000001"
    assert "Status: Diterima" in await chat.say("cek status " + number)
    code = chat.codes[number]  # the access code: only a keyed hash and a ciphertext are stored
    needles = [*SECRETS_TYPED, "KTP-PHOTO-BYTES", code, code.replace("-", "")]

    running = _files(tmp_path)
    assert "pii.db-wal" in running and len(running["pii.db-wal"]) > 0  # the WAL is really checked
    everything = b"".join(running.values())
    assert b"Salinan dokumen APBD" in everything  # not personal: kept readable, so the scan does see text
    assert _leaks(running, needles) == []

    await chat.runtime.stop()  # checkpoints the WAL into the main file
    assert _leaks(_files(tmp_path), needles) == []
