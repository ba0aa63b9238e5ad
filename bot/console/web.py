"""The officer console: server-rendered pages over the officer services (``handlers.services``).

Every page needs a session (else a redirect to ``/console/login``); every POST needs the session's
CSRF token (else 403). A request the officer may not see answers 404 whatever the URL, so an id of
another OPD tells nothing. Every action is written to the audit log by the service that does it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from bot import reply_tools
from bot.accounts import CONSOLE_ROLES, Accounts, LoginResult, check_password, generate_password
from bot.broadcast_store import BroadcastStore
from bot.console.documents import notice_maker, uploaded_document
from bot.console.errors import error_text
from bot.console.session import ConsoleSession, SessionCodec
from bot.console.texts import t as console_t
from bot.deps import RuntimeDep, get_runtime
from bot.handoff_desk import ConversationNotFound, HandoffDesk
from bot.officer_store import OfficerUnitOfWork
from bot.outbox_desk import OutboxDesk, OutboxRowNotFound
from bot.reply_tools import ReplyTools
from bot.runtime import Runtime
from handlers import handoff
from handlers.domain.deadlines import office_date
from handlers.domain.errors import DomainError
from handlers.domain.fields import OfflineChannel
from handlers.domain.lifecycle import Decision, Outcome, Pasal17, RequestStatus
from handlers.request_service import RequestNotFound
from handlers.request_texts import mask_email, mask_nik, mask_phone
from handlers.services import broadcasts, workflows
from handlers.services.actor import Actor, Forbidden, Permission, Role
from handlers.texts import t as chat_t
from handlers.types import Attachment, Channel, Lang
from storage.attachments import AttachmentStore

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
}
DESK_DAYS = 2  # "today's desk": requests due within this many working days


class LoginRequired(Exception):
    def __init__(self, expired: bool = False) -> None:
        self.expired = expired


class PasswordChangeRequired(Exception):
    pass


class CsrfRefused(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Officer:
    actor: Actor
    session: ConsoleSession


def _codec(request: Request) -> SessionCodec:
    codec = getattr(request.app.state, "console_codec", None)
    if not isinstance(codec, SessionCodec):
        runtime = get_runtime(request)
        codec = SessionCodec(runtime.secret_key, runtime.settings.console_idle_minutes * 60)
        request.app.state.console_codec = codec
    return codec


def _accounts(runtime: Runtime) -> Accounts:
    return Accounts(runtime.db, runtime.secret_key)


async def current_officer(request: Request, runtime: RuntimeDep) -> Officer:
    session = _codec(request).load(request)
    if session.account_id is None:
        raise LoginRequired(session.expired)
    found = await _accounts(runtime).session_actor(session.account_id, session.stamp)
    if found is None:
        raise LoginRequired()
    actor, must_change = found
    if must_change and request.url.path not in ("/console/password", "/console/logout"):
        raise PasswordChangeRequired()
    return Officer(actor, session)


CurrentOfficer = Annotated[Officer, Depends(current_officer)]


async def posting_officer(officer: CurrentOfficer, csrf_token: Annotated[str, Form()] = "") -> Officer:
    """The officer of a POST: only with the session's CSRF token."""
    if not officer.session.csrf_ok(csrf_token):
        raise CsrfRefused()
    return officer


PostingOfficer = Annotated[Officer, Depends(posting_officer)]


def _staff(officer: Officer) -> Actor:
    """Coordinators have no pages beyond their own start page (for now)."""
    if officer.actor.role is Role.COORDINATOR:
        raise Forbidden("coordinator")
    return officer.actor


def render(
    request: Request, session: ConsoleSession, template: str, *, actor: Actor | None = None,
    status: int = 200, **values: object,
) -> HTMLResponse:  # fmt: skip
    lang = session.lang

    def tt(key: str) -> str:
        return console_t(key, lang)

    def ct(key: str) -> str:
        return chat_t(key, lang)

    tz = get_runtime(request).service_hours.tz

    def when(moment: datetime) -> str:
        """A moment in the office's time zone, to the minute."""
        return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")

    context = {
        "t": tt, "ct": ct, "when": when, "csrf": session.csrf, "actor": actor, "lang": lang.value, **values
    }  # fmt: skip
    response = TEMPLATES.TemplateResponse(request, template, context, status_code=status)
    _codec(request).store(request, response, session)
    response.headers.update(SECURITY_HEADERS)
    return response


def redirect(request: Request, session: ConsoleSession, to: str) -> RedirectResponse:
    response = RedirectResponse(to, status_code=303)
    _codec(request).store(request, response, session)
    return response


def _today(runtime: Runtime) -> date:
    return office_date(runtime.clock(), runtime.service_hours)


def _uow(runtime: Runtime) -> OfficerUnitOfWork:
    return OfficerUnitOfWork(runtime.db, runtime.crypto)


def _desk(runtime: Runtime) -> HandoffDesk:
    return HandoffDesk(runtime.db, runtime.pipeline.submit, runtime.clock)


def build_router() -> APIRouter:
    router = APIRouter(prefix="/console", include_in_schema=False)

    @router.get("/login")
    async def login_page(request: Request, expired: int = 0) -> Response:
        session = _codec(request).load(request)
        message = "session_expired" if expired or session.expired else ""
        return render(request, session.signed_out(), "login.html", message=message)

    @router.post("/login")
    async def login(
        request: Request, runtime: RuntimeDep, username: Annotated[str, Form(max_length=64)] = "",
        password: Annotated[str, Form(max_length=256)] = "", csrf_token: Annotated[str, Form()] = "",
    ) -> Response:  # fmt: skip
        session = _codec(request).load(request)
        if not session.csrf_ok(csrf_token):
            return render(request, session.signed_out(), "login.html", status=403, message="csrf_refused")
        address = request.client.host if request.client else "-"
        login = await _accounts(runtime).authenticate(username, password, address, runtime.clock())
        if login.result is LoginResult.THROTTLED:
            return render(request, session, "login.html", status=429, message="login_throttled")
        if login.actor is None or login.actor.id is None:
            return render(request, session, "login.html", status=401, message="login_bad", username=username)
        signed_in = session.signed_in(login.actor.id, login.stamp)
        return redirect(request, signed_in, "/console/password" if login.must_change else "/console")

    @router.post("/logout")
    async def logout(request: Request, runtime: RuntimeDep, officer: PostingOfficer) -> Response:
        await _accounts(runtime).logout(officer.actor, runtime.clock())
        return redirect(request, officer.session.signed_out(), "/console/login")

    @router.get("/lang/{code}")
    async def language(request: Request, code: str) -> Response:
        session = _codec(request).load(request)
        return redirect(request, session.with_lang(Lang.EN if code == "en" else Lang.ID), "/console")

    @router.get("/password")
    async def password_page(request: Request, officer: CurrentOfficer, runtime: RuntimeDep) -> Response:
        found = await _accounts(runtime).session_actor(officer.session.account_id or 0, officer.session.stamp)
        must = bool(found and found[1])
        return render(request, officer.session, "password.html", actor=officer.actor, must_change=must)

    @router.post("/password")
    async def change_password(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer,
        current: Annotated[str, Form(max_length=256)] = "", new: Annotated[str, Form(max_length=256)] = "",
        repeat: Annotated[str, Form(max_length=256)] = "",
    ) -> Response:  # fmt: skip
        accounts, now = _accounts(runtime), runtime.clock()
        address = request.client.host if request.client else "-"
        error = ""
        if new != repeat:
            error = console_t("password_mismatch", officer.session.lang)
        else:
            try:
                check_password(new)
            except DomainError as problem:
                error = error_text(problem, officer.session.lang)
        if not error:
            check = await accounts.authenticate(officer.actor.username, current, address, now)
            if check.result is not LoginResult.OK:
                error = console_t("login_bad", officer.session.lang)
        if error:
            return render(
                request, officer.session, "password.html", actor=officer.actor, status=400, error=error
            )
        await accounts.set_password(officer.actor, officer.actor.username, new, now)
        return redirect(request, officer.session.signed_out(), "/console/login?changed=1")

    @router.get("")
    async def desk(request: Request, runtime: RuntimeDep, officer: CurrentOfficer) -> Response:
        actor = officer.actor
        if actor.role is Role.COORDINATOR:
            return render(request, officer.session, "coordinator.html", actor=actor)
        today = _today(runtime)
        lines = await workflows.list_requests(_uow(runtime), actor, today=today)
        open_lines = [x for x in lines if x.standing.open]
        overdue = [x for x in open_lines if x.standing.overdue]
        due_soon = [x for x in open_lines if not x.standing.overdue and x.standing.days_left <= DESK_DAYS]
        objections = await workflows.list_objections(_uow(runtime), actor, pending_only=True)
        waiting = await _desk(runtime).waiting(actor)
        async with runtime.db.session() as session:  # RT/RW announcements this officer approves
            awaiting = await broadcasts.awaiting_for(BroadcastStore(session), actor)
        return render(
            request, officer.session, "desk.html", actor=actor, overdue=overdue, due_soon=due_soon,
            objections=objections, today=today, waiting=waiting, awaiting=awaiting,
        )  # fmt: skip

    @router.get("/requests")
    async def requests_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, status: str = "", opd: str = "",
        channel: str = "", due_within: str = "", overdue_first: int = 0,
    ) -> Response:  # fmt: skip
        actor = _staff(officer)
        lines = await workflows.list_requests(_uow(runtime), actor, today=_today(runtime))
        if status:
            lines = [x for x in lines if x.record.status.value == status]
        if opd:
            lines = [x for x in lines if x.record.opd == opd.upper() or (opd == "-" and not x.record.opd)]
        if channel:
            lines = [x for x in lines if x.record.channel == channel]
        if due_within.isdigit():
            lines = [x for x in lines if x.standing.open and x.standing.days_left <= int(due_within)]
        if overdue_first:
            lines.sort(key=lambda x: (not x.standing.overdue, x.record.due_on))
        return render(
            request, officer.session, "requests.html", actor=actor, lines=lines, statuses=list(RequestStatus),
            channels=[*Channel, *OfflineChannel], masked=_masked, filters={"status": status, "opd": opd, "channel": channel,
            "due_within": due_within, "overdue_first": overdue_first},
        )  # fmt: skip

    async def _detail(
        request: Request, runtime: RuntimeDep, officer: Officer, number: str, *, status: int = 200,
        **values: object,
    ) -> Response:  # fmt: skip
        actor = _staff(officer)
        view = await workflows.show_request(_uow(runtime), actor, number, today=_today(runtime))
        opd = view.line.record.opd
        may = {p.value: actor.may(p, opd) for p in Permission}
        return render(
            request, officer.session, "request.html", actor=actor, view=view, may=may, masked=_masked,
            outcomes=list(Outcome), letters=list(Pasal17), status=status, **values,
        )  # fmt: skip

    @router.get("/requests/{number}")
    async def request_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, number: str, done: str = ""
    ) -> Response:
        return await _detail(request, runtime, officer, number, done=done)

    @router.post("/requests/{number}/reveal")
    async def reveal(request: Request, runtime: RuntimeDep, officer: PostingOfficer, number: str) -> Response:
        actor = _staff(officer)
        # written to the audit and access logs, and committed, before the page is rendered
        details = await workflows.reveal_requester(_uow(runtime), actor, number, now=runtime.clock())
        return await _detail(request, runtime, officer, number, revealed=details)

    async def _act(
        request: Request, runtime: RuntimeDep, officer: Officer, number: str,
        action: Callable[[Actor], Awaitable[object]],
    ) -> Response:  # fmt: skip
        actor = _staff(officer)
        try:
            result = await action(actor)
        except (RequestNotFound, Forbidden):
            raise  # 404 / 403 pages
        except DomainError as problem:
            error = error_text(problem, officer.session.lang)
            return await _detail(request, runtime, officer, number, status=400, error=error)
        notified = getattr(result, "notified", None)
        done = "done" if notified is None else ("done_notified" if notified else "done_unnotified")
        return redirect(request, officer.session, f"/console/requests/{number}?done={done}")

    @router.post("/requests/{number}/route")
    async def route(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, number: str,
        opd: Annotated[str, Form(max_length=32)] = "",
    ) -> Response:  # fmt: skip
        return await _act(
            request, runtime, officer, number,
            lambda actor: workflows.route(_uow(runtime), actor, number, opd, now=runtime.clock()),
        )  # fmt: skip

    @router.post("/requests/{number}/decide")
    async def decide(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, number: str,
        outcome: Annotated[str, Form()] = "", pasal17: Annotated[str, Form()] = "",
        reason: Annotated[str, Form(max_length=4000)] = "", holder: Annotated[str, Form(max_length=200)] = "",
        note: Annotated[str, Form(max_length=4000)] = "", document: Annotated[UploadFile | None, File()] = None,
    ) -> Response:  # fmt: skip
        async def act(actor: Actor) -> object:
            try:
                decision = Decision(Outcome(outcome), Pasal17(pasal17) if pasal17 else None, reason, holder)
            except ValueError as problem:
                raise DomainError(str(problem)) from None
            answer = await uploaded_document(document)
            return await workflows.decide(
                _uow(runtime), actor, number, decision, note=note, now=runtime.clock(),
                hours=runtime.service_hours, document=answer, notice=notice_maker(runtime),
            )  # fmt: skip

        return await _act(request, runtime, officer, number, act)

    @router.post("/requests/{number}/extend")
    async def extend(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, number: str,
        days: Annotated[int, Form(ge=1, le=7)] = 7, reason: Annotated[str, Form(max_length=4000)] = "",
    ) -> Response:  # fmt: skip
        return await _act(
            request, runtime, officer, number,
            lambda actor: workflows.extend(_uow(runtime), actor, number, days=days, reason=reason,
                                           now=runtime.clock()),
        )  # fmt: skip

    @router.get("/objections")
    async def objections_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, done: str = ""
    ) -> Response:
        actor = _staff(officer)
        rows = await workflows.list_objections(_uow(runtime), actor)
        return render(
            request, officer.session, "objections.html", actor=actor, rows=rows, today=_today(runtime),
            may_decide=actor.may(Permission.DECIDE_OBJECTION), done=done,
        )  # fmt: skip

    @router.post("/objections/{number}/decide")
    async def decide_objection(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, number: str,
        result: Annotated[str, Form()] = "", answer: Annotated[str, Form(max_length=4000)] = "",
    ) -> Response:  # fmt: skip
        actor = _staff(officer)
        actor.require(Permission.DECIDE_OBJECTION)  # before anything about the form is said
        if result not in ("upheld", "dismissed") or not answer.strip():
            rows = await workflows.list_objections(_uow(runtime), actor)
            return render(
                request, officer.session, "objections.html", actor=actor, rows=rows, today=_today(runtime),
                may_decide=actor.may(Permission.DECIDE_OBJECTION), status=400, error=console_t("error"),
            )  # fmt: skip
        done = await workflows.decide_objection(
            _uow(runtime), actor, number, upheld=result == "upheld", answer=answer, now=runtime.clock(),
            hours=runtime.service_hours,
        )  # fmt: skip
        flag = "done_notified" if done.notified else "done_unnotified"
        return redirect(request, officer.session, f"/console/objections?done={flag}")

    async def _accounts_page(
        request: Request,
        runtime: Runtime,
        officer: Officer,
        change: Callable[[], Awaitable[dict[str, object]]],
    ) -> Response:
        """Do ``change``, then show the accounts with what it returned (or why it failed)."""
        values: dict[str, object] = {"roles": CONSOLE_ROLES}
        try:
            values.update(await change())
            status = 200
        except DomainError as problem:
            values["error"], status = error_text(problem, officer.session.lang), 400
        rows = await _accounts(runtime).accounts(officer.actor)
        return render(
            request, officer.session, "accounts.html", actor=officer.actor, rows=rows, status=status, **values
        )

    def _admin(officer: Officer) -> Actor:
        officer.actor.require(Permission.MANAGE)
        return officer.actor

    @router.get("/accounts")
    async def accounts_page(request: Request, runtime: RuntimeDep, officer: CurrentOfficer) -> Response:
        actor = _admin(officer)
        rows = await _accounts(runtime).accounts(actor)
        return render(request, officer.session, "accounts.html", actor=actor, rows=rows, roles=CONSOLE_ROLES)

    @router.post("/accounts")
    async def add_account(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer,
        username: Annotated[str, Form(max_length=64)] = "", role: Annotated[str, Form(max_length=16)] = "",
        opds: Annotated[str, Form(max_length=400)] = "",
    ) -> Response:  # fmt: skip
        actor = _admin(officer)
        password = generate_password()

        async def add() -> dict[str, object]:
            name = await _accounts(runtime).add(actor, username, role, opds.replace(",", " ").split(), password,
                                                runtime.clock(), must_change=True)  # fmt: skip
            return {"created": name, "one_time": password}  # shown once, on this page only

        return await _accounts_page(request, runtime, officer, add)

    @router.post("/accounts/{username}/{action}")
    async def account_action(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, username: str, action: str
    ) -> Response:
        actor = _admin(officer)
        accounts, now = _accounts(runtime), runtime.clock()

        async def change() -> dict[str, object]:
            if action == "disable":
                await accounts.disable(actor, username, now)
                return {}
            if action == "password":
                password = generate_password()
                await accounts.set_password(actor, username, password, now, must_change=True)
                return {"created": username, "one_time": password}
            raise DomainError(f"unknown action {action!r}")

        return await _accounts_page(request, runtime, officer, change)

    @router.get("/holidays")
    async def holidays_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, year: int = 0
    ) -> Response:
        actor = _admin(officer)
        year = year if 2000 <= year <= 2100 else _today(runtime).year
        rows = await _accounts(runtime).holidays(actor, year)
        return render(request, officer.session, "holidays.html", actor=actor, rows=rows, year=year)

    @router.post("/holidays")
    async def change_holiday(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, day: Annotated[str, Form()] = "",
        name: Annotated[str, Form(max_length=200)] = "", remove: Annotated[str, Form()] = "",
    ) -> Response:  # fmt: skip
        actor = _admin(officer)  # the right first, then the form
        try:
            when = date.fromisoformat(day)
        except ValueError:
            return redirect(request, officer.session, "/console/holidays")
        if remove or name.strip():
            await _accounts(runtime).change_holiday(actor, when, name, runtime.clock(), add=not remove)
        return redirect(request, officer.session, f"/console/holidays?year={when.year}")

    @router.get("/inbox")
    async def inbox(request: Request, runtime: RuntimeDep, officer: CurrentOfficer) -> Response:
        actor = _staff(officer)
        waiting = await _desk(runtime).waiting(actor)
        return render(request, officer.session, "inbox.html", actor=actor, waiting=waiting)

    @router.get("/conversations/{conversation_id}")
    async def conversation_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, conversation_id: int, q: str = "",
        insert: str = "", saved: int = 0,
    ) -> Response:  # fmt: skip
        actor = _staff(officer)
        waiting, lines = await _desk(runtime).conversation(actor, conversation_id)
        tools = await reply_tools.beside_reply(
            ReplyTools(runtime.db, runtime.crypto, runtime.clock), runtime.knowledge, actor, waiting,
            lang=officer.session.lang, query=q, insert=insert, saved=saved,
        )  # fmt: skip
        rows = await OutboxDesk(runtime.db, runtime.clock, runtime.relay.wake).undelivered(
            actor, conversation_id
        )
        return render(
            request, officer.session, "conversation.html", actor=actor, waiting=waiting, lines=lines,
            may_route=actor.may(Permission.ROUTE), tools=tools, q=q[:200], rows=rows,
        )  # fmt: skip

    @router.get("/conversations/{conversation_id}/lines")
    async def conversation_lines(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, conversation_id: int
    ) -> Response:
        """The message list alone, for the page's refresh without reload (static/console.js)."""
        actor = _staff(officer)
        _, lines = await _desk(runtime).conversation(actor, conversation_id)
        return render(request, officer.session, "_lines.html", actor=actor, lines=lines)

    @router.post("/conversations/{conversation_id}/{action}")
    async def conversation_action(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, conversation_id: int, action: str,
        text: Annotated[str, Form(max_length=4000)] = "", document: Annotated[UploadFile | None, File()] = None,
    ) -> Response:  # fmt: skip
        actor = _staff(officer)
        try:
            event = handoff.OfficerEvent(action)
        except ValueError:
            raise ConversationNotFound(action) from None
        try:
            attachment = None
            if event is handoff.OfficerEvent.REPLY:
                await _desk(runtime).conversation(actor, conversation_id)  # the right before the file
                file = await uploaded_document(document)
                if file is not None:
                    store = AttachmentStore(runtime.db, runtime.crypto)
                    ref = await store.put(file.data, file.mime_type, file.file_name)
                    attachment = Attachment(ref, file.mime_type, len(file.data), file.file_name)
            await _desk(runtime).act(actor, conversation_id, event, text, attachment)
        except (ConversationNotFound, Forbidden):
            raise
        except DomainError:
            return redirect(request, officer.session, f"/console/conversations/{conversation_id}")
        to = (
            "/console/inbox"
            if event is handoff.OfficerEvent.RELEASE
            else f"/console/conversations/{conversation_id}"
        )
        return redirect(request, officer.session, to)

    return router


def _masked(kind: str, value: str) -> str:
    return {"nik": mask_nik, "phone": mask_phone, "email": mask_email}[kind](value) or "-"


def _error_page(request: Request, key: str, status: int) -> Response:
    session = _codec(request).load(request)
    return render(request, session, "error.html", status=status, message=key)


def install(app: FastAPI) -> None:
    """The console's pages and how its refusals look (login redirect, 403, 404)."""
    from bot.console import notice_pages, offline, outbox_pages, reply_pages  # they use this module's helpers

    app.include_router(offline.router)  # before /requests/{number}: "new" is not a number
    app.include_router(reply_pages.router)  # before /conversations/{id}/{action}: "note" is no event
    app.include_router(build_router())
    app.include_router(notice_pages.router)
    app.include_router(outbox_pages.router)
    from bot.console import broadcasts as broadcast_pages  # imports this module: here, not at the top
    from bot.console import gaps, register, reports  # imported here: they use this module's helpers
    from bot.console.upload_jobs import UploadJobs

    app.include_router(broadcast_pages.build_router())  # areas and RT/RW broadcasts
    for pages in (gaps, reports):
        app.include_router(pages.build_router())
    app.state.upload_jobs = UploadJobs()  # stopped by the app's lifespan (bot.app)
    app.include_router(register.build_router(app.state.upload_jobs))

    async def login_required(request: Request, exc: Exception) -> Response:
        expired = isinstance(exc, LoginRequired) and exc.expired
        if request.method != "GET":
            return _error_page(request, "csrf_refused", 403)
        return RedirectResponse("/console/login" + ("?expired=1" if expired else ""), status_code=303)

    async def password_required(request: Request, exc: Exception) -> Response:
        return RedirectResponse("/console/password", status_code=303)

    async def csrf_refused(request: Request, exc: Exception) -> Response:
        return _error_page(request, "csrf_refused", 403)

    async def not_found(request: Request, exc: Exception) -> Response:
        return _error_page(request, "not_found", 404)

    async def forbidden(request: Request, exc: Exception) -> Response:
        return _error_page(request, "forbidden", 403)

    app.add_exception_handler(LoginRequired, login_required)
    app.add_exception_handler(PasswordChangeRequired, password_required)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(RequestNotFound, not_found)
    app.add_exception_handler(ConversationNotFound, not_found)
    app.add_exception_handler(OutboxRowNotFound, not_found)
    app.add_exception_handler(Forbidden, forbidden)
