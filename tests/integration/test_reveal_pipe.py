"""Issue 9 item 3: ``tanya request show REG --reveal | head -1`` must write its access row first
and end quietly when the reader goes away (UU 27/2022 Pasal 46: every read of personal data on record)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from storage import migrate
from storage.db import Database
from storage.models.accounts import AuditLog
from storage.models.requests import PersonalDataAccess
from tests.conftest import SECRET
from tests.dialogs.requests_chat import MONDAY_10, Clock, start_chat

TANYA = str(Path(sys.executable).with_name("tanya"))


async def _filed(tmp_path: Path) -> tuple[Database, str, dict[str, str]]:
    url = f"sqlite+aiosqlite:///{tmp_path}/tanya.db"
    db = Database.from_url(url)
    await migrate.upgrade(db)
    chat = await start_chat(db, Clock(MONDAY_10))
    number = await chat.file()
    await chat.stop()
    env = {**os.environ, "TANYA_DATABASE_URL": url, "TANYA_SECRET_KEY": SECRET}
    return db, number, env


async def _reads(db: Database) -> tuple[list[str], list[str]]:
    async with db.session() as session:
        shows = (
            await session.scalars(select(PersonalDataAccess).where(PersonalDataAccess.action == "show"))
        ).all()
        audits = (await session.scalars(select(AuditLog).where(AuditLog.action == "reveal"))).all()
    return [r.actor for r in shows], [a.target for a in audits]


def _piped_into_head(number: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", f'"$TANYA" request show {number} --reveal --as rina | head -1'],
        env={**env, "TANYA": TANYA}, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _to_a_closed_reader(number: str, env: dict[str, str]) -> tuple[int, str]:
    proc = subprocess.Popen(
        [TANYA, "request", "show", number, "--reveal", "--as", "rina"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `head` that has already exited
    stderr = proc.stderr.read()
    return proc.wait(timeout=120), stderr


async def test_reveal_piped_into_head_is_audited_and_ends_quietly(tmp_path: Path) -> None:
    db, number, env = await _filed(tmp_path)
    try:
        run = await asyncio.to_thread(_piped_into_head, number, env)
        assert number in run.stdout and len(run.stdout.splitlines()) == 1
        assert "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr, run.stderr
        assert await _reads(db) == (["officer:rina"], [number])
    finally:
        await db.dispose()


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
async def test_reveal_to_a_reader_that_is_gone_is_still_audited(tmp_path: Path, unbuffered: bool) -> None:
    """The reader closes before anything is written: every write fails, the read is on record all the same."""
    db, number, env = await _filed(tmp_path)
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    try:
        status, stderr = await asyncio.to_thread(_to_a_closed_reader, number, env)
        assert status in (0, 141)
        assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
        assert await _reads(db) == (["officer:rina"], [number])
    finally:
        await db.dispose()
