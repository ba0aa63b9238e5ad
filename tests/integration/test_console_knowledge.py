"""The console's "could not find", annual report and register pages through the ASGI app (issue 13):
login, CSRF, who may act, audit rows, and that the running search sees every change at once."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

import httpx
import openpyxl
import pytest

from bot import gap_store
from bot.accounts import Accounts
from bot.app import create_app
from bot.knowledge_loader import load_knowledge
from bot.runtime import Runtime
from handlers.gaps import GapStatus, gap_observed
from handlers.services.actor import Actor
from handlers.types import GapReason
from storage.db import Database
from tests.conftest import make_runtime
from tests.dialogs.requests_chat import MONDAY_10, Chat, Clock
from tests.fakes import RecordingSender
from tests.integration.test_console import PASSWORD, Desk, csrf

CAT_QUESTIONS = ("berapa jumlah kucing liar di kota", "jumlah kucing liar di kota berapa ya")
RABIES = "DIP-2024-0248"  # Jadwal Vaksinasi Rabies Gratis untuk Hewan Peliharaan Tahun 2024


Console = Desk  # without requests: dinkes and disdik are ""


@pytest.fixture
async def console(database: Database) -> AsyncIterator[Console]:
    knowledge = await load_knowledge(database, sample=True)
    sender, clock = RecordingSender(), Clock(MONDAY_10)
    runtime = make_runtime(database, sender, clock=clock, knowledge=knowledge)
    app = create_app(runtime.settings, runtime)
    async with app.router.lifespan_context(app):
        accounts, ops = Accounts(runtime.db, runtime.secret_key), Actor.system("test")
        for name, role, opds in (
            ("utama", "admin", ()), ("rina", "officer", ("DINKES",)), ("budi", "officer", ("DISDIK",)),
            ("sekda", "atasan", ()), ("pakrt", "coordinator", ()),
        ):  # fmt: skip
            await accounts.add(ops, name, role, opds, PASSWORD, MONDAY_10)
        yield Desk(httpx.ASGITransport(app=app), runtime, Chat(runtime, sender, clock), "", "")


async def _gaps(runtime: Runtime, *questions: str) -> None:
    async with runtime.db.write() as session:
        store = gap_store.GapStore(session, runtime.service_hours)
        effects = [gap_observed(q, GapReason.ABSTAINED) for q in questions]
        await store.apply(effects, channel="web", at=runtime.clock())


async def _group(runtime: Runtime) -> gap_store.GapGroupView:
    [group] = await gap_store.list_groups(runtime.db, runtime.service_hours, now=runtime.clock())
    return group


PAGES = ("/console/gaps", "/console/reports", "/console/reports/download?format=csv")


async def test_the_pages_need_a_login_and_posts_a_token(console: Console) -> None:
    await _gaps(console.runtime, *CAT_QUESTIONS)
    group = await _group(console.runtime)
    async with console.client() as http:
        for path in PAGES:
            response = await http.get(path)
            assert response.status_code == 303 and response.headers["location"] == "/console/login", path
    http = await console.login("rina")
    refused = await http.post(f"/console/gaps/{group.id}/link", data={"entry_id": RABIES})
    assert refused.status_code == 403
    refused = await http.post(f"/console/gaps/{group.id}/link", data={"entry_id": RABIES, "csrf_token": "x"})
    assert refused.status_code == 403
    assert (await _group(console.runtime)).status is GapStatus.OPEN
    assert not [a for a in await console.audit() if a[1].startswith("gap_")]


async def test_linking_a_group_from_the_page_makes_the_next_search_find_the_entry(console: Console) -> None:
    runtime = console.runtime
    await _gaps(runtime, *CAT_QUESTIONS)
    group = await _group(runtime)
    assert all(RABIES not in [h.id for h in runtime.knowledge.search(q).hits[:1]] for q in CAT_QUESTIONS)
    http = await console.login("rina")
    page = await http.get("/console/gaps?q=vaksinasi+rabies")
    assert page.status_code == 200 and CAT_QUESTIONS[0] in page.text and RABIES in page.text  # the search box
    unknown = await http.post(
        f"/console/gaps/{group.id}/link", data={"entry_id": "DIP-9999-0000", "csrf_token": csrf(page)}
    )
    assert unknown.status_code == 400 and (await _group(runtime)).status is GapStatus.OPEN
    bad = await http.post(
        f"/console/gaps/{group.id}/link", data={"entry_id": "<x>", "csrf_token": csrf(page)}
    )
    assert bad.status_code == 400
    linked = await http.post(
        f"/console/gaps/{group.id}/link", data={"entry_id": RABIES, "csrf_token": csrf(page)}
    )
    assert linked.status_code == 303
    for question in CAT_QUESTIONS:  # no restart, no waiting for the poll
        assert runtime.knowledge.search(question).hits[0].id == RABIES
    assert (await _group(runtime)).status is GapStatus.LINKED
    assert ("officer:rina", "gap_link", f"gap:{group.id}") in await console.audit()


async def test_publish_not_ours_reopen_and_who_may_act(console: Console) -> None:
    runtime = console.runtime
    await _gaps(runtime, "kapan lomba 17an kelurahan")
    group = await _group(runtime)
    sekda = await console.login("sekda")  # the Atasan reads, does not act
    page = await sekda.get("/console/gaps")
    assert page.status_code == 200 and "kapan lomba 17an" in page.text and "/reopen" not in page.text
    assert (
        await sekda.post(f"/console/gaps/{group.id}/reopen", data={"csrf_token": csrf(page)})
    ).status_code == 403
    rt = await console.login("pakrt")
    assert (await rt.get("/console/gaps")).status_code == 403
    http = await console.login("budi")
    token = csrf(await http.get("/console/gaps"))
    empty = await http.post(f"/console/gaps/{group.id}/publish", data={"opd": " ", "csrf_token": token})
    assert empty.status_code == 400
    done = await http.post(
        f"/console/gaps/{group.id}/publish", data={"opd": "Dinas Pemuda", "csrf_token": token}
    )
    assert done.status_code == 303
    page = await http.get("/console/gaps?status=to_publish")
    assert "Dinas Pemuda" in page.text and "kapan lomba 17an" in page.text
    assert "kapan lomba 17an" not in (await http.get("/console/gaps?status=open")).text.split("</tbody>")[0]
    referral = "Silakan sampaikan ke SP4N-LAPOR! di lapor.go.id"
    done = await http.post(
        f"/console/gaps/{group.id}/not-ours", data={"referral": referral, "csrf_token": token}
    )
    assert done.status_code == 303 and (await _group(runtime)).referral == referral
    done = await http.post(f"/console/gaps/{group.id}/reopen", data={"csrf_token": token})
    assert done.status_code == 303 and (await _group(runtime)).status is GapStatus.OPEN
    missing = await http.post("/console/gaps/999/reopen", data={"csrf_token": token})
    assert missing.status_code == 404
    actions = [a[1] for a in await console.audit() if a[0] == "officer:budi" and a[1].startswith("gap_")]
    assert actions == ["gap_publish", "gap_not_ours", "gap_reopen"]


async def test_the_report_page_shows_tables_and_charts_and_its_downloads_open(console: Console) -> None:
    await console.chat.file("u1")
    await _gaps(console.runtime, *CAT_QUESTIONS)
    year = MONDAY_10.year
    assert (await (await console.login("pakrt")).get("/console/reports")).status_code == 403
    http = await console.login("sekda")
    page = await http.get(f"/console/reports?year={year}")
    assert page.status_code == 200 and page.text.count("<svg") >= 3 and "<script" not in page.text
    assert CAT_QUESTIONS[0] in page.text  # the top unanswered questions
    csv_file = await http.get(f"/console/reports/download?year={year}&format=csv")
    assert csv_file.status_code == 200 and "attachment" in csv_file.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert rows[0] == ["year", "opd", "section", "item", "value"]
    received = next(r for r in rows if r[2] == "summary")
    assert received[0] == str(year) and received[4] == "1"
    xlsx = await http.get(f"/console/reports/download?year={year}&format=xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames
    pdf = await http.get(f"/console/reports/download?year={year}&format=pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.headers["content-type"] == "application/pdf"
    data = (await http.get(f"/console/reports/download?year={year}&format=json")).json()
    assert data["year"] == year
    printable = await http.get(f"/console/reports/download?year={year}&format=html")
    assert (
        printable.status_code == 200
        and "<svg" in printable.text
        and "inline" in printable.headers["content-disposition"]
    )
    by_opd = await http.get(f"/console/reports?year={year}&opd=dinkes")
    assert by_opd.status_code == 200 and "DINKES" in by_opd.text
