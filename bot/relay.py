"""The relay: sends outbox rows through each channel's sender, in order per conversation.

Each serving process runs one relay, registered as an *owner* with a heartbeat
(:mod:`storage.outbox_claims`). It claims conversations, not rows: a bounded prefix of each
conversation's due rows, conversations taking turns, so a chat that waits for its own pacing (or
floods) never holds the rows of another. The rows go to one driver task per conversation, which
sends them one after another within the platform's rate limits while other conversations go on
in parallel. Each result is recorded as soon as it is known (the recorder batches whatever
arrived meanwhile into one transaction), so a row acknowledged by the platform is marked sent at
once and never sent again: sent, retried with exponential backoff (or the platform's
``retry_after``), held (e.g. outside WhatsApp's 24-hour window), or failed with the reason
(visible to officers). A retried row holds back the later rows of its conversation, and a
conversation is claimed only from its first unsent row, so the order is kept, across several
processes too. A conversation marked unreachable (the user blocked the bot) gets nothing more.

A relay that dies leaves its rows claimed; they are taken back at once when the next process
starts on SQLite (one process), and by any relay once the dead one's heartbeat is stale on
PostgreSQL. A chat whose backlog passes ``backlog`` rows (a flood) has the excess replies shed
(status ``shed``) and gets one polite notice instead. The relay never runs inside a
conversation lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.media import FILE_KEY, MEDIA_KEY, encode_file
from bot.messages import OutboundMessage
from handlers.texts import t
from handlers.types import Channel, Lang, Reply
from storage.db import Database
from storage.models import Conversation, InboxMessage
from storage.models.areas import Subscription
from storage.models.pipeline import OutboxKind, OutboxStatus
from storage.outbox_claims import ClaimRepository

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STOP_GRACE = 5.0  # seconds a stopping relay lets its queued sends go on
SEND_GRACE = 30.0  # seconds it then waits for sends already on the wire (and to record results)
UNREACHABLE = "unreachable: the user blocked the bot or left the chat"
OPTED_OUT = "131050"  # WhatsApp: the user stopped business messages; their subscriptions end
HEARTBEAT_EVERY = 1.0  # seconds between two heartbeats of a running relay
OWNER_STALE = timedelta(seconds=5)  # a relay silent this long is dead: its rows are taken back
FORGET_OWNERS = timedelta(days=1)  # owner rows this stale are deleted
KEEP_MEDIA_IDS = 1000  # platform ids of uploaded files remembered (a broadcast's file: one each)
SHED_EVERY = 1.0  # seconds between two looks for flooded chats
# Who gets the channel's next place when sends wait for it: serta merta first, then replies and
# officers' notices, then RT/RW announcements.
SEND_PRIORITY = {OutboxKind.URGENT.value: 0, OutboxKind.BROADCAST.value: 2}
MIN_CLAIM = 50  # a channel this close to its rows in flight (max_in_flight) claims nothing yet
NOTICE_QUIET = timedelta(minutes=30)  # at most one "too many messages" notice per chat in this time


@dataclass(frozen=True, slots=True)
class SendResult:
    ok: bool
    platform_message_id: str = ""
    retry_after: float | None = None  # transient failure: try again after this many seconds
    error: str = ""  # permanent failure when not ok and retry_after is None
    held: bool = False  # cannot be delivered now (e.g. outside the WhatsApp 24-hour window)
    unreachable: bool = False  # the user blocked the bot: mark the conversation, send nothing more
    media_id: str = ""  # the platform's id of the file just uploaded: later messages reuse it


@dataclass(frozen=True, slots=True)
class RateLimits:
    per_second: float = 30.0  # across all chats of this channel, in any one-second window
    per_chat_interval: float = 0.0  # seconds between two messages to one chat, on average
    per_chat_burst: int = 1  # messages one chat may get at once before the interval applies
    group_interval: float = 0.0  # Telegram groups (negative chat ids): seconds between two messages


class Sender(Protocol):
    channel: Channel
    limits: RateLimits

    async def send(self, message: OutboundMessage) -> SendResult: ...


@runtime_checkable
class OneRecipient(Protocol):
    """A sender that reaches a single chat of its channel (``tanya chat --user X`` reaches X's
    terminal): the relay claims only that chat's rows and leaves the others pending."""

    recipient: str


class RateLimiter:
    """A sliding one-second window for the channel, plus a token bucket per chat.

    Limits hold where the platform counts, at arrival, however long a request takes on the way: a
    send holds its place in the window from :meth:`acquire` until :meth:`done`, and then for one
    more second from its completion; so no second can see more than ``per_second`` arrivals. The
    bucket lets a chat get ``per_chat_burst`` messages at once, then one per ``per_chat_interval``
    counted from the previous message's completion.

    Places in the window go by ``priority`` (lower first), then in arrival order: a serta merta
    notice or a citizen's reply claimed while 2,000 broadcast rows wait for the window is sent
    next, not after them (about a minute at 30/s).
    """

    def __init__(self, limits: RateLimits) -> None:
        self._limits = limits
        if limits.per_second >= 1:
            self._count, self._span = int(limits.per_second), 1.0
        else:
            self._count, self._span = 1, 1.0 / max(limits.per_second, 1e-6)
        self._window: deque[float] = deque()  # completion times of the last sends
        self._in_flight = 0
        self._buckets: dict[str, tuple[float, float]] = {}  # chat -> (tokens, updated)
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []  # a heap: (priority, arrival, place)
        self._arrivals = itertools.count()
        self._pump: asyncio.Task[None] | None = None
        self._live = 0  # waiting sends not cancelled

    async def acquire(self, chat_id: str, priority: int = 0) -> None:
        """Wait for a place; every ``acquire`` must be followed by :meth:`done` once the send ends."""
        await self._acquire_chat(chat_id)
        await self._acquire_window(priority)

    def done(self, chat_id: str) -> None:
        now = time.monotonic()
        self._in_flight -= 1
        self._window.append(now)
        if chat_id in self._buckets:
            tokens, _ = self._buckets[chat_id]
            self._buckets[chat_id] = (tokens, now)

    def _pacing(self, chat_id: str) -> tuple[float, int]:
        limits = self._limits
        if limits.group_interval and chat_id.startswith("-"):
            return limits.group_interval, 1
        return limits.per_chat_interval, max(1, limits.per_chat_burst)

    async def _acquire_chat(self, chat_id: str) -> None:
        interval, burst = self._pacing(chat_id)
        if interval <= 0:
            return
        while True:
            now = time.monotonic()
            tokens, updated = self._buckets.get(chat_id, (float(burst), now))
            tokens = min(float(burst), tokens + (now - updated) / interval)
            if tokens >= 1:
                self._buckets[chat_id] = (tokens - 1, now)
                break
            self._buckets[chat_id] = (tokens, now)
            await asyncio.sleep((1 - tokens) * interval)
        if len(self._buckets) > 10_000:
            self._forget_full_buckets()

    def _forget_full_buckets(self) -> None:
        now = time.monotonic()
        kept = {}
        for chat, (tokens, updated) in self._buckets.items():
            interval, burst = self._pacing(chat)
            if tokens + (now - updated) / interval < burst:
                kept[chat] = (tokens, updated)
        self._buckets = kept

    async def _acquire_window(self, priority: int) -> None:
        place: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._arrivals), place))
        self._live += 1
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._hand_out())
        try:
            await place
        except asyncio.CancelledError:
            if place.done() and not place.cancelled():  # given a place just as it was cancelled
                self._in_flight -= 1
            else:
                self._live -= 1
                if not self._live and self._pump is not None:  # nobody waits: no timer left behind
                    self._pump.cancel()
                    self._pump = None
                    self._waiting.clear()
            raise

    async def _hand_out(self) -> None:
        """Give places to the waiting sends, best priority first, as the window allows."""
        waiting = self._waiting
        while waiting:
            if waiting[0][2].done():  # its send was cancelled while waiting
                heapq.heappop(waiting)
                continue
            now = time.monotonic()
            while self._window and now - self._window[0] >= self._span:
                self._window.popleft()
            if len(self._window) + self._in_flight < self._count:
                self._in_flight += 1
                self._live -= 1
                heapq.heappop(waiting)[2].set_result(None)
                continue
            wait = self._span - (now - self._window[0]) if self._window else 0.005
            await asyncio.sleep(max(wait, 0.001))


def backoff(attempts: int) -> float:
    return float(min(2**attempts, 600))


@dataclass(frozen=True, slots=True)
class _ConversationInfo:
    unreachable: bool
    last_inbound_at: datetime | None
    lang: str
    address: str | None = None  # sealed number of a pseudonymous chat (WhatsApp)


class Relay:
    def __init__(
        self,
        db: Database,
        senders: Sequence[Sender],
        clock: Callable[[], datetime],
        *,
        batch_size: int = 500,
        concurrency: int = 32,
        idle_poll: float = 1.0,
        max_in_flight: int = 2000,
        per_conversation: int = 10,
        backlog: int = 30,
        spacing: float = 0.025,
        files: Callable[[str], Awaitable[bytes]] | None = None,
    ) -> None:
        self._db = db
        self._files = files  # an attached document's bytes, by ref (storage.attachments)
        self._media_ids: dict[tuple[str, str], str] = {}  # (channel, ref) -> the platform's file id
        self._media_locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._senders = {s.channel.value: s for s in senders}
        self._limiters = {s.channel.value: RateLimiter(s.limits) for s in senders}
        self._recipients = {s.channel.value: s.recipient for s in senders if isinstance(s, OneRecipient)}
        self._clock = clock
        self._batch_size = batch_size
        self._concurrency = asyncio.Semaphore(concurrency)
        self._idle_poll = idle_poll
        self._max_in_flight = max_in_flight  # per channel
        self._per_conversation = per_conversation  # rows of one conversation claimed at a time
        self._backlog = max(backlog, per_conversation)  # unsent rows of one chat beyond this are shed
        self._spacing = spacing  # seconds between two claims, and between two recordings
        self.owner = uuid.uuid4().hex
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._recorder: asyncio.Task[None] | None = None
        self._heart: asyncio.Task[None] | None = None
        self._last_beat = 0.0  # time.monotonic() of the last heartbeat written
        self._record_wake = asyncio.Event()
        self._waited = False  # run_once waited for sends: drain looks again
        self._claim_lock = asyncio.Lock()
        self._record_lock = asyncio.Lock()
        self._queues: dict[int, deque[OutboundMessage]] = {}
        self._drivers: dict[int, asyncio.Task[None]] = {}
        self._sending: set[int] = set()  # conversations whose send is on the wire now
        self._in_flight: dict[int, str] = {}  # claimed rows whose result is not written yet -> channel
        self._writes: list[tuple[int, dict[str, object]]] = []
        self._unreachable: set[int] = set()
        self._unsubscribe: set[int] = set()  # conversations whose subscriptions end (block, opt-out)
        self._next_shed = 0.0
        self._notices = {lang.value: Reply(text=t("too_many_messages", lang)).to_json() for lang in Lang}
        self._stopping = False

    def wake(self, _count: int = 0) -> None:
        self._wake.set()

    async def start(self) -> None:
        """Register as an owner (on SQLite first taking back every claim a dead process left), then run."""
        if not self._senders:
            return
        self._stopping = False
        await self._flush()  # results a stop could not record go in before any claim is let go
        now = self._clock()
        async with self._db.write() as session:
            if self._db.is_sqlite:
                released = await ClaimRepository.release_all(session, list(self._senders))
                if released:
                    log.info("took back %d outbox rows a previous process had claimed", released)
            await ClaimRepository.forget_owners(session, now - FORGET_OWNERS)
            await ClaimRepository.register(session, self.owner, socket.gethostname(), os.getpid(), now)
        self._last_beat = time.monotonic()
        self._heart = asyncio.create_task(self._heartbeat_loop(), name="relay-heartbeat")
        self._task = asyncio.create_task(self._run(), name="relay")
        self._recorder = asyncio.create_task(self._record_loop(), name="relay-recorder")

    @property
    def healthy(self) -> bool:
        """Running with a fresh heartbeat (or nothing to send): for the health check."""
        if not self._senders or self._stopping:
            return True
        beating = self._heart is not None and not self._heart.done()
        return beating and time.monotonic() - self._last_beat < OWNER_STALE.total_seconds()

    async def stop(self) -> None:
        """Stop claiming, let the sends under way finish, give back what was not sent, record."""
        self._stopping = True
        for task in (self._task, self._recorder):
            if task:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._task = self._recorder = None
        drivers = list(self._drivers.values())
        if drivers:
            _done, pending = await asyncio.wait(drivers, timeout=STOP_GRACE)
            # A driver waiting for its turn is stopped; one whose send is on the wire is waited for
            # (its HTTP timeout bounds it): cancelled there, the platform could have the message
            # while the row would be sent again after the restart.
            wire = {task for c in self._sending if (task := self._drivers.get(c)) is not None}
            for task in pending - wire:
                task.cancel()
            if on_wire := pending & wire:
                await asyncio.wait(on_wire, timeout=SEND_GRACE)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        await self._flush_before_stop()
        if self._heart:
            self._heart.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heart
            self._heart = None
            with contextlib.suppress(Exception):
                async with self._db.write() as session:
                    await ClaimRepository.unregister(session, self.owner)
        self._stopping = False

    async def _flush_before_stop(self) -> None:
        """Record every result before the claims are let go: a result lost here is a message sent
        twice after the restart (on SQLite the next start takes back every claim). Tried again
        while the database is busy, for up to ``SEND_GRACE`` seconds."""
        deadline = time.monotonic() + SEND_GRACE
        while True:
            await self._flush()
            if not (self._writes or self._unreachable or self._unsubscribe) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
        if self._writes:
            log.error("stopping with %d relay results unrecorded", len(self._writes))

    async def drain(self) -> None:
        """Send everything that is due now (the CLI chat and tests wait on this).

        A claim finds nothing of a conversation whose earlier row is still being sent (by this
        relay's background loop, say); the later rows become claimable once that send is recorded.
        So it goes on until a round claims nothing while nothing was in flight."""
        while True:
            busy = bool(self._drivers or self._in_flight) or self._claim_lock.locked()
            claimed = await self.run_once()
            if not (claimed or busy or self._waited):
                return

    async def run_once(self) -> int:
        """Claim due rows, send them, record the results. Returns the rows claimed."""
        self._next_shed = 0.0
        claimed = await self._claim()
        self._waited = bool(self._drivers)  # sends of this or the background loop's claim
        while self._drivers:
            await asyncio.gather(*list(self._drivers.values()), return_exceptions=True)
        await self._flush()
        return claimed

    async def _run(self) -> None:
        while True:
            started = time.monotonic()
            try:
                claimed = await self._claim()
            except Exception:
                log.exception("relay claim failed")
                claimed = 0
            if not claimed:
                with contextlib.suppress(TimeoutError):
                    # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel and hang stop()
                    async with asyncio.timeout(self._idle_poll):
                        await self._wake.wait()
                self._wake.clear()
            await _pause_until(started + self._spacing)

    async def _record_loop(self) -> None:
        while True:
            await self._record_wake.wait()
            started = time.monotonic()
            self._record_wake.clear()
            await self._flush()
            # SQLite: every transaction holds up the webhooks' inbox commits. PostgreSQL: record
            # sooner, so that fewer sends are done but unrecorded should the process be killed.
            await _pause_until(started + (self._spacing if self._db.is_sqlite else self._spacing / 5))

    async def _heartbeat_loop(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_EVERY)
            try:
                now = self._clock()
                async with self._db.write() as session:
                    if not await ClaimRepository.heartbeat(session, self.owner, now):
                        log.warning("relay owner %s was taken for dead; registering again", self.owner)
                        await ClaimRepository.register(
                            session, self.owner, socket.gethostname(), os.getpid(), now
                        )
                self._last_beat = time.monotonic()
            except Exception:
                log.exception("relay heartbeat failed")

    def _may_send(self) -> bool:
        """PostgreSQL: a relay whose heartbeat is late may be taken for dead; it sends nothing more
        until it beats again (its rows are given back: only those it still owns change)."""
        if self._db.is_sqlite or self._heart is None:
            return True
        return time.monotonic() - self._last_beat < OWNER_STALE.total_seconds() - 1.5 * HEARTBEAT_EVERY

    # --- claiming ---

    async def _claim(self) -> int:
        async with self._claim_lock:
            if self._stopping or not self._may_send():
                return 0
            reclaim = False  # dead relays' rows: looked for about once a second (never on SQLite)
            if time.monotonic() >= self._next_shed:
                self._next_shed = time.monotonic() + SHED_EVERY
                reclaim = not self._db.is_sqlite
                await self._shed()
            busy: dict[str, int] = {}
            for channel in self._in_flight.values():
                busy[channel] = busy.get(channel, 0) + 1
            # A channel with nearly all its rows in flight waits until a few are done, then claims
            # them in one go: topping it up by the row or two sent since the last claim cost one
            # write transaction every 25 ms during a broadcast (on SQLite each one holds up the
            # webhooks' inbox commits), while what it claims would wait behind the rows in flight.
            least = min(MIN_CLAIM, self._max_in_flight // 4)
            rooms = {}
            for channel in self._senders:
                room = min(self._batch_size, self._max_in_flight - busy.get(channel, 0))
                rooms[channel] = room if room >= least else 0
            if max(rooms.values(), default=0) <= 0:
                return 0
            now = self._clock()

            async def claim(session: AsyncSession, *, look: bool = False) -> list[int]:
                return await ClaimRepository.claim(
                    session, self.owner, rooms, now, now - OWNER_STALE, self._per_conversation,
                    self._batch_size, reclaim=reclaim, recipients=self._recipients, look=look,
                )  # fmt: skip

            if self._db.is_sqlite:  # a look first, without the writer: most wake-ups find nothing
                async with self._db.session() as session:
                    if not await claim(session, look=True):
                        return 0
            async with self._db.write() as session:
                await ClaimRepository.serialise(session)
                ids = await claim(session)
            if not ids:
                return 0
            # Read the rows and the rest after the claim's commit: the write lock (which the
            # webhooks' inbox commits wait for on SQLite) is held for the claim alone. Should a
            # read fail, the claimed rows are given back when this relay stops or dies.
            async with self._db.session() as session:
                rows = await ClaimRepository.claimed(session, ids)
                info = await self._conversation_info(session, {r.conversation_id for r in rows})
                replied_to = await self._inbox_ids(session, {r.in_reply_to for r in rows if r.in_reply_to})
            messages = [
                OutboundMessage(
                    id=r.id,
                    conversation_id=r.conversation_id,
                    channel=Channel(r.channel),
                    chat_id=_address(info.get(r.conversation_id), r.chat_id),
                    reply=Reply.from_json(r.payload),
                    kind=r.kind,
                    attempts=r.attempts,
                    extra=_extra(info.get(r.conversation_id), replied_to.get(r.in_reply_to or 0, "")),
                )
                for r in rows
            ]
            for message in messages:
                self._dispatch(message, info.get(message.conversation_id))
            self._record_wake.set()
            return len(rows)

    async def _shed(self) -> None:
        """Chats over the backlog cap (a flood): shed the excess replies, one notice each.

        On SQLite this relay is the only one, and it sheds and claims in turn (the claim lock): what
        to shed is read before the write transaction, which then holds the writer (and the
        webhooks' inbox commits behind it) for the updates alone. On PostgreSQL other relays claim
        meanwhile: the reads go after the lock, in the same transaction."""
        channels = list(self._senders)
        try:
            now = self._clock()
            async with self._db.session() as session:
                flooded = await ClaimRepository.over_cap(session, channels, self._backlog)
                if not flooded:
                    return
                plan = None
                if self._db.is_sqlite:
                    plan = await ClaimRepository.plan_shed(
                        session, flooded, self._backlog, now - NOTICE_QUIET, self._notices
                    )
                    if not (plan.notices or plan.dropped):
                        return
            async with self._db.write() as session:
                if plan is not None:
                    shed, notices = await ClaimRepository.apply_shed(session, plan, now)
                else:
                    await ClaimRepository.serialise(session)
                    shed, notices = await ClaimRepository.shed(
                        session, flooded, self._backlog, now, now - NOTICE_QUIET, self._notices
                    )
        except Exception:
            log.exception("shedding flooded chats failed")
            return
        if shed or notices:
            log.warning("%d chats flooded: %d replies shed, %d notices", len(flooded), shed, notices)

    async def _with_file(self, message: OutboundMessage) -> SendResult:
        """Send a Telegram or WhatsApp message that carries a file. The file goes up once per
        platform: the first send carries its bytes (the child that sends never opens the
        database) and the platform's id for it comes back; the others wait for that and send the
        id (a broadcast's photo to 10,000 chats is uploaded once). The web chat serves the file
        from the store itself."""
        attached = message.reply.attachment
        assert attached is not None and self._files is not None
        key = (message.channel.value, attached.ref)
        if media_id := self._media_ids.get(key):
            return await self._send_now(replace(message, extra={**message.extra, MEDIA_KEY: media_id}))
        async with self._media_locks.setdefault(key, asyncio.Lock()):
            if media_id := self._media_ids.get(key):
                return await self._send_now(replace(message, extra={**message.extra, MEDIA_KEY: media_id}))
            try:
                data = await self._files(attached.ref)
            except Exception as exc:  # erased, or unreadable: the text goes alone, the officer sees no file
                log.warning("attachment of outbox row %d unavailable: %s", message.id, type(exc).__name__)
                return await self._send_now(message)
            result = await self._send_now(
                replace(message, extra={**message.extra, FILE_KEY: encode_file(data)})
            )
        if result.media_id:
            if len(self._media_ids) >= KEEP_MEDIA_IDS:
                self._media_ids.pop(next(iter(self._media_ids)))
            self._media_ids[key] = result.media_id
            self._media_locks.pop(key, None)
        return result

    def _dispatch(self, message: OutboundMessage, conversation: _ConversationInfo | None) -> None:
        """Queue a claimed row on its conversation's driver, or fail it at once (unreachable)."""
        conv_id = message.conversation_id
        self._in_flight[message.id] = message.channel.value
        if conversation and conversation.unreachable:
            self._fail(message, UNREACHABLE, count_attempt=False)
            return
        self._queues.setdefault(conv_id, deque()).append(message)
        if conv_id not in self._drivers:
            self._drivers[conv_id] = asyncio.create_task(self._drive(conv_id), name=f"relay-conv-{conv_id}")

    @staticmethod
    async def _conversation_info(session: AsyncSession, ids: set[int]) -> dict[int, _ConversationInfo]:
        stmt = select(
            Conversation.id,
            Conversation.unreachable,
            Conversation.last_inbound_at,
            Conversation.lang,
            Conversation.address,
        ).where(Conversation.id.in_(ids))
        return {
            cid: _ConversationInfo(bool(u), last, lang, address)
            for cid, u, last, lang, address in await session.execute(stmt)
        }

    @staticmethod
    async def _inbox_ids(session: AsyncSession, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        stmt = select(InboxMessage.id, InboxMessage.message_id).where(InboxMessage.id.in_(ids))
        return {row_id: message_id for row_id, message_id in await session.execute(stmt)}

    # --- sending ---

    async def _drive(self, conversation_id: int) -> None:
        queue = self._queues[conversation_id]
        try:
            while queue:
                if self._stopping or not self._may_send():
                    self._give_back(queue, self._clock())
                    break
                message = queue[0]
                try:
                    result = await self._send(message)
                except (
                    _NotAttempted
                ):  # the relay began to stop while it waited: this row and the rest go back
                    self._give_back(queue, self._clock())
                    break
                except asyncio.CancelledError:  # stopped while it waited (or after the grace): the same
                    self._give_back(queue, self._clock())
                    raise
                queue.popleft()
                if result.unreachable or (not result.ok and result.error.startswith(OPTED_OUT)):
                    self._unsubscribe.add(conversation_id)  # a block or an opt-out ends RT/RW subscriptions
                if result.unreachable:
                    self._fail(message, result.error or UNREACHABLE)
                    self._unreachable.add(conversation_id)
                    while queue:
                        self._fail(queue.popleft(), UNREACHABLE, count_attempt=False)
                elif self._record(message, result):
                    when = self._clock() + timedelta(seconds=result.retry_after or 0)
                    self._give_back(queue, when)
        finally:
            self._queues.pop(conversation_id, None)
            self._drivers.pop(conversation_id, None)
            self._record_wake.set()
            self._wake.set()

    async def _send(self, message: OutboundMessage) -> SendResult:
        attached = message.reply.attachment
        if attached is None or message.channel is Channel.WEB or self._files is None:
            return await self._send_now(message)
        return await self._with_file(message)

    async def _send_now(self, message: OutboundMessage) -> SendResult:
        sender = self._senders[message.channel.value]
        limiter = self._limiters[message.channel.value]
        await limiter.acquire(message.chat_id, SEND_PRIORITY.get(message.kind, 1))
        try:
            async with self._concurrency:
                if self._stopping:  # it waited for its turn while the relay began to stop: not sent
                    raise _NotAttempted
                self._sending.add(message.conversation_id)
                try:
                    return await sender.send(message)
                finally:
                    self._sending.discard(message.conversation_id)
        except _NotAttempted:
            raise
        except Exception as exc:
            log.warning("send of outbox row %s failed: %s", message.id, type(exc).__name__)
            return SendResult(ok=False, retry_after=backoff(message.attempts), error=type(exc).__name__)
        finally:
            limiter.done(message.chat_id)

    # --- recording ---

    def _record(self, message: OutboundMessage, result: SendResult) -> bool:
        """Queue the row's new values; True when it will be retried (the rest must wait)."""
        now = self._clock()
        attempts = message.attempts + 1
        if result.ok:
            values: dict[str, object] = {
                "status": OutboxStatus.SENT.value,
                "sent_at": now,
                "platform_message_id": result.platform_message_id[:128],
                "attempts": attempts,
                "error": "",
            }
        elif result.held:
            values = {"status": OutboxStatus.HELD.value, "attempts": attempts, "error": result.error[:300]}
        elif result.retry_after is not None and attempts < MAX_ATTEMPTS:
            values = {
                "status": OutboxStatus.PENDING.value,
                "next_attempt_at": now + timedelta(seconds=result.retry_after),
                "attempts": attempts,
                "error": result.error[:300],
            }
        else:
            self._fail(message, result.error or "gave up after retries")
            return False
        self._write(message.id, values)
        return values["status"] == OutboxStatus.PENDING.value

    def _fail(self, message: OutboundMessage, error: str, *, count_attempt: bool = True) -> None:
        attempts = message.attempts + 1 if count_attempt else message.attempts
        self._write(
            message.id, {"status": OutboxStatus.FAILED.value, "attempts": attempts, "error": error[:300]}
        )

    def _give_back(self, queue: deque[OutboundMessage], when: datetime) -> None:
        """Rows not attempted: pending again, due at ``when`` (behind a retried row, or on stop)."""
        while queue:
            message = queue.popleft()
            self._write(message.id, {"status": OutboxStatus.PENDING.value, "next_attempt_at": when})

    def _write(self, row_id: int, values: dict[str, object]) -> None:
        self._writes.append((row_id, values))
        self._record_wake.set()

    async def _flush(self) -> None:
        async with self._record_lock:
            writes, self._writes = self._writes, []
            unreachable, self._unreachable = self._unreachable, set()
            unsubscribe, self._unsubscribe = self._unsubscribe, set()
            if not writes and not unreachable and not unsubscribe:
                return
            by_shape: dict[tuple[str, ...], list[dict[str, object]]] = {}
            for row_id, values in writes:
                by_shape.setdefault(tuple(sorted(values)), []).append({"row_id": row_id, **values})
            try:
                async with self._db.write() as session:
                    for batch in by_shape.values():
                        await ClaimRepository.record(session, self.owner, batch)
                    if unreachable:
                        await session.execute(
                            update(Conversation)
                            .where(Conversation.id.in_(unreachable))
                            .values(unreachable=True)
                            .execution_options(synchronize_session=False)
                        )
                    if unsubscribe:
                        await session.execute(
                            delete(Subscription).where(Subscription.conversation_id.in_(unsubscribe))
                        )
            except BaseException as exc:  # a stop cancels the recorder mid-write: keep the results too
                if not isinstance(exc, asyncio.CancelledError):
                    log.exception("recording %d relay results failed; will retry", len(writes))
                self._writes = writes + self._writes
                self._unreachable |= unreachable
                self._unsubscribe |= unsubscribe
                if isinstance(exc, Exception):
                    return
                raise
            for row_id, _ in writes:
                self._in_flight.pop(row_id, None)
            self._wake.set()  # the conversations recorded may be claimed again


class _NotAttempted(Exception):
    """A send that never started because the relay is stopping (its row goes back, unsent)."""


async def _pause_until(moment: float) -> None:
    """Space out claims and recordings: under load each then takes many rows in one transaction
    (on SQLite every write transaction holds up the webhooks' inbox commits)."""
    pause = moment - time.monotonic()
    if pause > 0:
        await asyncio.sleep(pause)


def _address(info: _ConversationInfo | None, chat_id: str) -> str:
    """Where a row goes: the conversation's sealed address when its chat id is a pseudonym."""
    return info.address if info and info.address else chat_id


def _extra(info: _ConversationInfo | None, in_reply_to: str) -> dict[str, str]:
    """What a sender may need beyond the reply: the window, the language, the message answered."""
    extra = {"in_reply_to": in_reply_to}
    if info:
        extra["lang"] = info.lang
        if info.last_inbound_at:
            extra["last_inbound_at"] = info.last_inbound_at.isoformat()
    return extra
