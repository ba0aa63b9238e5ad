"""The console's "could not find", annual report and register pages through the ASGI app (issue 13):
login, CSRF, who may act, audit rows, and that the running search sees every change at once."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import threading
from pathlib import Path

import httpx
import openpyxl
import pytest
from sqlalchemy import insert, select

from bot import gap_store
from bot.area_store import AreaStore
from bot.areas import load_sample_areas
from bot.console.upload_jobs import PARSERS
from bot.knowledge_edits import Sheet
from bot.knowledge_loader import LiveKnowledge
from bot.runtime import Runtime
from handlers.gaps import GapStatus, gap_observed
from handlers.types import GapReason, Reply
from knowledge.importing import ParsedFile
from knowledge.models import RegisterEntry
from knowledge.register import parse_register
from knowledge.tabular import MemoryFile, OnRow
from storage.models import OutboxMessage
from storage.models.areas import Subscription
from storage.models.knowledge import RegisterEntryRow
from storage.repositories import ConversationRepository
from tests.dialogs.requests_chat import MONDAY_10
from tests.integration.test_console import Desk, csrf

CAT_QUESTIONS = ("berapa jumlah kucing liar di kota", "jumlah kucing liar di kota berapa ya")
RABIES = "DIP-2024-0248"  # Jadwal Vaksinasi Rabies Gratis untuk Hewan Peliharaan Tahun 2024


Console = Desk  # without requests: dinkes and disdik are ""


async def _gaps(runtime: Runtime, *questions: str) -> None:
    async with runtime.db.write() as session:
        store = gap_store.GapStore(session, runtime.service_hours)
        effects = [gap_observed(q, GapReason.ABSTAINED) for q in questions]
        await store.apply(effects, channel="web", at=runtime.clock())


async def _group(runtime: Runtime) -> gap_store.GapGroupView:
    [group] = await gap_store.list_groups(runtime.db, runtime.service_hours, now=runtime.clock())
    return group


PAGES = ("/console/gaps", "/console/reports", "/console/reports/download?format=csv", "/console/register")


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


SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "register.csv"
DINKES_ALERT = "DIP-2024-0141"  # serta merta, Dinkes


async def upload(
    http: httpx.AsyncClient, token: str, data: bytes, name: str = "dip.csv", **form: str
) -> httpx.Response:
    """Post a file, then follow its check's page until the check has ended: the preview page."""
    posted = await http.post(
        "/console/register/upload", data={"csrf_token": token, **form},
        files={"file": (name, data, "application/octet-stream")},
    )  # fmt: skip
    if posted.status_code != 303:
        return posted
    return await follow(http, posted.headers["location"])


async def follow(http: httpx.AsyncClient, location: str) -> httpx.Response:
    """The upload's page once its check has ended."""
    for _ in range(6000):
        page = await http.get(location)
        if 'id="checking"' not in page.text:
            return page
        await asyncio.sleep(0.01)
    raise AssertionError("the check did not end")


def _register_csv(*, extra: list[list[str]], drop: int = 0) -> bytes:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1 + drop :]
    out = io.StringIO()
    csv.writer(out).writerows([header, *body, *extra])
    return out.getvalue().encode()


NEW_ROW = ["DIP-2026-9001", "Data Populasi Kucing Liar Kota Sukamaju", "Jumlah kucing liar per kecamatan.",
           "berkala", "Dinas Ketahanan Pangan", "DKP3", "", "softcopy", "2026", "", "", "kucing liar", ""]  # fmt: skip


async def test_an_upload_is_previewed_and_a_bad_row_changes_nothing(console: Console) -> None:
    runtime = console.runtime
    http = await console.login("utama")
    token = csrf(await http.get("/console/register"))
    assert isinstance(runtime.knowledge, LiveKnowledge)
    before = runtime.knowledge.size
    bad = [*NEW_ROW[:3], "rahasia", *NEW_ROW[4:]]  # an unknown category on the last line
    data = _register_csv(extra=[["DIP-2026-9002", *NEW_ROW[1:]], bad], drop=1)
    preview = await upload(http, token, data, retire_missing="1")
    assert preview.status_code == 400 and "rahasia" in preview.text
    lines = len(data.decode().splitlines())
    assert f"<td>{lines}</td><td>kategori</td>" in preview.text  # the bad row's line and reason
    assert "/console/register/apply" not in preview.text
    assert runtime.knowledge.size == before and runtime.knowledge.get("DIP-2026-9002") is None
    good = _register_csv(extra=[NEW_ROW], drop=1)
    preview = await upload(http, token, good, retire_missing="1")
    assert preview.status_code == 200 and "DIP-2026-9001" in preview.text and "DIP-2024-0001" in preview.text
    assert runtime.knowledge.get("DIP-2026-9001") is None  # a preview changes nothing
    found = re.search(r'name="token" value="([^"]+)"', preview.text)
    assert found
    budi = await console.login("budi")  # another account cannot apply this upload
    budi_token = csrf(await budi.get("/console/register"))
    refused = await budi.post("/console/register/apply", data={"csrf_token": budi_token, "token": found[1]})
    assert refused.status_code == 400 and runtime.knowledge.get("DIP-2026-9001") is None
    assert (await http.post("/console/register/apply", data={"token": found[1]})).status_code == 403
    applied = await http.post("/console/register/apply", data={"csrf_token": token, "token": found[1]})
    assert applied.status_code == 303
    assert (
        runtime.knowledge.get("DIP-2026-9001") is not None and runtime.knowledge.get("DIP-2024-0001") is None
    )
    assert runtime.knowledge.search("populasi kucing liar").hits[0].id == "DIP-2026-9001"
    again = await http.post("/console/register/apply", data={"csrf_token": token, "token": found[1]})
    assert again.status_code == 400  # used once
    assert ("officer:utama", "register_import", "register") in await console.audit()


async def test_an_officer_edits_only_their_opds_entries_and_search_sees_it(console: Console) -> None:
    runtime = console.runtime
    budi = await console.login("budi")  # DISDIK
    assert (await budi.get(f"/console/register/entry/{DINKES_ALERT}")).status_code == 403
    token = csrf(await budi.get("/console/register"))
    assert (
        await budi.post(f"/console/register/entry/{DINKES_ALERT}/retire", data={"csrf_token": token})
    ).status_code == 403
    rina = await console.login("rina")  # DINKES
    page = await rina.get(f"/console/register/entry/{DINKES_ALERT}")
    assert page.status_code == 200 and 'value="Dinkes"' in page.text
    values = dict(re.findall(r'<input name="(\w+)" value="([^"]*)"', page.text))
    values.update({"kategori": "serta_merta", "ringkasan": "", "alasan_pengecualian": ""})
    taken = {**values, "opd_singkatan": "Disdik", "judul": "Dibajak"}
    assert (await budi.post("/console/register/save", data={**taken, "csrf_token": token})).status_code == 403
    rina_token = csrf(page)
    assert (await rina.post("/console/register/save", data=taken)).status_code == 403  # no token
    moved = await rina.post("/console/register/save", data={**taken, "csrf_token": rina_token})
    assert moved.status_code == 403  # not into another OPD either
    renamed = {**values, "judul": "Waspada Wabah Flu Burung di Sukamaju"}
    saved = await rina.post("/console/register/save", data={**renamed, "csrf_token": rina_token})
    assert saved.status_code == 303
    assert runtime.knowledge.search("waspada wabah flu burung").hits[0].id == DINKES_ALERT
    invalid = await rina.post(
        "/console/register/save", data={**renamed, "tautan": "javascript:x", "csrf_token": rina_token}
    )
    assert invalid.status_code == 400 and "tautan" in invalid.text
    published = await rina.post(
        f"/console/register/entry/{DINKES_ALERT}/publish", data={"csrf_token": rina_token}
    )
    assert published.status_code == 303
    assert "Sudah diumumkan" in (await rina.get("/console/register?q=waspada")).text
    retired = await rina.post(
        f"/console/register/entry/{DINKES_ALERT}/retire", data={"csrf_token": rina_token}
    )
    assert retired.status_code == 303 and runtime.knowledge.get(DINKES_ALERT) is None
    assert [a[1] for a in await console.audit() if a[0] == "officer:rina" and a[1].startswith("entry_")] == [
        "entry_edit", "entry_publish", "entry_retire"
    ]  # fmt: skip


async def test_an_xlsx_upload_is_checked_the_same_way(console: Console) -> None:
    rows = list(csv.reader(io.StringIO(_register_csv(extra=[NEW_ROW]).decode())))
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows[:3] + rows[-1:]:
        sheet.append(row)
    sheet.append(["DIP-2026-9003", "", "", "berkala", "Dinas", "DKP3"])  # no title, on line 5
    data = io.BytesIO()
    book.save(data)
    http = await console.login("utama")
    token = csrf(await http.get("/console/register"))
    preview = await upload(http, token, data.getvalue(), "dip.xlsx")
    assert preview.status_code == 400 and "<td>5</td><td>judul</td>" in preview.text
    assert "/console/register/apply" not in preview.text
    other = await http.post(
        "/console/register/upload",
        data={"csrf_token": token},
        files={"file": ("dip.txt", b"x", "text/plain")},
    )
    assert other.status_code == 400


# --- the FAQ, officers' uploads, progress, publication as data (issue 13, second round) ---

FAQ_ID = "FAQ-001"  # Apa itu PPID?


def _form(page: httpx.Response) -> dict[str, str]:
    values = dict(re.findall(r'<input name="(\w+)" value="([^"]*)"', page.text))
    values.update(re.findall(r'<textarea name="(\w+)"[^>]*>([^<]*)</textarea>', page.text))
    return values


async def test_faq_entries_are_changed_by_admins_and_the_next_search_sees_it(console: Console) -> None:
    runtime = console.runtime
    rina = await console.login("rina")  # an officer reads the FAQ, does not change it
    page = await rina.get("/console/register/faq")
    assert page.status_code == 200 and "Apa itu PPID?" in page.text and "/faq/save" not in page.text
    token = csrf(page)
    new = {"id": "FAQ-900", "pertanyaan": "Bolehkah membawa kucing ke kantor PPID?", "jawaban": "Tidak."}
    assert (
        await rina.post("/console/register/faq/save", data={**new, "csrf_token": token})
    ).status_code == 403
    retire = f"/console/register/faq/entry/{FAQ_ID}/retire"
    assert (await rina.post(retire, data={"csrf_token": token})).status_code == 403
    assert (await rina.get(f"/console/register/faq/entry/{FAQ_ID}")).status_code == 403
    http = await console.login("utama")
    page = await http.get(f"/console/register/faq/entry/{FAQ_ID}")
    assert page.status_code == 200
    values = _form(page)
    assert values["id"] == FAQ_ID and values["jawaban"]
    token = csrf(page)
    edited = {**values, "pertanyaan": "Siapa pengelola arsip layanan informasi di balai kota?"}
    assert (
        await http.post("/console/register/faq/save", data={**edited, "csrf_token": token})
    ).status_code == 303
    assert runtime.knowledge.search("pengelola arsip layanan informasi balai kota").hits[0].id == FAQ_ID
    empty = await http.post("/console/register/faq/save", data={**new, "jawaban": "", "csrf_token": token})
    assert empty.status_code == 400 and "jawaban" in empty.text
    assert (
        await http.post("/console/register/faq/save", data={**new, "csrf_token": token})
    ).status_code == 303
    assert runtime.knowledge.search("membawa kucing ke kantor ppid").hits[0].id == "FAQ-900"
    assert (await http.post(retire, data={"csrf_token": token})).status_code == 303
    assert FAQ_ID not in [h.id for h in runtime.knowledge.search("pengelola arsip layanan informasi").hits]
    assert runtime.knowledge.get(FAQ_ID) is None
    assert (await http.post(retire, data={"csrf_token": token})).status_code == 404  # retired already
    assert [a[1] for a in await console.audit() if a[1].startswith("faq_")] == [
        "faq_edit",
        "faq_add",
        "faq_retire",
    ]


async def test_an_faq_file_is_previewed_and_applied_by_an_admin_only(console: Console) -> None:
    runtime = console.runtime
    data = b"id,pertanyaan,jawaban,tautan\nFAQ-901,Apakah kantor PPID buka hari Sabtu pagi?,Tidak.,\n"
    rina = await console.login("rina")
    refused = await upload(rina, csrf(await rina.get("/console/register/faq")), data, "faq.csv", sheet="faq")
    assert refused.status_code == 403
    http = await console.login("utama")
    token = csrf(await http.get("/console/register/faq"))
    preview = await upload(http, token, data, "faq.csv", sheet="faq")
    assert (
        preview.status_code == 200 and "FAQ-901" in preview.text and runtime.knowledge.get("FAQ-901") is None
    )
    found = re.search(r'name="token" value="([^"]+)"', preview.text)
    assert found
    applied = await http.post("/console/register/apply", data={"csrf_token": token, "token": found[1]})
    assert applied.status_code == 303 and applied.headers["location"].startswith("/console/register/faq")
    assert runtime.knowledge.search("kantor ppid buka hari sabtu").hits[0].id == "FAQ-901"
    assert ("officer:utama", "faq_import", "faq") in await console.audit()


def _sample_rows() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
    return rows[0], rows[1:]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


async def test_an_officer_uploads_only_their_opds_rows(console: Console) -> None:
    runtime = console.runtime
    assert isinstance(runtime.knowledge, LiveKnowledge)
    header, rows = _sample_rows()
    opd = header.index("opd_singkatan")
    dinkes = [r for r in rows if r[opd].upper() == "DINKES"]
    other = [r for r in rows if r[opd] == "Dindik"]
    assert len(dinkes) > 3 and other
    new = [*NEW_ROW[:4], "Dinas Kesehatan", "Dinkes", *NEW_ROW[6:]]
    stranger = [*NEW_ROW[:4], "Dinas Pendidikan", "Dindik", *NEW_ROW[6:]]
    stranger[0] = "DIP-2026-9010"
    taken = [*other[0][:opd], "Dinkes", *other[0][opd + 1 :]]  # another OPD's id, claimed for Dinkes
    rina = await console.login("rina")
    page = await rina.get("/console/register")
    assert "/console/register/upload" in page.text and 'value="faq"' not in page.text
    token = csrf(page)
    bad = await upload(rina, token, _csv(header, [*dinkes, new, stranger, taken]), retire_missing="1")
    assert bad.status_code == 400 and "/console/register/apply" not in bad.text
    line = len(dinkes) + 2  # the header is line 1
    assert f"<td>{line + 1}</td><td>opd_singkatan</td><td>entri OPD lain (Dindik)" in bad.text
    assert f"<td>{line + 2}</td><td>opd_singkatan</td><td>entri OPD lain (" in bad.text
    before = runtime.knowledge.size
    kept = dinkes[1:]  # the first Dinkes entry is left out: retired; nothing of other OPDs is
    preview = await upload(rina, token, _csv(header, [*kept, new]), retire_missing="1")
    assert preview.status_code == 200, preview.text[-2000:]
    retired = re.findall(r"<li><code>([^<]+)</code></li>", preview.text.split("Dipensiunkan</h3>")[1])
    assert retired == [dinkes[0][0]]
    budi = await console.login("budi")  # another session sees nothing of this upload
    job = re.search(r'name="token" value="([^"]+)"', preview.text)
    assert job
    assert (await budi.get(f"/console/register/upload/{job[1]}")).status_code == 404
    assert (await budi.get(f"/console/register/upload/{job[1]}/progress")).status_code == 404
    applied = await rina.post("/console/register/apply", data={"csrf_token": token, "token": job[1]})
    assert applied.status_code == 303
    assert runtime.knowledge.size == before  # one added, one retired
    assert runtime.knowledge.get(dinkes[0][0]) is None and runtime.knowledge.get(other[0][0]) is not None
    assert runtime.knowledge.search("populasi kucing liar").hits[0].id == new[0]
    assert ("officer:rina", "register_import", "register") in await console.audit()


async def test_a_serta_merta_entry_is_published_once_and_the_page_shows_when_and_by_whom(
    console: Console,
) -> None:
    rina = await console.login("rina")
    token = csrf(await rina.get("/console/register"))
    publish = f"/console/register/entry/{DINKES_ALERT}/publish"
    assert (await rina.post(publish, data={"csrf_token": token})).status_code == 303
    again = await rina.post(publish, data={"csrf_token": token})
    assert again.status_code == 409 and "sudah diumumkan sebelumnya" in again.text
    async with console.runtime.db.session() as session:
        row = await session.get(RegisterEntryRow, DINKES_ALERT)
        assert row is not None and row.published_by == "officer:rina"
        assert row.published_at == MONDAY_10
    sekda = await console.login("sekda")  # the Atasan reads it too
    page = await sekda.get("/console/register?q=demam+berdarah")
    assert "Sudah diumumkan" in page.text and "officer:rina" in page.text and "/publish" not in page.text
    assert [a[1] for a in await console.audit()].count("entry_publish") == 1
    not_serta_merta = await rina.post(f"/console/register/entry/{RABIES}/publish", data={"csrf_token": token})
    assert not_serta_merta.status_code in (400, 403)


def _big_register(rows: int, *, bad_last: bool = False) -> bytes:
    header, _ = _sample_rows()
    body = [
        [f"DIP-2026-{n:05d}", f"Data Uji Besar Nomor {n}", "Ringkasan.", "berkala", "Dinas Kesehatan", "Dinkes",
         "", "softcopy", "2026", "", "", "uji besar", ""]
        for n in range(rows)
    ]  # fmt: skip
    if bad_last:
        body[-1][3] = "rahasia"
    return _csv(header, body)


async def test_a_large_upload_reports_its_progress_then_its_preview_and_applies_at_once(
    console: Console, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = console.runtime
    assert isinstance(runtime.knowledge, LiveKnowledge)
    reached, go_on = threading.Event(), threading.Event()

    def paused(source: MemoryFile, *, on_row: OnRow) -> ParsedFile[RegisterEntry]:
        def report(read: int, total: int) -> None:
            on_row(read, total)
            if read == 4000:
                reached.set()
                go_on.wait(60)

        return parse_register(source, on_row=report)

    monkeypatch.setitem(PARSERS, Sheet.REGISTER, paused)
    http = await console.login("utama")
    token = csrf(await http.get("/console/register"))
    bad = _big_register(12_000, bad_last=True)
    posted = await http.post(
        "/console/register/upload", data={"csrf_token": token}, files={"file": ("big.csv", bad, "text/csv")}
    )
    assert posted.status_code == 303
    assert await asyncio.to_thread(reached.wait, 60)
    page = await http.get(posted.headers["location"])
    assert page.status_code == 200 and "Memeriksa baris 4.000 dari 12.000" in page.text
    assert 'data-poll="' in page.text and "/static/console.js" in page.text
    line = await http.get(posted.headers["location"] + "/progress")
    assert line.text == "Memeriksa baris 4.000 dari 12.000" and "x-upload-done" not in line.headers
    busy = await http.post(
        "/console/register/upload", data={"csrf_token": token}, files={"file": ("b.csv", bad, "text/csv")}
    )
    assert busy.status_code == 429 and "masih diperiksa" in busy.text  # one check per officer
    go_on.set()
    preview = await follow(http, posted.headers["location"])
    assert preview.status_code == 400 and "<td>12001</td><td>kategori</td>" in preview.text
    assert "Ditambahkan: 11999" in preview.text and "/console/register/apply" not in preview.text
    done = await http.get(posted.headers["location"] + "/progress")
    assert done.headers["x-upload-done"] == "1" and done.text == "Memeriksa baris 12.000 dari 12.000"
    assert runtime.knowledge.get("DIP-2026-00000") is None  # a bad row: nothing changed
    before = runtime.knowledge.size
    preview = await upload(http, token, _big_register(12_000))
    assert (
        preview.status_code == 200 and "Baris: 12000" in preview.text and "Ditambahkan: 12000" in preview.text
    )
    found = re.search(r'name="token" value="([^"]+)"', preview.text)
    assert found
    applied = await http.post("/console/register/apply", data={"csrf_token": token, "token": found[1]})
    assert applied.status_code == 303 and runtime.knowledge.size == before + 12_000
    assert runtime.knowledge.get("DIP-2026-11999") is not None  # the search sees it at once
    [summary] = [a for a in await console.audit() if a[1] == "register_import"]
    assert summary[0] == "officer:utama"


async def test_checks_are_bounded_in_all(console: Console, monkeypatch: pytest.MonkeyPatch) -> None:
    go_on = threading.Event()

    def stuck(source: MemoryFile, *, on_row: OnRow) -> ParsedFile[RegisterEntry]:
        go_on.wait(60)
        return parse_register(source, on_row=on_row)

    monkeypatch.setitem(PARSERS, Sheet.REGISTER, stuck)
    monkeypatch.setattr("bot.console.upload_jobs.MAX_RUNNING", 2)
    statuses = []
    try:
        for name in ("utama", "rina", "budi"):
            http = await console.login(name)
            token = csrf(await http.get("/console/register"))
            posted = await http.post(
                "/console/register/upload", data={"csrf_token": token},
                files={"file": ("a.csv", _register_csv(extra=[]), "text/csv")},
            )  # fmt: skip
            statuses.append(posted.status_code)
    finally:
        go_on.set()
    assert statuses[:2] == [303, 303] and statuses[2] == 429


async def test_publishing_a_serta_merta_entry_sends_it_to_the_chosen_areas_subscribers(
    console: Console,
) -> None:
    """Publishing is the push (UU 14/2008 Pasal 10): the entry goes at once to every subscriber of the
    chosen kelurahan as a serta merta notice, in the transaction that marks it published; no second
    register entry is made for it. A notice that cannot go publishes nothing."""
    runtime = console.runtime
    await load_sample_areas(runtime.db)
    async with runtime.db.write() as session:
        areas = AreaStore(session)
        here, there = await areas.get("sukamaju-wetan/rw02/rt003"), await areas.get("pondok-jati/rw01")
        assert here is not None and there is not None
        keys = [("telegram", "warga-sw"), ("telegram", "warga-pj")]
        convs = await ConversationRepository.lock_or_create(session, keys, MONDAY_10)
        await session.execute(insert(Subscription), [
            {"conversation_id": convs[keys[0]].id, "area_id": here.id, "created_at": MONDAY_10},
            {"conversation_id": convs[keys[1]].id, "area_id": there.id, "created_at": MONDAY_10},
        ])  # fmt: skip
    rina = await console.login("rina")
    page = await rina.get("/console/register?q=demam+berdarah")
    assert '<option value="sukamaju-wetan">' in page.text and '<option value="">' in page.text
    token, publish = csrf(page), f"/console/register/entry/{DINKES_ALERT}/publish"
    unknown = await rina.post(publish, data={"csrf_token": token, "to": "kelurahan-antah-berantah"})
    assert unknown.status_code == 403  # not an area the form offers: as if another's
    a_rw = await rina.post(publish, data={"csrf_token": token, "to": "sukamaju-wetan/rw02"})
    assert a_rw.status_code == 400 and "tidak dapat dikirim" in a_rw.text and "kelurahan" in a_rw.text
    async with runtime.db.session() as session:
        assert (await session.get(RegisterEntryRow, DINKES_ALERT)).published_at is None  # type: ignore[union-attr]
    sent = await rina.post(publish, data={"csrf_token": token, "to": "sukamaju-wetan"})
    assert sent.status_code == 303 and sent.headers["location"].startswith("/console/broadcasts/")
    await runtime.broadcaster.run_until_idle()
    async with runtime.db.session() as session:
        rows = (await session.execute(select(OutboxMessage.chat_id, OutboxMessage.payload, OutboxMessage.kind)
                                      .where(OutboxMessage.broadcast_id.is_not(None)))).all()  # fmt: skip
        entries = (
            await session.scalars(select(RegisterEntryRow.id).where(RegisterEntryRow.id.like("SM-%")))
        ).all()
        title = (await session.get(RegisterEntryRow, DINKES_ALERT)).judul  # type: ignore[union-attr]
    assert [(chat, kind) for chat, _, kind in rows] == [("warga-sw", "urgent")]
    assert title in Reply.from_json(rows[0][1]).text
    assert entries == []  # the entry is the register's already
    status = await rina.get(sent.headers["location"])
    assert status.status_code == 200 and title in status.text  # its title, not only "[DIP-...]"
    again = await rina.post(publish, data={"csrf_token": token, "to": "sukamaju-wetan"})
    assert again.status_code == 409
