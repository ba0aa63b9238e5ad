"""``tanya register publish|retire`` and ``tanya faq set|show|retire``: the console's register and FAQ
edits from a shell, through the same service, with the same rights (an officer only on their own
OPD's entries, the FAQ only for the PPID Utama) and the same audit rows."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Select, select

from bot.cli import main
from bot.settings import get_settings
from storage.db import Database
from storage.models import OutboxMessage
from storage.models.accounts import AuditLog
from storage.models.knowledge import FaqEntryRow, RegisterEntryRow

DINKES_ALERT = "DIP-2024-0141"  # serta merta, Dinkes
DINDIK_ALERT = "DIP-2024-0109"  # serta merta, Dindik
PASSWORD = "a-long-password-123\n"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database with the sample register, FAQ and areas, a Dinkes officer and an admin."""
    url = f"sqlite+aiosqlite:///{tmp_path}/t.db"
    monkeypatch.setenv("TANYA_DATABASE_URL", url)
    monkeypatch.setenv("TANYA_SECRET_KEY", "test-secret-key-0123456789abcdefghijklmnop")
    get_settings.cache_clear()
    assert main(["import-register", "data/sample/register.csv"]) == 0
    assert main(["import-faq", "data/sample/faq.csv"]) == 0
    assert main(["areas", "import", "data/sample/areas.csv"]) == 0
    for name, role in (("rina", ["--role", "officer", "--opd", "Dinkes"]), ("utama", ["--role", "admin"])):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD))
        assert main(["user", "add", name, *role, "--password-stdin"]) == 0
    yield url
    get_settings.cache_clear()


def _rows(url: str, statement: Select[Any]) -> list[tuple[Any, ...]]:
    async def read() -> list[tuple[Any, ...]]:
        db = Database.from_url(url)
        try:
            async with db.session() as session:
                return [tuple(row) for row in (await session.execute(statement)).all()]
        finally:
            await db.dispose()

    return asyncio.run(read())


def test_publishing_from_the_shell_follows_the_consoles_rules(
    cli: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["register", "publish", DINDIK_ALERT, "--as", "rina"]) == 1  # another OPD's entry
    assert "not allowed" in capsys.readouterr().err
    assert main(["register", "publish", "DIP-2024-0122", "--as", "rina"]) == 1  # not serta merta
    assert main(["register", "publish", DINKES_ALERT, "--as", "nobody"]) == 1  # no such account
    assert "no active console account" in capsys.readouterr().err
    assert main(["register", "publish", DINKES_ALERT, "--as", "rina", "--to", "sukamaju-wetan/rw01"]) == 1
    capsys.readouterr()  # a RW is no place for a serta merta notice: nothing is published
    [(published,)] = _rows(
        cli, select(RegisterEntryRow.published_at).where(RegisterEntryRow.id == DINKES_ALERT)
    )
    assert published is None

    assert main(["register", "publish", DINKES_ALERT, "--as", "rina", "--to", "sukamaju-wetan"]) == 0
    out = capsys.readouterr().out
    assert f"{DINKES_ALERT} published" in out and "by officer:rina" in out and "broadcast 1 queued" in out
    assert main(["register", "publish", DINKES_ALERT, "--as", "utama"]) == 1  # once only
    assert re.search(r"published \d{4}-\d\d-\d\d", capsys.readouterr().err.lower())
    [(by,)] = _rows(cli, select(RegisterEntryRow.published_by).where(RegisterEntryRow.id == DINKES_ALERT))
    assert by == "officer:rina"
    actions = [a for (a,) in _rows(cli, select(AuditLog.action).where(AuditLog.target == DINKES_ALERT))]
    assert actions == ["entry_publish"]
    assert _rows(cli, select(OutboxMessage.id)) == []  # the server's broadcaster fans it out, not the shell

    assert main(["register", "retire", DINDIK_ALERT, "--as", "rina"]) == 1
    assert main(["register", "retire", "DIP-2024-0122", "--as", "rina"]) == 0
    assert main(["register", "retire", "DIP-2024-0122", "--as", "rina"]) == 1  # retired already
    [(active,)] = _rows(cli, select(RegisterEntryRow.active).where(RegisterEntryRow.id == "DIP-2024-0122"))
    assert active is False


def test_the_faq_is_the_ppid_utamas_from_the_shell_too(cli: str, capsys: pytest.CaptureFixture[str]) -> None:
    new = ["faq", "set", "FAQ-063", "--question", "Apakah PPID buka hari Sabtu?", "--answer", "Tidak."]
    assert main([*new, "--as", "rina"]) == 1  # an officer reads the FAQ, the PPID Utama edits it
    assert main([*new, "--as", "utama", "--link", "javascript:alert(1)"]) == 1
    assert "http(s)" in capsys.readouterr().err
    assert main([*new, "--as", "utama"]) == 0
    assert "FAQ-063 added" in capsys.readouterr().out
    assert (
        main(
            [
                "faq",
                "set",
                "FAQ-063",
                "--question",
                "Apakah PPID buka Sabtu?",
                "--answer",
                "Tidak, Senin-Jumat.",
            ]
        )
        == 0
    )
    assert "FAQ-063 changed" in capsys.readouterr().out
    assert main(["faq", "show", "FAQ-063"]) == 0
    assert "jawaban: Tidak, Senin-Jumat." in capsys.readouterr().out
    assert main(["search", "buka hari sabtu", "--json"]) == 0
    assert "FAQ-063" in capsys.readouterr().out  # the search reads the stored FAQ
    assert main(["faq", "retire", "FAQ-063", "--as", "rina"]) == 1
    assert main(["faq", "retire", "FAQ-063"]) == 0
    assert main(["faq", "retire", "FAQ-063"]) == 1
    [(active,)] = _rows(cli, select(FaqEntryRow.active).where(FaqEntryRow.id == "FAQ-063"))
    assert active is False
    actions = [a for (a,) in _rows(cli, select(AuditLog.action).where(AuditLog.target == "FAQ-063"))]
    assert actions == ["faq_add", "faq_edit", "faq_retire"]
