"""Requests that came on paper, in person, by phone or by e-mail, recorded by an officer into the
same register as the chat's (UU 14/2008 Pasal 22(3)): ``/console/requests/new``.

The fields and their checks are the chat form's (``workflows.record_offline``); the number, the
deadline and the access code come from the same service as a chat request's.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from bot.console.errors import error_text
from bot.console.web import CurrentOfficer, Officer, PostingOfficer, _staff, _today, _uow, render
from bot.deps import RuntimeDep
from bot.runtime import Runtime
from handlers.domain.errors import DomainError
from handlers.domain.fields import CopyDelivery, FilingAs, ObtainMethod, OfflineChannel, RequesterType
from handlers.services import workflows
from handlers.services.actor import Forbidden, Permission

router = APIRouter(prefix="/console", include_in_schema=False)
FIELDS = ("requester_type", "filing_as", "name", "nik", "legal_entity_number", "address", "phone", "email",
          "information", "purpose", "obtain_method", "copy_delivery")  # fmt: skip
OPTIONS = {
    "requester_type": list(RequesterType),
    "filing_as": list(FilingAs),
    "obtain_method": list(ObtainMethod),
    "copy_delivery": [d for d in CopyDelivery if d is not CopyDelivery.CHAT],  # no chat to send it on
}


def _page(
    request: Request, runtime: Runtime, officer: Officer, *, status: int = 200, **values: object
) -> Response:
    actor = _staff(officer)
    actor.require(Permission.ACT_ON_REQUEST, next(iter(sorted(actor.opds)), None))
    return render(
        request, officer.session, "offline.html", actor=actor, status=status, channels=list(OfflineChannel),
        options=OPTIONS, opds=sorted(actor.opds), today=_today(runtime).isoformat(), **values,
    )  # fmt: skip


@router.get("/requests/new")
async def offline_form(request: Request, runtime: RuntimeDep, officer: CurrentOfficer) -> Response:
    return _page(request, runtime, officer, form={})


@router.post("/requests/new")
async def record_offline(
    request: Request, runtime: RuntimeDep, officer: PostingOfficer,
    channel: Annotated[str, Form()] = "", received_on: Annotated[str, Form(max_length=10)] = "",
    opd: Annotated[str, Form(max_length=32)] = "",
    requester_type: Annotated[str, Form(max_length=40)] = "", filing_as: Annotated[str, Form(max_length=40)] = "",
    name: Annotated[str, Form(max_length=200)] = "", nik: Annotated[str, Form(max_length=200)] = "",
    legal_entity_number: Annotated[str, Form(max_length=200)] = "",
    address: Annotated[str, Form(max_length=1000)] = "", phone: Annotated[str, Form(max_length=100)] = "",
    email: Annotated[str, Form(max_length=320)] = "", information: Annotated[str, Form(max_length=4000)] = "",
    purpose: Annotated[str, Form(max_length=4000)] = "", obtain_method: Annotated[str, Form(max_length=40)] = "",
    copy_delivery: Annotated[str, Form(max_length=40)] = "",
) -> Response:  # fmt: skip
    actor = _staff(officer)
    form = {"requester_type": requester_type, "filing_as": filing_as, "name": name, "nik": nik,
            "legal_entity_number": legal_entity_number, "address": address, "phone": phone, "email": email,
            "information": information, "purpose": purpose, "obtain_method": obtain_method,
            "copy_delivery": copy_delivery}  # fmt: skip
    now, hours = runtime.clock(), runtime.service_hours
    try:
        try:
            how = OfflineChannel(channel)
            day = date.fromisoformat(received_on) if received_on else _today(runtime)
        except ValueError:
            raise DomainError("err_offline_channel_or_date") from None
        if day > _today(runtime):
            raise DomainError("err_received_future")
        received_at = now if day >= _today(runtime) else datetime.combine(day, hours.start, tzinfo=hours.tz)
        filed = await workflows.record_offline(
            _uow(runtime), actor, form, channel=how, opd=opd, received_at=received_at, now=now, hours=hours
        )
    except Forbidden:
        raise
    except DomainError as problem:
        error = error_text(problem, officer.session.lang)
        keep = {**form, "channel": channel, "received_on": received_on, "opd": opd}
        return _page(request, runtime, officer, status=400, form=keep, error=error)
    return _page(request, runtime, officer, form={}, filed=filed)
