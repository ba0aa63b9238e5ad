"""Upload jobs across worker processes: two apps (two runtimes, each with its own engine) on one
database, as ``tanya serve --workers 2`` runs them. A file sent to one worker is followed, previewed
and applied on the other; only the session that sent it sees it; a check whose worker died is
reported failed; a file is applied once; an expired job goes with its sealed file."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import re
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from bot.accounts import Accounts
from bot.app import create_app
from bot.console import upload_jobs
from bot.console.upload_jobs import PARSERS
from bot.knowledge_edits import Sheet, save_register_entry
from bot.knowledge_loader import load_knowledge
from bot.runtime import Runtime
from handlers.services.actor import Actor, Role
from knowledge.importing import ParsedFile
from knowledge.models import RegisterEntry
from knowledge.register import parse_register
from knowledge.tabular import MemoryFile, OnRow
from storage.db import Database
from storage.knowledge_repository import KnowledgeRepository
from storage.models.accounts import Account, AuditLog
from storage.models.console import UploadJobRow
from storage.upload_job_repository import UploadJobRepository
from tests.conftest import make_runtime
from tests.dialogs.requests_chat import MONDAY_10, Clock
from tests.fakes import RecordingSender
from tests.integration.test_console import PASSWORD, csrf

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "register.csv"


@dataclass
class Workers:
    one: httpx.ASGITransport
    two: httpx.ASGITransport
    runtime: Runtime  # the first worker's
    clock: Clock

    async def login(self, username: str, transport: httpx.ASGITransport) -> httpx.AsyncClient:
        http = httpx.AsyncClient(transport=transport, base_url="http://test")
        page = await http.get("/console/login")
        response = await http.post(
            "/console/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf(page)}
        )
        assert response.status_code == 303, response.text
        return http

    def on(self, http: httpx.AsyncClient, transport: httpx.ASGITransport) -> httpx.AsyncClient:
        """The same browser (its session cookie), its next request answered by another worker."""
        return httpx.AsyncClient(transport=transport, base_url="http://test", cookies=http.cookies)

    async def rows(self) -> list[UploadJobRow]:
        async with self.runtime.db.session() as session:
            return list(await session.scalars(select(UploadJobRow)))


async def _runtime(db: Database, clock: Clock) -> tuple[Runtime, FastAPI]:
    runtime = make_runtime(
        db, RecordingSender(), clock=clock, knowledge=await load_knowledge(db, sample=True)
    )
    return runtime, create_app(runtime.settings, runtime)


@pytest.fixture
async def workers(database: Database) -> AsyncIterator[Workers]:
    clock = Clock(MONDAY_10)
    second = Database.from_url(database.engine.url.render_as_string(hide_password=False))
    one, app_one = await _runtime(database, clock)
    _, app_two = await _runtime(second, clock)
    async with app_one.router.lifespan_context(app_one), app_two.router.lifespan_context(app_two):
        accounts, ops = Accounts(one.db, one.secret_key), Actor.system("test")
        for name, role, opds in (("utama", "admin", ()), ("rina", "officer", ("DINKES",))):
            await accounts.add(ops, name, role, opds, PASSWORD, MONDAY_10)
        yield Workers(httpx.ASGITransport(app=app_one), httpx.ASGITransport(app=app_two), one, clock)


def _register(rows: int, first: int = 0) -> bytes:
    header = next(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    body = [
        [f"DIP-2026-{n:05d}", f"Data Uji Pekerja Nomor {n}", "Ringkasan.", "berkala", "Dinas Kesehatan",
         "Dinkes", "", "softcopy", "2026", "", "", "uji pekerja", ""]
        for n in range(first, first + rows)
    ]  # fmt: skip
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    return out.getvalue().encode()


async def _post(http: httpx.AsyncClient, token: str, data: bytes) -> httpx.Response:
    return await http.post(
        "/console/register/upload", data={"csrf_token": token}, files={"file": ("dip.csv", data, "text/csv")}
    )


async def _until(http: httpx.AsyncClient, location: str, wanted: str) -> httpx.Response:
    for _ in range(1500):
        page = await http.get(location)
        if wanted in page.text:
            return page
        await asyncio.sleep(0.02)
    raise AssertionError(f"{wanted!r} never came: {page.status_code} {page.text[-300:]}")


async def _stored(runtime: Runtime, entry_id: str) -> RegisterEntry | None:
    async with runtime.db.session() as session:
        return await KnowledgeRepository(session).register_entry(entry_id)


async def _account_id(runtime: Runtime, username: str) -> int:
    async with runtime.db.session() as session:
        found = await session.scalar(select(Account.id).where(Account.username == username))
    assert found is not None
    return int(found)


def _paused(reached: threading.Event, go_on: threading.Event, at: int) -> upload_jobs.Parser:
    def parse(source: MemoryFile, *, on_row: OnRow) -> ParsedFile[RegisterEntry]:
        def report(read: int, total: int) -> None:
            on_row(read, total)
            if read == at:
                reached.set()
                go_on.wait(60)

        return parse_register(source, on_row=report)

    return parse


async def test_an_upload_to_one_worker_is_followed_previewed_and_applied_on_the_other_once(
    workers: Workers, monkeypatch: pytest.MonkeyPatch
) -> None:
    reached, go_on = threading.Event(), threading.Event()
    monkeypatch.setitem(PARSERS, Sheet.REGISTER, _paused(reached, go_on, 4000))
    one = await workers.login("utama", workers.one)
    token = csrf(await one.get("/console/register"))
    two = workers.on(one, workers.two)  # the same browser; worker two answers
    data = _register(6000)
    try:
        posted = await _post(one, token, data)
        assert posted.status_code == 303
        location = posted.headers["location"]
        assert await asyncio.to_thread(reached.wait, 60)
        line = await _until(two, location + "/progress", "Memeriksa baris 4.000 dari 6.000")
        assert line.status_code == 200 and "x-upload-done" not in line.headers  # from the row: beats
        page = await two.get(location)
        assert page.status_code == 200 and 'data-poll="' in page.text
        [row] = await workers.rows()  # the bytes are sealed: no row of the file in the clear
        assert row.data_enc is not None and b"DIP-2026-00001" not in row.data_enc and data not in row.data_enc
        busy = await _post(two, token, data)  # one check per account, counted across workers
        assert busy.status_code == 429 and "masih diperiksa" in busy.text
        other = await workers.login("utama", workers.two)  # the same account, another session
        other_token = csrf(await other.get("/console/register"))
        assert (await other.get(location)).status_code == 404
        assert (await other.get(location + "/progress")).status_code == 404
    finally:
        go_on.set()
    preview = await _until(two, location, 'id="preview"')
    assert (
        preview.status_code == 200 and "Baris: 6000" in preview.text and "Ditambahkan: 6000" in preview.text
    )
    assert preview.text.count("<li><code>DIP-2026-") == upload_jobs.PREVIEW_ITEMS and "… 5800" in preview.text
    found = re.search(r'name="token" value="([^"]+)"', preview.text)
    assert found and location.endswith(found[1])
    job = found[1]
    refused = await other.post("/console/register/apply", data={"csrf_token": other_token, "token": job})
    assert refused.status_code == 400 and await _stored(workers.runtime, "DIP-2026-00000") is None
    assert len(await workers.rows()) == 1  # another session's try leaves the job alone
    applied = await two.post("/console/register/apply", data={"csrf_token": token, "token": job})
    assert applied.status_code == 303, applied.text[-500:]
    assert await _stored(workers.runtime, "DIP-2026-05999") is not None
    again = await one.post("/console/register/apply", data={"csrf_token": token, "token": job})
    assert again.status_code == 400 and "Unggahan tidak ditemukan lagi" in again.text  # applied once
    assert await workers.rows() == []  # the job and its file are gone
    assert (await two.get(location)).status_code == 404


async def test_both_apply_at_once_and_one_applies(workers: Workers) -> None:
    one = await workers.login("utama", workers.one)
    token = csrf(await one.get("/console/register"))
    two = workers.on(one, workers.two)
    posted = await _post(one, token, _register(50))
    preview = await _until(two, posted.headers["location"], 'id="preview"')
    job = re.search(r'name="token" value="([^"]+)"', preview.text)
    assert job
    form = {"csrf_token": token, "token": job[1]}
    answers = await asyncio.gather(
        one.post("/console/register/apply", data=form), two.post("/console/register/apply", data=form)
    )
    assert sorted(a.status_code for a in answers) == [303, 400]
    async with workers.runtime.db.session() as session:
        imports = await session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.action == "register_import")
        )
    assert imports == 1 and await workers.rows() == []


async def test_checks_are_bounded_across_workers(workers: Workers, monkeypatch: pytest.MonkeyPatch) -> None:
    reached, go_on = threading.Event(), threading.Event()
    monkeypatch.setitem(PARSERS, Sheet.REGISTER, _paused(reached, go_on, 10))
    monkeypatch.setattr(upload_jobs, "MAX_RUNNING", 1)
    utama = await workers.login("utama", workers.one)
    rina = await workers.login("rina", workers.two)
    try:
        first = await _post(utama, csrf(await utama.get("/console/register")), _register(20))
        assert first.status_code == 303 and await asyncio.to_thread(reached.wait, 60)
        second = await _post(rina, csrf(await rina.get("/console/register")), _register(20))
        assert second.status_code == 429 and "Terlalu banyak berkas" in second.text
    finally:
        go_on.set()
    await _until(workers.on(utama, workers.two), first.headers["location"], 'id="preview"')


async def test_a_check_whose_worker_died_is_failed_and_does_not_hold_the_account(workers: Workers) -> None:
    one = await workers.login("utama", workers.one)
    token = csrf(await one.get("/console/register"))
    session_hash = hashlib.sha256(token.encode()).hexdigest()
    runtime, old = workers.runtime, workers.clock.now - timedelta(seconds=upload_jobs.STALE_SECONDS + 5)
    async with runtime.db.write() as session:  # a worker that stopped beating a while ago
        UploadJobRepository(session, runtime.crypto).add(
            "dead-job", account_id=await _account_id(runtime, "utama"), session_hash=session_hash,
            sheet="register", file_name="upload.csv", retire_missing=False, lang="id", data=_register(5),
            now=old,
        )  # fmt: skip
    two = workers.on(one, workers.two)
    line = await two.get("/console/register/upload/dead-job/progress")
    assert line.status_code == 200 and line.headers["x-upload-done"] == "1"
    page = await two.get("/console/register/upload/dead-job")
    assert page.status_code == 400 and "tidak dapat diperiksa" in page.text
    [row] = await workers.rows()
    assert row.state == "failed" and row.data_enc is None  # its file is dropped at once
    posted = await _post(two, token, _register(5))  # a dead check holds nobody back
    assert posted.status_code == 303
    await _until(one, posted.headers["location"], 'id="preview"')


async def test_an_expired_job_is_gone_with_its_file(workers: Workers) -> None:
    one = await workers.login("utama", workers.one)
    token = csrf(await one.get("/console/register"))
    posted = await _post(one, token, _register(5))
    location = posted.headers["location"]
    await _until(workers.on(one, workers.two), location, 'id="preview"')
    [row] = await workers.rows()
    assert row.state == "ready" and row.data_enc is not None and row.preview_enc is not None
    workers.clock.now += timedelta(minutes=upload_jobs.JOB_MINUTES, seconds=1)
    try:
        assert (await workers.on(one, workers.two).get(location)).status_code == 404
        assert await workers.rows() == []
        job = location.rsplit("/", 1)[1]
        applied = await one.post("/console/register/apply", data={"csrf_token": token, "token": job})
        assert applied.status_code == 400 and await _stored(workers.runtime, "DIP-2026-00000") is None
    finally:
        workers.clock.now = MONDAY_10


async def test_the_retention_run_deletes_expired_jobs(workers: Workers) -> None:
    runtime = workers.runtime
    async with runtime.db.write() as session:
        jobs = UploadJobRepository(session, runtime.crypto)
        for job_id, at in (("old", MONDAY_10 - timedelta(hours=3)), ("new", MONDAY_10)):
            jobs.add(
                job_id, account_id=None, session_hash="x", sheet="register", file_name="upload.csv",
                retire_missing=False, lang="id", data=b"id\n", now=at,
            )  # fmt: skip
    assert await upload_jobs.sweep(runtime.db, runtime.crypto, MONDAY_10) == 1  # old: failed, then gone
    assert [r.id for r in await workers.rows()] == ["new"]


async def test_apply_refuses_a_file_whose_preview_no_longer_holds(workers: Workers) -> None:
    one = await workers.login("utama", workers.one)
    token = csrf(await one.get("/console/register"))
    posted = await _post(one, token, _register(3))
    preview = await _until(one, posted.headers["location"], 'id="preview"')
    assert "Ditambahkan: 3" in preview.text
    runtime = workers.runtime
    [entry] = parse_register(MemoryFile("a.csv", _register(1))).entries  # meanwhile, added by hand
    await save_register_entry(runtime, Actor("utama", Role.ADMIN, id=1), entry)
    two = workers.on(one, workers.two)
    job = posted.headers["location"].rsplit("/", 1)[1]
    refused = await two.post("/console/register/apply", data={"csrf_token": token, "token": job})
    assert refused.status_code == 409 and "daftar berubah" in refused.text
    assert await _stored(runtime, "DIP-2026-00002") is None and await workers.rows() == []
