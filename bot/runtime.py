"""Everything one process runs: database, knowledge, pipeline, relay and the channels' senders."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.accounts import Accounts
from bot.area_store import AreaStore
from bot.areas import load_sample_areas
from bot.broadcast_store import Broadcaster, rules_from
from bot.channels.media import AttachmentSink
from bot.channels.send_worker import RemoteSender, SendWorker
from bot.channels.telegram import TelegramChannel
from bot.channels.web import WebHub, WebSender
from bot.channels.whatsapp import WhatsAppChannel
from bot.coordinator_store import CoordinatorStore
from bot.gap_store import GapStore, GroupKeys
from bot.holidays import ensure_holidays
from bot.knowledge_loader import LiveKnowledge, load_knowledge
from bot.messages import InboundMessage
from bot.pipeline import Pipeline
from bot.relay import Relay, Sender
from bot.request_store import RequestStore
from bot.sample_requests import load_sample_requests
from bot.secrets import open_sealed_database, verify_key
from bot.settings import Settings
from handlers.context import HandlerContext
from handlers.domain.deadlines import ServiceHours, office_date
from handlers.ports import KnowledgePort
from handlers.router import Router
from handlers.routing import build_router
from handlers.types import ConversationInfo, Effect
from storage.attachments import AttachmentStore
from storage.crypto import Crypto, install_key
from storage.db import Database
from storage.repositories import DeliveryReport

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    knowledge: KnowledgePort
    secret_key: str
    clock: Callable[[], datetime] = utc_now
    hub: WebHub = field(default_factory=WebHub)
    senders: Sequence[Sender] | None = None  # default: the web chat's, Telegram's, WhatsApp's
    attachments: AttachmentSink | None = None  # default: the encrypted store in the database
    workers: int = 2
    router: Router = field(default_factory=build_router)  # the conversation router, built once
    pipeline: Pipeline = field(init=False)
    relay: Relay = field(init=False)
    telegram: TelegramChannel | None = field(init=False, default=None)
    whatsapp: WhatsAppChannel | None = field(init=False, default=None)
    send_worker: SendWorker | None = field(init=False, default=None)  # the channels' sends, in a child
    crypto: Crypto = field(init=False)
    service_hours: ServiceHours = field(init=False)
    gap_keys: GroupKeys = field(init=False, default_factory=GroupKeys)  # "could not find" groups, cached

    def __post_init__(self) -> None:
        self.crypto = install_key(self.secret_key)  # also seals inbox, outbox and conversation state
        s = self.settings
        self.service_hours = ServiceHours.from_settings(s.service_start, s.service_end, s.office_timezone)
        senders = list(self.senders) if self.senders is not None else self._channel_senders()
        files = AttachmentStore(self.db, self.crypto).get  # officers' documents, for Telegram and WhatsApp
        self.relay = Relay(self.db, senders, self.clock, backlog=s.chat_backlog, files=files)
        self.broadcaster = Broadcaster(self.db, self.clock)  # RT/RW announcements into the outbox
        self.broadcast_rules = rules_from(s)
        self.broadcaster.on_rows = self.relay.wake
        workers = 1 if self.db.is_sqlite else self.workers  # SQLite has one writer: a 2nd worker only waits
        self.pipeline = Pipeline(
            self.db, self.context_for, self.clock, self.router, workers=workers, on_committed=self.relay.wake,
            apply_effects=self.apply_effects,
        )  # fmt: skip

    def _channel_senders(self) -> list[Sender]:
        """The web chat's sender, plus Telegram's and WhatsApp's when their tokens are configured."""
        s = self.settings
        attachments = self.attachments or AttachmentStore(self.db, self.crypto)
        senders: list[Sender] = [WebSender(self.hub)]
        if s.telegram_token:
            self.telegram = TelegramChannel(s, self._submit, self.db, self.clock, attachments)
        if s.whatsapp_token and s.whatsapp_phone_id:
            self.whatsapp = WhatsAppChannel(
                s,
                self._submit,
                self._submit_reports,
                self.clock,
                attachments,
                pseudonym=self.crypto.chat_pseudonym,
            )
        if s.send_process and (self.telegram or self.whatsapp):
            self.send_worker = worker = SendWorker(s)
            if self.telegram:
                senders.append(RemoteSender(worker, self.telegram.sender, self.telegram.with_callback))
            if self.whatsapp:
                senders.append(self.whatsapp.relay_sender(RemoteSender(worker, self.whatsapp.sender)))
            return senders
        senders += [self.telegram.sender] if self.telegram else []
        senders += [self.whatsapp.relay_sender(self.whatsapp.sender)] if self.whatsapp else []
        return senders

    async def _submit(self, messages: Sequence[InboundMessage]) -> list[bool]:
        return await self.pipeline.submit(messages)

    async def _submit_reports(self, reports: Sequence[DeliveryReport]) -> list[DeliveryReport]:
        return await self.pipeline.submit_reports(reports)

    def context_for(self, session: AsyncSession, info: ConversationInfo, now: datetime) -> HandlerContext:
        return HandlerContext(
            conversation=info,
            now=now,
            knowledge=self.knowledge,
            body_name=self.settings.body_name,
            city_name=self.settings.city_name,
            max_message_chars=self.settings.max_message_chars,
            ppid_contact=self.settings.ppid_contact,
            requests=RequestStore(session, self.crypto),
            gaps=GapStore(session, self.service_hours, self.gap_keys),
            areas=AreaStore(session, now=now),
            coordinators=CoordinatorStore(session, self.crypto, now=now, rules=self.broadcast_rules),
            service_hours=self.service_hours,
            retention_days=self.settings.retention_days,
            router=self.router,
        )

    async def apply_effects(
        self, session: AsyncSession, effects: Sequence[Effect], channel: str, at: datetime
    ) -> None:
        await GapStore(session, self.service_hours, self.gap_keys).apply(effects, channel=channel, at=at)

    async def start(self) -> None:
        await verify_key(self.db, self.crypto, self.settings)  # a wrong key stops here: nothing written
        year = office_date(self.clock(), self.service_hours).year
        await ensure_holidays(self.db, (year, year + 1))
        await self.pipeline.start()
        if self.send_worker:
            await self.send_worker.start()
        await self.relay.start()
        self.broadcaster.start()
        if isinstance(self.knowledge, LiveKnowledge):
            self.knowledge.start()
        for channel in (self.telegram, self.whatsapp):
            if channel:
                await channel.start()

    async def stop(self) -> None:
        if isinstance(self.knowledge, LiveKnowledge):
            await self.knowledge.stop()
        await self.broadcaster.stop()
        await self.pipeline.stop()
        await self.relay.stop()
        if self.send_worker:
            await self.send_worker.stop()
        for channel in (self.telegram, self.whatsapp):
            if channel:
                await channel.stop()
        await self.db.dispose()


async def build_runtime(
    settings: Settings, *, senders: Sequence[Sender] | None = None, clock: Callable[[], datetime] = utc_now
) -> Runtime:
    # the schema up to date (Alembic, on every start-up) and the key checked against the data
    # before the register's sealed columns are read or any sample data is written
    db, secret_key, crypto = await open_sealed_database(settings)
    knowledge = await load_knowledge(
        db,
        register_file=settings.register_file,
        faq_file=settings.faq_file,
        sample=settings.sample_data,
        concepts_file=settings.concepts_file,
    )
    if settings.sample_data:
        await load_sample_areas(db)  # the sample's four kelurahan, RW 01-05, RT 001-005
    if settings.sample_data and settings.env != "production":  # production never makes accounts itself
        password = await Accounts(db, secret_key).ensure_demo_admin(clock())
        if password:  # printed once, never logged
            print(f"Officer console: /console/login as 'admin', one-time password: {password}", flush=True)
    if settings.sample_data:  # a year of fictional requests for the annual report, into an empty ledger
        hours = ServiceHours.from_settings(
            settings.service_start, settings.service_end, settings.office_timezone
        )
        await load_sample_requests(db, crypto, hours)
    return Runtime(
        settings=settings,
        db=db,
        knowledge=knowledge,
        secret_key=secret_key,
        clock=clock,
        senders=senders,
    )
