"""``tanya register publish|retire`` and ``tanya faq set|retire|show``: the console's register and FAQ
edits from a shell, through the same services (:mod:`bot.knowledge_edits`: permission, change and
audit row in one transaction).

``--as USERNAME`` names the console account that acts, with that account's rights (an officer only
on their own OPD's entries; the FAQ only for the PPID Utama); without it the operator acts. A
running ``tanya serve`` sees the change at its next poll of the register and sends a serta merta
notice at its next look at the broadcast queue.

    tanya register publish DIP-2024-0141 --to kecamatan-sukamaju   # UU 14/2008 Pasal 10
    tanya faq set FAQ-063 --question "..." --answer "..." [--link URL] [--examples "q1; q2"]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot import knowledge_edits as edits
from bot.broadcast_store import rules_from
from bot.commands.requests import Officer, actor_option, bind, console_actor
from handlers.services import broadcasts
from handlers.services.actor import Actor
from knowledge.faq import parse_faq_row
from storage.crypto import Crypto
from storage.db import Database
from storage.knowledge_repository import faq_values


class _Later:
    """The command line wakes no broadcaster: the server's finds the notice at its next look."""

    def wake(self) -> None:
        return None


LATER = _Later()


@dataclass(frozen=True, slots=True)
class CommandEditing:
    """:class:`bot.knowledge_edits.Editing` for one command: no live index, no broadcaster."""

    db: Database
    crypto: Crypto
    clock: Callable[[], datetime]
    broadcast_rules: broadcasts.BroadcastRules
    knowledge: object = None
    broadcaster: edits.Wakeable = LATER


def register(sub: argparse._SubParsersAction[Any]) -> None:
    by = actor_option()
    command = sub.add_parser("register", help="the register (DIP): publish a serta merta entry, retire one")
    actions = command.add_subparsers(dest="register_action", metavar="ACTION", required=True)
    publish = actions.add_parser(
        "publish", help="publish a serta merta entry (UU 14/2008 Pasal 10), once", parents=[by]
    )
    publish.add_argument("id", help="the entry, e.g. DIP-2024-0141")
    publish.add_argument(
        "--to", default="", metavar="AREA",
        help="also send it at once to every subscriber of a kota, kecamatan or kelurahan (an area key)",
    )  # fmt: skip
    bind(publish, _publish)
    retire = actions.add_parser("retire", help="take an entry out of the search (it is kept)", parents=[by])
    retire.add_argument("id")
    bind(retire, _retire)

    faq = sub.add_parser("faq", help="the FAQ: add or change an entry, retire one, show one")
    faq_actions = faq.add_subparsers(dest="faq_action", metavar="ACTION", required=True)
    put = faq_actions.add_parser("set", help="add an FAQ entry or change one (PPID Utama)", parents=[by])
    put.add_argument("id", help="e.g. FAQ-063")
    put.add_argument("--question", required=True)
    put.add_argument("--answer", required=True)
    put.add_argument("--link", default="", help="an http(s) address")
    put.add_argument(
        "--examples", default=None, help='example questions, separated by ";" (default: keep those it has)'
    )
    bind(put, _faq_set)
    show = faq_actions.add_parser("show", help="one FAQ entry", parents=[by])
    show.add_argument("id")
    bind(show, _faq_show)
    faq_retire = faq_actions.add_parser("retire", help="take an FAQ entry out of the search", parents=[by])
    faq_retire.add_argument("id")
    bind(faq_retire, _faq_retire)


def editing(officer: Officer) -> CommandEditing:
    return CommandEditing(
        db=officer.db,
        crypto=officer.crypto,
        clock=lambda: officer.now,
        broadcast_rules=rules_from(officer.settings),
    )


async def _publish(args: argparse.Namespace, officer: Officer) -> int:
    actor = await console_actor(args, officer)
    done = await edits.publish_register_entry(editing(officer), actor, args.id, to=args.to)
    officer.say(
        f"{args.id} published {done.publication.at.isoformat(timespec='seconds')} by {done.publication.by}"
    )
    if done.broadcast_id is not None:
        officer.say(f"broadcast {done.broadcast_id} queued (tanya broadcast status {done.broadcast_id})")
    return 0


Retire = Callable[[edits.Editing, Actor, str], Awaitable[bool]]


async def _retired(args: argparse.Namespace, officer: Officer, retire: Retire, what: str) -> int:
    """Retire one entry through ``retire`` (the register's or the FAQ's service)."""
    if not await retire(editing(officer), await console_actor(args, officer), args.id):
        print(f"error: no active {what} {args.id}", file=sys.stderr)
        return 1
    officer.say(f"{args.id} retired")
    return 0


async def _retire(args: argparse.Namespace, officer: Officer) -> int:
    return await _retired(args, officer, edits.retire_register_entry, "register entry")


async def _faq_set(args: argparse.Namespace, officer: Officer) -> int:
    actor = await console_actor(args, officer)
    values = {"id": args.id.strip(), "pertanyaan": args.question, "jawaban": args.answer, "tautan": args.link}
    examples = args.examples
    if examples is None:  # changing the answer keeps the entry's example questions
        current = await edits.faq_entry(editing(officer), actor, values["id"])
        examples = "\n".join(current.contoh) if current is not None else ""
    values["contoh_pertanyaan"] = examples
    parsed = parse_faq_row(1, {k: v.strip() for k, v in values.items()})
    if isinstance(parsed, list):
        for problem in parsed:
            print(f"error: {problem.column}: {problem.message}", file=sys.stderr)
        return 1
    added = await edits.save_faq_entry(editing(officer), actor, parsed)
    officer.say(f"{parsed.id} {'added' if added else 'changed'}")
    return 0


async def _faq_show(args: argparse.Namespace, officer: Officer) -> int:
    entry = await edits.faq_entry(editing(officer), await console_actor(args, officer), args.id)
    if entry is None:
        print(f"error: no FAQ entry {args.id}", file=sys.stderr)
        return 1
    for name, value in faq_values(entry).items():
        officer.say(f"{name}: {value}")
    return 0


async def _faq_retire(args: argparse.Namespace, officer: Officer) -> int:
    return await _retired(args, officer, edits.retire_faq_entry, "FAQ entry")
