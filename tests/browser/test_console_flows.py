"""Issue 10's two flows end to end in Debian's chromium, against the real ``tanya serve``:

(a) a citizen files a request in the web chat choosing "lewat chat ini"; the PPID Utama routes it;
the officer of that OPD signs in, sees it, decides it with a PDF attached; the citizen's chat shows
the written notice and both files, and downloads them.
(b) a citizen asks for a person; an officer takes the conversation, answers (seen live in the
chat), hands it back, and the bot answers again.

Screenshots of the console's main pages go to ``TANYA_SCREENSHOTS`` (docs/screenshots in the README).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect

from tests.browser.conftest import Server, run_tanya, serving
from tests.dialogs.requests_chat import GOOD

pytestmark = pytest.mark.browser
PASSWORD = "kata-sandi-petugas"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHAT_COPY = [("5" if text == "4" else text) for text, _ in GOOD]  # the copy "lewat chat ini"


@pytest.fixture(scope="module")
def office(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    work = tmp_path_factory.mktemp("flows")
    run_tanya(work, "db", "upgrade")
    run_tanya(work, "user", "add", "utama", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    run_tanya(work, "user", "add", "rina", "--role", "officer", "--opd", "DINKES", "--password-stdin",
              stdin=PASSWORD + "\n")  # fmt: skip
    with serving(work) as server:
        yield server, work


def say(page: Page, text: str, expect_text: str = "", *, answered: bool = True) -> None:
    """Type and send ``text``; wait for the bot's answer (and for ``expect_text`` in it)."""
    before = page.locator("#log .msg.bot").count()
    page.get_by_label("Tulis pesan").fill(text)
    page.locator("#send").click()
    if answered:
        expect(page.locator("#log .msg.bot").nth(before)).to_be_visible(timeout=10000)
    if expect_text:
        expect(page.locator("#log .msg.bot", has_text=expect_text).last).to_be_visible()


@contextlib.contextmanager
def officer_page(browser: Browser, server: Server, username: str) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    context.set_default_timeout(10000)
    try:
        page = context.new_page()
        page.goto(f"{server.url}console/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{server.url}console")
        yield page
    finally:
        context.close()


def test_a_web_chat_request_decided_with_a_pdf_reaches_the_citizen(
    browser: Browser, phone: BrowserContext, office: tuple[Server, Path], shots: Path
) -> None:
    server, work = office
    chat = phone.new_page()
    chat.goto(server.url)
    expect(chat.locator("#log .msg.bot", has_text="Selamat datang")).to_have_count(1)
    for text in CHAT_COPY:
        say(chat, text)
    say(chat, "1", "PPID-")
    registered = chat.locator("#log .msg.bot", has_text="PPID-").last.inner_text()
    number = re.search(r"PPID-\d{4}-\d{6}", registered)
    assert number
    number_text = number.group(0)
    run_tanya(work, "request", "route", number_text, "--opd", "DINKES", "--as", "utama")

    with officer_page(browser, server, "rina") as page:
        page.screenshot(path=shots / "console-desk.png")
        page.click("nav >> text=Permohonan")
        expect(page.locator(f"text={number_text}")).to_be_visible()
        page.click(f"text={number_text}")
        assert "DINKES" in page.text_content(".facts")  # type: ignore[operator]
        page.select_option("select[name=outcome]", "granted")
        page.fill("textarea[name=note]", "Salinan APBD terlampir.")
        upload: FilePayload = {"name": "apbd-2024.pdf", "mimeType": "application/pdf", "buffer": PDF}
        page.set_input_files("input[name=document]", files=[upload])
        page.screenshot(path=shots / "console-decide-with-document.png", full_page=True)
        page.click("button:has-text('Simpan keputusan')")
        expect(page.locator("text=Pemberitahuan tertulis").first).to_be_visible()
        page.click("a:has-text('Pemberitahuan tertulis')")
        expect(page.locator("text=PEMBERITAHUAN TERTULIS")).to_be_visible()
        page.screenshot(path=shots / "console-notice.png", full_page=True)

    notice = chat.locator("#log .msg.bot.legal", has_text="Pasal 22 ayat (7)").last
    expect(notice).to_be_visible(timeout=15000)
    expect(notice.locator("button.file-link")).to_contain_text(f"pemberitahuan-{number_text}.pdf")
    answer = chat.locator("#log .msg.bot", has_text="apbd-2024.pdf").last
    expect(answer).to_be_visible()
    with chat.expect_download() as waiting:
        answer.locator("button.file-link").click()
    download = waiting.value
    assert download.suggested_filename == "apbd-2024.pdf"
    assert Path(download.path()).read_bytes() == PDF
    chat.screenshot(path=shots / "phone-answer-document.png")


def test_an_officer_takes_a_conversation_answers_live_and_hands_back(
    browser: Browser, phone: BrowserContext, office: tuple[Server, Path], shots: Path
) -> None:
    server, _ = office
    chat = phone.new_page()
    chat.goto(server.url)
    expect(chat.locator("#log .msg.bot", has_text="Selamat datang")).to_have_count(1)
    say(chat, "chat dengan petugas", "petugas")
    say(chat, "Saya butuh data stunting per kelurahan", answered=False)  # the bot stays silent
    with officer_page(browser, server, "utama") as page:
        page.click("nav >> text=Percakapan")
        page.click("text=Buka")
        expect(page.locator("text=data stunting per kelurahan")).to_be_visible()
        page.click("button:has-text('Ambil alih')")
        expect(chat.locator("#log .msg.bot", has_text="sudah bergabung")).to_be_visible(timeout=15000)
        page.fill("input[name=q]", "stunting")
        page.click("button:has-text('Cari')")
        page.fill("textarea[name=text]", "Data stunting per kelurahan ada di Dinas Kesehatan; kami kirimkan.")
        page.screenshot(path=shots / "console-conversation-tools.png", full_page=True)
        page.click("button:has-text('Kirim')")
        officer_says = chat.locator("#log .msg.bot.officer", has_text="ada di Dinas Kesehatan")
        expect(officer_says).to_be_visible(timeout=15000)  # live: the chat polls
        page.fill("form[action$='/note'] textarea[name=text]", "Sudah dijawab; tindak lanjut oleh Dinkes.")
        page.click("button:has-text('Simpan catatan')")
        expect(page.locator("text=tindak lanjut oleh Dinkes")).to_be_visible()
        page.click("button:has-text('Kembalikan')")
        page.wait_for_url("**/console/inbox")
        page.goto(f"{server.url}console/outbox")
        page.screenshot(path=shots / "console-outbox.png", full_page=True)
        page.goto(f"{server.url}console/requests/new")
        page.screenshot(path=shots / "console-offline-request.png", full_page=True)
    expect(chat.locator("#log .msg.bot", has_text="Asisten otomatis kembali")).to_be_visible(timeout=15000)
    assert "tindak lanjut" not in chat.content()  # the note is never the citizen's
    say(chat, "menu", "Cari informasi publik")
    chat.screenshot(path=shots / "phone-hand-off.png")
