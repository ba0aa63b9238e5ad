"""Crash recovery and several instances: ``kill -9`` under load, restart, redelivery; two instances.

Processes on 127.0.0.1: the fake Telegram Bot API and Graph API (``bench/webhook.py --serve-fakes``),
one or two ``tanya serve`` processes (both channels on, pointed at the fakes, the platforms'
rate limits lifted as in ``bench/webhook.py``, so that sends go as fast as the machine allows;
``--platform-rates`` keeps Telegram's 30/s and WhatsApp's 80/s per instance), and this script as
the platforms' webhook client. Each
user sends its messages one after another; a user's messages alternate between the instances
(a load balancer that spreads requests, not users). Scenarios:

1. ``sqlite-kill``: one instance on SQLite; ``kill -9`` when half the webhooks are acknowledged,
   restart, the platforms redeliver every webhook (the acknowledged ones too);
2. ``pg-two``: one instance on PostgreSQL as the baseline, then two instances on one database:
   every reply within 30 s of the load, exactly the replies of the single instance;
3. ``pg-two-kill``: two instances on one PostgreSQL database, one killed (``kill -9``) when half
   the webhooks are acknowledged, restarted, everything redelivered through both;
4. ``pg-workers-kill``: one ``tanya serve --workers 2`` on PostgreSQL; ``kill -9`` of its
   supervisor (the workers and send children follow it), restart, redelivery.

Each prints: replies expected (per user the same dialog, so the same number; from the outbox),
replies missing at the fake APIs 10/15/20/30 s after the restart (or the load's end), lost, sent
twice, and the time of the last reply. Target: none missing at 30 s, none lost, at most 1% twice.
Sends under way when a process is killed reached the platform but were not recorded, so they go
out again: at most one per conversation being sent to at that moment (32 sends run at once), so
their share grows with the send rate at the moment of the kill.

    python bench/recovery.py [--scenario all|sqlite-kill|pg-two|pg-two-kill|pg-workers-kill] [--users 100]
                             [--messages 5] [--pg-url postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from webhook import (
    HOST,
    PHONE_ID,
    TG_SECRET,
    TG_TOKEN,
    WA_SECRET,
    WA_TOKEN,
    Job,
    dump_calls,
    fake_platforms,
    free_port,
    interrupt,
    roundtrip,
    telegram_job,
    wait_http,
    whatsapp_post,
)

ROOT = Path(__file__).resolve().parent.parent
SETTLE_SECONDS = 120.0  # at most this long for everything to be sent after the restart
CHECKPOINTS = (10.0, 15.0, 20.0, 30.0)


# --- the platforms' webhooks ---


def whatsapp_message(wamid: str, wa_id: str, text: str) -> Job:
    message = {"from": wa_id, "id": wamid, "timestamp": "1773630000", "type": "text", "text": {"body": text}}
    value = {"contacts": [{"profile": {"name": "Warga"}, "wa_id": wa_id}], "messages": [message]}
    return Job(f"whatsapp:{wa_id}", whatsapp_post(value))


def dialogs(users: int, messages: int, *, telegram: bool, run: int) -> list[list[Job]]:
    """Per user, its messages in order: WhatsApp users, plus as many Telegram users if ``telegram``."""
    texts = ["halo", "menu", "bantuan", "halo", "batal"]
    plans = []
    for n in range(users):
        wa_id = f"6281{run:02d}{n:06d}"
        plans.append(
            [whatsapp_message(f"wamid.R{run}U{n}M{m}", wa_id, texts[m % len(texts)]) for m in range(messages)]
        )
        if telegram:
            chat = 700_000_000 + run * 100_000 + n
            update = 900_000_000 + run * 1_000_000 + n * 100
            plans.append([telegram_job(update + m, chat, texts[m % len(texts)]) for m in range(messages)])
    return plans


@dataclass
class Load:
    acked: int = 0
    failed: int = 0


async def deliver(
    ports: list[int], plans: list[list[Job]], concurrency: int, stop_after: int | None = None
) -> Load:
    """Each user's messages in order, message k to instance k mod len(ports); stop at ``stop_after`` acks."""
    queue = list(reversed(plans))
    load = Load()
    stop = asyncio.Event()

    async def worker() -> None:
        conns: dict[int, tuple[asyncio.StreamReader, asyncio.StreamWriter]] = {}
        while queue and not stop.is_set():
            plan = queue.pop()
            for k, job in enumerate(plan):
                if stop.is_set():
                    break
                port = ports[k % len(ports)]
                try:
                    if port not in conns:
                        conns[port] = await asyncio.open_connection(HOST, port)
                    status = await roundtrip(*conns[port], job.request)
                except (OSError, asyncio.IncompleteReadError):
                    conns.pop(port, None)
                    load.failed += 1
                    continue
                if status == 200:
                    load.acked += 1
                    if stop_after is not None and load.acked >= stop_after:
                        stop.set()
                else:
                    load.failed += 1
        for _reader, writer in conns.values():
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return load


# --- the database, read from outside ---


def db_state(url: str) -> tuple[Counter[str], int]:
    """Outbox rows by status, and inbox rows not yet handled."""
    if url.startswith("sqlite"):
        with contextlib.closing(sqlite3.connect(url.split("///", 1)[1], timeout=30)) as db:
            statuses = Counter(
                dict(db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall())
            )
            pending = db.execute("SELECT count(*) FROM inbox WHERE status = 'pending'").fetchone()[0]
        return statuses, int(pending)
    return asyncio.run(_pg_state(url))


async def _pg_state(url: str) -> tuple[Counter[str], int]:
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        rows = await conn.fetch("SELECT status, count(*) AS n FROM outbox GROUP BY status")
        pending = await conn.fetchval("SELECT count(*) FROM inbox WHERE status = 'pending'")
    finally:
        await conn.close()
    return Counter({r["status"]: int(r["n"]) for r in rows}), int(pending)


async def _pg_admin(admin_url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def pg_answers(admin_url: str) -> bool:
    try:
        asyncio.run(_pg_admin(admin_url, "SELECT 1"))
    except (OSError, ImportError) as exc:
        print(f"  ({type(exc).__name__})")
        return False
    return True


@contextlib.contextmanager
def pg_database(admin_url: str) -> Iterator[str]:
    name = f"tanya_bench_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(admin_url, f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+asyncpg://{admin_url.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"
    finally:
        asyncio.run(_pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# --- the servers ---


class Bench:
    def __init__(
        self, tmp: Path, fakes: subprocess.Popen[str], urls: dict[str, str], platform_rates: bool
    ) -> None:
        self.tmp = tmp
        self.platform_rates = platform_rates
        self.fakes = fakes
        self.urls = urls
        self.logs = 0

    def env(self, database_url: str) -> dict[str, str]:
        return {
            **os.environ,
            "TANYA_DATABASE_URL": database_url,
            "TANYA_SECRET_KEY": "bench-secret-key-0123456789abcdef",
            "TANYA_TELEGRAM_TOKEN": TG_TOKEN,
            "TANYA_TELEGRAM_SECRET": TG_SECRET,
            "TANYA_TELEGRAM_API_BASE": f"{self.urls['telegram']}/bot",
            "TANYA_WHATSAPP_TOKEN": WA_TOKEN,
            "TANYA_WHATSAPP_APP_SECRET": WA_SECRET,
            "TANYA_WHATSAPP_VERIFY_TOKEN": "bench",
            "TANYA_WHATSAPP_PHONE_ID": PHONE_ID,
            "TANYA_GRAPH_API_BASE": self.urls["graph"],
            "TANYA_TELEGRAM_CHAT_INTERVAL": "0",
            "TANYA_WHATSAPP_USER_INTERVAL": "0",
            "TANYA_LOG_LEVEL": "WARNING",
            **(
                {"TANYA_TELEGRAM_PER_SECOND": "5000", "TANYA_WHATSAPP_PER_SECOND": "5000"}
                if not self.platform_rates
                else {}
            ),
        }

    def serve(self, database_url: str, port: int, workers: int = 1) -> subprocess.Popen[str]:
        self.logs += 1
        log = (self.tmp / f"serve-{self.logs}.log").open("w")
        tanya = [str(Path(sys.executable).with_name("tanya")), "serve", "--host", HOST, "--port", str(port)]
        tanya += ["--workers", str(workers)]
        proc = subprocess.Popen(
            tanya, env=self.env(database_url), cwd=self.tmp, text=True, stdout=log, stderr=log
        )
        wait_http(port, 60)
        return proc

    def calls(self) -> list[tuple[str, str, float]]:
        return dump_calls(self.fakes, self.tmp)


def settle(
    bench: Bench, url: str, plans: list[list[Job]]
) -> tuple[Counter[str], list[tuple[str, str, float]]]:
    """Wait until every message is handled, nothing waits to be sent, and the fakes have it all."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        statuses, pending = db_state(url)
        users = {plan[0].chat for plan in plans}  # this run's chats (the fakes keep every run's calls)
        calls = [c for c in bench.calls() if f"{c[0]}:{c[1]}" in users]
        done = pending == 0 and statuses["pending"] + statuses["sending"] == 0
        if (done and len(calls) >= statuses["sent"]) or time.monotonic() > deadline:
            return statuses, calls
        time.sleep(0.5)


def report(
    title: str,
    plans: list[list[Job]],
    statuses: Counter[str],
    calls: list[tuple[str, str, float]],
    start: float,
) -> int:
    """Print the figures; returns the replies each user got (the same dialog for all)."""
    users = {plan[0].chat for plan in plans}
    per_chat = Counter(f"{c}:{chat}" for c, chat, _ in calls)
    ours = [c for c in calls if f"{c[0]}:{c[1]}" in users]
    expected_total = statuses["sent"] + statuses["failed"] + statuses["held"] + statuses["shed"]
    per_user = expected_total // max(1, len(users))
    lost = sum(max(0, per_user - per_chat[u]) for u in users)
    twice = sum(max(0, per_chat[u] - per_user) for u in users)
    missing = []
    for after in CHECKPOINTS:
        by = Counter(f"{c}:{chat}" for c, chat, at in ours if at <= start + after)
        missing.append(sum(max(0, per_user - by[u]) for u in users))
    last = max((at for _, _, at in ours), default=start) - start
    expected = per_user * len(users)
    print(f"{title}")
    print(
        f"  replies expected {expected} ({per_user} per user, {len(users)} users; outbox {dict(statuses)})\n"
        "  missing at "
        + ", ".join(f"{a:.0f} s: {m}" for a, m in zip(CHECKPOINTS, missing, strict=True))
        + f"; last reply at {last:.1f} s\n"
        f"  lost {lost}, sent twice {twice} ({100 * twice / max(1, expected):.2f}%)"
        f"  -> {'MEETS' if missing[-1] == 0 and lost == 0 and twice <= expected / 100 else 'MISSES'} the target",
        flush=True,
    )
    return per_user


def port_closed(port: int, seconds: float) -> float:
    """Wait until nothing listens on ``port`` (a killed supervisor's workers are gone); the wait."""
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        try:
            socket.create_connection((HOST, port), timeout=0.5).close()
        except OSError:
            break
        time.sleep(0.1)
    return time.monotonic() - began


def kill_and_redeliver(
    bench: Bench,
    url: str,
    users: int,
    messages: int,
    instances: int,
    run: int,
    concurrency: int,
    workers: int = 1,
) -> None:
    plans = dialogs(users, messages, telegram=True, run=run)
    total = sum(len(p) for p in plans)
    ports = [free_port() for _ in range(instances)]
    procs = [bench.serve(url, port, workers) for port in ports]
    try:
        load = asyncio.run(deliver(ports, plans, concurrency, stop_after=total // 2))
        procs[0].send_signal(signal.SIGKILL)  # the first instance (its supervisor) dies mid-load
        procs[0].wait()
        gone = port_closed(ports[0], 30) if workers > 1 else 0.0
        killed_at = time.monotonic()
        start = time.monotonic()
        procs[0] = bench.serve(url, ports[0], workers)
        print(
            f"  load: {load.acked} of {total} webhooks acknowledged before the kill; "
            + (f"its workers gone {gone:.1f} s after it; " if workers > 1 else "")
            + f"restarted in {time.monotonic() - killed_at:.1f} s",
            flush=True,
        )
        redelivered = asyncio.run(deliver(ports, plans, concurrency))
        print(f"  redelivered: {redelivered.acked} of {total} acknowledged", flush=True)
        statuses, calls = settle(bench, url, plans)
    finally:
        for proc in procs:
            interrupt(proc, 20)
    where = "SQLite, one instance" if url.startswith("sqlite") else f"PostgreSQL, {instances} instance(s)"
    where += f", --workers {workers}" if workers > 1 else ""
    report(f"kill -9 and redelivery ({where}): from the restart", plans, statuses, calls, start)


def load_once(
    bench: Bench, url: str, users: int, messages: int, instances: int, run: int, concurrency: int
) -> int:
    plans = dialogs(users, messages, telegram=False, run=run)
    ports = [free_port() for _ in range(instances)]
    procs = [bench.serve(url, port) for port in ports]
    try:
        load = asyncio.run(deliver(ports, plans, concurrency))
        start = time.monotonic()
        statuses, calls = settle(bench, url, plans)
    finally:
        for proc in procs:
            interrupt(proc, 20)
    title = f"{users} WhatsApp users x {messages} messages, {instances} instance(s) on PostgreSQL: from the load's end"
    print(f"  load: {load.acked} webhooks acknowledged", flush=True)
    return report(title, plans, statuses, calls, start)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scenario",
        choices=["all", "sqlite-kill", "pg-two", "pg-two-kill", "pg-workers-kill"],
        default="all",
    )
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--messages", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument(
        "--platform-rates",
        action="store_true",
        help="hold each instance to Telegram's 30/s and WhatsApp's 80/s (Telegram alone then needs ~27 s)",
    )
    args = parser.parse_args()
    users, messages = min(args.users, 2000), min(args.messages, 20)
    every = ["sqlite-kill", "pg-two", "pg-two-kill", "pg-workers-kill"]
    scenarios = every if args.scenario == "all" else [args.scenario]
    if not pg_answers(args.pg_url):
        print(f"PostgreSQL does not answer at {args.pg_url}: the PostgreSQL scenarios are left out")
        scenarios = [s for s in scenarios if not s.startswith("pg")]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with fake_platforms(tmp) as (fakes, urls):
            bench = Bench(tmp, fakes, urls, args.platform_rates)
            if "sqlite-kill" in scenarios:
                url = f"sqlite+aiosqlite:///{tmp}/recovery.db"
                kill_and_redeliver(bench, url, users, messages, 1, 1, args.concurrency)
            if "pg-two" in scenarios:
                with pg_database(args.pg_url) as url:
                    single = load_once(bench, url, users, 2 * messages, 1, 2, args.concurrency)
                with pg_database(args.pg_url) as url:
                    double = load_once(bench, url, users, 2 * messages, 2, 3, args.concurrency)
                print(f"  replies per user: one instance {single}, two instances {double}", flush=True)
            if "pg-two-kill" in scenarios:
                with pg_database(args.pg_url) as url:
                    kill_and_redeliver(bench, url, users, messages, 2, 4, args.concurrency)
            if "pg-workers-kill" in scenarios:
                with pg_database(args.pg_url) as url:
                    kill_and_redeliver(bench, url, users, messages, 1, 5, args.concurrency, workers=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
