"""``tanya broadcast send|status|list|approve|reject``: RT/RW announcements and serta merta notices.

``send --area AREA (--text TEXT | --entry ID) [--file PATH] [--serta-merta] [--as USERNAME]`` prints
the broadcast id (``--file``: one photo or PDF, checked and sealed like the console's upload); AREA is a key like ``sukamaju-wetan/rw02`` or ``sukamaju-wetan/rw02/rt003``. With
``--as`` naming a console account the command acts with that account's rights (a coordinator only
on their own area); without it, as the operator. The running server fans it out and sends it.
``status ID [--json]`` prints queued, sent, delivered, read (WhatsApp), held and failed with reasons.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
from pathlib import Path
from typing import Any

from bot.broadcast_store import BroadcastStore, rules_from
from bot.commands.requests import Officer, actor_option, bind, console_actor
from handlers.domain.files import file_problem, megabytes
from handlers.services import broadcasts
from handlers.services.ports import Document


def register(sub: argparse._SubParsersAction[Any]) -> None:
    by = actor_option()
    command = sub.add_parser("broadcast", help="RT/RW announcements and serta merta notices")
    actions = command.add_subparsers(dest="broadcast_action", metavar="ACTION", required=True)
    send = actions.add_parser("send", help="queue an announcement; prints its id", parents=[by])
    send.add_argument("--area", required=True, help="e.g. sukamaju-wetan/rw02 or sukamaju-wetan/rw02/rt003")
    what = send.add_mutually_exclusive_group()
    what.add_argument("--text", help="the announcement")
    what.add_argument("--entry", help="a register entry to share, e.g. DIP-2024-0104")
    send.add_argument("--file", type=Path, help="one photo (JPEG, PNG, WebP) or PDF to send with it")
    send.add_argument(
        "--serta-merta", action="store_true", help="information serta merta (UU 14/2008 Pasal 10): goes first"
    )
    bind(send, _send)
    status = actions.add_parser("status", help="delivery figures of one broadcast", parents=[by])
    status.add_argument("id", type=int)
    status.add_argument("--json", action="store_true", help="one JSON object")
    bind(status, _status)
    listing = actions.add_parser("list", help="the latest broadcasts", parents=[by])
    bind(listing, _list)
    for name, what_it_does in (
        ("approve", "send a coordinator's announcement"),
        ("reject", "do not send it"),
    ):
        decide = actions.add_parser(name, help=what_it_does, parents=[by])
        decide.add_argument("id", type=int)
        bind(decide, _approve if name == "approve" else _reject)


def _rules(officer: Officer) -> broadcasts.BroadcastRules:
    return rules_from(officer.settings)


def _file(path: Path | None, rules: broadcasts.BroadcastRules) -> Document | None:
    """The file named by ``--file``; one too large is refused before it is read."""
    if path is None:
        return None
    try:
        size = path.stat().st_size
        if size > rules.max_file_bytes:
            raise broadcasts.BroadcastRefused(file_problem(b"", size, rules.max_file_bytes))
        data = path.read_bytes()
    except OSError as error:
        raise broadcasts.BroadcastRefused(f"cannot read {path}: {error.strerror}") from None
    return Document(data, mimetypes.guess_type(path.name)[0] or "", path.name)


async def _send(args: argparse.Namespace, officer: Officer) -> int:
    actor = await console_actor(args, officer)
    kind = broadcasts.Kind.SERTA_MERTA if args.serta_merta else broadcasts.Kind.ANNOUNCEMENT
    rules = _rules(officer)
    file = _file(args.file, rules)
    async with officer.db.write() as session:
        store = BroadcastStore(session, now=officer.now, crypto=officer.crypto)
        record = await broadcasts.send(
            store, actor, args.area, text=args.text or "", entry_id=args.entry or "", kind=kind,
            now=officer.now, rules=rules, file=file,
        )  # fmt: skip
        approvers = await broadcasts.approvers(store, record)
    officer.say(str(record.id))
    if record.status is broadcasts.Status.AWAITING_APPROVAL:
        if approvers:
            who = ", ".join(sorted(approvers))
            print(
                f"broadcast {record.id} waits for the approval of the kelurahan's officer ({who})",
                file=sys.stderr,
            )
        else:
            print(f"broadcast {record.id} waits for approval, but no officer is assigned to its kelurahan: "
                  "only the PPID Utama can approve it (tanya areas assign OFFICER KELURAHAN)", file=sys.stderr)  # fmt: skip
    return 0


async def _decide(args: argparse.Namespace, officer: Officer, *, approve: bool) -> int:
    actor = await console_actor(args, officer)
    async with officer.db.write() as session:
        record = await broadcasts.decide(
            BroadcastStore(session, now=officer.now), actor, args.id, approve=approve, now=officer.now
        )
    officer.say(f"broadcast {record.id} {record.status.value}")
    return 0


async def _approve(args: argparse.Namespace, officer: Officer) -> int:
    return await _decide(args, officer, approve=True)


async def _reject(args: argparse.Namespace, officer: Officer) -> int:
    return await _decide(args, officer, approve=False)


async def _status(args: argparse.Namespace, officer: Officer) -> int:
    actor = await console_actor(args, officer)
    async with officer.db.session() as session:
        record, figures = await broadcasts.status(BroadcastStore(session), actor, args.id)
    counts = {
        "queued": figures.queued, "sent": figures.sent, "delivered": figures.delivered, "read": figures.read,
        "held": figures.held, "failed": figures.failed,
    }  # fmt: skip
    file = record.attachment
    if args.json:
        attached = {"name": file.file_name, "type": file.mime_type, "size": file.size} if file else None
        officer.say(json.dumps({
            "id": record.id, "kind": record.kind.value, "area": record.area.key, "status": record.status.value,
            "recipients": record.recipients, **counts, "reasons": figures.reasons, "attachment": attached,
        }))  # fmt: skip
        return 0
    officer.say(f"broadcast {record.id} ({record.kind.value}) to {record.area.label}: {record.status.value}")
    if file:
        officer.say(f"attachment {file.file_name} ({file.mime_type}, {megabytes(file.size)})")
    officer.say(f"recipients {record.recipients}  " + "  ".join(f"{k} {v}" for k, v in counts.items()))
    for reason, n in sorted(figures.reasons.items(), key=lambda r: -r[1]):
        officer.say(f"  {n:>6}  {reason}")
    return 0


async def _list(args: argparse.Namespace, officer: Officer) -> int:
    actor = await console_actor(args, officer)
    async with officer.db.session() as session:
        rows = await broadcasts.recent(BroadcastStore(session), actor)
    for r in rows:
        when = r.created_at.strftime("%Y-%m-%d %H:%M")
        officer.say(
            f"{r.id:>6}  {when}  {r.kind.value:<12} {r.status.value:<18} {r.recipients:>7}  {r.area.key}"
        )
    officer.say(f"{len(rows)} broadcast(s)")
    return 0
