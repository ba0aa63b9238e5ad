"""Pipeline benchmark: messages/s and arrival-to-committed-reply latency, with two floors.

Runs N conversations through the real pipeline in-process (inbox with group commit, keyed
scheduler, router, outbox, relay with a no-op channel) on SQLite, and on PostgreSQL when one
answers on 127.0.0.1:5432. Beside it, measured in the same run: a bare insert-and-commit of one
row per message through SQLAlchemy async + aiosqlite (serialised, as the pipeline does), and
the same through the standard library's sqlite3.

    python bench/pipeline.py [--messages 5000] [--conversations 500] [--rate 200] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.channels.web import WebHub, WebSender
from bot.knowledge_loader import EmptyKnowledge
from bot.messages import InboundMessage
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.types import Channel, InputKind, UserInput
from storage import migrate
from storage.db import Database

TEXTS = ["halo", "menu", "bantuan", "2", "apbd 2024", "batal"]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def message(n: int, conversations: int) -> InboundMessage:
    return InboundMessage(
        channel=Channel.WEB,
        chat_id=f"bench-{n % conversations}",
        message_id=uuid.uuid4().hex,
        received_at=datetime.now(UTC),
        input=UserInput(kind=InputKind.TEXT, text=TEXTS[n % len(TEXTS)]),
    )


class Probe:
    def __init__(self) -> None:
        self.started: dict[str, float] = {}
        self.latencies: list[float] = []
        self.done = asyncio.Event()
        self.expected = 0

    def processed(self, ids: list[tuple[str, str]]) -> None:
        now = time.perf_counter()
        for _, message_id in ids:
            if (start := self.started.pop(message_id, None)) is not None:
                self.latencies.append(now - start)
        if len(self.latencies) >= self.expected:
            self.done.set()


async def run_pipeline(url: str, args: argparse.Namespace, workers: int) -> dict[str, float]:
    db = Database.from_url(url)
    await migrate.upgrade(db)
    hub = WebHub()
    runtime = Runtime(
        settings=Settings(secret_key="bench" * 8),
        db=db,
        knowledge=EmptyKnowledge(),
        secret_key="bench" * 8,
        hub=hub,
        senders=[WebSender(hub)],
        workers=workers,
    )
    await runtime.start()
    probe = Probe()
    runtime.pipeline.on_processed = probe.processed

    async def submit(m: InboundMessage) -> None:
        probe.started[m.message_id] = time.perf_counter()
        await runtime.pipeline.submit([m])

    # 1. Throughput: every message offered at once, as a burst of webhooks would.
    probe.expected = args.messages
    batch = [message(n, args.conversations) for n in range(args.messages)]
    start = time.perf_counter()
    await asyncio.gather(*(submit(m) for m in batch))
    await asyncio.wait_for(probe.done.wait(), 300)
    burst_seconds = time.perf_counter() - start
    burst_p50, burst_p99 = pct(probe.latencies, 0.5), pct(probe.latencies, 0.99)

    # 2. Latency at a steady rate.
    probe.latencies, probe.done = [], asyncio.Event()
    total = int(args.rate * args.seconds)
    probe.expected = total
    tasks = []
    start = time.perf_counter()
    for n in range(total):
        delay = start + n / args.rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(submit(message(n, args.conversations))))
    await asyncio.gather(*tasks)
    await asyncio.wait_for(probe.done.wait(), 120)
    await runtime.stop()
    return {
        "burst_msgs_per_s": args.messages / burst_seconds,
        "burst_p50_ms": burst_p50 * 1000,
        "burst_p99_ms": burst_p99 * 1000,
        "steady_p50_ms": pct(probe.latencies, 0.5) * 1000,
        "steady_p99_ms": pct(probe.latencies, 0.99) * 1000,
    }


async def floor_sqlalchemy(path: str, count: int, writers: int) -> tuple[float, float]:
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.execute(text("PRAGMA journal_mode=WAL"))
        await conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
    lock = asyncio.Lock()
    latencies: list[float] = []

    async def one(n: int) -> None:
        t0 = time.perf_counter()
        async with lock, engine.begin() as conn:
            await conn.execute(text("PRAGMA synchronous=FULL"))
            await conn.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": str(n)})
        latencies.append(time.perf_counter() - t0)

    sem = asyncio.Semaphore(writers)

    async def bounded(n: int) -> None:
        async with sem:
            await one(n)

    start = time.perf_counter()
    await asyncio.gather(*(bounded(n) for n in range(count)))
    elapsed = time.perf_counter() - start
    await engine.dispose()
    return count / elapsed, pct(latencies, 0.99) * 1000


def floor_stdlib(path: str, count: int) -> tuple[float, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    latencies = []
    start = time.perf_counter()
    for n in range(count):
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO t (v) VALUES (?)", (str(n),))
        conn.execute("COMMIT")
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    conn.close()
    return count / elapsed, pct(latencies, 0.99) * 1000


def pg_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


async def pg_database() -> str | None:
    if not pg_answers():
        return None
    name = f"tanya_bench_{uuid.uuid4().hex[:8]}"
    engine = create_async_engine(
        "postgresql+asyncpg://postgres@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT"
    )
    async with engine.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"


async def drop_pg(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine = create_async_engine(
        "postgresql+asyncpg://postgres@127.0.0.1:5432/test", isolation_level="AUTOCOMMIT"
    )
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


def show(label: str, figures: dict[str, float]) -> None:
    print(
        f"{label:28} {figures['burst_msgs_per_s']:8.0f} msg/s  burst p50 {figures['burst_p50_ms']:7.1f} ms"
        f"  p99 {figures['burst_p99_ms']:7.1f} ms | at rate: p50 {figures['steady_p50_ms']:6.1f} ms"
        f"  p99 {figures['steady_p99_ms']:6.1f} ms"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--conversations", type=int, default=500)
    parser.add_argument("--rate", type=float, default=200.0, help="messages/s for the latency run")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    print(
        f"pipeline benchmark: {args.messages} messages over {args.conversations} conversations; "
        f"latency at {args.rate:.0f} msg/s for {args.seconds:.0f} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        show(
            "SQLite (WAL, 1 process)", await run_pipeline(f"sqlite+aiosqlite:///{tmp}/p.db", args, workers=2)
        )
        rate, p99 = await floor_sqlalchemy(f"{tmp}/f1.db", 2000, 32)
        print(
            f"{'floor: SQLAlchemy+aiosqlite':28} {rate:8.0f} commits/s (1 row each, serialised) p99 {p99:6.1f} ms"
        )
        rate, p99 = floor_stdlib(f"{tmp}/f2.db", 2000)
        print(f"{'floor: stdlib sqlite3':28} {rate:8.0f} commits/s (1 row each) p99 {p99:6.1f} ms")
    url = await pg_database()
    if url:
        try:
            show("PostgreSQL (asyncpg)", await run_pipeline(url, args, workers=4))
        finally:
            await drop_pg(url)
    else:
        print("PostgreSQL: not reachable on 127.0.0.1:5432, skipped")


if __name__ == "__main__":
    asyncio.run(main())
