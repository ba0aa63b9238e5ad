"""The console's "could not find" page (``/console/gaps``): the grouped, scrubbed questions the
search could not answer, and what an officer does with a group (``bot.gap_store``).

Admins and officers act (link, publish, not ours, reopen); the Atasan PPID only reads. Every action
needs the session's CSRF token and leaves an audit row. Linking rebuilds the running search index at
once, so the very next question finds the entry.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from bot import gap_store
from bot.console.web import CurrentOfficer, Officer, PostingOfficer, _staff, redirect, render
from bot.deps import RuntimeDep
from bot.knowledge_edits import refresh_search
from bot.runtime import Runtime
from handlers.gaps import GapStatus
from handlers.services.actor import Actor, Forbidden, Role
from handlers.services.ports import AuditAction
from storage.accounts import AuditRepository

ENTRY_ID = re.compile(r"^[\w.\-/]{1,64}$")
ACTING_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.SYSTEM})


def acting(officer: Officer) -> Actor:
    """Who may change what the search knows: admins and officers (not the Atasan, not coordinators)."""
    actor = _staff(officer)
    if actor.role not in ACTING_ROLES:
        raise Forbidden("knowledge")
    return actor


async def audit(runtime: Runtime, actor: Actor, action: AuditAction, target: str, detail: str = "") -> None:
    async with runtime.db.write() as session:
        await AuditRepository(session).add(runtime.clock(), actor.label, action.value, target, detail)


def build_router() -> APIRouter:
    router = APIRouter(prefix="/console/gaps", include_in_schema=False)

    async def page(
        request: Request, runtime: Runtime, officer: Officer, *, status: str = "", q: str = "",
        done: str = "", error: str = "", code: int = 200,
    ) -> Response:  # fmt: skip
        actor = _staff(officer)
        chosen = [GapStatus(status)] if status in {s.value for s in GapStatus} else []
        now = runtime.clock()
        groups = await gap_store.list_groups(runtime.db, runtime.service_hours, now=now, statuses=chosen)
        todo = await gap_store.to_publish_by_opd(runtime.db, runtime.service_hours, now=now)
        hits = runtime.knowledge.search(q[:200], 10).hits if q.strip() else ()
        return render(
            request, officer.session, "gaps.html", actor=actor, groups=groups, statuses=list(GapStatus),
            chosen_status=status if chosen else "", q=q, hits=hits, todo=todo, done=done, error=error,
            may_act=actor.role in ACTING_ROLES, status=code,
        )  # fmt: skip

    @router.get("")
    async def gaps_page(
        request: Request, runtime: RuntimeDep, officer: CurrentOfficer, status: str = "", q: str = "",
        done: str = "",
    ) -> Response:  # fmt: skip
        return await page(request, runtime, officer, status=status, q=q, done=done)

    @router.post("/{group_id}/{action}")
    async def gap_action(
        request: Request, runtime: RuntimeDep, officer: PostingOfficer, group_id: int, action: str,
        entry_id: Annotated[str, Form(max_length=64)] = "", opd: Annotated[str, Form(max_length=200)] = "",
        referral: Annotated[str, Form(max_length=1000)] = "",
    ) -> Response:  # fmt: skip
        actor = acting(officer)
        now: datetime = runtime.clock()
        db = runtime.db
        try:
            if action == "link":
                entry_id = entry_id.strip()
                if not ENTRY_ID.match(entry_id):
                    raise gap_store.EntryNotFound(entry_id)
                await gap_store.link_group(db, group_id, entry_id, now=now)
                await audit(runtime, actor, AuditAction.GAP_LINK, f"gap:{group_id}", entry_id)
                await refresh_search(runtime)
            elif action == "publish":
                await gap_store.mark_to_publish(db, group_id, opd, now=now)
                await audit(runtime, actor, AuditAction.GAP_PUBLISH, f"gap:{group_id}", opd.strip()[:200])
            elif action == "not-ours":
                await gap_store.mark_not_ours(db, group_id, referral, now=now)
                await audit(runtime, actor, AuditAction.GAP_NOT_OURS, f"gap:{group_id}")
            elif action == "reopen":
                await gap_store.reopen(db, group_id, now=now)
                await audit(runtime, actor, AuditAction.GAP_REOPEN, f"gap:{group_id}")
            else:
                raise gap_store.GapGroupNotFound(group_id)
        except gap_store.GapGroupNotFound:
            return await page(request, runtime, officer, error="not_found", code=404)
        except gap_store.EntryNotFound:
            return await page(request, runtime, officer, error="gap_entry_unknown", code=400)
        except ValueError:
            return await page(request, runtime, officer, error="gap_missing_value", code=400)
        done = "gap_taught" if action == "link" else "done"
        return redirect(request, officer.session, f"/console/gaps?done={done}#g{group_id}")

    return router
