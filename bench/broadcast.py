"""Broadcast benchmark: fan-out time, time to the last send, send rate against the configured
limit, and webhook acknowledgement latency while the fan-out runs (issue 12).

In-process: the fake Telegram Bot API on 127.0.0.1 (``tests.fake_platforms``), the real runtime
(``bot.app`` with the relay, pipeline and broadcaster) on a fresh SQLite file (or PostgreSQL with
``--pg-url``), N Telegram chats subscribed to one RW of the sample's areas. One broadcast is
accepted; meanwhile other users send webhooks (one every ``--ack-every`` seconds), each timed
from request to the 200. Prints:

- fan-out: broadcast accepted -> every subscriber's outbox row written;
- last send: accepted -> the fake received the last message;
- rate: messages/s between the first and the last send, against ``--rate`` (target >= 95%);
- ack p50/p99 during the fan-out (target p99 < 50 ms).

    python bench/broadcast.py [--subscribers 10000] [--rate 30] [--ack-every 0.02] [--pg-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
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
        convs = await ConversationRepository.lock_or_create(session, keys, now)
        await session.execute(insert(Subscription), [
            {"conversation_id": convs[k].id, "area_id": targets[i % len(targets)], "created_at": now}
            for i, k in enumerate(keys)
        ])  # fmt: skip


def update(n: int) -> dict[str, object]:
    user = 900_000 + n
    chat = {"id": user, "type": "private", "first_name": "Bench"}
    message = {"message_id": n, "from": {"id": user, "is_bot": False, "first_name": "Bench"}, "chat": chat,
               "date": int(time.time()), "text": "halo"}  # fmt: skip
    return {"update_id": 10_000_000 + n, "message": message}


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
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://tanya.bench") as client:
                await measure(args, runtime, db, client, telegram)
    finally:
        telegram.stop()


async def measure(
    args: argparse.Namespace,
    runtime: Runtime,
    db: Database,
    client: httpx.AsyncClient,
    telegram: FakeTelegram,
) -> None:
    accepted = time.monotonic()
    async with db.write() as session:
        record = await broadcasts.send(
            BroadcastStore(session), Actor.system("bench"), AREA, text="Uji siaran: pemadaman air besok.",
            now=datetime.now(UTC),
        )  # fmt: skip
    runtime.broadcaster.wake()
    acks: list[float] = []
    fanned_out = 0.0
    n = 0
    while not fanned_out:
        n += 1
        started = time.perf_counter()
        response = await client.post("/webhook/telegram", json=update(n), headers={SECRET_HEADER: TG_SECRET})
        acks.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        async with db.session() as session:
            status = await session.scalar(select(Broadcast.status).where(Broadcast.id == record.id))
        if status == BroadcastStatus.FANNED_OUT.value:
            fanned_out = time.monotonic() - accepted
        await asyncio.sleep(args.ack_every)
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
    print(f"fan-out (accepted -> all rows queued): {fanned_out * 1000:.0f} ms")
    print(f"time to the last send: {last - accepted:.1f} s")
    print(f"broadcast send rate: {rate:.1f}/s of the configured {args.rate:.0f}/s ({rate / args.rate:.1%});"
          f" all sends incl. {n} replies: {overall:.1f}/s ({overall / args.rate:.1%})")  # fmt: skip
    print(f"webhook acks during the fan-out: {len(acks)}, p50 {statistics.median(acks) * 1000:.1f} ms,"
          f" p99 {percentile(acks, 99) * 1000:.1f} ms, max {max(acks) * 1000:.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=30.0, help="Telegram messages/s (the platform's 30)")
    parser.add_argument("--ack-every", type=float, default=0.02, help="seconds between two webhooks")
    parser.add_argument("--pg-url", default="", help="postgresql+asyncpg://... instead of SQLite")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
