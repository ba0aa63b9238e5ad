"""Offline requests (paper, in person, phone, e-mail) recorded by an officer into the same register,
with the same numbering and deadlines (UU 14/2008 Pasal 22(3)); on the console and the CLI."""

from __future__ import annotations

import re

from sqlalchemy import select

from storage.models.requests import InfoRequest
from tests.integration.test_console import Desk, csrf, desk  # noqa: F401 (the fixture)

# ruff: noqa: F811 (the fixture is a parameter of each test)

FORM = {
    "channel": "offline_paper", "requester_type": "perorangan", "filing_as": "sendiri", "name": "Ahmad Sulaiman",
    "nik": "3273010101900001", "address": "Jl. Merdeka 1, Sukamaju", "phone": "", "email": "",
    "information": "Daftar puskesmas dan jam layanannya", "purpose": "Untuk keperluan keluarga",
    "obtain_method": "salinan_hardcopy", "copy_delivery": "ambil_langsung",
}  # fmt: skip


async def test_an_officer_records_a_paper_request_for_her_opd(desk: Desk) -> None:
    rina = await desk.login("rina")
    page = await rina.get("/console/requests/new")
    assert page.status_code == 200 and "Surat / formulir kertas" in page.text
    done = await rina.post("/console/requests/new", data={**FORM, "opd": "DINKES", "csrf_token": csrf(page)})
    assert done.status_code == 200, done.text
    number = re.search(r"nomor (PPID-2026-\d{6})", done.text)
    assert number and number.group(1) == "PPID-2026-000003"  # the same sequence as the chat's two
    assert re.search(r"\(ditampilkan sekali\): [A-Z0-9-]{6,}", done.text)
    async with desk.runtime.db.session() as session:
        row = (await session.scalars(select(InfoRequest).where(InfoRequest.number == number.group(1)))).one()
        chat_row = (await session.scalars(select(InfoRequest).where(InfoRequest.number == desk.dinkes))).one()
    assert row.channel == "offline_paper" and row.opd == "DINKES" and row.conversation_id is None
    assert row.received_on == chat_row.received_on and row.due_on == chat_row.due_on  # same deadline rule
    listing = await rina.get("/console/requests?channel=offline_paper")
    assert number.group(1) in listing.text and desk.dinkes not in listing.text
    assert ("officer:rina", "record_offline", number.group(1)) in await desk.audit()


async def test_offline_requests_are_checked_like_the_chat_form_and_kept_to_the_officers_opd(
    desk: Desk,
) -> None:
    rina = await desk.login("rina")
    token = csrf(await rina.get("/console/requests/new"))
    before = await desk.audit()
    bad = await rina.post(
        "/console/requests/new", data={**FORM, "nik": "123", "opd": "DINKES", "csrf_token": token}
    )
    assert bad.status_code == 400 and "NIK" in bad.text and "clean_nik" not in bad.text
    assert "Ahmad Sulaiman" in bad.text  # the form keeps what was typed
    chat = await rina.post(
        "/console/requests/new", data={**FORM, "copy_delivery": "chat", "opd": "DINKES", "csrf_token": token}
    )
    assert chat.status_code == 400  # no chat to send the copy on
    future = await rina.post(
        "/console/requests/new",
        data={**FORM, "received_on": "2030-01-01", "opd": "DINKES", "csrf_token": token},
    )
    assert future.status_code == 400 and "masa depan" in future.text
    foreign = await rina.post("/console/requests/new", data={**FORM, "opd": "DISDIK", "csrf_token": token})
    assert foreign.status_code == 403
    assert await desk.audit() == before
    sekda = await desk.login("sekda")
    assert (await sekda.get("/console/requests/new")).status_code == 403
    async with desk.client() as stranger:
        assert (await stranger.post("/console/requests/new", data=FORM)).status_code == 403
