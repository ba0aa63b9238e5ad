"""Held and permanently failed outgoing messages, with the reason, and a retry (``bot.outbox_desk``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.console.web import CurrentOfficer, PostingOfficer, _staff, redirect, render
from bot.deps import RuntimeDep
from bot.outbox_desk import OutboxDesk
from bot.runtime import Runtime

router = APIRouter(prefix="/console", include_in_schema=False)


def outbox_desk(runtime: Runtime) -> OutboxDesk:
    return OutboxDesk(runtime.db, runtime.clock, runtime.relay.wake)


@router.get("/outbox")
async def outbox_page(
    request: Request, runtime: RuntimeDep, officer: CurrentOfficer, conversation: int = 0, done: int = 0
) -> Response:
    actor = _staff(officer)
    rows = await outbox_desk(runtime).undelivered(actor, conversation or None)
    return render(
        request, officer.session, "outbox.html", actor=actor, rows=rows, conversation=conversation, done=done
    )


@router.post("/outbox/{row_id}/retry")
async def retry(request: Request, runtime: RuntimeDep, officer: PostingOfficer, row_id: int) -> Response:
    await outbox_desk(runtime).retry(_staff(officer), row_id)
    return redirect(request, officer.session, "/console/outbox?done=1")
