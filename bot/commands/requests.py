"""Officer commands for requests, objections, requesters' data and holidays: a thin shell over
``handlers.services.workflows``, acting as ``--as USERNAME`` (default: the login name).

``tanya request list [--overdue]``, ``tanya request show NUMBER [--reveal]``,
``tanya request decide NUMBER --outcome ... [--pasal 17h --reason ...] [--holder ...] [--note ...]``,
``tanya request extend NUMBER --reason ... [--days 7]``, ``tanya request route NUMBER --opd ABBR``,
``tanya request record --channel paper|visit|phone|email --name ... --information ... --purpose ...``,
``tanya objection list [--pending]``,
``tanya objection decide NUMBER --result upheld|dismissed --answer ...``,
``tanya requester erase [--dry-run]``, ``tanya holidays list|add|remove``.

Every change to a request or objection notifies the requester through the outbox, on the chat it
was filed from; the running server's relay sends it. Lists show NIK and phone masked; full
personal data only with ``--reveal``, and every such read is logged (UU 27/2022 Pasal 46).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

from bot.broadcast_store import actor_for
from bot.console import upload_jobs
from bot.holidays import ensure_holidays
from bot.notice_pdf import notice_document
from bot.officer_args import explain, number_arg, resolve_number
from bot.officer_store import OfficerUnitOfWork
from bot.request_store import RequestStore
from bot.secrets import open_sealed_database
from bot.settings import Settings, get_settings
from handlers.domain.deadlines import ServiceHours, office_date
from handlers.domain.errors import DomainError
from handlers.domain.fields import OfflineChannel
from handlers.domain.lifecycle import Decision, Outcome, Pasal17
from handlers.domain.regno import NumberKind
from handlers.request_texts import format_date, mask_email, mask_nik, mask_phone
from handlers.services import workflows
from handlers.services.actor import Actor, Forbidden
from handlers.types import Lang
from storage.attachments import AttachmentStore
from storage.crypto import Crypto
from storage.db import Database
from storage.request_repository import HolidayRepository

Handler = Callable[[argparse.Namespace, "Officer"], Awaitable[int]]
ABANDONED_FILES = timedelta(days=30)  # a file sent in a form that was never confirmed


@dataclass
class Officer:
    """What a command needs: the database, the key, the office hours, the time and an output."""

    db: Database
    crypto: Crypto
    settings: Settings
    now: datetime
    out: TextIO

    @property
    def hours(self) -> ServiceHours:
        s = self.settings
        return ServiceHours.from_settings(s.service_start, s.service_end, s.office_timezone)

    @property
    def today(self) -> date:
        return office_date(self.now, self.hours)

    @property
    def uow(self) -> OfficerUnitOfWork:
        return OfficerUnitOfWork(self.db, self.crypto)

    def say(self, line: str = "") -> None:
        self.out.write(line + "\n")


def actor_option() -> argparse.ArgumentParser:
    """The ``--as USERNAME`` option of every officer command (a parent parser)."""
    by = argparse.ArgumentParser(add_help=False)
    by.add_argument(
        "--as", "--by", dest="actor_name", default="", metavar="USERNAME",
        help="who acts, for the audit trail (default: the login name)",
    )  # fmt: skip
    return by


def register(sub: argparse._SubParsersAction[Any]) -> None:
    by = actor_option()

    request = sub.add_parser(
        "request", help="information requests: list, show, route, decide, extend, record (offline)"
    )
    actions = request.add_subparsers(dest="request_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="requests, oldest first (NIK and phone masked)", parents=[by])
    listing.add_argument("--overdue", action="store_true", help="only open requests past their due date")
    bind(listing, _list)
    show = actions.add_parser("show", help="one request with its history", parents=[by])
    show.add_argument("number", type=number_arg(NumberKind.REQUEST), help="PPID-2026-000001, or just 1")
    show.add_argument("--reveal", action="store_true", help="show personal data in full (logged)")
    bind(show, _show)
    route = actions.add_parser("route", help="send it to an OPD's PPID Pelaksana", parents=[by])
    route.add_argument("number", type=number_arg(NumberKind.REQUEST), help="PPID-2026-000001, or just 1")
    route.add_argument("--opd", required=True, help="the OPD's abbreviation, e.g. DINKES")
    bind(route, _route)
    decide = actions.add_parser("decide", help="the written notice (UU 14/2008 Pasal 22(7))", parents=[by])
    decide.add_argument("number", type=number_arg(NumberKind.REQUEST), help="PPID-2026-000001, or just 1")
    decide.add_argument("--outcome", required=True, choices=[o.value for o in Outcome])
    decide.add_argument("--pasal", type=_pasal, help="Pasal 17 letter of a refusal, e.g. 17h")
    decide.add_argument("--reason", default="", help="consequence-test reason / what is withheld and why")
    decide.add_argument("--holder", default="", help="the body that holds the information (not_held)")
    decide.add_argument("--note", default="", help="note to the requester: format, channel, costs")
    bind(decide, _decide)
    record = actions.add_parser(
        "record",
        help="put a paper, visit, phone or e-mail request in the register (Pasal 22(3))",
        parents=[by],
    )
    record.add_argument(
        "--channel", required=True, choices=[c.value.removeprefix("offline_") for c in OfflineChannel]
    )
    record.add_argument(
        "--received", type=date.fromisoformat, help="date received (default: now), YYYY-MM-DD"
    )
    record.add_argument("--opd", default="", help="route it at once to this OPD, e.g. DINKES")
    record.add_argument(
        "--type", dest="requester_type", default="perorangan", help="perorangan|badan_hukum|kelompok"
    )
    record.add_argument("--filing-as", default="sendiri", help="sendiri|kuasa")
    record.add_argument("--name", required=True)
    for option in ("nik", "legal-entity-number", "address", "phone", "email"):
        record.add_argument(f"--{option}", default="")
    record.add_argument("--information", required=True, help="the information requested")
    record.add_argument("--purpose", required=True, help="what it is for")
    record.add_argument("--obtain", dest="obtain_method", default="salinan_softcopy",
                        help="melihat|salinan_softcopy|salinan_hardcopy")  # fmt: skip
    record.add_argument("--delivery", dest="copy_delivery", default="", help="ambil_langsung|pos|kurir|email")
    bind(record, _record)
    extend = actions.add_parser("extend", help="the one extension (UU 14/2008 Pasal 22(8))", parents=[by])
    extend.add_argument("number", type=number_arg(NumberKind.REQUEST), help="PPID-2026-000001, or just 1")
    extend.add_argument("--reason", required=True, help="written reasons, sent to the requester")
    extend.add_argument("--days", type=int, default=7, help="working days, 1 to 7 (default 7)")
    bind(extend, _extend)

    objection = sub.add_parser("objection", help="objections (keberatan): list, decide")
    obj_actions = objection.add_subparsers(dest="objection_action", metavar="ACTION", required=True)
    obj_list = obj_actions.add_parser("list", help="objections, oldest first", parents=[by])
    obj_list.add_argument("--pending", action="store_true", help="only those not answered yet")
    bind(obj_list, _objection_list)
    obj_decide = obj_actions.add_parser(
        "decide", help="the Atasan PPID's answer (UU 14/2008 Pasal 36(2))", parents=[by]
    )
    obj_decide.add_argument(
        "number", type=number_arg(NumberKind.OBJECTION), help="KBR-2026-000001, or just 1"
    )
    obj_decide.add_argument("--result", required=True, choices=["upheld", "dismissed"])
    obj_decide.add_argument("--answer", required=True, help="the written answer, sent to the requester")
    bind(obj_decide, _objection_decide)

    requester = sub.add_parser("requester", help="requesters' personal data")
    req_actions = requester.add_subparsers(dest="requester_action", metavar="ACTION", required=True)
    erase = req_actions.add_parser(
        "erase", help="erase personal data past the retention period (TANYA_RETENTION_DAYS)", parents=[by]
    )
    erase.add_argument("--dry-run", action="store_true", help="only count who would be erased")
    bind(erase, _erase)

    holidays = sub.add_parser("holidays", help="the working calendar's holidays")
    hol_actions = holidays.add_subparsers(dest="holidays_action", metavar="ACTION", required=True)
    hol_list = hol_actions.add_parser("list", help="holidays of a year (default: this year)")
    hol_list.add_argument("--year", type=int)
    bind(hol_list, _holidays_list)
    hol_add = hol_actions.add_parser("add", help="add a holiday (regional holiday, late decree)")
    hol_add.add_argument("day", type=date.fromisoformat, metavar="DATE")
    hol_add.add_argument("name", nargs="+")
    bind(hol_add, _holidays_add)
    hol_remove = hol_actions.add_parser("remove", help="make a date a working day again")
    hol_remove.add_argument("day", type=date.fromisoformat, metavar="DATE")
    bind(hol_remove, _holidays_remove)


def _pasal(raw: str) -> Pasal17:
    try:
        return Pasal17.parse(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a letter of Pasal 17 (a-j): {raw!r}") from None


def bind(parser: argparse.ArgumentParser, handler: Handler) -> None:
    parser.set_defaults(func=lambda args: asyncio.run(_main(args, handler)), handler=handler)


async def _main(args: argparse.Namespace, handler: Handler) -> int:
    settings = get_settings()
    db, _key, crypto = await open_sealed_database(settings)
    try:
        officer = Officer(db=db, crypto=crypto, settings=settings, now=datetime.now(UTC), out=sys.stdout)
        return await run(args, officer)
    finally:
        await db.dispose()


async def run(args: argparse.Namespace, officer: Officer) -> int:
    """Run a parsed command; expected errors become a message and exit status 1."""
    await ensure_holidays(officer.db, (officer.today.year, officer.today.year + 1))
    if isinstance(getattr(args, "number", None), str):  # "1" -> this year's PPID-2026-000001
        async with officer.db.session() as session:
            args.number = await resolve_number(
                args.number, RequestStore(session, officer.crypto), officer.today
            )
    try:
        return int(await args.handler(args, officer))
    except Forbidden as error:
        print(f"error: not allowed ({error})", file=sys.stderr)
        return 1
    except (DomainError, LookupError) as error:
        print(f"error: {explain(error, getattr(args, 'number', ''))}", file=sys.stderr)
        return 1


def actor_of(args: argparse.Namespace) -> Actor:
    """The command line acts as the operator: ``--as USERNAME``, else the login name."""
    return Actor.system(getattr(args, "actor_name", "") or getpass.getuser())


async def console_actor(args: argparse.Namespace, officer: Officer) -> Actor:
    """The console account named by ``--as`` (its rights: a coordinator on their own area, an
    OPD's officer on its entries); the operator without it. An unknown or disabled name is refused
    rather than acting as the operator under that name."""
    if not args.actor_name:
        return actor_of(args)
    async with officer.db.session() as session:
        account = await actor_for(session, args.actor_name)
    if account is None:
        raise LookupError(f"no active console account {args.actor_name!r}")
    return account


def _told(officer: Officer, notified: bool) -> None:
    officer.say("requester notified" if notified else "no chat to notify: tell the requester in writing")


# --- requests ---


def _row(line: workflows.RequestLine) -> str:
    record, who, standing = line.record, line.requester, line.standing
    state = "OVERDUE" if standing.overdue else (f"{standing.days_left}d left" if standing.open else "-")
    nik = (mask_nik(who.nik) if who else "") or "-"
    phone = (mask_phone(who.phone) if who else "") or "-"
    outcome = record.outcome.value if record.outcome else ""
    return (
        f"{record.number}  {record.received_on}  due {record.due_on}  {record.status.value:<18} "
        f"{state:<9} {outcome:<14} {record.requester_type:<11} NIK {nik}  tel {phone}"
    )


async def _list(args: argparse.Namespace, officer: Officer) -> int:
    rows = await workflows.list_requests(
        officer.uow, actor_of(args), today=officer.today, overdue_only=args.overdue
    )
    for line in rows:
        officer.say(_row(line))
    officer.say(f"{len(rows)} request(s)")
    return 0


async def _show(args: argparse.Namespace, officer: Officer) -> int:
    actor = actor_of(args)
    view = await workflows.show_request(officer.uow, actor, args.number, today=officer.today)
    record = view.line.record
    if args.reveal:  # written to the access and audit logs, and committed, before anything is shown
        who = await workflows.reveal_requester(officer.uow, actor, args.number, now=officer.now)
    elif view.line.requester is None:
        raise LookupError(f"no requester for {args.number}")
    else:
        who = view.line.requester
    officer.say(_row(workflows.RequestLine(record, who, view.line.standing)))
    officer.say(f"requester: {who.requester_type}, {who.filing_as}{' (erased)' if who.erased else ''}")
    if args.reveal:
        officer.say(f"  name: {who.name}\n  NIK: {who.nik}\n  legal entity: {who.legal_entity_number}")
        officer.say(f"  address: {who.address}\n  phone: {who.phone}\n  e-mail: {who.email}")
    else:
        officer.say(f"  name: {who.name}\n  NIK: {mask_nik(who.nik)}\n  phone: {mask_phone(who.phone)}")
        officer.say(f"  e-mail: {mask_email(who.email)}   (--reveal for everything; the read is logged)")
    officer.say(f"information: {record.information}\npurpose: {record.purpose}")
    officer.say(
        f"obtain: {record.obtain_method}  copy: {record.copy_delivery or '-'}  channel: {record.channel}"
    )
    officer.say(
        f"received {record.received_at.isoformat()} (day zero {record.received_on}), due {record.due_on}"
    )
    if record.opd:
        officer.say(f"routed to: {record.opd}")
    if record.extension_reason:
        officer.say(f"extended (original due {record.original_due_on}): {record.extension_reason}")
    if record.outcome:
        pasal = f" {record.pasal17.label}" if record.pasal17 else ""
        officer.say(
            f"outcome: {record.outcome.value}{pasal} {record.decision_reason} {record.holder}".rstrip()
        )
    for event in view.history:
        officer.say(f"  {event.at.isoformat()} {event.action.value}: {event.from_status.value} -> "
                    f"{event.to_status.value} by {event.actor} {event.note}".rstrip())  # fmt: skip
    for objection in view.objections:
        officer.say(f"  objection {objection.number} ground {objection.ground.value}, due {objection.due_on}, "
                    f"{objection.result or 'pending'}")  # fmt: skip
    return 0


async def _route(args: argparse.Namespace, officer: Officer) -> int:
    record = await workflows.route(officer.uow, actor_of(args), args.number, args.opd, now=officer.now)
    officer.say(f"{record.number}: routed to {record.opd}")
    return 0


async def _decide(args: argparse.Namespace, officer: Officer) -> int:
    decision = Decision(Outcome(args.outcome), args.pasal, args.reason, args.holder)
    done = await workflows.decide(
        officer.uow,
        actor_of(args),
        args.number,
        decision,
        note=args.note,
        now=officer.now,
        hours=officer.hours,
        notice=lambda record, cal: notice_document(record, cal, body_name=officer.settings.body_name),
    )
    officer.say(f"{done.value.number}: {done.value.status.value}, {args.outcome}")
    _told(officer, done.notified)
    return 0


async def _record(args: argparse.Namespace, officer: Officer) -> int:
    hours = officer.hours
    received_at = officer.now
    if args.received is not None and args.received < officer.today:
        received_at = datetime.combine(args.received, hours.start, tzinfo=hours.tz)
    elif args.received is not None and args.received > officer.today:
        raise DomainError("received in the future")
    fields = {name: str(getattr(args, name)) for name in (
        "requester_type", "filing_as", "name", "nik", "legal_entity_number", "address", "phone", "email",
        "information", "purpose", "obtain_method", "copy_delivery")}  # fmt: skip
    filed = await workflows.record_offline(
        officer.uow, actor_of(args), fields, channel=OfflineChannel(f"offline_{args.channel}"), opd=args.opd,
        received_at=received_at, now=officer.now, hours=hours,
    )  # fmt: skip
    record = filed.record
    officer.say(f"{record.number}: received {record.received_on}, due {record.due_on}"
                + (f", routed to {record.opd}" if record.opd else ""))  # fmt: skip
    officer.say(f"access code for the requester (shown once): {filed.access_code}")
    return 0


async def _extend(args: argparse.Namespace, officer: Officer) -> int:
    done = await workflows.extend(
        officer.uow, actor_of(args), args.number, days=args.days, reason=args.reason, now=officer.now
    )
    record = done.value
    officer.say(f"{record.number}: extended, due {record.due_on} ({format_date(record.due_on, Lang.ID)})")
    _told(officer, done.notified)
    return 0


# --- objections ---


async def _objection_list(args: argparse.Namespace, officer: Officer) -> int:
    rows = await workflows.list_objections(officer.uow, actor_of(args), pending_only=args.pending)
    for o in rows:
        late = " OVERDUE" if not o.result and officer.today > o.due_on else ""
        officer.say(f"{o.number}  request {o.request_number}  ground {o.ground.value}  received {o.received_on}  "
                    f"due {o.due_on}  {o.result or 'pending'}{late}")  # fmt: skip
    officer.say(f"{len(rows)} objection(s)")
    return 0


async def _objection_decide(args: argparse.Namespace, officer: Officer) -> int:
    done = await workflows.decide_objection(
        officer.uow, actor_of(args), args.number, upheld=args.result == "upheld", answer=args.answer,
        now=officer.now, hours=officer.hours,
    )  # fmt: skip
    officer.say(f"{done.value.number}: {done.value.result}")
    _told(officer, done.notified)
    return 0


# --- requesters ---


async def _erase(args: argparse.Namespace, officer: Officer) -> int:
    """Erase the personal data of requesters past the retention period (UU 27/2022 Pasal 43-44)."""
    days = officer.settings.retention_days
    count = await workflows.erase_expired(
        officer.uow, actor_of(args), now=officer.now, retention_days=days, dry_run=args.dry_run
    )
    verb = "would erase" if args.dry_run else "erased"
    officer.say(f"{verb} the personal data of {count} requester(s) (retention {days} days)")
    if not args.dry_run and not await officer.db.checkpoint():  # the WAL's copies of the erased rows go too
        officer.say(
            "note: the server was reading; the database log keeps old pages until its next checkpoint"
        )
    if not args.dry_run:
        purged = await AttachmentStore(officer.db, officer.crypto).purge_unlinked(
            officer.now - ABANDONED_FILES
        )
        officer.say(f"deleted {purged} attachment(s) of forms never sent")
        uploads = await upload_jobs.sweep(officer.db, officer.crypto, officer.now)
        officer.say(f"deleted {uploads} expired console upload(s) with their files")
    return 0


# --- holidays ---


async def _holidays_list(args: argparse.Namespace, officer: Officer) -> int:
    year = args.year or officer.today.year
    await ensure_holidays(officer.db, (year,))
    async with officer.db.session() as session:
        rows = await HolidayRepository(session).list_holidays(year)
    for h in rows:
        mark = "" if h.active else "  (removed: a working day)"
        officer.say(f"{h.day}  {format_date(h.day, Lang.ID):<28} {h.name}  [{h.source}]{mark}")
    return 0


async def _holidays_add(args: argparse.Namespace, officer: Officer) -> int:
    async with officer.db.write() as session:
        await HolidayRepository(session).add_holiday(args.day, " ".join(args.name))
    officer.say(f"{args.day} is now a holiday")
    return 0


async def _holidays_remove(args: argparse.Namespace, officer: Officer) -> int:
    async with officer.db.write() as session:
        removed = await HolidayRepository(session).remove_holiday(args.day)
    officer.say(f"{args.day} is now a working day" if removed else f"{args.day} was not a holiday")
    return 0 if removed else 1
