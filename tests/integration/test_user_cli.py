"""``tanya user add|list|passwd|disable`` on the accounts of the console."""

from __future__ import annotations

import argparse
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.accounts import Accounts, LoginResult
from bot.cli import build_parser
from bot.commands import requests as commands
from bot.settings import Settings
from storage.crypto import crypto_for
from storage.db import Database
from storage.models.accounts import Account, AuditLog
from tests.conftest import SECRET

NOW = datetime(2026, 3, 16, 3, 0, tzinfo=UTC)


async def tanya(
    db: Database, *argv: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    args: argparse.Namespace = build_parser().parse_args(argv)
    out = io.StringIO()
    status = await commands.run(
        args, commands.Officer(db, crypto_for(SECRET), Settings(secret_key=SECRET), NOW, out)
    )
    return status, out.getvalue()


async def test_add_list_passwd_disable(sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    accounts = Accounts(sqlite_db, SECRET)
    status, out = await tanya(sqlite_db, "user", "add", "Rina", "--role", "officer", "--opd", "dinkes", "DISDIK",
                              "--password-stdin", "--as", "ops", stdin="rahasia-sekali-1\n", monkeypatch=monkeypatch)  # fmt: skip
    assert status == 0 and "account rina added" in out and "rahasia" not in out
    assert (await accounts.authenticate("rina", "rahasia-sekali-1", "a", NOW)).result is LoginResult.OK
    status, out = await tanya(sqlite_db, "user", "add", "sekda", "--role", "atasan", monkeypatch=monkeypatch)
    one_time = out.rsplit(": ", 1)[1].strip()
    login = await accounts.authenticate("sekda", one_time, "a", NOW)
    assert status == 0 and login.result is LoginResult.OK and login.must_change
    _, listed = await tanya(sqlite_db, "user", "list", monkeypatch=monkeypatch)
    assert "rina" in listed and "DINKES DISDIK" in listed and "must change password" in listed
    async with sqlite_db.session() as session:
        stored = (await session.scalars(select(Account.password_hash))).all()
    assert all(h.startswith("$argon2id$") for h in stored)

    status, _ = await tanya(sqlite_db, "user", "passwd", "rina", "--password-stdin", stdin="yang-baru-sekali\n",
                            monkeypatch=monkeypatch)  # fmt: skip
    assert status == 0
    assert (await accounts.authenticate("rina", "rahasia-sekali-1", "b", NOW)).result is LoginResult.BAD
    assert (await accounts.authenticate("rina", "yang-baru-sekali", "b", NOW)).result is LoginResult.OK
    status, _ = await tanya(sqlite_db, "user", "disable", "rina", monkeypatch=monkeypatch)
    assert status == 0
    assert (await accounts.authenticate("rina", "yang-baru-sekali", "c", NOW)).result is LoginResult.BAD
    async with sqlite_db.session() as session:
        actions = [(a.actor, a.action, a.target) for a in (await session.scalars(select(AuditLog))).all()]
    assert ("officer:ops", "account_add", "rina") in actions
    assert [a for _, a, t in actions if t == "rina" and a.startswith("account")] == [
        "account_add", "account_password", "account_disable",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "stdin"),
    [
        (("user", "add", "x", "--role", "officer"), ""),  # an officer without an OPD
        (("user", "add", "bad name", "--role", "admin"), ""),
        (("user", "add", "pendek", "--role", "admin", "--password-stdin"), "short\n"),
        (("user", "passwd", "nobody", "--password-stdin"), "long-enough-password\n"),
        (("user", "disable", "nobody"), ""),
    ],
)
async def test_bad_accounts_are_refused(
    sqlite_db: Database, monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...], stdin: str
) -> None:
    status, _ = await tanya(sqlite_db, *argv, stdin=stdin, monkeypatch=monkeypatch)
    assert status == 1


async def test_the_demo_admin_exists_only_on_an_empty_sample(sqlite_db: Database) -> None:
    accounts = Accounts(sqlite_db, SECRET)
    password = await accounts.ensure_demo_admin(NOW)
    assert password and (await accounts.authenticate("admin", password, "a", NOW)).must_change
    assert await accounts.ensure_demo_admin(NOW) is None


@pytest.mark.parametrize("env", ["development", "production"])
async def test_make_run_prints_a_demo_admin_but_production_makes_none(
    tmp_path: Path, env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.runtime import build_runtime
    from storage.accounts import AccountRepository

    settings = Settings(
        secret_key=SECRET, sample_data=True, env=env, database_url=f"sqlite+aiosqlite:///{tmp_path}/t.db"
    )
    runtime = await build_runtime(settings)
    try:
        async with runtime.db.session() as session:
            count = await AccountRepository(session).count()
        printed = capsys.readouterr().out
        if env == "production":
            assert count == 0 and "one-time password" not in printed
        else:
            assert count == 1 and printed.count("one-time password") == 1
    finally:
        await runtime.db.dispose()
