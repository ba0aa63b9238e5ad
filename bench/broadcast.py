"""Broadcast benchmark: fan-out time, time to the last send, send rate against the configured
limit, and webhook acknowledgement latency while the fan-out runs (issue 12).

In-process: the fake Telegram Bot API on 127.0.0.1 (``tests.fake_platforms``), the real runtime
(``bot.app`` with the relay, pipeline and broadcaster) on a fresh SQLite file (or PostgreSQL with
``--pg-url``), N Telegram chats subscribed to one RW of the sample's areas; the start-up heap is
frozen as the serving process does. ``--ack-clients`` other chats send webhooks back to back (a
pause of ``--ack-every`` between two of one chat), each timed from request to the 200: first for
``--quiet`` seconds without a broadcast, then while one broadcast is fanned out (several hundred
samples, so that the p99 is not one or two slow requests). Their replies beyond the flood cap are
shed, so that they take few of the platform's sends. Prints:

- fan-out: broadcast accepted -> every subscriber's outbox row written;
- ack p50/p99 before the broadcast and during the fan-out (target p99 < 50 ms), and what may hold
  an ack up: the event loop's lag, garbage-collection pauses, how long each writer held SQLite;
- last send: accepted -> the fake received the last message;
- rate: messages/s between the first and the last send, against ``--rate`` (target >= 95%).

    python bench/broadcast.py [--subscribers 10000] [--rate 30] [--ack-clients 4] [--pg-url URL]
                              [--fan-out-only] [--chunk N --pause S]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from sqlalchemy import func, insert, select  # noqa: E402

from bot.app import create_app  # noqa: E402
from bot.area_store import AreaStore  # noqa: E402
from bot.areas import load_sample_areas  # noqa: E402
from bot.broadcast_store import BroadcastStore  # noqa: E402
from bot.channels.telegram import SECRET_HEADER  # noqa: E402
from bot.heap import freeze_startup_heap  # noqa: E402
from bot.knowledge_loader import EmptyKnowledge  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.services import broadcasts  # noqa: E402
from handlers.services.actor import Actor  # noqa: E402
from storage import migrate  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import OutboxMessage  # noqa: E402
from storage.models.areas import Broadcast, BroadcastStatus, Subscription  # noqa: E402
from storage.repositories import ConversationRepository  # noqa: E402
from tests.fake_platforms import FakeTelegram  # noqa: E402

SECRET = "bench-secret-key-0123456789abcdefghijklmnop"
TG_SECRET = "bench-telegram-secret"
AREA = "sukamaju-wetan/rw02"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0.0


async def subscribe(db: Database, count: int) -> None:
    now = datetime.now(UTC)
    async with db.write() as session:
        areas = AreaStore(session)
        targets = [
            a.id
            for a in [await areas.get(AREA)] + [await areas.get(f"{AREA}/rt{n:03d}") for n in range(1, 6)]
            if a
        ]
        keys = [("telegram", str(800_000 + i)) for i in range(count)]
        convs = {}
        for start in range(0, count, 1000):  # PostgreSQL refuses an IN of 10,000 pairs (stack depth)
            convs.update(
                await ConversationRepository.lock_or_create(session, keys[start : start + 1000], now)
            )
        await session.execute(insert(Subscription), [
            {"conversation_id": convs[k].id, "area_id": targets[i % len(targets)], "created_at": now}
            for i, k in enumerate(keys)
        ])  # fmt: skip


def update(user: int, n: int) -> dict[str, object]:
    chat = {"id": user, "type": "private", "first_name": "Bench"}
    message = {"message_id": n, "from": {"id": user, "is_bot": False, "first_name": "Bench"}, "chat": chat,
               "date": int(time.time()), "text": "halo"}  # fmt: skip
    return {"update_id": 10_000_000 + (user - 900_000) * 1_000_000 + n, "message": message}


async def run(args: argparse.Namespace) -> None:
    telegram = FakeTelegram()
    telegram.start()
    tmp = Path(tempfile.mkdtemp(prefix="tanya-bench-broadcast-"))
    url = args.pg_url or f"sqlite+aiosqlite:///{tmp}/tanya.db"
    settings = Settings(
        _env_file=None, secret_key=SECRET, database_url=url, telegram_token=telegram.token,
        telegram_secret=TG_SECRET, telegram_api_base=telegram.api_base, telegram_per_second=args.rate,
        telegram_chat_interval=1.0, send_process=False,
    )  # fmt: skip
    db = Database.from_url(url)
    await migrate.upgrade(db)
    runtime = Runtime(settings=settings, db=db, knowledge=EmptyKnowledge(), secret_key=SECRET)
    app = create_app(settings, runtime)
    try:
        async with app.router.lifespan_context(app):
            await load_sample_areas(db)
            await subscribe(db, args.subscribers)
            if args.chunk:
                runtime.broadcaster._chunk = args.chunk
            if args.pause >= 0:
                runtime.broadcaster.pause = args.pause
            if args.in_flight:
                runtime.relay._max_in_flight = args.in_flight
            if not args.no_freeze:
                freeze_startup_heap()  # as the serving process does after start-up (bot.app)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://tanya.bench") as client:
                await measure(args, runtime, db, client, telegram)
    finally:
        telegram.stop()


class Diagnostics:
    """What may hold an acknowledgement up, watched during the fan-out: the event loop's lag (a
    1 ms sleep timed), garbage-collection pauses, and how long each SQLite writer held the gate."""

    def __init__(self, db: Database) -> None:
        self.lag: list[float] = []
        self.gc_pauses: dict[int, list[float]] = {}  # generation -> pauses
        self.holds: dict[str, list[float]] = {}  # writer (its task's name) -> seconds it held the gate
        self._gc_started = 0.0
        self._task: asyncio.Task[None] | None = None
        self._db = db

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.gc_pauses.setdefault(info.get("generation", 0), []).append(
                time.perf_counter() - self._gc_started
            )

    async def _watch_loop(self) -> None:
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.001)
            self.lag.append(time.perf_counter() - started - 0.001)

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)
        self._task = asyncio.create_task(self._watch_loop())
        gate = self._db.gate
        if gate is None:
            return
        acquire, release, holds = gate.acquire, gate.release, self.holds
        held: list[tuple[str, float]] = []

        async def timed_acquire(priority: int) -> None:
            await acquire(priority)
            task = asyncio.current_task()
            name = task.get_name() if task else "?"
            held.append((name if not name.startswith("Task-") else "other", time.perf_counter()))

        def timed_release() -> None:
            if held:
                name, since = held.pop()
                holds.setdefault(name, []).append(time.perf_counter() - since)
            release()

        gate.acquire = timed_acquire  # type: ignore[method-assign]
        gate.release = timed_release  # type: ignore[method-assign]

    def stop(self) -> None:
        gc.callbacks.remove(self._on_gc)
        if self._task:
            self._task.cancel()

    def report(self) -> str:
        def ms(values: list[float]) -> str:
            if not values:
                return "none"
            return (
                f"{len(values)}, p99 {percentile(values, 99) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"
            )

        lines = [f"  event-loop lag: {ms(self.lag)}"]
        lines += [f"  gc pauses, generation {g}: {ms(p)}" for g, p in sorted(self.gc_pauses.items())]
        lines += [f"  SQLite writer held by {name}: {ms(h)}" for name, h in sorted(self.holds.items())]
        return "\n".join(lines)


async def sample_acks(
    client: httpx.AsyncClient, user: int, every: float, acks: list[tuple[float, float]], stop: asyncio.Event
) -> None:
    """One chat's webhooks, one after the other: (start, seconds to the 200) of each."""
    n = 0
    while not stop.is_set():
        n += 1
        started = time.perf_counter()
        response = await client.post(
            "/webhook/telegram", json=update(user, n), headers={SECRET_HEADER: TG_SECRET}
        )
        acks.append((started, time.perf_counter() - started))
        assert response.status_code == 200, response.status_code
        await asyncio.sleep(every)


async def measure(
    args: argparse.Namespace,
    runtime: Runtime,
    db: Database,
    client: httpx.AsyncClient,
    telegram: FakeTelegram,
) -> None:
    print("load average at the start: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
    acks: list[tuple[float, float]] = []
    stop = asyncio.Event()
    samplers = [
        asyncio.create_task(sample_acks(client, 900_000 + i, args.ack_every, acks, stop))
        for i in range(args.ack_clients)
    ]
    diagnostics = Diagnostics(db)
    await asyncio.sleep(0.5)  # the samplers' first requests (warm-up) are not counted
    quiet_start = time.perf_counter()
    await asyncio.sleep(args.quiet)  # the same webhooks without a fan-out, to compare
    quiet = [seconds for started, seconds in acks if started >= quiet_start]
    diagnostics.start()
    accepted = time.monotonic()
    window_start = time.perf_counter()
    async with db.write() as session:
        record = await broadcasts.send(
            BroadcastStore(session), Actor.system("bench"), AREA, text="Uji siaran: pemadaman air besok.",
            now=datetime.now(UTC),
        )  # fmt: skip
    runtime.broadcaster.wake()
    fanned_out = 0.0
    while not fanned_out:
        await asyncio.sleep(0.02)
        async with db.session() as session:
            status = await session.scalar(select(Broadcast.status).where(Broadcast.id == record.id))
        if status == BroadcastStatus.FANNED_OUT.value:
            fanned_out = time.monotonic() - accepted
    window_end = time.perf_counter()
    diagnostics.stop()
    await asyncio.sleep(args.after)  # the relay sends the broadcast meanwhile: acks without a fan-out
    stop.set()
    await asyncio.gather(*samplers)
    during = [seconds for started, seconds in acks if window_start <= started <= window_end]
    after = [seconds for started, seconds in acks if started > window_end]
    print(f"fan-out (accepted -> all rows queued): {fanned_out * 1000:.0f} ms")
    if quiet:
        print(f"webhook acks before the broadcast ({args.quiet:.0f} s, no fan-out): {len(quiet)}, p50 "
              f"{statistics.median(quiet) * 1000:.1f} ms, p99 {percentile(quiet, 99) * 1000:.1f} ms")  # fmt: skip
    print(f"webhook acks during the fan-out ({args.ack_clients} chats): {len(during)}, p50 "
          f"{statistics.median(during) * 1000:.1f} ms, p99 {percentile(during, 99) * 1000:.1f} ms, "
          f"max {max(during) * 1000:.1f} ms")  # fmt: skip
    if after:
        print(f"webhook acks after the fan-out, while the relay sends ({args.after:.0f} s): {len(after)}, p50 "
              f"{statistics.median(after) * 1000:.1f} ms, p99 {percentile(after, 99) * 1000:.1f} ms")  # fmt: skip
    print(diagnostics.report(), flush=True)
    if args.fan_out_only:
        return
    subscribers = {str(800_000 + i) for i in range(args.subscribers)}
    deadline = time.monotonic() + args.subscribers / args.rate * 3 + 60
    while time.monotonic() < deadline:
        got = [
            c
            for c in telegram.calls_to("sendMessage")
            if c.status == 200 and str(c.params["chat_id"]) in subscribers
        ]
        if len(got) >= args.subscribers:
            break
        await asyncio.sleep(0.2)
    got = [
        c
        for c in telegram.calls_to("sendMessage")
        if c.status == 200 and str(c.params["chat_id"]) in subscribers
    ]
    all_sends = [c.at for c in telegram.calls_to("sendMessage") if c.status == 200]
    last = max(c.at for c in got) if got else accepted
    first = min(c.at for c in got) if got else accepted
    async with db.session() as session:
        rows = await session.scalar(select(func.count()).where(OutboxMessage.broadcast_id == record.id))
    rate = (len(got) - 1) / (last - first) if len(got) > 1 and last > first else 0.0
    overall = (len(all_sends) - 1) / (max(all_sends) - min(all_sends)) if len(all_sends) > 1 else 0.0
    print(f"subscribers {args.subscribers}, outbox rows {rows}, delivered once each: {len(got) == args.subscribers}"
          f" ({len(got)} sends, {len({c.params['chat_id'] for c in got})} chats)")  # fmt: skip
    print(f"time to the last send: {last - accepted:.1f} s")
    print(f"broadcast send rate: {rate:.1f}/s of the configured {args.rate:.0f}/s ({rate / args.rate:.1%});"
          f" all sends incl. {len(all_sends) - len(got)} replies: {overall:.1f}/s ({overall / args.rate:.1%})")  # fmt: skip
    print("load average at the end: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=30.0, help="Telegram messages/s (the platform's 30)")
    parser.add_argument(
        "--ack-every", type=float, default=0.005, help="seconds between two webhooks of a chat"
    )
    parser.add_argument(
        "--ack-clients", type=int, default=4, help="chats sending webhooks at once during the fan-out"
    )
    parser.add_argument(
        "--chunk", type=int, default=0, help="rows per fan-out transaction (default: the server's)"
    )
    parser.add_argument(
        "--pause", type=float, default=-1, help="seconds between two chunks (default: the server's)"
    )
    parser.add_argument(
        "--in-flight", type=int, default=0, help="relay rows in flight per channel (default: the server's)"
    )
    parser.add_argument(
        "--quiet", type=float, default=2.0, help="seconds of acks sampled before the broadcast"
    )
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave the start-up heap to the collector (unlike serving)"
    )
    parser.add_argument(
        "--fan-out-only", action="store_true", help="stop after the fan-out (no waiting for the sends)"
    )
    parser.add_argument("--after", type=float, default=3.0, help="seconds of acks sampled after the fan-out")
    parser.add_argument("--pg-url", default="", help="postgresql+asyncpg://... instead of SQLite")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
