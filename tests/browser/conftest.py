"""Browser fixtures: the real ``tanya serve`` in a subprocess and Debian's chromium through Playwright.

Never downloads a browser. Without /usr/bin/chromium the tests skip, except under CI=true, where
they fail (``make browser-deps`` installs it).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from tests.conftest import SECRET

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The chat frame is cross-site (localhost embeds 127.0.0.1). Out of process, it misses the
    # phone emulation (devicePixelRatio 1 beside the page's 2), and taps in it sometimes land at
    # half their coordinates. Android Chrome keeps such frames in process on phones like the
    # ones emulated here (it isolates only sites people log in to), so the tests do too.
    "--disable-site-isolation-trials",
    "--disable-features=site-per-process,IsolateOrigins",
]
ROOT = Path(__file__).resolve().parents[2]
PHONE: ViewportSize = {"width": 360, "height": 740}


@dataclass(frozen=True, slots=True)
class Server:
    url: str  # ends with "/"
    log: Path

    def post_as(self, session: str, text: str, client_id: str) -> httpx.Response:
        """Send a message for a conversation from outside the page (another tab, another device)."""
        return httpx.post(
            f"{self.url}api/web/messages",
            json={"text": text, "client_id": client_id},
            headers={"X-Tanya-Session": session},
            timeout=10,
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tanya() -> str:
    local = Path(sys.executable).with_name("tanya")
    return str(local) if local.exists() else shutil.which("tanya") or "tanya"


@pytest.fixture(scope="module")
def chromium_path() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but /usr/bin/chromium is missing: run `make browser-deps`")
    pytest.skip("/usr/bin/chromium not installed (make browser-deps)")


@contextlib.contextmanager
def _static_site(body: bytes, content_type: str) -> Iterator[str]:
    """A site on another origin (localhost, a free port) that answers every GET with ``body``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


LOGO = (  # a stand-in for a body's emblem, served by the body's "website"
    b"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 36 36'><path d='M18 2 33 8v10c0 8-6 14-15 16"
    b"C9 32 3 26 3 18V8z' fill='#f2a900' stroke='#7a5200' stroke-width='2'/><circle cx='18' cy='17' r='6'"
    b" fill='#0b5394'/></svg>"
)


@pytest.fixture(scope="module")
def body_site() -> Iterator[str]:
    """The public body's own website (another origin): its logo is shown in the chat's header."""

    with _static_site(LOGO, "image/svg+xml") as url:
        yield url


def serve_env(work: Path, body_site: str = "") -> dict[str, str]:
    """The environment of ``tanya`` commands on the fresh SQLite file in ``work``, with the sample
    register and FAQ, and (given its site) the body's logo and links."""
    env = {
        **os.environ,
        "TANYA_DATABASE_URL": f"sqlite+aiosqlite:///{work}/tanya.db",
        "TANYA_SECRET_KEY": SECRET,
        "TANYA_SAMPLE_DATA": "true",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    if body_site:
        env["TANYA_BODY_LOGO_URL"] = f"{body_site}logo.svg"
        env["TANYA_BODY_WEBSITE"] = "https://ppid.sukamajukota.go.id/"
        env["TANYA_PRIVACY_URL"] = "https://ppid.sukamajukota.go.id/privasi"
    return env


def run_tanya(work: Path, *argv: str, stdin: str = "") -> str:
    """Run a ``tanya`` command on the database in ``work`` (before or beside the server)."""
    done = subprocess.run(
        [_tanya(), *argv], cwd=work, env=serve_env(work), input=stdin, capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    return done.stdout


@contextlib.contextmanager
def serving(work: Path, body_site: str = "") -> Iterator[Server]:
    """``tanya serve`` on a free port with the SQLite file in ``work``; this tree's code comes first."""
    port = _free_port()
    log = work / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [_tanya(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=work,
            env=serve_env(work, body_site),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"tanya serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"tanya serve did not answer /healthz:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield Server(url=url, log=log)
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def server(chromium_path: Path, body_site: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``tanya serve`` on a free port with a fresh SQLite file, the sample register and FAQ, and the
    body's logo and links."""
    with serving(tmp_path_factory.mktemp("serve"), body_site) as running:
        yield running


@pytest.fixture(scope="module")
def ppid_website(server: Server) -> Iterator[str]:
    """A PPID website on another site (localhost, another port) that embeds the chat by script tag."""
    page = (
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><title>PPID</title></head>"
        "<body style='font-family:sans-serif;margin:1rem'><h1>PPID Kota Sukamaju</h1>"
        "<p>Daftar Informasi Publik, formulir permohonan, dan laporan layanan.</p>"
        f"<script src='{server.url}static/embed.js' async></script></body></html>"
    ).encode()

    with _static_site(page, "text/html; charset=utf-8") as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium_path: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A cheap Android phone: 360x740, touch, fresh storage."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="id-ID"
    )
    context.set_default_timeout(8000)
    yield context
    context.close()


@pytest.fixture
def page_errors(phone: BrowserContext) -> Iterator[list[str]]:
    """Uncaught script errors of every page of the phone; a test asserts it stays empty."""
    errors: list[str] = []
    phone.on("weberror", lambda error: errors.append(str(error.error)))
    yield errors


@pytest.fixture
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $TANYA_SCREENSHOTS when set (to look at them), else a tmp dir."""
    target = os.environ.get("TANYA_SCREENSHOTS")
    path = Path(target) if target else tmp_path_factory.mktemp("screens")
    path.mkdir(parents=True, exist_ok=True)
    return path


def session_of(page: Page) -> str:
    token = page.evaluate("() => localStorage.getItem('tanya.session')")
    assert isinstance(token, str) and token
    return token
