"""The officer's main flow in Debian's chromium: sign in, today's desk, a request, reveal, route and
decide, at 1366x768 and on a phone; screenshots saved (``TANYA_SCREENSHOTS``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PHONE, Server, run_tanya, serving
from tests.dialogs.requests_chat import GOOD, NIK

pytestmark = pytest.mark.browser
PASSWORD = "kata-sandi-petugas"


@pytest.fixture(scope="module")
def desk(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    """A server whose database has an administrator and one request filed through ``tanya chat``."""
    work = tmp_path_factory.mktemp("console")
    run_tanya(work, "db", "upgrade")
    run_tanya(work, "user", "add", "utama", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n")
    filed = run_tanya(
        work, "chat", "--user", "siti", stdin="\n".join([text for text, _ in GOOD] + ["1"]) + "\n"
    )
    number = next(w for w in filed.replace(".", " ").split() if w.startswith("PPID-"))
    with serving(work) as server:
        yield server, number


def sign_in(page: Page, server: Server) -> None:
    page.goto(f"{server.url}console")
    assert page.url.endswith("/console/login")
    page.fill("input[name=username]", "utama")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{server.url}console")


def test_desk_request_reveal_route_and_decide_at_1366x768(
    browser: Browser, desk: tuple[Server, str], shots: Path
) -> None:
    server, number = desk
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    context.set_default_timeout(8000)
    page = context.new_page()
    try:
        sign_in(page, server)
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
    finally:
        context.close()


def test_the_console_fits_a_phone(browser: Browser, desk: tuple[Server, str], shots: Path) -> None:
    server, number = desk
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
