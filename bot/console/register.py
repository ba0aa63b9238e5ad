"""The console's register page (``/console/register``): the Daftar Informasi Publik the search
answers from (UU 14/2008 Pasal 9-11, 17; Perki 1/2021), and its FAQ (``/console/register/faq``).

A file (CSV or XLSX) is checked exactly as ``tanya import-register`` / ``import-faq`` check it, in
the background (``bot.console.upload_jobs``, on whichever worker received it; the job is a row
every worker reads): the page shows "memeriksa baris 4.000 dari 12.000" while it runs, then a
preview of what would be added, changed and retired and every bad row with its line and reason;
"apply" (on any worker) checks the file again and imports it in one transaction, or nothing when a
row is bad or the preview no longer holds. Admins
upload either file; an officer a register file of their own OPD (another OPD's rows are bad rows).
One entry can be added, edited or retired; register entries by an officer of their OPD or an
admin, FAQ entries by admins. Publishing a *serta merta* entry (Pasal 10) is an explicit action,
once. The workflows are ``bot.knowledge_edits``; after every change the search sees it at once.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from bot import knowledge_edits as edits
from bot.console.gaps import acting
from bot.console.texts import t as console_t
from bot.console.upload_jobs import Busy, Changed, JobState, UploadJob, UploadJobs
from bot.console.web import CurrentOfficer, Officer, PostingOfficer, _staff, redirect, render
from bot.deps import RuntimeDep
from bot.runtime import Runtime
from handlers.domain.errors import DomainError
from handlers.services.actor import Actor, Forbidden, Role
from knowledge.faq import FAQ_COLUMNS, parse_faq_row
from knowledge.models import Category, FaqEntry, RegisterEntry
from knowledge.register import REGISTER_COLUMNS, parse_register_row
from storage.knowledge_repository import KnowledgeRepository, faq_values, register_values

MAX_UPLOAD = 20 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")
FIELDS = tuple(REGISTER_COLUMNS)
FAQ_FIELDS = tuple(FAQ_COLUMNS)
may_edit = edits.may_edit  # the rule lives with the workflows


async def _entries(runtime: Runtime, actor: Actor, q: str) -> list[RegisterEntry]:
    async with runtime.db.session() as session:
        entries = await KnowledgeRepository(session).load_register()
    if actor.role is Role.OFFICER:
        entries = [e for e in entries if may_edit(actor, e.opd_singkatan)]
    words = q.lower().split()
    if words:
        entries = [e for e in entries if all(w in f"{e.id} {e.judul} {e.opd}".lower() for w in words)]
    return entries[:200]


async def _faq(runtime: Runtime, q: str) -> list[FaqEntry]:
    async with runtime.db.session() as session:
        entries = await KnowledgeRepository(session).load_faq()
    words = q.lower().split()
    if words:
        entries = [e for e in entries if all(w in f"{e.id} {e.pertanyaan}".lower() for w in words)]
    return entries[:200]


def _number(value: int, actor_lang: str) -> str:
    """12000 as "12.000" (Indonesian) or "12,000" (English)."""
    text = f"{value:,}"
    return text.replace(",", ".") if actor_lang == "id" else text


def build_router(jobs: UploadJobs | None = None) -> APIRouter:
    """The pages; ``jobs`` runs this process's checks (the app stops them when it stops)."""
    router = APIRouter(prefix="/console/register", include_in_schema=False)
    jobs = jobs or UploadJobs()  # every worker's jobs (in the database); this one's checks

    async def page(
        request: Request, runtime: Runtime, officer: Officer, *, q: str = "", code: int = 200,
        sheet: edits.Sheet = edits.Sheet.REGISTER, **values: object,
    ) -> Response:  # fmt: skip
        actor = _staff(officer)
        upload_sheets = [s for s in edits.Sheet if _may_upload(actor, s)]
        if sheet is edits.Sheet.FAQ:
            return render(
                request, officer.session, "faq.html", actor=actor, entries=await _faq(runtime, q), q=q,
                status=code, may_edit=edits.may_edit_faq(actor), upload_sheets=upload_sheets, **values,
            )  # fmt: skip
        entries = await _entries(runtime, actor, q)
        return render(
            request, officer.session, "register.html", actor=actor, entries=entries, q=q, status=code,
            upload_sheets=upload_sheets, may_add=actor.role in (Role.ADMIN, Role.OFFICER),
            published=await edits.published(runtime, entries), categories=list(Category),
            urgent_areas=await edits.urgent_areas(runtime), **values,
        )  # fmt: skip

    @router.get("")
    async def register_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, q: str = "", done: str = ""
    ) -> Response:
        return await page(request, runtime, officer, q=q, done=done)

    @router.get("/faq")
    async def faq_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, q: str = "", done: str = ""
    ) -> Response:
        return await page(request, runtime, officer, q=q, done=done, sheet=edits.Sheet.FAQ)

    # --- files: upload, progress, preview, apply ---

    @router.post("/upload")
    async def upload(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, file: Annotated[UploadFile, File()],
        retire_missing: Annotated[str, Form()] = "", sheet: Annotated[str, Form(max_length=16)] = "register",
    ) -> Response:  # fmt: skip
        actor = acting(officer)
        kind = edits.Sheet(sheet) if sheet in set(edits.Sheet) else edits.Sheet.REGISTER
        edits.upload_scope(actor, kind)  # Forbidden before the file is read
        name = file.filename or ""
        suffix = name[name.rfind(".") :].lower() if "." in name else ""
        data = await file.read(MAX_UPLOAD + 1)
        if suffix not in SUFFIXES or len(data) > MAX_UPLOAD or not data:
            return await page(request, runtime, officer, code=400, error="register_bad_file", sheet=kind)
        try:
            job_id = await jobs.start(
                runtime, actor, officer.session, kind, name=f"upload{suffix}", data=data,
                retire_missing=bool(retire_missing), lang=officer.session.lang,
            )  # fmt: skip
        except Busy as busy:
            return await page(
                request, runtime, officer, code=429, error=f"upload_busy_{busy.whose}", sheet=kind
            )
        return redirect(request, officer.session, f"/console/register/upload/{job_id}")

    async def _job(runtime: Runtime, officer: Officer, job_id: str) -> UploadJob | None:
        return await jobs.get(runtime, job_id, acting(officer), officer.session)

    def _progress_text(officer: Officer, job: UploadJob) -> str:
        lang = officer.session.lang.value
        return console_t("upload_checking", officer.session.lang).format(
            read=_number(job.read, lang), total=_number(max(job.total, job.read), lang)
        )

    @router.get("/upload/{job_id}")
    async def upload_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, job_id: str
    ) -> Response:
        job = await _job(runtime, officer, job_id)
        if job is None:
            return await page(request, runtime, officer, code=404, error="register_upload_gone")
        if job.state is JobState.CHECKING:
            return await page(
                request,
                runtime,
                officer,
                sheet=job.sheet,
                checking=job,
                progress=_progress_text(officer, job),
            )
        if job.state is JobState.FAILED or job.preview is None:
            return await page(request, runtime, officer, code=400, error="upload_failed", sheet=job.sheet)
        preview = job.preview
        return await page(
            request, runtime, officer, preview=preview, token="" if preview.problems else job.id,
            retire_missing=job.retire_missing, code=400 if preview.problems else 200, sheet=job.sheet,
        )  # fmt: skip

    @router.get("/upload/{job_id}/progress")
    async def upload_progress(runtime: RuntimeDep, officer: CurrentOfficer, job_id: str) -> Response:
        """The progress line, polled by ``console.js``; ``X-Upload-Done`` once the check has ended."""
        job = await _job(runtime, officer, job_id)
        if job is None:
            return HTMLResponse("", status_code=404)
        response = HTMLResponse(_progress_text(officer, job))
        if job.state is not JobState.CHECKING:
            response.headers["X-Upload-Done"] = "1"
        response.headers["Cache-Control"] = "no-store"
        return response

    @router.post("/apply")
    async def apply(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, token: Annotated[str, Form()] = "",
    ) -> Response:  # fmt: skip
        actor = acting(officer)
        try:
            sheet = await jobs.apply(runtime, actor, officer.session, token)
        except Changed as changed:
            return await page(
                request, runtime, officer, code=409, error="upload_changed", sheet=changed.sheet
            )
        except edits.UploadStale:
            return await page(request, runtime, officer, code=409, error="upload_stale")
        if sheet is None:
            return await page(request, runtime, officer, code=400, error="register_upload_gone")
        where = "/console/register/faq" if sheet is edits.Sheet.FAQ else "/console/register"
        return redirect(request, officer.session, f"{where}?done=done")

    # --- one register entry ---

    @router.get("/entry/{entry_id:path}")
    async def entry_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, entry_id: str
    ) -> Response:
        entry = await edits.editable_register_entry(runtime, acting(officer), entry_id)
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
        await edits.save_register_entry(runtime, actor, parsed)
        return redirect(request, officer.session, "/console/register?done=done")

    @router.post("/entry/{entry_id:path}/{action}")
    async def entry_action(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, entry_id: str, action: str,
        to: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:  # fmt: skip
        actor = acting(officer)
        entry = await edits.editable_register_entry(runtime, actor, entry_id)
        if entry is None:
            return await page(request, runtime, officer, code=404, error="not_found")
        try:
            if action == "retire":
                await edits.retire_register_entry(runtime, actor, entry_id)
            elif action == "publish":
                published = await edits.publish_register_entry(runtime, actor, entry_id, to=to.strip())
                if published.broadcast_id is not None:
                    return redirect(request, officer.session, f"/console/broadcasts/{published.broadcast_id}")
            else:
                raise edits.NotPublishable(action)
        except edits.AlreadyPublished as already:
            when = already.publication
            return await page(
                request, runtime, officer, code=409, error="register_already_published", q=entry_id,
                already=when,
            )  # fmt: skip
        except edits.NotPublishable:
            return await page(request, runtime, officer, code=400, error="register_cannot")
        except Forbidden:
            raise
        except DomainError as refused:  # the notice could not go (an unknown area, say): nothing published
            return await page(
                request, runtime, officer, code=400, error="register_notice_refused", reason=str(refused)
            )
        return redirect(request, officer.session, "/console/register?done=done")

    # --- one FAQ entry (admins) ---

    def _faq_page_values(entry: FaqEntry) -> dict[str, str]:
        values = {k: str(v) for k, v in faq_values(entry).items()}
        values["contoh_pertanyaan"] = "\n".join(entry.contoh)  # one question a line in the form
        return values

    @router.get("/faq/entry/{entry_id:path}")
    async def faq_entry_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, entry_id: str
    ) -> Response:
        entry = await edits.faq_entry(runtime, acting(officer), entry_id)
        if entry is None:
            return await page(request, runtime, officer, code=404, error="not_found", sheet=edits.Sheet.FAQ)
        return await page(request, runtime, officer, editing=_faq_page_values(entry), sheet=edits.Sheet.FAQ)

    @router.post("/faq/save")
    async def faq_save(request: Request, runtime: RuntimeDep, officer: PostingOfficer) -> Response:
        actor = acting(officer)
        if not edits.may_edit_faq(actor):
            raise Forbidden("faq")
        form = await request.form()
        values = {name: str(form.get(name, ""))[:6000].strip() for name in FAQ_FIELDS}
        parsed = parse_faq_row(1, values)
        if isinstance(parsed, list):
            return await page(
                request, runtime, officer, code=400, editing=values, problems=parsed, sheet=edits.Sheet.FAQ
            )
        await edits.save_faq_entry(runtime, actor, parsed)
        return redirect(request, officer.session, "/console/register/faq?done=done")

    @router.post("/faq/entry/{entry_id:path}/retire")
    async def faq_retire(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, entry_id: str
    ) -> Response:
        if not await edits.retire_faq_entry(runtime, acting(officer), entry_id):
            return await page(request, runtime, officer, code=404, error="not_found", sheet=edits.Sheet.FAQ)
        return redirect(request, officer.session, "/console/register/faq?done=done")

    return router


def _may_upload(actor: Actor, sheet: edits.Sheet) -> bool:
    try:
        edits.upload_scope(actor, sheet)
    except Forbidden:
        return False
    return True


def _form_values(entry: RegisterEntry) -> dict[str, str]:
    values = {k: "" if v is None else str(v) for k, v in register_values(entry).items()}
    values["kategori"] = entry.kategori.value
    values["contoh_pertanyaan"] = "\n".join(entry.contoh)  # one question a line in the form
    return values
