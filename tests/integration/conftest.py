"""Fixtures shared by the integration tests of the console."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.accounts import Accounts
from bot.app import create_app
from bot.knowledge_loader import load_knowledge
from handlers.services.actor import Actor
from storage.db import Database
from tests.conftest import make_runtime
from tests.dialogs.requests_chat import MONDAY_10, Chat, Clock
from tests.fakes import RecordingSender
from tests.integration.test_console import PASSWORD, Desk


@pytest.fixture
async def console(database: Database) -> AsyncIterator[Desk]:
    """The app over the sample register and FAQ, with an admin (utama), officers of Dinkes (rina) and
    Disdik (budi), the Atasan (sekda) and a coordinator (pakrt); no requests yet."""
    knowledge = await load_knowledge(database, sample=True)
    sender, clock = RecordingSender(), Clock(MONDAY_10)
    runtime = make_runtime(database, sender, clock=clock, knowledge=knowledge)
    app = create_app(runtime.settings, runtime)
    async with app.router.lifespan_context(app):
        accounts, ops = Accounts(runtime.db, runtime.secret_key), Actor.system("test")
        for name, role, opds in (
            ("utama", "admin", ()), ("rina", "officer", ("DINKES",)), ("budi", "officer", ("DISDIK",)),
            ("sekda", "atasan", ()), ("pakrt", "coordinator", ()),
        ):  # fmt: skip
            await accounts.add(ops, name, role, opds, PASSWORD, MONDAY_10)
        yield Desk(httpx.ASGITransport(app=app), runtime, Chat(runtime, sender, clock), "", "")
