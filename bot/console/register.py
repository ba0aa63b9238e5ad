"""The console's register page (``/console/register``): the Daftar Informasi Publik the search
answers from (UU 14/2008 Pasal 9-11, 17; Perki 1/2021).

An admin uploads a CSV or XLSX checked exactly as ``tanya import-register`` checks it: first a
preview of what would be added, changed and retired and every bad row with its line and reason;
the upload waits server-side (a private temporary file named by a random token bound to the
account, never the file in the form); "apply" imports it in one transaction, or nothing when a row
is bad. One entry can be added, edited or retired; an officer only for their own OPD's entries
(``opd_singkatan``), an admin for all. Publishing a *serta merta* entry (Pasal 10) is an explicit,
audited action. After every change the running search index is rebuilt: the next question sees it.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from bot.console.gaps import acting, audit, refresh_search
from bot.console.web import CurrentOfficer, Officer, PostingOfficer, _staff, redirect, render
from bot.deps import RuntimeDep
from bot.runtime import Runtime
from handlers.services.actor import Actor, Forbidden, Role
from handlers.services.ports import AuditAction
from knowledge.models import Category, ImportProblem, RegisterEntry
from knowledge.register import REGISTER_COLUMNS, parse_register, parse_register_row
from storage.accounts import AuditRepository
from storage.knowledge_repository import KnowledgeRepository, register_values

MAX_UPLOAD = 20 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")
FIELDS = tuple(REGISTER_COLUMNS)
UPLOADS = Path(tempfile.gettempdir()) / "tanya-register-uploads"
UPLOAD_HOURS = 2


@dataclass(slots=True)
class Preview:
    added: list[RegisterEntry] = field(default_factory=list)
    changed: list[RegisterEntry] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    rows: int = 0


def may_edit(actor: Actor, opd_short: str) -> bool:
    """Admins edit every entry; an officer those of their own OPD (by its abbreviation)."""
    if actor.role in (Role.ADMIN, Role.SYSTEM):
        return True
    return actor.role is Role.OFFICER and opd_short.strip().upper() in actor.opds


def _admin(officer: Officer) -> Actor:
    actor = acting(officer)
    if actor.role not in (Role.ADMIN, Role.SYSTEM):
        raise Forbidden("register_import")
    return actor


def _upload_path(actor: Actor, token: str, suffix: str) -> Path:
    """Where an upload waits: named by the account and a hash of its random token."""
    digest = hashlib.sha256(f"{actor.id}:{token}".encode()).hexdigest()
    return UPLOADS / f"{digest}{suffix}"


def _sweep(now: float) -> None:
    """Forget uploads never applied (previewed and left) after UPLOAD_HOURS."""
    for old in UPLOADS.glob("*"):
        with contextlib.suppress(OSError):
            if now - old.stat().st_mtime > UPLOAD_HOURS * 3600:
                old.unlink()


def _waiting(actor: Actor, token: str) -> Path | None:
    if not token or len(token) > 100:
        return None
    return next((p for s in SUFFIXES if (p := _upload_path(actor, token, s)).exists()), None)


async def _preview(runtime: Runtime, path: Path, retire_missing: bool) -> tuple[Preview, list[RegisterEntry]]:
    parsed = parse_register(path)
    preview = Preview(problems=list(parsed.problems), rows=parsed.rows)
    async with runtime.db.session() as session:
        current = {e.id: e for e in await KnowledgeRepository(session).load_register()}
    for entry in parsed.entries:
        old = current.get(entry.id)
        if old is None:
            preview.added.append(entry)
        elif register_values(old) != register_values(entry):
            preview.changed.append(entry)
    if retire_missing:
        preview.retired = sorted(set(current) - {e.id for e in parsed.entries})
    return preview, parsed.entries


async def _entries(runtime: Runtime, actor: Actor, q: str) -> list[RegisterEntry]:
    async with runtime.db.session() as session:
        entries = await KnowledgeRepository(session).load_register()
    if actor.role is Role.OFFICER:
        entries = [e for e in entries if may_edit(actor, e.opd_singkatan)]
    words = q.lower().split()
    if words:
        entries = [e for e in entries if all(w in f"{e.id} {e.judul} {e.opd}".lower() for w in words)]
    return entries[:200]


async def _published(runtime: Runtime, entries: Sequence[RegisterEntry]) -> set[str]:
    async with runtime.db.session() as session:
        ids = [e.id for e in entries if e.kategori is Category.SERTA_MERTA]
        return await AuditRepository(session).targets(AuditAction.ENTRY_PUBLISH.value, ids)


def build_router() -> APIRouter:
    router = APIRouter(prefix="/console/register", include_in_schema=False)

    async def page(
        request: Request,
        runtime: Runtime,
        officer: Officer,
        *,
        q: str = "",
        code: int = 200,
        **values: object,
    ) -> Response:
        actor = _staff(officer)
        entries = await _entries(runtime, actor, q)
        return render(
            request, officer.session, "register.html", actor=actor, entries=entries, q=q, status=code,
            may_import=actor.role in (Role.ADMIN, Role.SYSTEM), may_add=actor.role in (Role.ADMIN, Role.OFFICER),
            published=await _published(runtime, entries), categories=list(Category), **values,
        )  # fmt: skip

    @router.get("")
    async def register_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, q: str = "", done: str = ""
    ) -> Response:
        return await page(request, runtime, officer, q=q, done=done)

    @router.post("/upload")
    async def upload(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, file: Annotated[UploadFile, File()],
        retire_missing: Annotated[str, Form()] = "",
    ) -> Response:  # fmt: skip
        actor = _admin(officer)
        suffix = Path(file.filename or "").suffix.lower()
        data = await file.read(MAX_UPLOAD + 1)
        if suffix not in SUFFIXES or len(data) > MAX_UPLOAD or not data:
            return await page(request, runtime, officer, code=400, error="register_bad_file")
        token = secrets.token_urlsafe(24)
        UPLOADS.mkdir(mode=0o700, exist_ok=True)
        _sweep(time.time())
        path = _upload_path(actor, token, suffix)
        path.write_bytes(data)
        path.chmod(0o600)
        preview, _ = await _preview(runtime, path, bool(retire_missing))
        if preview.problems:
            path.unlink(missing_ok=True)  # nothing can be applied: nothing is kept
        return await page(
            request, runtime, officer, preview=preview, token="" if preview.problems else token,
            retire_missing=bool(retire_missing), code=400 if preview.problems else 200,
        )  # fmt: skip

    @router.post("/apply")
    async def apply(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, token: Annotated[str, Form()] = "",
        retire_missing: Annotated[str, Form()] = "",
    ) -> Response:  # fmt: skip
        actor = _admin(officer)
        path = _waiting(actor, token)
        if path is None:
            return await page(request, runtime, officer, code=400, error="register_upload_gone")
        try:
            parsed = parse_register(path)
            if not parsed.ok:
                return await page(request, runtime, officer, code=400, error="register_upload_gone")
            now = runtime.clock()
            async with runtime.db.write() as session:  # the import and its audit row: all or nothing
                summary = await KnowledgeRepository(session).import_register(
                    parsed.entries, now=now, retire_missing=bool(retire_missing)
                )
                await AuditRepository(session).add(
                    now, actor.label, AuditAction.REGISTER_IMPORT.value, "register", str(summary)
                )
        finally:
            path.unlink(missing_ok=True)
        await refresh_search(runtime)
        return redirect(request, officer.session, "/console/register?done=done")

    async def _editable(runtime: Runtime, actor: Actor, entry_id: str) -> RegisterEntry | None:
        """The entry (None if there is none); Forbidden if it is another OPD's."""
        async with runtime.db.session() as session:
            entry = await KnowledgeRepository(session).register_entry(entry_id)
        if entry is not None and not may_edit(actor, entry.opd_singkatan):
            raise Forbidden("entry")
        return entry

    @router.get("/entry/{entry_id:path}")
    async def entry_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, entry_id: str
    ) -> Response:
        actor = acting(officer)
        entry = await _editable(runtime, actor, entry_id)
        if entry is None:
            return await page(request, runtime, officer, code=404, error="not_found")
        return await page(request, runtime, officer, editing=_form_values(entry))

    @router.post("/save")
    async def save(request: Request, runtime: RuntimeDep, officer: PostingOfficer) -> Response:
        actor = acting(officer)
        form = await request.form()
        values = {name: str(form.get(name, ""))[:5000].strip() for name in FIELDS}
        values["kategori"] = values["kategori"].replace("_", " ")
        parsed = parse_register_row(1, values)
        if isinstance(parsed, list):
            return await page(request, runtime, officer, code=400, editing=values, problems=parsed)
        if not may_edit(actor, parsed.opd_singkatan):
            raise Forbidden("entry")
        now = runtime.clock()
        async with runtime.db.write() as session:
            repository = KnowledgeRepository(session)
            old = await repository.register_entry(parsed.id)
            if old is not None and not may_edit(actor, old.opd_singkatan):
                raise Forbidden("entry")  # another OPD's entry: not by renaming its OPD either
            await repository.import_register([parsed], now=now)
            action = AuditAction.ENTRY_ADD if old is None else AuditAction.ENTRY_EDIT
            await AuditRepository(session).add(now, actor.label, action.value, parsed.id)
        await refresh_search(runtime)
        return redirect(request, officer.session, "/console/register?done=done")

    @router.post("/entry/{entry_id:path}/{action}")
    async def entry_action(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, entry_id: str, action: str
    ) -> Response:
        actor = acting(officer)
        entry = await _editable(runtime, actor, entry_id)
        if entry is None:
            return await page(request, runtime, officer, code=404, error="not_found")
        now = runtime.clock()
        if action == "retire":
            async with runtime.db.write() as session:
                if await KnowledgeRepository(session).retire_register_entry(entry_id, now=now):
                    await AuditRepository(session).add(
                        now, actor.label, AuditAction.ENTRY_RETIRE.value, entry_id
                    )
            await refresh_search(runtime)
        elif action == "publish" and entry.kategori is Category.SERTA_MERTA and entry.active:
            await audit(runtime, actor, AuditAction.ENTRY_PUBLISH, entry_id, entry.kategori.value)
        else:
            return await page(request, runtime, officer, code=400, error="register_cannot")
        return redirect(request, officer.session, "/console/register?done=done")

    return router


def _form_values(entry: RegisterEntry) -> dict[str, str]:
    values = {k: "" if v is None else str(v) for k, v in register_values(entry).items()}
    values["kategori"] = entry.kategori.value
    return values
