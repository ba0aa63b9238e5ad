"""The officer console through the ASGI app: login, sessions, CSRF, throttling, role isolation by
URL for every route, and the audit row of every action (issue 10)."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from bot.accounts import PER_ACCOUNT, PER_ADDRESS, THROTTLE_WINDOW, Accounts, LoginResult
from bot.app import create_app
from bot.runtime import Runtime
from handlers.services.actor import Actor
from storage.db import Database
from storage.models.accounts import AuditLog, LoginFailure
from storage.models.requests import PersonalDataAccess
from tests.conftest import make_runtime
from tests.dialogs.requests_chat import MONDAY_10, NIK, WIB, Chat, Clock
from tests.fakes import RecordingSender

PASSWORD = "kata-sandi-yang-panjang"
APRIL_2 = datetime(2026, 4, 2, 10, 0, tzinfo=WIB)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Desk:
    app_transport: httpx.ASGITransport
    runtime: Runtime
    chat: Chat
    dinkes: str  # a request routed to DINKES
    disdik: str  # a request routed to DISDIK

    def client(self, base_url: str = "http://test") -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=self.app_transport, base_url=base_url)

    async def login(self, username: str, password: str = PASSWORD) -> httpx.AsyncClient:
        http = self.client()
        page = await http.get("/console/login")
        response = await http.post(
            "/console/login", data={"username": username, "password": password, "csrf_token": csrf(page)}
        )
        assert response.status_code == 303, response.text
        return http

    async def audit(self) -> list[tuple[str, str, str]]:
        async with self.runtime.db.session() as session:
            rows = (await session.scalars(select(AuditLog).order_by(AuditLog.id))).all()
        return [(r.actor, r.action, r.target) for r in rows]


def csrf(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text[:400]
    return found.group(1)


async def add_staff(runtime: Runtime) -> None:
    """The console's accounts: an admin (utama), officers of Dinkes (rina) and Disdik (budi), the
    Atasan (sekda) and a coordinator (pakrt), all with ``PASSWORD``."""
    accounts, ops = Accounts(runtime.db, runtime.secret_key), Actor.system("test")
    for name, role, opds in (
        ("utama", "admin", ()), ("rina", "officer", ("DINKES",)), ("budi", "officer", ("DISDIK",)),
        ("sekda", "atasan", ()), ("pakrt", "coordinator", ()),
    ):  # fmt: skip
        await accounts.add(ops, name, role, opds, PASSWORD, MONDAY_10)


@pytest.fixture
async def desk(database: Database) -> AsyncIterator[Desk]:
    clock = Clock(MONDAY_10)
    sender = RecordingSender()
    runtime = make_runtime(database, sender, clock=clock)
    app = create_app(runtime.settings, runtime)
    async with app.router.lifespan_context(app):
        chat = Chat(runtime, sender, clock)
        first, second = await chat.file("u1"), await chat.file("u2")
        await add_staff(runtime)
        transport = httpx.ASGITransport(app=app)
        desk = Desk(transport, runtime, chat, first, second)
        admin = await desk.login("utama")
        for number, opd in ((first, "DINKES"), (second, "DISDIK")):
            page = await admin.get(f"/console/requests/{number}")
            routed = await admin.post(
                f"/console/requests/{number}/route", data={"opd": opd, "csrf_token": csrf(page)}
            )
            assert routed.status_code == 303
        await admin.aclose()
        yield desk


async def test_every_page_redirects_to_login_without_a_session(desk: Desk) -> None:
    async with desk.client() as http:
        for path in ("/console", "/console/requests", f"/console/requests/{desk.dinkes}", "/console/objections",
                     "/console/password"):  # fmt: skip
            response = await http.get(path)
            assert response.status_code == 303 and response.headers["location"] == "/console/login", path
        for path in (f"/console/requests/{desk.dinkes}/reveal", f"/console/requests/{desk.dinkes}/decide",
                     "/console/logout"):  # fmt: skip
            assert (await http.post(path, data={"csrf_token": "x"})).status_code == 403


async def test_login_sets_a_safe_cookie_and_logout_ends_the_session(desk: Desk) -> None:
    http = await desk.login("rina")
    cookie = next(h for h in http.cookies.jar)
    assert cookie.path == "/console" and not cookie.secure and cookie.has_nonstandard_attr("HttpOnly")
    desk.chat.clock.now = datetime(2026, 4, 6, 10, 0, tzinfo=WIB)  # the day before the deadline
    page = await http.get("/console")
    assert page.status_code == 200 and "rina" in page.text
    assert desk.dinkes in page.text and desk.disdik not in page.text  # due soon, and only her OPD's
    copied = desk.client()
    copied.cookies = httpx.Cookies(http.cookies)  # the same cookie on another device
    assert (await copied.get("/console")).status_code == 200
    out = await http.post("/console/logout", data={"csrf_token": csrf(page)})
    assert out.status_code == 303
    assert (await http.get("/console")).status_code == 303
    assert (await copied.get("/console")).status_code == 303  # a logout ends the copy too
    assert ("officer:rina", "logout", "") in await desk.audit()
    async with desk.client("https://test") as secure:
        login = await secure.get("/console/login")
        assert "secure" in login.headers["set-cookie"].lower()
        assert "samesite=lax" in login.headers["set-cookie"].lower()
        assert "httponly" in login.headers["set-cookie"].lower()


async def test_wrong_password_and_throttling_per_account_and_per_address(desk: Desk) -> None:
    async with desk.client() as http:
        token = csrf(await http.get("/console/login"))
        for _ in range(PER_ACCOUNT):
            bad = await http.post("/console/login", data={"username": "rina", "password": "salah-salah-salah",
                                                          "csrf_token": token})  # fmt: skip
            assert bad.status_code == 401
        good = await http.post(
            "/console/login", data={"username": "rina", "password": PASSWORD, "csrf_token": token}
        )
        assert good.status_code == 429  # even the right password waits
        await desk.login("budi")  # another account from the same address still may
        for n in range(PER_ADDRESS):
            await http.post("/console/login", data={"username": f"nobody{n}", "password": "x" * 12,
                                                    "csrf_token": token})  # fmt: skip
        sekda = await http.post("/console/login", data={"username": "sekda", "password": PASSWORD,
                                                        "csrf_token": token})  # fmt: skip
        assert sekda.status_code == 429
    actions = [a for _, a, _ in await desk.audit()]
    assert actions.count("login_failed") >= PER_ACCOUNT + PER_ADDRESS


async def test_a_post_without_the_session_csrf_token_is_refused(desk: Desk) -> None:
    http = await desk.login("rina")
    before = await desk.audit()
    for token in ("", "forged"):
        for path, data in ((f"/console/requests/{desk.dinkes}/reveal", {}),
                           (f"/console/requests/{desk.dinkes}/extend", {"days": "3", "reason": "banyak"})):  # fmt: skip
            response = await http.post(path, data={**data, "csrf_token": token})
            assert response.status_code == 403
    async with desk.client() as stranger:
        login = await stranger.post("/console/login", data={"username": "rina", "password": PASSWORD})
        assert login.status_code == 403
    assert await desk.audit() == before


async def test_an_idle_session_expires(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    http = await desk.login("rina")
    assert (await http.get("/console")).status_code == 200
    later = int(time.time()) + desk.runtime.settings.console_idle_minutes * 60 + 5
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    response = await http.get("/console/requests")
    assert response.status_code == 303 and response.headers["location"] == "/console/login?expired=1"


async def test_an_officer_reaches_nothing_of_another_opd_by_any_url(desk: Desk) -> None:
    http = await desk.login("rina")
    page = await http.get(f"/console/requests/{desk.dinkes}")
    assert page.status_code == 200
    token = csrf(page)
    listing = await http.get("/console/requests")
    assert desk.dinkes in listing.text and desk.disdik not in listing.text
    foreign = desk.disdik
    assert (await http.get(f"/console/requests/{foreign}")).status_code == 404
    before = await desk.audit()
    for action, data in (
        ("reveal", {}), ("route", {"opd": "DINKES"}), ("decide", {"outcome": "granted"}),
        ("extend", {"days": "3", "reason": "banyak"}),
    ):  # fmt: skip
        response = await http.post(
            f"/console/requests/{foreign}/{action}", data={**data, "csrf_token": token}
        )
        assert response.status_code == 404, action
        assert NIK not in response.text
    assert await desk.audit() == before
    own_route = await http.post(
        f"/console/requests/{desk.dinkes}/route", data={"opd": "DISDIK", "csrf_token": token}
    )
    assert own_route.status_code == 403  # only the PPID Utama routes
    objection = await http.post("/console/objections/KBR-2026-000001/decide",
                                data={"result": "upheld", "answer": "x", "csrf_token": token})  # fmt: skip
    assert objection.status_code == 403
    coordinator = await desk.login("pakrt")
    assert (await coordinator.get("/console")).status_code == 200
    for path in ("/console/requests", f"/console/requests/{desk.dinkes}", "/console/objections"):
        assert (await coordinator.get(path)).status_code == 403, path


async def test_every_action_is_done_notified_and_audited(desk: Desk) -> None:
    http = await desk.login("rina")
    token = csrf(await http.get(f"/console/requests/{desk.dinkes}"))
    revealed = await http.post(f"/console/requests/{desk.dinkes}/reveal", data={"csrf_token": token})
    assert revealed.status_code == 200 and NIK in revealed.text
    masked = await http.get(f"/console/requests/{desk.dinkes}")
    assert NIK not in masked.text
    extended = await http.post(f"/console/requests/{desk.dinkes}/extend",
                               data={"days": "5", "reason": "Dokumen di arsip", "csrf_token": token})  # fmt: skip
    assert extended.status_code == 303 and extended.headers["location"].endswith("done=done_notified")
    refused = await http.post(f"/console/requests/{desk.dinkes}/decide",
                              data={"outcome": "refused", "csrf_token": token})  # fmt: skip
    assert refused.status_code == 400  # a refusal needs its Pasal 17 letter and reasons
    decided = await http.post(f"/console/requests/{desk.dinkes}/decide", data={
        "outcome": "refused", "pasal17": "h", "reason": "Data kesehatan pribadi.", "csrf_token": token})  # fmt: skip
    assert decided.status_code == 303
    page = await http.get(f"/console/requests/{desk.dinkes}")
    assert "Pasal 17 huruf h" in page.text or "17h" in page.text or "17 h" in page.text

    desk.chat.clock.now = APRIL_2
    await desk.chat.transcript([(f"keberatan {desk.dinkes}", ["alasan"]), ("a", ["jelaskan"]),
                                ("Alasan penolakan tidak tepat.", ["Apakah sudah benar"]), ("1", ["KBR-"])],
                               "u1")  # fmt: skip
    atasan = await desk.login("sekda")
    objections = await atasan.get("/console/objections")
    assert "KBR-2026-000001" in objections.text
    answered = await atasan.post("/console/objections/KBR-2026-000001/decide", data={
        "result": "dismissed", "answer": "Penolakan sudah sesuai Pasal 17 huruf h.", "csrf_token": csrf(objections)})  # fmt: skip
    assert answered.status_code == 303
    audit = await desk.audit()
    for row in (
        ("officer:utama", "route", desk.dinkes),
        ("officer:rina", "login", "rina"),
        ("officer:rina", "reveal", desk.dinkes),
        ("officer:rina", "extend", desk.dinkes),
        ("officer:rina", "decide", desk.dinkes),
        ("officer:sekda", "decide_objection", "KBR-2026-000001"),
    ):
        assert row in audit, row
    async with desk.runtime.db.session() as session:
        reads = (
            await session.scalars(select(PersonalDataAccess).where(PersonalDataAccess.action == "show"))
        ).all()
    assert [r.actor for r in reads] == ["officer:rina"]
    before = len(desk.chat.sender.sent["u1"])
    await desk.runtime.relay.drain()
    assert len(desk.chat.sender.sent["u1"]) - before >= 1  # notices reach the requester's chat


async def test_a_one_time_password_must_be_changed_first(desk: Desk) -> None:
    password = await Accounts(desk.runtime.db, desk.runtime.secret_key).ensure_demo_admin(MONDAY_10)
    assert password is None  # accounts exist already: no demo admin
    accounts = Accounts(desk.runtime.db, desk.runtime.secret_key)
    await accounts.set_password(Actor.system("test"), "budi", "sekali-pakai-123", MONDAY_10, must_change=True)
    async with desk.client() as http:
        token = csrf(await http.get("/console/login"))
        login = await http.post("/console/login", data={"username": "budi", "password": "sekali-pakai-123",
                                                        "csrf_token": token})  # fmt: skip
        assert login.headers["location"] == "/console/password"
        assert (await http.get("/console/requests")).headers["location"] == "/console/password"
        page = await http.get("/console/password")
        changed = await http.post("/console/password", data={"current": "sekali-pakai-123", "new": PASSWORD,
                                                              "repeat": PASSWORD, "csrf_token": csrf(page)})  # fmt: skip
        assert changed.status_code == 303
        assert (await http.get("/console")).status_code == 303  # the old session ended with the old password
    again = await desk.login("budi")
    assert (await again.get("/console/requests")).status_code == 200


async def test_live_hand_off_from_the_citizen_to_an_officer_and_back(desk: Desk) -> None:
    chat, u3 = desk.chat, "u3"
    [offer] = await chat.harness.send("hubungi petugas", chat_id=u3)
    assert offer.choices[0].payload == "handoff:start"
    assert "teruskan ke petugas" in await chat.say("chat dengan petugas", u3)
    assert await chat.say("Saya butuh data stunting per kelurahan", u3) == ""  # the bot stays silent
    admin, rina = await desk.login("utama"), await desk.login("rina")
    inbox = await admin.get("/console/inbox")
    link = re.search(r'href="/console/conversations/(\d+)"', inbox.text)
    assert link, inbox.text
    conversation = f"/console/conversations/{link.group(1)}"
    assert "/console/conversations/" not in (await rina.get("/console/inbox")).text  # not routed to DINKES
    assert (await rina.get(conversation)).status_code == 404
    page = await rina.get(f"/console/requests/{desk.dinkes}")
    assert (await rina.post(f"{conversation}/take", data={"csrf_token": csrf(page)})).status_code == 404

    page = await admin.get(conversation)
    assert "stunting" in page.text
    routed = await admin.post(f"{conversation}/route", data={"text": "dinkes", "csrf_token": csrf(page)})
    assert routed.status_code == 303
    await chat.harness.settle()
    page = await rina.get(conversation)
    assert page.status_code == 200
    token = csrf(page)
    before = len(chat.sender.sent[u3])
    assert (await rina.post(f"{conversation}/take", data={"csrf_token": token})).status_code == 303
    await rina.post(
        f"{conversation}/reply", data={"text": "Datanya ada di Dinkes, kami kirimkan.", "csrf_token": token}
    )
    await chat.harness.settle()
    told = [r.text for r in chat.sender.sent[u3][before:]]
    assert told == ["Petugas PPID sudah bergabung dalam percakapan ini.",
                    "Petugas PPID: Datanya ada di Dinkes, kami kirimkan."]  # fmt: skip
    lines = await rina.get(f"{conversation}/lines")
    assert "Datanya ada di Dinkes" in lines.text and "<html" not in lines.text
    await rina.post(f"{conversation}/release", data={"csrf_token": token})
    await chat.harness.settle()
    assert "Asisten otomatis kembali" in chat.sender.sent[u3][-1].text
    assert (await rina.get(conversation)).status_code == 404  # back with the bot: not in the inbox
    audit = await desk.audit()
    target = f"conversation:{link.group(1)}"
    assert [a for actor, a, t in audit if t == target] == ["route_conversation", "take_over", "officer_reply",
                                                           "hand_back"]  # fmt: skip


async def test_request_filters_and_working_days_left(desk: Desk) -> None:
    admin = await desk.login("utama")
    desk.chat.clock.now = datetime(2026, 4, 6, 10, 0, tzinfo=WIB)  # due 7 April: 1 working day left

    async def numbers(query: str) -> list[str]:
        page = await admin.get(f"/console/requests{query}")
        assert page.status_code == 200
        return re.findall(r">(PPID-\d{4}-\d{6})</a>", page.text)

    assert await numbers("") == [desk.dinkes, desk.disdik]
    assert await numbers("?opd=disdik") == [desk.disdik]
    assert await numbers("?status=received&channel=cli") == [desk.dinkes, desk.disdik]
    assert await numbers("?status=answered") == []
    assert await numbers("?due_within=1") == [desk.dinkes, desk.disdik]
    assert await numbers("?due_within=0") == []
    page = await admin.get("/console/requests")
    assert re.search(r"<td>2026-04-07</td>\s*<td>1</td>", page.text)  # working days left, per row
    desk.chat.clock.now = datetime(2026, 4, 8, 10, 0, tzinfo=WIB)
    late = await admin.get("/console/requests?overdue_first=1")
    assert late.text.count('class="late"') == 2 and "terlambat" in late.text


async def test_every_console_route_with_a_foreign_id_is_refused(desk: Desk) -> None:
    """Walks the app's routes, so a new page without its check fails here."""
    from fastapi.routing import APIRoute

    admin = await desk.login("utama")
    await desk.chat.say("chat dengan petugas", "u9")  # a conversation at the PPID Utama's desk
    inbox = await admin.get("/console/inbox")
    found = re.search(r'href="/console/conversations/(\d+)"', inbox.text)
    assert found
    foreign = {"number": desk.disdik, "conversation_id": found.group(1)}
    rina = await desk.login("rina")
    token = csrf(await rina.get("/console"))

    def walk(routes: list[Any]) -> list[Any]:  # this FastAPI keeps an included router whole
        found: list[Any] = []
        for r in routes:
            inner = getattr(r, "original_router", None)
            found += walk(list(inner.routes)) if inner is not None else [r]
        return found

    routes = [
        r
        for r in walk(list(desk.app_transport.app.routes))  # type: ignore[attr-defined]
        if isinstance(r, APIRoute)
        and r.path.startswith("/console")
        and "{" in r.path
        and "/lang/" not in r.path
    ]
    assert len(routes) >= 11 and any(r.path.endswith("/notice.pdf") for r in routes)
    for route in routes:
        for method in route.methods or ():
            path = route.path.replace(":path}", "}").format(
                action="take",
                username="utama",
                saved_id="1",
                row_id="1",
                broadcast_id="1",
                group_id="1",
                entry_id="DIP-2024-0001",
                job_id="not-this-sessions",
                **foreign,
            )
            response = await rina.request(
                method, path, data={"csrf_token": token} if method == "POST" else None
            )
            assert response.status_code in (403, 404), (method, route.path, response.status_code)
            assert NIK not in response.text


async def test_the_ppid_utama_manages_accounts_and_holidays(desk: Desk) -> None:
    admin = await desk.login("utama")
    page = await admin.get("/console/accounts")
    assert page.status_code == 200 and "sekda" in page.text
    added = await admin.post("/console/accounts", data={"username": "dewi", "role": "officer", "opds": "dishub",
                                                        "csrf_token": csrf(page)})  # fmt: skip
    one_time = re.search(r"<code>([^<]+)</code>", added.text)
    assert added.status_code == 200 and one_time
    assert "<code>" not in (await admin.get("/console/accounts")).text  # shown once
    bad = await admin.post(
        "/console/accounts", data={"username": "x y", "role": "officer", "csrf_token": csrf(page)}
    )
    assert bad.status_code == 400
    async with desk.client() as dewi:
        token = csrf(await dewi.get("/console/login"))
        login = await dewi.post("/console/login", data={"username": "dewi", "password": one_time.group(1),
                                                        "csrf_token": token})  # fmt: skip
        assert login.headers["location"] == "/console/password"
    disabled = await admin.post("/console/accounts/dewi/disable", data={"csrf_token": csrf(page)})
    assert disabled.status_code == 200 and "nonaktif" in disabled.text

    holidays = await admin.get("/console/holidays?year=2026")
    assert "2026-08-17" in holidays.text
    await admin.post("/console/holidays", data={"day": "2026-04-06", "name": "Hari jadi Kota Sukamaju",
                                                "csrf_token": csrf(holidays)})  # fmt: skip
    assert "Hari jadi Kota Sukamaju" in (await admin.get("/console/holidays?year=2026")).text
    await admin.post(
        "/console/holidays", data={"day": "2026-04-06", "remove": "1", "csrf_token": csrf(holidays)}
    )
    audit = await desk.audit()
    for row in (("officer:utama", "account_add", "dewi"), ("officer:utama", "account_disable", "dewi"),
                ("officer:utama", "holiday_add", "2026-04-06"), ("officer:utama", "holiday_remove", "2026-04-06")):  # fmt: skip
        assert row in audit, row

    rina = await desk.login("rina")
    token = csrf(await rina.get("/console"))
    for path in ("/console/accounts", "/console/holidays"):
        assert (await rina.get(path)).status_code == 403
        assert (await rina.post(path, data={"csrf_token": token, "username": "evil", "role": "admin",
                                            "day": "2026-05-05", "name": "x"})).status_code == 403  # fmt: skip
    assert (
        await rina.post("/console/accounts/utama/password", data={"csrf_token": token})
    ).status_code == 403


async def test_old_login_failures_are_not_kept_past_the_throttle_window(database: Database) -> None:
    """A failed login is kept only as long as it can throttle (``THROTTLE_WINDOW``): the next failure
    after that drops the old ones, so the table does not grow with every guess ever made."""
    accounts = Accounts(database, "kunci")
    await accounts.add(Actor.system("test"), "rina", "officer", ["DINKES"], PASSWORD, APRIL_2)
    for _ in range(3):
        await accounts.authenticate("rina", "salah-salah-salah", "10.0.0.1", APRIL_2)
    assert await _failures(database) == 6  # per account and per address
    later = APRIL_2 + THROTTLE_WINDOW + timedelta(seconds=1)
    await accounts.authenticate("budi", "salah-salah-salah", "10.0.0.2", later)
    assert await _failures(database) == 2
    assert (await accounts.authenticate("rina", PASSWORD, "10.0.0.1", later)).result is LoginResult.OK


async def _failures(database: Database) -> int:
    async with database.session() as session:
        return len((await session.scalars(select(LoginFailure))).all())
