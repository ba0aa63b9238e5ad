"""What makes the web chat look like an official service on a 360x740 phone (issue 14): the
newest answer in view, whole button labels, the form's attach control, English at ?lang=en,
legal notices set apart and printable, the body's logo and links."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.browser.conftest import Server

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + bytes(300)
FORM = [  # (typed, what the last reply then asks)
    ("ajukan permohonan", "Apakah Anda setuju"),
    ("1", "Anda mengajukan permohonan sebagai"),
    ("1", "diri sendiri"),
    ("1", "nama lengkap"),
    ("Siti Rahmawati", "NIK"),
    ("3273 0101 0190 0001", "alamat lengkap"),
    ("Jl. Merdeka No. 10, RT 02/RW 05, Kota Sukamaju", "telepon"),
    ("0812-3456-7890", "email"),
    ("siti.rahma@example.com", "Informasi apa"),
    ("Salinan dokumen APBD Kota Sukamaju tahun 2024", "Untuk apa"),
    ("Untuk penelitian skripsi", "memperoleh informasi"),
    ("2", "salinan informasi dikirimkan"),
    ("4", "foto KTP"),
]


def open_chat(phone: BrowserContext, server: Server, query: str = "") -> Page:
    page = phone.new_page()
    page.goto(server.url + query)
    expect(page.locator("#log .msg.bot").nth(1)).to_be_visible()  # the greeting and the menu
    return page


def last_bot(page: Page) -> Locator:
    return page.locator("#log .msg.bot").last


def say(page: Page, text: str, then: str) -> None:
    box = page.get_by_role("textbox")
    box.fill(text)
    box.press("Enter")
    expect(last_bot(page)).to_contain_text(then, ignore_case=True)


def in_view(page: Page, item: Locator) -> bool:
    """The item's top edge is inside the visible part of the conversation."""
    log = page.locator("#log").bounding_box()
    box = item.bounding_box()
    assert log and box
    return log["y"] - 1 <= box["y"] < log["y"] + log["height"] - 40


def test_the_welcome_and_the_best_answer_stay_in_view_and_buttons_say_what_they_are(
    phone: BrowserContext, server: Server, page_errors: list[str], shots: Path
) -> None:
    page = open_chat(phone, server)
    greeting = page.locator("#log .msg.bot", has_text="Selamat datang")
    page.wait_for_timeout(300)
    assert in_view(page, greeting), "the welcome is not scrolled away on first open"
    menu = last_bot(page)
    assert "1. Cari informasi publik" not in menu.inner_text()  # the buttons are the menu: printed once
    expect(menu.get_by_role("button").first).to_have_text("Cari informasi publik")
    page.screenshot(path=shots / "phone-welcome.png")

    say(page, "akta kelahiran", "Informasi lain")
    best = page.locator("#log .msg.bot", has_text="Informasi yang paling sesuai").last
    page.wait_for_timeout(300)
    assert in_view(page, best), "the best answer's start stays in view, above the alternatives"
    page.screenshot(path=shots / "phone-search.png")
    alternatives = last_bot(page)
    labels = alternatives.get_by_role("button").all_inner_texts()
    assert len(labels) >= 2 and len(set(labels)) == len(labels)
    assert all(not label.endswith("…") for label in labels), labels  # whole titles, wrapped
    assert labels[-1] == "Bukan ini"  # "not this": the question goes to the gaps page
    numbered = labels[:-1]
    assert all(
        label.split(". ", 1)[1] not in alternatives.locator(".text").inner_text() for label in numbered
    )
    for button in alternatives.get_by_role("button").all():
        size = button.bounding_box()
        assert size and size["height"] >= 44 and size["x"] + size["width"] <= 360

    say(page, "faq", "Pertanyaan yang sering diajukan")
    faq = last_bot(page)
    questions = [b for b in faq.get_by_role("button").all_inner_texts() if b[:1].isdigit()]
    assert len(questions) == 9 and len(set(questions)) == 9
    assert all(not q.endswith("…") for q in questions)
    faq.scroll_into_view_if_needed()
    page.locator("#log").evaluate("log => { log.scrollTop = log.scrollHeight; }")
    page.screenshot(path=shots / "phone-faq.png")
    faq.get_by_role("button", name="Lihat FAQ berikutnya").tap()
    expect(last_bot(page).get_by_role("button").first).to_contain_text("10. ")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert page_errors == []


def test_english_page_greets_in_english(
    phone: BrowserContext, server: Server, page_errors: list[str], shots: Path
) -> None:
    page = open_chat(phone, server, "?lang=en")
    expect(page.locator("#log .msg.bot").first).to_contain_text("Welcome to Tanya PPID")
    expect(last_bot(page).get_by_role("button").first).to_have_text("Search public information")
    expect(page.get_by_role("button", name="Send")).to_be_visible()
    expect(page.get_by_role("button", name="Attach a photo or PDF")).to_be_visible()
    expect(page.get_by_role("link", name="Privacy notice")).to_be_visible()
    page.screenshot(path=shots / "phone-english.png")
    assert page_errors == []


def test_the_form_takes_a_photo_and_the_filed_request_is_a_printable_notice(
    phone: BrowserContext, server: Server, page_errors: list[str], shots: Path, tmp_path: Path
) -> None:
    page = open_chat(phone, server)
    logo = page.locator("header img.logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0"), "the logo loads (CSP allows it)"
    expect(page.get_by_role("link", name="Situs resmi")).to_have_attribute(
        "href", "https://ppid.sukamajukota.go.id/"
    )
    expect(page.get_by_role("link", name="Kebijakan privasi")).to_be_visible()
    for text, then in FORM:
        say(page, text, then)
    asking = last_bot(page)
    expect(asking.get_by_role("button", name="Lewati")).to_be_visible()
    attach = page.get_by_role("button", name="Lampirkan foto atau PDF")
    size = attach.bounding_box()
    assert size and size["width"] >= 44 and size["height"] >= 44
    page.wait_for_timeout(300)
    page.screenshot(path=shots / "phone-attachment.png")

    wrong = tmp_path / "catatan.txt"
    wrong.write_text("bukan foto")
    sent_before = page.locator("#log .msg.me").count()
    page.locator("#file").set_input_files(wrong)
    expect(page.locator("#log .notice")).to_contain_text("tidak dapat dikirim")
    assert page.locator("#log .msg.me").count() == sent_before  # refused here, nothing uploaded

    photo = tmp_path / "ktp.png"
    photo.write_bytes(PNG)
    with page.expect_file_chooser() as chooser:
        attach.tap()
    chooser.value.set_files(photo)
    expect(page.locator("#log .msg.me").last).to_contain_text("📎 ktp.png")
    expect(page.locator("#log .msg.me").last).to_have_attribute("data-state", "sent")
    expect(last_bot(page)).to_contain_text("1 berkas terlampir")

    last_bot(page).get_by_role("button", name="Kirim permohonan").tap()
    notice = page.locator("#log .msg.legal")
    expect(notice).to_contain_text("nomor pendaftaran PPID-")
    expect(notice.locator(".who")).to_have_text("Pemberitahuan resmi")
    expect(notice.get_by_role("button", name="Cetak pemberitahuan ini")).to_be_visible()
    plain = page.locator("#log .msg.bot:not(.legal)").first
    assert notice.evaluate("n => getComputedStyle(n).borderTopWidth") == "4px"
    assert plain.evaluate("n => getComputedStyle(n).borderTopWidth") != "4px"
    page.wait_for_timeout(300)
    assert in_view(page, notice)
    page.screenshot(path=shots / "phone-notice.png")

    page.emulate_media(media="print")  # the whole conversation prints as a document, notice included
    expect(page.locator("#composer")).to_be_hidden()
    expect(notice).to_be_visible()
    expect(plain).to_be_visible()
    page.emulate_media(media="screen")
    page.evaluate("() => { window.print = () => {}; }")  # headless: no dialog; the classes say what prints
    notice.get_by_role("button", name="Cetak pemberitahuan ini").tap()
    page.emulate_media(media="print")
    expect(plain).to_be_hidden()  # "Cetak" prints this notice alone
    expect(notice).to_be_visible()
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    expect(plain).to_be_visible()
    page.emulate_media(media="screen")
    assert page_errors == []
