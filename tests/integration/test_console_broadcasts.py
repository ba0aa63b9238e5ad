"""Console pages of areas and broadcasts: a coordinator sends only to their own area and gets a
chat link code; an officer approves; the status page shows the figures; admins edit areas and
print QR posters (issue 12)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.exc import IntegrityError

from bot.areas import load_sample_areas
from storage.area_repository import AreaRepository
from tests.integration.test_console import Desk, csrf, desk  # noqa: F401  (the fixture)

STATUS = re.compile(r"/console/broadcasts/(\d+)$")


async def test_coordinator_officer_and_admin_pages(desk: Desk) -> None:  # noqa: F811
    await load_sample_areas(desk.runtime.db)
    admin = await desk.login("utama")
    page = await admin.get("/console/areas")
    assert page.status_code == 200 and "sukamaju-wetan/rw02/rt003" in page.text
    assigned = await admin.post(
        "/console/areas/assign",
        data={"username": "pakrt", "key": "sukamaju-wetan/rw2/rt3", "csrf_token": csrf(page)},
    )
    assert assigned.status_code == 200 and "Koordinator ditetapkan" in assigned.text
    added = await admin.post("/console/areas", data={
        "kota": "Kota Sukamaju", "kecamatan": "Sukamaju Tengah", "kelurahan": "Sukamaju Wetan", "rw": "6", "rt": "1",
        "csrf_token": csrf(page)})  # fmt: skip
    assert added.status_code == 200 and "sukamaju-wetan/rw06/rt001" in added.text
    poster = await admin.get("/console/areas/poster", params={"key": "sukamaju-wetan/rw02/rt003"})
    assert (
        poster.status_code == 200
        and "<svg" in poster.text
        and "langganan RT 003 RW 02 Sukamaju Wetan" in poster.text
    )

    rt = await desk.login("pakrt")
    own = await rt.get("/console/broadcasts")
    assert own.status_code == 200 and "RT 003 RW 02 Sukamaju Wetan" in own.text
    coded = await rt.post("/console/link-code", data={"csrf_token": csrf(own)})
    assert re.search(r"kode \d{6}", coded.text)
    other = await rt.post(
        "/console/broadcasts", data={"area": "pondok-jati/rw01", "text": "x", "csrf_token": csrf(own)}
    )
    assert other.status_code == 403
    assert (await rt.get("/console/areas")).status_code == 403
    sent = await rt.post("/console/broadcasts", data={
        "area": "sukamaju-wetan/rw02/rt003", "text": "Kerja bakti Minggu", "csrf_token": csrf(own)})  # fmt: skip
    assert sent.status_code == 303
    found = STATUS.search(sent.headers["location"])
    assert found
    status = await rt.get(sent.headers["location"])
    assert "Menunggu persetujuan" in status.text
    assert 'id="no-approver"' in status.text  # no officer for Sukamaju Wetan yet: the coordinator is told
    assert (
        await rt.post(f"/console/broadcasts/{found.group(1)}/approve", data={"csrf_token": csrf(own)})
    ).status_code == 403
    areas = await admin.get("/console/areas")
    assert "<strong>Sukamaju Wetan</strong>" in areas.text.split('id="no-approver"')[1].split("</p>")[0]
    waiting = await admin.get("/console/broadcasts")  # the PPID Utama sees it is theirs alone
    assert "hanya PPID Utama yang dapat menyetujui" in waiting.text.split('id="awaiting"')[1]
    bound = await admin.post(
        "/console/areas/assign", data={"username": "rina", "key": "sukamaju-wetan", "csrf_token": csrf(page)}
    )
    assert bound.status_code == 200 and "Petugas penyetuju ditetapkan" in bound.text
    assert "<strong>Sukamaju Wetan</strong>" not in bound.text.split('id="no-approver"')[1].split("</p>")[0]
    assert 'id="no-approver"' not in (await rt.get(sent.headers["location"])).text

    wrong = await desk.login("budi")  # an officer, but not of Sukamaju Wetan
    seen = await wrong.get(sent.headers["location"])
    assert seen.status_code == 200 and "/approve" not in seen.text and "rina" in seen.text
    assert "Menunggu persetujuan Anda" not in (await wrong.get("/console")).text
    for action in ("approve", "reject"):
        tried = await wrong.post(
            f"/console/broadcasts/{found.group(1)}/{action}", data={"csrf_token": csrf(seen)}
        )
        assert tried.status_code == 403

    officer = await desk.login("rina")
    home = await officer.get("/console")
    assert (
        '<span class="badge">1</span>' in home.text and f"/console/broadcasts/{found.group(1)}" in home.text
    )
    listing = await officer.get("/console/broadcasts")
    assert "Kerja bakti" not in listing.text and f'/console/broadcasts/{found.group(1)}"' in listing.text
    approved = await officer.post(
        f"/console/broadcasts/{found.group(1)}/approve", data={"csrf_token": csrf(listing)}
    )
    assert approved.status_code == 303
    assert '<span class="badge">0</span>' in (await officer.get("/console/broadcasts")).text
    after = await officer.get(approved.headers["location"])
    assert "Sedang dikirim" in after.text or "Semua antre" in after.text
    for http in (admin, rt, officer, wrong):
        await http.aclose()


async def test_adding_an_area_refuses_a_conflict_and_nothing_else(
    desk: Desk,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await load_sample_areas(desk.runtime.db)
    admin = await desk.login("utama")
    page = await admin.get("/console/areas")
    form = {"kota": "Kota Sukamaju", "kecamatan": "Sukamaju Tengah", "kelurahan": "Sukamaju Wetan", "rw": "7",
            "csrf_token": csrf(page)}  # fmt: skip

    async def taken(self: AreaRepository, values: object, now: object) -> None:
        raise IntegrityError("INSERT INTO areas", {}, Exception("UNIQUE constraint failed: areas.key"))

    async def broken(self: AreaRepository, values: object, now: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(AreaRepository, "import_areas", taken)
    refused = await admin.post("/console/areas", data=form)
    assert refused.status_code == 400 and "conflicting area" in refused.text
    monkeypatch.setattr(AreaRepository, "import_areas", broken)
    with pytest.raises(RuntimeError, match="the disk is full"):  # not passed off as a conflict
        await admin.post("/console/areas", data=form)
    monkeypatch.undo()
    assert "area_add" not in [action for _, action, _ in await desk.audit()]
    added = await admin.post("/console/areas", data=form)
    assert added.status_code == 200 and "sukamaju-wetan/rw07" in added.text
    await admin.aclose()


async def test_the_admin_unassigns_a_coordinator_in_the_console(desk: Desk) -> None:  # noqa: F811
    await load_sample_areas(desk.runtime.db)
    admin = await desk.login("utama")
    page = await admin.get("/console/areas")
    for action in ("assign", "unassign"):
        done = await admin.post(f"/console/areas/{action}", data={
            "username": "pakrt", "key": "sukamaju-wetan/rw02", "csrf_token": csrf(page)})  # fmt: skip
        assert done.status_code == 200
    assert "Koordinator dilepaskan" in done.text
    wrong = await admin.post("/console/areas/assign", data={
        "username": "pakrt", "key": "sukamaju-wetan", "csrf_token": csrf(page)})  # fmt: skip
    assert wrong.status_code == 400 and "a coordinator serves an RW or RT" in wrong.text
    officer = await desk.login("rina")
    listing = await officer.get("/console/areas")
    refused = await officer.post("/console/areas/assign", data={
        "username": "rina", "key": "sukamaju-wetan", "csrf_token": csrf(listing)})  # fmt: skip
    assert refused.status_code == 403  # binding is the PPID Utama's
    rt = await desk.login("pakrt")
    own = await rt.get("/console/broadcasts")
    sent = await rt.post("/console/broadcasts", data={
        "area": "sukamaju-wetan/rw02", "text": "x", "csrf_token": csrf(own)})  # fmt: skip
    assert sent.status_code == 403  # no longer their area
    audit = await desk.audit()
    assert ("officer:utama", "area_assign", "pakrt") in audit and (
        "officer:utama",
        "area_unassign",
        "pakrt",
    ) in audit
    for http in (admin, officer, rt):
        await http.aclose()


PDF = b"%PDF-1.7\n" + b"jadwal " * 300


async def test_an_officer_attaches_a_pdf_and_a_wrong_or_huge_file_is_refused(desk: Desk) -> None:  # noqa: F811
    await load_sample_areas(desk.runtime.db)
    officer = await desk.login("rina")
    page = await officer.get("/console/broadcasts")
    assert 'enctype="multipart/form-data"' in page.text and 'name="file"' in page.text
    form = {"area": "sukamaju-wetan", "text": "Jadwal fogging terlampir", "csrf_token": csrf(page)}
    for name, data, reason in (
        (
            "virus.pdf",
            b"MZ\x90\x00" + b"\x00" * 100,
            "only a photo (JPEG, PNG, WebP) or a PDF may be attached",
        ),
        (
            "besar.pdf",
            b"%PDF-1.7" + b"x" * (6 * 1024 * 1024),
            "the file has 6 MB; at most 5 MB may be attached",
        ),
    ):
        refused = await officer.post(
            "/console/broadcasts", data=form, files={"file": (name, data, "application/pdf")}
        )
        assert refused.status_code == 400 and reason in refused.text, name
    sent = await officer.post(
        "/console/broadcasts", data=form, files={"file": ("C:\\jadwal fogging.pdf", PDF, "application/pdf")}
    )
    assert sent.status_code == 303
    status = await officer.get(sent.headers["location"])
    assert "jadwal fogging.pdf" in status.text and "application/pdf" in status.text
    download = await officer.get(sent.headers["location"] + "/file")
    assert download.status_code == 200 and download.content == PDF
    assert "attachment" in download.headers["content-disposition"]
    listing = await officer.get("/console/broadcasts")
    assert "📎 jadwal fogging.pdf" in listing.text
    long_text = await officer.post("/console/broadcasts", data={**form, "text": "kata " * 1000})
    assert long_text.status_code == 303  # longer than one message: sent in parts, not refused
    too_long = await officer.post(
        "/console/broadcasts", data={**form, "text": "🌊 " * 9000}
    )  # Telegram counts 🌊 twice
    assert (
        too_long.status_code == 400
        and "would take 7 messages on telegram; at most 5 are sent" in too_long.text
    )
    await officer.aclose()
