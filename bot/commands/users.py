"""``tanya user add|list|passwd|disable``: console accounts, run by the operator on the server.

Roles: ``admin`` (PPID Utama), ``officer`` (PPID Pelaksana of one or more OPD: ``--opd ABBR``),
``atasan`` (Atasan PPID: objections), ``coordinator`` (RT/RW). Without ``--password-stdin`` a
one-time password is generated, printed once, and must be changed at the first login.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.accounts import CONSOLE_ROLES, Accounts, generate_password
from bot.commands.requests import Officer, actor_of, actor_option, bind


def register(sub: argparse._SubParsersAction[Any]) -> None:
    by = actor_option()
    user = sub.add_parser("user", help="console accounts: add, list, passwd, disable")
    actions = user.add_subparsers(dest="user_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="a new account", parents=[by])
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in CONSOLE_ROLES])
    add.add_argument("--opd", nargs="+", default=[], metavar="ABBR", help="the OPD an officer serves")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    bind(add, _add)
    listing = actions.add_parser("list", help="every account with its role and OPD", parents=[by])
    bind(listing, _list)
    passwd = actions.add_parser("passwd", help="set a new password", parents=[by])
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    bind(passwd, _passwd)
    disable = actions.add_parser("disable", help="no more logins; the audit trail stays", parents=[by])
    disable.add_argument("username")
    bind(disable, _disable)


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """The password and whether it is a one-time one (generated, to be changed at first login)."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    return generate_password(), True


async def _add(args: argparse.Namespace, officer: Officer) -> int:
    password, one_time = _password(args)
    name = await Accounts(officer.db).add(
        actor_of(args), args.username, args.role, args.opd, password, officer.now, must_change=one_time
    )
    officer.say(f"account {name} added ({args.role}{' ' + ' '.join(args.opd) if args.opd else ''})")
    if one_time:
        officer.say(f"one-time password (shown once; to be changed at the first login): {password}")
    return 0


async def _list(args: argparse.Namespace, officer: Officer) -> int:
    rows = await Accounts(officer.db).accounts(actor_of(args))
    for row in rows:
        state = "disabled" if row.disabled else ("must change password" if row.must_change else "active")
        officer.say(f"{row.username:<20} {row.role:<12} {' '.join(sorted(row.opds)) or '-':<20} {state}")
    officer.say(f"{len(rows)} account(s)")
    return 0


async def _passwd(args: argparse.Namespace, officer: Officer) -> int:
    password, one_time = _password(args)
    await Accounts(officer.db).set_password(
        actor_of(args), args.username, password, officer.now, must_change=one_time
    )
    officer.say(f"password of {args.username} changed")
    if one_time:
        officer.say(f"one-time password (shown once; to be changed at the first login): {password}")
    return 0


async def _disable(args: argparse.Namespace, officer: Officer) -> int:
    await Accounts(officer.db).disable(actor_of(args), args.username, officer.now)
    officer.say(f"account {args.username} disabled")
    return 0
