"""Console pages of RT/RW broadcasts and areas: send (coordinators to their own area, officers
anywhere, serta merta by officers), approve, delivery figures (the same as ``tanya broadcast
status``), a coordinator's one-time chat link code, areas editing and a printable QR poster per RT.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated
from urllib.parse import quote

import segno
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from bot.area_store import AreaConflict, AreaStore
from bot.assignment_store import AssignmentStore
from bot.broadcast_store import BroadcastStore, actor_for
from bot.console.web import CurrentOfficer, Officer, PostingOfficer, redirect, render
from bot.deps import RuntimeDep
from bot.runtime import Runtime
from handlers.domain.areas import normalise_key, parse_areas
from handlers.domain.errors import DomainError
from handlers.domain.files import file_problem, megabytes
from handlers.services import assignments, broadcasts
from handlers.services.actor import Actor, Forbidden, Permission, Role
from handlers.services.ports import AuditAction, Document
from handlers.subscriptions import deep_link_payload
from storage.accounts import AccountRepository, AuditRepository
from storage.attachments import AttachmentStore


async def _actor(runtime: Runtime, officer: Officer) -> Actor:
    """The signed-in account; a coordinator with the RW/RT it serves."""
    actor = officer.actor
    if actor.role is not Role.COORDINATOR:
        return actor
    async with runtime.db.session() as session:
        found = await actor_for(session, actor.username)
    return replace(actor, areas=found.areas) if found else actor


def _rules(runtime: Runtime) -> broadcasts.BroadcastRules:
    return runtime.broadcast_rules


async def _uploaded(upload: UploadFile | None, max_bytes: int) -> Document | None:
    """The chosen file (None when none was); one over the limit is refused before it is all read.
    Its type is what its first bytes say (the service checks them); the browser's is not used."""
    if upload is None or (not upload.filename and not upload.size):
        return None
    data = await upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise broadcasts.BroadcastRefused(file_problem(b"", max(upload.size or 0, len(data)), max_bytes))
    return Document(data, "", upload.filename or "")


def build_router() -> APIRouter:
    router = APIRouter(prefix="/console", include_in_schema=False)

    async def _page(
        request: Request, runtime: Runtime, officer: Officer, status: int = 200, **values: object
    ) -> Response:
        actor = await _actor(runtime, officer)
        async with runtime.db.session() as session:
            store = BroadcastStore(session)
            rows = [(r, await store.figures(r.id)) for r in await broadcasts.recent(store, actor)]
            mine = [await store.areas.get(k) for k in sorted(actor.areas)]
            awaiting = await broadcasts.awaiting_for(store, actor)
        return render(
            request, officer.session, "broadcasts.html", actor=actor, rows=rows, status=status,
            my_areas=[a for a in mine if a], may_urgent=actor.may(Permission.PUBLISH_URGENT),
            awaiting=awaiting, **values,
        )  # fmt: skip

    @router.get("/broadcasts")
    async def broadcasts_page(request: Request, runtime: RuntimeDep, officer: CurrentOfficer) -> Response:
        return await _page(request, runtime, officer)

    @router.post("/broadcasts")
    async def send(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer,
        area: Annotated[str, Form(max_length=200)] = "", text: Annotated[str, Form(max_length=20_000)] = "",
        serta_merta: Annotated[str, Form(max_length=8)] = "", file: Annotated[UploadFile | None, File()] = None,
    ) -> Response:  # fmt: skip
        actor = await _actor(runtime, officer)
        kind = broadcasts.Kind.SERTA_MERTA if serta_merta else broadcasts.Kind.ANNOUNCEMENT
        rules = _rules(runtime)
        try:
            document = await _uploaded(file, rules.max_file_bytes)
            async with runtime.db.write() as session:
                record = await broadcasts.send(
                    BroadcastStore(session, now=runtime.clock(), crypto=runtime.crypto), actor, area,
                    text=text, kind=kind, now=runtime.clock(), rules=rules, file=document,
                )  # fmt: skip
        except Forbidden:
            raise
        except DomainError as problem:
            return await _page(request, runtime, officer, status=400, error=str(problem))
        runtime.broadcaster.wake()
        return redirect(request, officer.session, f"/console/broadcasts/{record.id}")

    @router.get("/broadcasts/{broadcast_id}")
    async def status_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, broadcast_id: int
    ) -> Response:
        actor = await _actor(runtime, officer)
        async with runtime.db.session() as session:
            store = BroadcastStore(session)
            record, figures = await broadcasts.status(store, actor, broadcast_id)
            approvers = await broadcasts.approvers(store, record)
        entry = runtime.knowledge.get(record.entry_id) if record.entry_id else None
        return render(
            request, officer.session, "broadcast.html", actor=actor, record=record, figures=figures,
            approvers=sorted(approvers), may_decide=broadcasts.may_decide(actor, approvers), size=megabytes,
            entry=entry,
        )  # fmt: skip

    @router.get("/broadcasts/{broadcast_id}/file")
    async def broadcast_file(runtime: RuntimeDep, officer: CurrentOfficer, broadcast_id: int) -> Response:
        """The broadcast's photo or PDF, for whoever may see the broadcast (an approver looks first)."""
        actor = await _actor(runtime, officer)
        async with runtime.db.session() as session:
            record, _ = await broadcasts.status(BroadcastStore(session), actor, broadcast_id)
        if record.attachment is None:
            raise Forbidden("file")
        data = await AttachmentStore(runtime.db, runtime.crypto).get(record.attachment.ref)
        return Response(
            data,
            media_type=record.attachment.mime_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(record.attachment.file_name)}",
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @router.post("/broadcasts/{broadcast_id}/{action}")
    async def decide(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, broadcast_id: int, action: str
    ) -> Response:
        if action not in ("approve", "reject"):
            raise Forbidden(action)
        actor = await _actor(runtime, officer)
        try:
            async with runtime.db.write() as session:
                await broadcasts.decide(
                    BroadcastStore(session),
                    actor,
                    broadcast_id,
                    approve=action == "approve",
                    now=runtime.clock(),
                )
        except Forbidden:
            raise
        except DomainError as problem:
            return await _page(request, runtime, officer, status=400, error=str(problem))
        runtime.broadcaster.wake()
        return redirect(request, officer.session, f"/console/broadcasts/{broadcast_id}")

    @router.post("/link-code")
    async def link_code(request: Request, runtime: RuntimeDep, officer: PostingOfficer) -> Response:
        """A coordinator's one-time code to link their chat (shown once, on this page)."""
        actor = officer.actor
        if actor.role is not Role.COORDINATOR:
            raise Forbidden("link code")
        async with runtime.db.write() as session:
            code = await assignments.issue_link_code(
                AssignmentStore(session, runtime.crypto, now=runtime.clock()), actor, actor.username,
                now=runtime.clock(),
            )  # fmt: skip
        return await _page(request, runtime, officer, code=code)

    # --- areas (officers read, the PPID Utama edits) ---

    async def _areas_page(
        request: Request, runtime: Runtime, officer: Officer, status: int = 200, **values: object
    ) -> Response:
        actor = officer.actor
        actor.require(Permission.PUBLISH_URGENT)  # officers and the PPID Utama
        async with runtime.db.session() as session:
            store = AreaStore(session)
            areas = await store.all()
            counts = await store.repo.subscriber_counts([a.id for a in areas])
            accounts = [a for a in await AccountRepository(session).all() if not a.disabled]
            coverage = await store.approval_coverage()
        return render(
            request, officer.session, "areas.html", actor=actor, areas=areas, counts=counts, status=status,
            coordinators=[a for a in accounts if a.role == Role.COORDINATOR.value],
            officers=[a for a in accounts if a.role == Role.OFFICER.value], coverage=coverage,
            unapproved=[k for k, own, above in coverage if not own and not above],
            may_edit=actor.may(Permission.MANAGE), **values,
        )  # fmt: skip

    @router.get("/areas")
    async def areas_page(request: Request, runtime: RuntimeDep, officer: CurrentOfficer) -> Response:
        return await _areas_page(request, runtime, officer)

    @router.post("/areas")
    async def add_area(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer,
        kota: Annotated[str, Form(max_length=80)] = "", kecamatan: Annotated[str, Form(max_length=80)] = "",
        kelurahan: Annotated[str, Form(max_length=80)] = "", rw: Annotated[str, Form(max_length=4)] = "",
        rt: Annotated[str, Form(max_length=4)] = "",
    ) -> Response:  # fmt: skip
        officer.actor.require(Permission.MANAGE)
        row = ",".join(v.replace(",", " ").replace('"', " ") for v in (kota, kecamatan, kelurahan, rw, rt))
        parsed = parse_areas(f"kota,kecamatan,kelurahan,rw,rt\n{row}\n")
        if parsed.problems:
            return await _areas_page(request, runtime, officer, status=400, error="; ".join(parsed.problems))
        try:
            async with runtime.db.write() as session:
                await AreaStore(session, now=runtime.clock()).import_specs(parsed.areas)
                await AuditRepository(session).add(
                    runtime.clock(), officer.actor.label, AuditAction.AREA_ADD.value, parsed.areas[-1].key, ""
                )
        except AreaConflict as conflict:  # an existing key for another place
            return await _areas_page(request, runtime, officer, status=400, error=str(conflict))
        return await _areas_page(request, runtime, officer, done="areas_added")

    @router.post("/areas/{action}")
    async def assign(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, action: str,
        username: Annotated[str, Form(max_length=64)] = "", key: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:  # fmt: skip
        """Bind (``assign``) or unbind (``unassign``) a coordinator's RW/RT or an officer's kelurahan."""
        if action not in ("assign", "unassign"):
            raise Forbidden(action)
        try:
            async with runtime.db.write() as session:
                done = await assignments.assign(
                    AssignmentStore(session, runtime.crypto, now=runtime.clock()), officer.actor, username,
                    key, bind=action == "assign", now=runtime.clock(),
                )  # fmt: skip
        except Forbidden:
            raise
        except DomainError as problem:
            return await _areas_page(request, runtime, officer, status=400, error=str(problem))
        flag = f"areas_{'' if done.bound else 'un'}assigned_{done.role.value}"
        return await _areas_page(request, runtime, officer, done=flag)

    @router.get("/areas/poster")
    async def poster(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, key: str = ""
    ) -> Response:
        """A printable poster: a QR code of the chat link that subscribes to this RW or RT."""
        officer.actor.require(Permission.PUBLISH_URGENT)
        canonical = normalise_key(key)
        async with runtime.db.session() as session:
            area = await AreaStore(session).get(canonical) if canonical else None
        if area is None:
            raise Forbidden("area")
        words = area.label
        link = _subscribe_link(runtime, area.key, words, str(request.base_url))
        qr = segno.make(link, error="m").svg_inline(scale=6, dark="#000", light="#fff")
        return render(
            request,
            officer.session,
            "poster.html",
            actor=officer.actor,
            area=area,
            qr=qr,
            link=link,
            words=words,
        )

    return router


def _subscribe_link(runtime: Runtime, key: str, words: str, base_url: str) -> str:
    """Telegram's deep link when the bot's name is known, else WhatsApp's prefilled message, else the web chat."""
    s = runtime.settings
    if s.telegram_bot_username:
        return f"https://t.me/{s.telegram_bot_username}?start={deep_link_payload(key)}"
    if s.whatsapp_display_number:
        return f"https://wa.me/{s.whatsapp_display_number}?text={quote('langganan ' + words)}"
    return base_url.rstrip("/") + "/"  # the web chat: the poster's words say what to type
