"""The written notice of a decided request (UU 14/2008 Pasal 22(7)): a printable page and its PDF."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.console.web import SECURITY_HEADERS, CurrentOfficer, _staff, _uow, render
from bot.deps import RuntimeDep
from bot.notice_pdf import notice_document
from handlers.services import workflows
from handlers.written_notice import written_notice

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/requests/{number}/notice")
async def notice_page(
    request: Request, runtime: RuntimeDep, officer: CurrentOfficer, number: str
) -> Response:
    actor = _staff(officer)
    record, cal = await workflows.decided_request(_uow(runtime), actor, number)
    notice = written_notice(record, cal, officer.session.lang, body_name=runtime.settings.body_name)
    return render(request, officer.session, "notice.html", actor=actor, notice=notice, number=record.number)


@router.get("/requests/{number}/notice.pdf")
async def notice_pdf_file(runtime: RuntimeDep, officer: CurrentOfficer, number: str) -> Response:
    actor = _staff(officer)
    record, cal = await workflows.decided_request(_uow(runtime), actor, number)
    document = notice_document(record, cal, body_name=runtime.settings.body_name)
    headers = {
        **SECURITY_HEADERS,
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(document.file_name)}",
    }
    return Response(document.data, media_type=document.mime_type, headers=headers)
