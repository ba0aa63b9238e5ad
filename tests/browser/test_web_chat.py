"""The web chat in a real browser (Debian chromium) against the real ``tanya serve``, on a 360 px phone."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Route, expect

from tests.browser.conftest import Server, run_tanya, serving, session_of

pytestmark = pytest.mark.browser

GREETING = "Selamat datang"
HELP = "Cara menggunakan"


def open_chat(phone: BrowserContext, server: Server) -> Page:
    page = phone.new_page()
    page.goto(server.url)
    expect(bot_messages(page, GREETING)).to_have_count(1)
    return page


def bot_messages(page: Page, text: str) -> Locator:
    return page.locator("#log .msg.bot", has_text=text)


def own_messages(page: Page) -> Locator:
    return page.locator("#log .msg.me")


def transcript(page: Page) -> list[str]:
    return [" ".join(text.split()) for text in page.locator("#log .msg .text").all_inner_texts()]


def embedded_session(page: Page, server: Server) -> str:
    """The frame's session: in its own storage, or (third-party storage blocked) the website's."""
    frame = next(f for f in page.frames if f.url.startswith(server.url))
    own = frame.evaluate(
        "() => { try { return localStorage.getItem('tanya.session'); } catch (e) { return null; } }"
    )
    key = f"tanya@{server.url.rstrip('/')}:tanya.session"
    token = own or page.evaluate("key => localStorage.getItem(key)", key)
    assert isinstance(token, str) and token
    return token


def test_conversation_on_a_phone_survives_a_reload_and_receives_later_replies(
    phone: BrowserContext, server: Server, page_errors: list[str], shots: Path
) -> None:
    page = open_chat(phone, server)
    menu_buttons = page.locator("#log .msg.bot").last.get_by_role("button")
    expect(menu_buttons.first).to_have_text("Cari informasi publik")  # the menu grows with features
    expect(menu_buttons.last).to_have_text("Bantuan")
    send = page.get_by_role("button", name="Kirim")
    box = page.get_by_label("Tulis pesan")
    expect(send).to_be_disabled()

    menu_buttons.get_by_text("Bantuan", exact=True).tap()  # a tap sends the button's payload
    expect(own_messages(page).locator(".text")).to_have_text(["Bantuan"])
    expect(bot_messages(page, HELP)).to_have_count(1)

    box.fill("   ")
    expect(send).to_be_disabled()  # whitespace is not a message
    box.fill("halo")
    expect(send).to_be_enabled()
    box.press("Enter")  # keyboard: Enter sends
    expect(box).to_have_value("")
    expect(send).to_be_disabled()
    expect(bot_messages(page, GREETING)).to_have_count(2)
    expect(own_messages(page).last).to_have_attribute("data-state", "sent")
    expect(box).to_be_focused()

    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, "no sideways scrolling on a 360 px phone"
    for button in page.locator("#log button.choice").all():
        box_size = button.bounding_box()
        assert box_size and box_size["height"] >= 44, "touch targets are at least 44 px tall"
    page.screenshot(path=shots / "phone-conversation.png")

    before = transcript(page)
    assert before[-3] == "halo" and GREETING in before[-2]
    page.reload()
    expect(page.locator("#log .msg")).to_have_count(len(before))
    assert transcript(page) == before, "the history comes back in order, own messages included"

    # A reply produced elsewhere for this conversation (here: a second device with the same session,
    # standing in for an officer's answer) reaches the open page through the long-poll.
    response = server.post_as(session_of(page), "bantuan", "elsewhere01")
    assert response.status_code == 202
    expect(bot_messages(page, HELP)).to_have_count(2)
    expect(page.locator("#status")).to_have_text("")
    assert page_errors == []


def test_a_lost_answer_is_retried_with_the_same_client_id_and_stored_once(
    phone: BrowserContext, server: Server, page_errors: list[str]
) -> None:
    page = open_chat(phone, server)
    client_ids: list[str] = []
    duplicates: list[bool] = []

    def lose_first_answer(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        body = route.request.post_data_json
        assert isinstance(body, dict)
        client_ids.append(body["client_id"])
        response = route.fetch()  # the server stores the message...
        duplicates.append(response.json()["duplicate"])
        if len(client_ids) == 1:
            route.abort("connectionreset")  # ...but its answer never reaches the page
        else:
            route.fulfill(response=response)

    page.route("**/api/web/messages", lose_first_answer)
    page.get_by_label("Tulis pesan").fill("bantuan")
    page.get_by_role("button", name="Kirim").tap()
    expect(own_messages(page).last).to_have_attribute("data-state", "sent")
    assert len(client_ids) == 2 and client_ids[0] == client_ids[1]
    assert duplicates == [False, True]
    expect(bot_messages(page, HELP)).to_have_count(1)
    page.wait_for_timeout(500)
    expect(bot_messages(page, HELP)).to_have_count(1)
    expect(own_messages(page)).to_have_count(1)
    assert page_errors == []


def test_offline_is_shown_and_a_message_written_offline_is_sent_on_reconnect(
    phone: BrowserContext, server: Server, page_errors: list[str], shots: Path
) -> None:
    page = open_chat(phone, server)
    status = page.locator("#status")
    phone.set_offline(True)
    expect(status).to_contain_text("Koneksi terputus")
    page.get_by_label("Tulis pesan").fill("bantuan")
    page.get_by_label("Tulis pesan").press("Enter")
    expect(own_messages(page).last).to_have_attribute("data-state", "waiting")
    page.screenshot(path=shots / "phone-offline.png")

    phone.set_offline(False)
    expect(status).to_have_text("")
    expect(own_messages(page).last).to_have_attribute("data-state", "sent")
    expect(bot_messages(page, HELP)).to_have_count(1)
    assert page_errors == []


def test_server_text_is_never_html_and_only_web_links_become_links(
    phone: BrowserContext, server: Server, page_errors: list[str]
) -> None:
    hostile: list[dict[str, Any]] = [
        {
            "id": 1,
            "text": '<img src=x onerror="window.pwned=1"><b>tebal</b> lihat https://ppid.example.go.id/dip?a=1&b=2. '
            "javascript:window.pwned=2",
            "choices": [{"label": "<script>window.pwned=3</script>", "payload": "menu:help"}],
            "link": "javascript:window.pwned=4",
            "at": "2026-01-05T02:00:00+00:00",
            "kind": "reply",
        },
        {
            "id": 2,
            "text": "Jawaban petugas: dokumen terlampir.",
            "choices": [],
            "link": "https://ppid.example.go.id/formulir",
            "at": "2026-01-05T02:01:00+00:00",
            "kind": "officer",
        },
    ]
    served: list[str] = []

    def fake_replies(route: Route) -> None:
        served.append(route.request.url)
        if "after=0" in route.request.url:
            route.fulfill(json={"messages": hostile})
        else:
            route.abort("connectionrefused")

    page = phone.new_page()
    page.route(re.compile(r".*/api/web/messages\?.*"), fake_replies)
    page.goto(server.url)
    log = page.locator("#log")
    expect(log.locator(".msg.bot")).to_have_count(2)
    expect(log.locator(".msg.bot").first).to_contain_text('<img src=x onerror="window.pwned=1"><b>tebal</b>')
    assert log.locator("img, b, script").count() == 0
    assert page.evaluate("() => window.pwned") is None
    expect(log.get_by_role("button")).to_have_text(["<script>window.pwned=3</script>"])
    hrefs = [link.get_attribute("href") for link in log.locator("a").all()]
    assert hrefs == ["https://ppid.example.go.id/dip?a=1&b=2", "https://ppid.example.go.id/formulir"]
    for link in log.locator("a").all():
        assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"
    expect(log.locator(".msg.officer .who")).to_have_text("Petugas PPID")
    assert served and page_errors == []


def test_start_over_forgets_the_conversation_on_this_device(
    phone: BrowserContext, server: Server, page_errors: list[str]
) -> None:
    page = open_chat(phone, server)
    page.get_by_label("Tulis pesan").fill("bantuan")
    page.get_by_label("Tulis pesan").press("Enter")
    expect(bot_messages(page, HELP)).to_have_count(1)
    old_session = session_of(page)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Percakapan baru").tap()
    expect(bot_messages(page, GREETING)).to_have_count(1)
    expect(bot_messages(page, HELP)).to_have_count(0)
    expect(own_messages(page)).to_have_count(0)
    assert session_of(page) != old_session
    expect(page.locator("#log")).to_be_focused()
    # and the old session is over on the server too: the token, copied elsewhere, opens nothing
    page.wait_for_timeout(300)
    assert server.post_as(old_session, "halo", "after-restart").status_code == 401
    assert page_errors == []


def test_too_many_messages_are_waited_out_politely(
    phone: BrowserContext, server: Server, page_errors: list[str]
) -> None:
    page = open_chat(phone, server)
    refused: list[str] = []

    def refuse_first(route: Route) -> None:
        if route.request.method == "POST" and not refused:
            refused.append(route.request.url)
            route.fulfill(status=429, headers={"Retry-After": "2"}, json={"detail": "too many requests"})
            return
        route.continue_()

    page.route("**/api/web/messages", refuse_first)
    page.get_by_label("Tulis pesan").fill("bantuan")
    page.get_by_label("Tulis pesan").press("Enter")
    expect(page.locator("#status")).to_have_text(re.compile("Mohon tunggu sebentar"))
    expect(page.locator("#app")).not_to_have_class(re.compile("offline"))
    expect(own_messages(page).last).to_have_attribute("data-state", "sent", timeout=10_000)
    expect(bot_messages(page, HELP)).to_have_count(1)
    expect(page.locator("#status")).to_have_text("")
    assert page_errors == []


def test_an_expired_session_starts_a_new_conversation(
    phone: BrowserContext, server: Server, page_errors: list[str]
) -> None:
    page = open_chat(phone, server)
    page.evaluate("() => localStorage.setItem('tanya.session', 'an.expired.token')")
    page.reload()
    expect(page.locator("#log .notice")).to_have_text(re.compile("Percakapan baru"))
    expect(bot_messages(page, GREETING)).to_have_count(1)
    assert session_of(page) != "an.expired.token"
    assert page_errors == []


def test_embed_script_opens_the_chat_in_a_frame_on_another_site(
    phone: BrowserContext, server: Server, ppid_website: str, page_errors: list[str], shots: Path
) -> None:
    page = phone.new_page()
    page.goto(ppid_website)
    launcher = page.get_by_role("button", name="Tanya PPID")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.tap()
    chat = page.frame_locator("iframe[title='Obrolan Tanya PPID']")
    expect(chat.locator(".msg.bot", has_text=GREETING)).to_have_count(1)
    # The frame is emulated like the page (see CHROMIUM_ARGS), or taps in it land elsewhere.
    assert chat.locator("body").evaluate("() => devicePixelRatio") == page.evaluate("() => devicePixelRatio")
    chat.locator("#log .msg.bot").last.get_by_role("button", name="Bantuan", exact=True).tap()
    expect(chat.locator(".msg.bot", has_text=HELP)).to_have_count(1)
    page.screenshot(path=shots / "phone-embedded.png")

    chat.get_by_role("button", name="Tutup obrolan").tap()
    expect(page.locator("iframe")).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")

    token = embedded_session(page, server)
    assert server.post_as(token, "bantuan", "officer01").status_code == 202
    badge = launcher.locator("span").first
    expect(badge).to_be_visible()  # the closed panel still hears replies: an unread dot
    launcher.tap()
    expect(chat.locator(".msg.bot", has_text=HELP)).to_have_count(2)
    chat.get_by_label("Tulis pesan").press("Escape")
    expect(launcher).to_be_focused()
    expect(badge).to_be_hidden()

    page.reload()  # the citizen opens another page of the PPID website: the conversation goes on
    page.get_by_role("button", name="Tanya PPID").tap()
    expect(chat.locator(".msg.bot", has_text=HELP)).to_have_count(2)
    expect(chat.locator(".msg.me .text")).to_have_text(["Bantuan"])
    assert embedded_session(page, server) == token
    assert page_errors == []


PNG = (  # a 1x1 red PNG
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_an_announcements_photo_is_shown_in_the_chat_of_a_subscriber(
    phone: BrowserContext, chromium_path: Path, tmp_path: Path, page_errors: list[str], shots: Path
) -> None:
    with serving(tmp_path) as server:  # its own server: the module's has spent its new-session allowance
        _photo_reaches_the_page(phone, server, tmp_path, shots)
    assert page_errors == []


def _photo_reaches_the_page(phone: BrowserContext, server: Server, work: Path, shots: Path) -> None:
    page = open_chat(phone, server)
    page.get_by_label("Tulis pesan").fill("langganan RW 3 Kemuning Jaya")
    page.locator("#send").click()
    expect(bot_messages(page, "RW 03 Kemuning Jaya").last).to_be_visible(timeout=10000)
    (work / "jalur evakuasi.png").write_bytes(PNG)
    sent = run_tanya(
        work, "broadcast", "send", "--area", "kemuning-jaya/rw03", "--text", "Jalur evakuasi banjir",
        "--file", str(work / "jalur evakuasi.png"),
    )  # fmt: skip
    assert sent.strip().isdigit()
    notice = bot_messages(page, "Jalur evakuasi banjir").last
    expect(notice).to_be_visible(timeout=20000)
    photo = notice.locator("img.inline-photo")
    expect(photo).to_have_attribute("src", re.compile(r"^data:image/png;base64,"), timeout=10000)
    expect(photo).to_have_attribute("alt", "jalur evakuasi.png")
    expect(notice.locator("button.file-link")).to_contain_text("jalur evakuasi.png")
    page.screenshot(path=shots / "phone-announcement-photo.png")
