"""The officer's main flow in Debian's chromium: sign in, today's desk, a request, reveal, route and
decide, at 1366x768 and on a phone; screenshots saved (``TANYA_SCREENSHOTS``)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PHONE, Server, run_tanya, serving
from tests.dialogs.requests_chat import GOOD, NIK

pytestmark = pytest.mark.browser
PASSWORD = "kata-sandi-petugas"


@pytest.fixture(scope="module")
def desk(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str, Path]]:
    """A server whose database has an administrator and one request filed through ``tanya chat``."""
    work = tmp_path_factory.mktemp("console")
    run_tanya(work, "db", "upgrade")
    run_tanya(work, "user", "add", "utama", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    filed = run_tanya(
        work, "chat", "--user", "siti", stdin="\n".join([text for text, _ in GOOD] + ["1"]) + "\n"
    )
    number = next(w for w in filed.replace(".", " ").split() if w.startswith("PPID-"))
    run_tanya(work, "chat", "--user", "andi", stdin="chat dengan petugas\nberapa jumlah posyandu?\n")
    with serving(work) as server:
        yield server, number, work


@contextlib.contextmanager
def desk_page(browser: Browser, server: Server) -> Iterator[Page]:
    """A signed-in administrator's page on a 1366x768 screen."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    context.set_default_timeout(8000)
    try:
        page = context.new_page()
        sign_in(page, server)
        yield page
    finally:
        context.close()


def sign_in(page: Page, server: Server) -> None:
    page.goto(f"{server.url}console")
    assert page.url.endswith("/console/login")
    page.fill("input[name=username]", "utama")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{server.url}console")


def test_desk_request_reveal_route_and_decide_at_1366x768(
    browser: Browser, desk: tuple[Server, str, Path], shots: Path
) -> None:
    server, number, _ = desk
    with desk_page(browser, server) as page:
        page.screenshot(path=shots / "console-desk.png")
        page.click("text=Permohonan")
        page.wait_for_url("**/console/requests")
        page.click(f"text={number}")
        assert NIK not in page.content() and "************0001" in page.content()
        page.screenshot(path=shots / "console-request.png", full_page=True)
        page.click("button:has-text('Tampilkan data lengkap')")
        assert NIK in page.content() and "dicatat dalam log audit" in page.content()
        page.goto(f"{server.url}console/requests/{number}")
        assert NIK not in page.content()
        page.fill("input[name=opd]", "DINKES")
        page.click("button:has-text('Teruskan')")
        assert "DINKES" in page.text_content(".facts")  # type: ignore[operator]
        page.select_option("select[name=outcome]", "granted")
        page.fill("textarea[name=note]", "Salinan dikirim melalui e-mail.")
        page.click("button:has-text('Simpan keputusan')")
        assert "Pemohon diberi tahu" in page.content() or "percakapan" in page.content()
        page.screenshot(path=shots / "console-decided.png", full_page=True)
        page.click("text=English")
        assert "Today's desk" in page.content()


def test_the_console_fits_a_phone(browser: Browser, desk: tuple[Server, str, Path], shots: Path) -> None:
    server, number, _ = desk
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(8000)
    page = context.new_page()
    try:
        sign_in(page, server)
        page.goto(f"{server.url}console/requests/{number}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width  # no sideways scrolling
        page.screenshot(path=shots / "console-phone-request.png", full_page=True)
    finally:
        context.close()


def test_a_waiting_conversation_is_taken_and_new_messages_appear_without_reload(
    browser: Browser, desk: tuple[Server, str, Path], shots: Path
) -> None:
    server, _, work = desk
    with desk_page(browser, server) as page:
        assert "posyandu" not in page.content()
        page.click("nav >> text=Percakapan")
        page.click("text=Buka")
        assert "berapa jumlah posyandu?" in page.content()
        page.click("button:has-text('Ambil alih')")
        page.fill("textarea[name=text]", "Ada 42 posyandu, datanya kami kirimkan.")
        page.click("button:has-text('Kirim')")
        page.wait_for_selector("text=Petugas PPID: Ada 42 posyandu")
        run_tanya(work, "chat", "--user", "andi", stdin="terima kasih, ditunggu\n")
        page.wait_for_selector("text=terima kasih, ditunggu", timeout=10000)  # no reload: the page polls
        page.screenshot(path=shots / "console-conversation.png", full_page=True)
