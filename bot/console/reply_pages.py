"""Reply tools pages: a private note on a conversation, and the saved replies of an OPD."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from bot.console.errors import error_text
from bot.console.web import CurrentOfficer, Officer, PostingOfficer, _desk, _staff, redirect, render
from bot.deps import RuntimeDep
from bot.reply_tools import ReplyTools
from bot.runtime import Runtime
from handlers.domain.errors import DomainError
from handlers.services.actor import Forbidden, Role

router = APIRouter(prefix="/console", include_in_schema=False)


def _tools(runtime: Runtime) -> ReplyTools:
    return ReplyTools(runtime.db, runtime.crypto, runtime.clock)


@router.post("/conversations/{conversation_id}/note")
async def add_note(
    request: Request, runtime: RuntimeDep, officer: PostingOfficer, conversation_id: int,
    text: Annotated[str, Form(max_length=4000)] = "",
) -> Response:  # fmt: skip
    """A note for the officers only: it is never queued for the citizen."""
    actor = _staff(officer)
    await _desk(runtime).conversation(actor, conversation_id)  # 404 for a conversation not theirs
    try:
        await _tools(runtime).add_note(actor, conversation_id, text)
    except Forbidden:
        raise
    except DomainError:
        pass  # an empty note: nothing to keep
    return redirect(request, officer.session, f"/console/conversations/{conversation_id}#notes")


async def _saved_page(
    request: Request, runtime: Runtime, officer: Officer, *, status: int = 200, error: str = ""
) -> Response:
    actor = _staff(officer)
    rows = await _tools(runtime).saved(actor)
    opds = sorted(actor.opds) if actor.role is Role.OFFICER else []
    return render(
        request, officer.session, "saved_replies.html", actor=actor, rows=rows, opds=opds, status=status,
        error=error,
    )  # fmt: skip


@router.get("/saved-replies")
async def saved_replies(request: Request, runtime: RuntimeDep, officer: CurrentOfficer) -> Response:
    return await _saved_page(request, runtime, officer)


@router.post("/saved-replies")
async def add_saved_reply(
    request: Request, runtime: RuntimeDep, officer: PostingOfficer, opd: Annotated[str, Form(max_length=32)] = "",
    title: Annotated[str, Form(max_length=200)] = "", body: Annotated[str, Form(max_length=4000)] = "",
) -> Response:  # fmt: skip
    actor = _staff(officer)
    try:
        await _tools(runtime).add_saved(actor, opd, title, body)
    except Forbidden:
        raise
    except DomainError as problem:
        error = error_text(problem, officer.session.lang)
        return await _saved_page(request, runtime, officer, status=400, error=error)
    return redirect(request, officer.session, "/console/saved-replies")


@router.post("/saved-replies/{saved_id}/remove")
async def remove_saved_reply(
    request: Request, runtime: RuntimeDep, officer: PostingOfficer, saved_id: int
) -> Response:
    await _tools(runtime).remove_saved(_staff(officer), saved_id)
    return redirect(request, officer.session, "/console/saved-replies")
