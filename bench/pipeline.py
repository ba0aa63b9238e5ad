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
import json
import socket
import sqlite3
import sys
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
    """Wall-clock times at which each message was offered and at which its reply was committed."""

    def __init__(self) -> None:
        self.submitted: dict[str, float] = {}
        self.processed: dict[str, float] = {}

    def on_processed(self, ids: list[tuple[str, str]]) -> None:
        now = time.time()
        for _, message_id in ids:
            self.processed[message_id] = now


async def _pending(db: Database) -> int:
    async with db.session() as session:
        return int(
            (await session.execute(text("SELECT count(*) FROM inbox WHERE status = 'pending'"))).scalar() or 0
        )


async def _drained(db: Database) -> None:
    """Wait until the relay has sent every reply (no outbox row pending or being sent)."""
    query = text("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")
    while True:
        async with db.session() as session:
            if not (await session.execute(query)).scalar():
                return
        await asyncio.sleep(0.05)


async def _settle(db: Database, probe: Probe, expected: int) -> None:
    """Wait until this process's messages are processed (by it, or by another worker process)."""
    while len(probe.processed) < expected and await _pending(db) > 0:  # noqa: ASYNC110 (another process)
        await asyncio.sleep(0.01)


async def run_pipeline(
    url: str, args: argparse.Namespace, workers: int, *, part: int = 0, parts: int = 1, start_at: float = 0.0
) -> dict[str, dict[str, float]]:
    """Run both phases in this process for messages ``n`` with ``n % parts == part``.

    Returns, per phase, {message id: latency in seconds} for the messages whose reply this process
    committed, plus the submit times (so several processes' results can be merged).
    """
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
    result: dict[str, dict[str, float]] = {}
    if start_at:
        await asyncio.sleep(max(0.0, start_at - time.time()))

    async def submit(probe: Probe, m: InboundMessage) -> None:
        probe.submitted[m.message_id] = time.time()
        await runtime.pipeline.submit([m])

    # 1. Throughput: every message offered at once, as a burst of webhooks would.
    probe = Probe()
    runtime.pipeline.on_processed = probe.on_processed
    mine = [message(n, args.conversations) for n in range(args.messages) if n % parts == part]
    await asyncio.gather(*(submit(probe, m) for m in mine))
    await _settle(db, probe, len(mine))
    result["burst_submitted"], result["burst_processed"] = probe.submitted, probe.processed

    # 2. Latency at a steady rate (this process's share of it), once the burst's replies are sent:
    #    steady state, not the tail of the burst.
    await _drained(db)
    await asyncio.sleep(0.5)
    probe = Probe()
    runtime.pipeline.on_processed = probe.on_processed
    total = int(args.rate * args.seconds)
    tasks = []
    start = time.perf_counter()
    for n in range(part, total, parts):
        delay = start + n / args.rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(submit(probe, message(n, args.conversations))))
    await asyncio.gather(*tasks)
    await _settle(db, probe, len(tasks))
    result["steady_submitted"], result["steady_processed"] = probe.submitted, probe.processed
    await runtime.stop()
    return result


def summarise(results: list[dict[str, dict[str, float]]]) -> dict[str, float]:
    """Merge the processes' results: throughput over the burst, latency percentiles per phase."""
    figures: dict[str, float] = {}
    for phase in ("burst", "steady"):
        submitted = {k: v for r in results for k, v in r[f"{phase}_submitted"].items()}
        processed = {k: v for r in results for k, v in r[f"{phase}_processed"].items()}
        latencies = [processed[k] - submitted[k] for k in submitted if k in processed]
        figures[f"{phase}_p50_ms"] = pct(latencies, 0.5) * 1000
        figures[f"{phase}_p99_ms"] = pct(latencies, 0.99) * 1000
        figures[f"{phase}_missing"] = len(submitted) - len(latencies)
        if phase == "burst":
            figures["burst_msgs_per_s"] = len(latencies) / (max(processed.values()) - min(submitted.values()))
    return figures


async def run_processes(url: str, args: argparse.Namespace, processes: int) -> dict[str, float]:
    """Several worker processes on one PostgreSQL database, messages spread across them at random
    (so one conversation's messages reach both, as behind a load balancer)."""
    db = Database.from_url(url)
    await migrate.upgrade(db)
    await db.dispose()
    start_at = time.time() + 3.0
    children = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            __file__,
            "--child",
            url,
            "--part",
            str(i),
            "--parts",
            str(processes),
            "--start-at",
            str(start_at),
            "--messages",
            str(args.messages),
            "--conversations",
            str(args.conversations),
            "--rate",
            str(args.rate),
            "--seconds",
            str(args.seconds),
            stdout=asyncio.subprocess.PIPE,
        )
        for i in range(processes)
    ]
    outputs = [await child.communicate() for child in children]
    return summarise([json.loads(out.decode().strip().splitlines()[-1]) for out, _ in outputs])


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
    missing = figures["burst_missing"] + figures["steady_missing"]
    if missing:
        label += f" ({missing:.0f} MISSING)"
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
    parser.add_argument("--pg-processes", type=int, default=2, help="worker processes on PostgreSQL")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--part", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--parts", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = await run_pipeline(
            args.child, args, 2, part=args.part, parts=args.parts, start_at=args.start_at
        )
        print(json.dumps(result))
        return
    print(
        f"pipeline benchmark: {args.messages} messages over {args.conversations} conversations; "
        f"latency at {args.rate:.0f} msg/s for {args.seconds:.0f} s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_result = await run_pipeline(f"sqlite+aiosqlite:///{tmp}/p.db", args, workers=2)
        show("SQLite (WAL, 1 process)", summarise([sqlite_result]))
        rate, p99 = await floor_sqlalchemy(f"{tmp}/f1.db", 2000, 32)
        print(
            f"{'floor: SQLAlchemy+aiosqlite':28} {rate:8.0f} commits/s (1 row each, serialised) p99 {p99:6.1f} ms"
        )
        rate, p99 = floor_stdlib(f"{tmp}/f2.db", 2000)
        print(f"{'floor: stdlib sqlite3':28} {rate:8.0f} commits/s (1 row each) p99 {p99:6.1f} ms")
    url = await pg_database()
    if url:
        try:
            label = f"PostgreSQL ({args.pg_processes} processes)"
            show(label, await run_processes(url, args, args.pg_processes))
        finally:
            await drop_pg(url)
    else:
        print("PostgreSQL: not reachable on 127.0.0.1:5432, skipped")


if __name__ == "__main__":
    asyncio.run(main())
