"""The annual report page in Debian's chromium: the tables and the server-drawn SVG charts of the
sample year, at 1366x768; the screenshot goes to ``TANYA_SCREENSHOTS`` (docs/screenshots)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import Server, run_tanya, serving
from tests.browser.test_console import PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reporting(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with an administrator and the sample year (loaded into the empty ledger)."""
    work = tmp_path_factory.mktemp("report")
    run_tanya(work, "db", "upgrade")
    run_tanya(work, "user", "add", "utama", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    with serving(work) as server:
        yield server


def test_the_report_page_shows_its_charts(browser: Browser, reporting: Server, shots: Path) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    context.set_default_timeout(8000)
    errors: list[str] = []  # what the console's Content-Security-Policy refused
    try:
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if "Refused" in message.text else None)
        sign_in(page, reporting)
        page.click("nav >> text=Laporan tahunan")
        page.wait_for_url("**/console/reports")
        page.select_option("select[name=year]", "2026")
        page.click("button:has-text('Tampilkan')")
        page.wait_for_url("**/console/reports?year=2026*")
        charts = page.locator("figure.chart svg")
        assert charts.count() >= 3
        box = charts.first.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100  # drawn, not blocked
        assert page.locator("figure.chart svg rect").count() >= 12  # a bar a month at least
        assert errors == []  # nothing refused by the console's Content-Security-Policy
        page.screenshot(path=shots / "console-report.png", full_page=True)
        with page.expect_download() as download:
            page.click("a:has-text('CSV')")
        assert download.value.suggested_filename == "laporan-ppid-2026.csv"
    finally:
        context.close()


def test_a_large_upload_shows_its_progress_then_its_preview(
    browser: Browser, reporting: Server, tmp_path: Path, shots: Path
) -> None:
    """12,000 rows: the page says which row is being checked (``console.js`` polls it) and turns
    into the preview by itself, with nothing refused by the Content-Security-Policy."""
    header = "id,judul,ringkasan,kategori,opd,opd_singkatan,tahun\n"
    rows = "".join(
        f"DIP-2026-{n:05d},Data Uji {n},Ringkasan.,berkala,Dinas Kesehatan,Dinkes,2026\n"
        for n in range(12_000)
    )
    big = tmp_path / "daftar.csv"
    big.write_text(header + rows, encoding="utf-8")
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    context.set_default_timeout(30_000)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if "Refused" in message.text else None)
        sign_in(page, reporting)
        page.goto(f"{reporting.url}console/register")
        page.click("summary:has-text('Unggah daftar')")  # folded below the list
        page.set_input_files("input[name=file]", str(big))
        page.click("button:has-text('Periksa')")
        page.wait_for_url("**/console/register/upload/*")
        seen = page.locator("#upload-progress").all_inner_texts()
        if seen:
            page.screenshot(path=shots / "console-register-checking.png")
        for text in seen:  # while the check runs (it may have ended before the first look)
            assert re.fullmatch(r"Memeriksa baris [\d.]+ dari 12\.000", text), text
        page.wait_for_selector("#preview")
        assert "Ditambahkan: 12000" in page.inner_text("#preview")
        page.screenshot(path=shots / "console-register-preview.png")
        assert page.locator("#preview button:has-text('Terapkan')").count() == 1
        assert errors == []
    finally:
        context.close()


def test_the_register_fits_a_desk_screen(browser: Browser, reporting: Server, shots: Path) -> None:
    """At 1280 px the register's table, with a serta merta row's area selector, fits the page: no
    sideways scrolling to reach the actions."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
    context.set_default_timeout(8000)
    try:
        page = context.new_page()
        sign_in(page, reporting)
        page.goto(f"{reporting.url}console/register?q=demam+berdarah")
        page.wait_for_selector("table")
        page.screenshot(path=shots / "console-register-1280.png", full_page=True)
        widths = page.evaluate(
            "() => [...document.querySelectorAll('.table-wrap')].map(w => [w.scrollWidth, w.clientWidth])"
        )
        assert widths and all(scroll <= client + 1 for scroll, client in widths), widths
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def test_an_officer_adds_an_example_question_and_the_chat_finds_the_entry_by_it(
    browser: Browser, reporting: Server, shots: Path
) -> None:
    """The entry form's example questions (``contoh_pertanyaan``, one a line): a question added
    there is searched at once, so a citizen's wording the register never used finds the entry."""
    from tests.browser.test_console_flows import say

    rescue, asked = "DIP-2024-0425", "trenggiling nyasar ke loteng gudang"
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    context.set_default_timeout(8000)
    try:
        chat = context.new_page()
        chat.goto(reporting.url)
        say(chat, asked)
        assert "Evakuasi Hewan" not in chat.locator("#log .msg.bot").last.inner_text()
        page = context.new_page()
        sign_in(page, reporting)
        page.goto(f"{reporting.url}console/register/entry/{rescue}")
        examples = page.locator("textarea[name=contoh_pertanyaan]")
        before = examples.input_value().splitlines()
        assert len(before) == 6  # the sample's, one a line
        examples.fill("\n".join([*before, asked]))
        page.locator("form[action='/console/register/save']").screenshot(
            path=shots / "console-register-examples.png"
        )
        page.click("form[action='/console/register/save'] button[type=submit]")
        page.wait_for_url("**/console/register*")
        page.goto(f"{reporting.url}console/register/entry/{rescue}")
        assert page.locator("textarea[name=contoh_pertanyaan]").input_value().splitlines() == [*before, asked]
        say(chat, asked, "Evakuasi Hewan")
    finally:
        context.close()
