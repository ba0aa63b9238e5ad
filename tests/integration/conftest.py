"""Fixtures shared by the integration tests of the console."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.app import create_app
from bot.knowledge_loader import load_knowledge
from storage.db import Database
from tests.conftest import make_runtime
from tests.dialogs.requests_chat import MONDAY_10, Chat, Clock
from tests.fakes import RecordingSender
from tests.integration.test_console import Desk, add_staff


@pytest.fixture
async def console(database: Database) -> AsyncIterator[Desk]:
    """The app over the sample register and FAQ, with an admin (utama), officers of Dinkes (rina) and
    Disdik (budi), the Atasan (sekda) and a coordinator (pakrt); no requests yet."""
    knowledge = await load_knowledge(database, sample=True)
    sender, clock = RecordingSender(), Clock(MONDAY_10)
    runtime = make_runtime(database, sender, clock=clock, knowledge=knowledge)
    app = create_app(runtime.settings, runtime)
    async with app.router.lifespan_context(app):
        await add_staff(runtime)
        yield Desk(httpx.ASGITransport(app=app), runtime, Chat(runtime, sender, clock), "", "")
