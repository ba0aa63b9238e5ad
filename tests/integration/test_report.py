"""The annual report from the database and its exports: the sample year loads through the real
services (sealed), the figures come from the log, and every export opens (CSV parsed, XLSX read
back with openpyxl, the PDF has pages, the HTML has its charts and no script)."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.cli import main
from bot.holidays import ensure_holidays
from bot.report import ReportFormat, bar_chart_svg, load_annual_report, render
from bot.request_store import RequestStore
from bot.sample_requests import REQUESTS_FILE, load_sample_requests
from bot.settings import get_settings
from handlers import request_service
from handlers.domain.deadlines import ServiceHours
from handlers.domain.lifecycle import Decision, Outcome
from handlers.domain.report import annual_report
from handlers.request_ports import RequestDraft
from handlers.types import Lang
from storage import migrate
from storage.crypto import crypto_for, install_key
from storage.db import Database
from tests.conftest import SECRET
from tests.unit.test_annual_report import CAL, LOG, OBJECTIONS

HOURS = ServiceHours.from_settings("08:00", "16:00", "Asia/Jakarta")
DEC_7 = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
REPORT = annual_report(2026, LOG, OBJECTIONS, CAL, as_of=date(2026, 12, 31))


def _render(fmt: ReportFormat) -> bytes:
    return render(REPORT, fmt, body_name="Pemerintah Kota Sukamaju", generated_on=date(2026, 12, 7))


def test_json_export_is_the_figures() -> None:
    assert json.loads(_render(ReportFormat.JSON)) == json.loads(json.dumps(REPORT.as_json()))


def test_csv_export_parses() -> None:
    rows = list(csv.DictReader(io.StringIO(_render(ReportFormat.CSV).decode("utf-8-sig"))))
    figures = {(r["section"], r["item"]): r["value"] for r in rows}
    assert figures["summary", "Jumlah permohonan"] == "10"
    assert figures["summary", "Dijawab tepat waktu"] == "0.75"
    assert figures["by_month", "Feb"] == "2" and figures["by_channel", "Loket (datang langsung)"] == "1"
    assert figures["refused_by_pasal", "Pasal 17 huruf h"] == "2"
    assert figures["working_days", "Persentil ke-90"] == "16"
    assert figures["objections_by_ground", "Huruf g"] == "1"
    assert {r["year"] for r in rows} == {"2026"}


def test_xlsx_export_reads_back() -> None:
    data = _render(ReportFormat.XLSX)
    book = load_workbook(io.BytesIO(data))
    sheet = book["2026"]
    assert isinstance(sheet, Worksheet)
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["Laporan Layanan Informasi Publik Tahun 2026"] is None
    assert values["Jumlah permohonan"] == 10 and values["Dijawab tepat waktu"] == 0.75
    assert values["Dikabulkan seluruhnya"] == 2 and values["Median"] == 4
    assert "xl/charts/chart1.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()  # the months' bar chart


def test_pdf_export_has_pages() -> None:
    pdf = _render(ReportFormat.PDF)
    assert pdf.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", pdf)
    assert len(pages) >= 2


def test_html_export_has_tables_and_inline_charts_and_no_script() -> None:
    page = _render(ReportFormat.HTML).decode()
    assert "<h1>Laporan Layanan Informasi Publik Tahun 2026</h1>" in page
    assert page.count("<svg") == 3 and "<script" not in page
    assert '<td class="n">75,0%</td>' in page and '<td class="n">6,71</td>' in page


def test_html_escapes_what_officers_typed() -> None:
    hostile = annual_report(2026, [], [], CAL, as_of=date(2026, 12, 31), opd="<script>x</script>")
    page = render(hostile, ReportFormat.HTML, body_name="<b>Kota</b>").decode()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;Kota" in page
    assert "<script" not in bar_chart_svg("<x>", [("<script>", 1)])


def test_english_report() -> None:
    page = render(REPORT, ReportFormat.HTML, body_name="City", lang=Lang.EN).decode()
    assert "Public Information Service Report 2026" in page and "75.0%" in page


# --- from the database ---


@pytest.fixture
async def db(tmp_path: Path, installed_key: None) -> Database:
    database = Database.from_url(f"sqlite+aiosqlite:///{tmp_path}/tanya.db")
    await migrate.upgrade(database)
    await ensure_holidays(database, (2026, 2027))
    return database


async def test_figures_from_the_log_across_cuti_bersama(db: Database) -> None:
    draft = RequestDraft(requester_type="perorangan", filing_as="sendiri", name="Siti Contoh", nik="9900000000000099",
                         information="Data APBD", purpose="Penelitian", obtain_method="melihat")  # fmt: skip
    async with db.write() as session:
        port = RequestStore(session, crypto_for(SECRET))
        filed = await request_service.file_request(
            port, draft, received_at=datetime(2026, 3, 16, 10, tzinfo=HOURS.tz), hours=HOURS,
            conversation_id=None, channel="loket",
        )  # fmt: skip
        await request_service.decide(
            port, filed.record.number, Decision(Outcome.GRANTED), note="Terlampir.", actor="officer:x",
            now=datetime(2026, 3, 27, 14, tzinfo=HOURS.tz), hours=HOURS,
        )  # fmt: skip
    report = await load_annual_report(db, 2026, hours=HOURS, now=DEC_7)
    assert (report.received, report.by_channel, report.outcomes["granted"]) == (1, {"loket": 1}, 1)
    assert report.working_days.median == 4 and report.on_time == 1 and report.late == 0
    await db.dispose()


def _database_bytes(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in directory.iterdir() if p.name.startswith("tanya.db"))


async def test_sample_year_loads_through_the_services_sealed(db: Database, tmp_path: Path) -> None:
    with REQUESTS_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert await load_sample_requests(db, crypto_for(SECRET), HOURS) == len(rows)
    assert await load_sample_requests(db, crypto_for(SECRET), HOURS) == 0  # only into an empty ledger
    report = await load_annual_report(db, 2026, hours=HOURS, now=DEC_7)
    assert report.received == len(rows) and sum(report.outcomes.values()) == len(rows)
    assert report.commission_disputes == sum(1 for r in rows if r["commission_on"])
    assert report.objections_received == sum(1 for r in rows if r["objection_at"])
    assert report.extended == sum(1 for r in rows if r["extend_days"])
    assert report.service.answered > 0 and report.service.top_gaps[0].count >= 10
    await db.dispose()
    data = _database_bytes(tmp_path)
    assert rows[0]["information"].encode() in data  # not personal: readable, so the scan sees text
    for row in rows[:20]:
        for key in ("nik", "name", "phone", "email", "address"):
            assert row[key].encode() not in data, key


def test_cli_report_and_commission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    url = f"sqlite+aiosqlite:///{tmp_path}/tanya.db"

    async def seed() -> None:
        database = Database.from_url(url)
        await migrate.upgrade(database)
        await load_sample_requests(database, crypto_for(SECRET), HOURS)
        await database.dispose()

    install_key(SECRET)
    asyncio.run(seed())
    monkeypatch.setenv("TANYA_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    try:
        assert main(["report", "annual", "--year", "2026", "--format", "xlsx"]) == 0
        assert (tmp_path / "laporan-ppid-2026.xlsx").exists()
        assert main(["report", "annual", "--year", "2026", "--format", "pdf", "--output", "r.pdf"]) == 0
        assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
        assert main(["report", "commission", "KBR-2026-000001", "--clear"]) == 0
        capsys.readouterr()
        assert main(["report", "annual", "--year", "2026", "--format", "json"]) == 0
        before = json.loads(capsys.readouterr().out)["objections"]["commission_disputes"]
        assert main(["report", "commission", "KBR-2026-000001", "--on", "2026-06-01"]) == 0
        assert main(["report", "commission", "KBR-2099-000001", "--on", "2026-06-01"]) == 1
        assert "no objection KBR-2099-000001" in capsys.readouterr().err
        assert main(["report", "annual", "--year", "2026", "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["objections"]["commission_disputes"] == before + 1
        assert main(["report", "annual", "--year", "1999", "--format", "json"]) == 2
        assert (
            main(["report", "annual", "--year", "2026", "--opd", "Dinas Kesehatan", "--format", "json"]) == 0
        )
        dinkes = json.loads(capsys.readouterr().out)
        assert dinkes["by_opd"] == {"Dinas Kesehatan": dinkes["received"]} and dinkes["received"] > 0
    finally:
        get_settings.cache_clear()


async def test_workers_starting_together_load_the_sample_once(
    database: Database, installed_key: None
) -> None:
    loaded = await asyncio.gather(
        *(load_sample_requests(database, crypto_for(SECRET), HOURS) for _ in range(2))
    )
    with REQUESTS_FILE.open(encoding="utf-8") as f:
        count = sum(1 for _ in csv.DictReader(f))
    assert sorted(loaded) == [0, count]
    assert (await load_annual_report(database, 2026, hours=HOURS, now=DEC_7)).received == count
