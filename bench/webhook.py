"""Webhook benchmark: ``tanya serve`` under uvicorn on loopback, fed signed webhooks from another process.

Three processes on 127.0.0.1: the fake Telegram Bot API and Graph API (``tests/fake_platforms``),
``tanya serve`` (SQLite, both channels switched on and pointed at the fakes), and this script as
the load generator, with its own small HTTP/1.1 keep-alive client so the client is not the
bottleneck. A bare FastAPI endpoint that only answers 200, under the same uvicorn, is measured in
the same run as the ceiling. Phases:

1. burst: ``--requests`` webhooks (half Telegram updates, half signed WhatsApp bodies, each from a
   new user) over ``--concurrency`` connections: acknowledgements/s and p50/p99 ack latency;
2. sustained: ``--rate`` updates/s for ``--seconds``: p50/p99/max time from the webhook to each
   reply's arrival at the fake API, and how many arrived within 1 s. Meanwhile WhatsApp delivery
   reports (sent, delivered, read) for the burst's replies arrive at ``--status-rate`` bodies/s,
   as Meta sends them (up to three per message);
3. durability: after a graceful stop, every acknowledged message must be in the inbox table, and
   every reported reply must be marked read.

The platforms' rate limits are lifted for the run (the fakes do not enforce any; with the real
30 msg/s of Telegram no bot can answer 200 updates/s). Load is bounded in count and time.

    python bench/webhook.py [--requests 10000] [--concurrency 32] [--rate 200] [--seconds 60]
                            [--status-rate 300]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import hmac
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storage.crypto import crypto_for

ROOT = Path(__file__).resolve().parent.parent
TG_TOKEN = "123456:BENCH-TOKEN"
TG_SECRET = "bench-telegram-secret"
WA_TOKEN = "EAAG-BENCH-TOKEN"
WA_SECRET = "bench-app-secret"
PHONE_ID = "106540352242922"
HOST = "127.0.0.1"


def bare_app() -> Any:
    """The ceiling: FastAPI under the same uvicorn, answering 200 and nothing else."""
    from fastapi import FastAPI, Response

    app = FastAPI()

    @app.post("/webhook/telegram")
    async def ok() -> Response:
        return Response(status_code=200)

    return app


# --- the fakes' process ---


def serve_fakes(state: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from tests.fake_platforms import FakeGraph, FakeTelegram

    telegram, graph = FakeTelegram(TG_TOKEN), FakeGraph(WA_TOKEN)
    telegram.start()
    graph.start()
    partial = state.with_suffix(".tmp")
    partial.write_text(json.dumps({"telegram": telegram.url, "graph": graph.url}))
    partial.rename(state)  # whole or absent: the parent polls for it
    for line in sys.stdin:
        command, _, path = line.strip().partition(" ")
        if command == "dump":
            calls = [
                ("telegram", str(c.params.get("chat_id")), c.at) for c in telegram.calls_to("sendMessage")
            ]
            calls += [("whatsapp", str(c.params.get("to")), c.at) for c in graph.calls_to("messages")]
            Path(path).write_text(json.dumps(calls))
            print("ok", flush=True)
        elif command == "quit":
            break
    telegram.stop()
    graph.stop()


# --- a small keep-alive HTTP/1.1 client ---


@dataclass(frozen=True, slots=True)
class Job:
    chat: str  # "" for a delivery report: no reply is expected
    request: bytes


def http_post(path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {HOST}", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def roundtrip(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return status


async def burst(port: int, jobs: list[Job], concurrency: int) -> tuple[float, list[float], list[str]]:
    """All jobs as fast as ``concurrency`` connections allow: (seconds, latencies, acked chats)."""
    queue = list(reversed(jobs))
    latencies: list[float] = []
    acked: list[str] = []

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        while queue:
            job = queue.pop()
            start = time.perf_counter()
            status = await roundtrip(reader, writer, job.request)
            latencies.append(time.perf_counter() - start)
            if status == 200:
                acked.append(job.chat)
        writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - start, latencies, acked


async def paced(
    port: int, schedule: list[tuple[float, Job]], connections: int
) -> tuple[dict[str, float], list[float], list[float]]:
    """Jobs at their offsets in seconds: (post time per chat, update ack latencies, report ack latencies)."""
    pool: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection(HOST, port))
    posted: dict[str, float] = {}
    latencies: list[float] = []
    reports: list[float] = []

    async def one(job: Job) -> None:
        reader, writer = await pool.get()
        if job.chat:
            posted[job.chat] = time.monotonic()
        start = time.perf_counter()
        if await roundtrip(reader, writer, job.request) == 200:
            (latencies if job.chat else reports).append(time.perf_counter() - start)
        pool.put_nowait((reader, writer))

    begin = time.monotonic()
    tasks = []
    for offset, job in schedule:
        delay = begin + offset - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(job)))
    await asyncio.gather(*tasks)
    while not pool.empty():
        pool.get_nowait()[1].close()
    return posted, latencies, reports


# --- webhook bodies ---


def telegram_job(update_id: int, chat: int, text: str = "halo") -> Job:
    update = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1773630000,
            "chat": {"id": chat, "type": "private", "first_name": "Warga"},
            "from": {"id": chat, "is_bot": False, "first_name": "Warga"},
            "text": text,
        },
    }
    body = json.dumps(update).encode()
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
    return Job(f"telegram:{chat}", http_post("/webhook/telegram", body, headers))


def whatsapp_post(value: Mapping[str, object]) -> bytes:
    """A signed WhatsApp Cloud API notification carrying one change ``value``."""
    full = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6222123456", "phone_number_id": PHONE_ID},
        **value,
    }
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [{"id": "1", "changes": [{"field": "messages", "value": full}]}],
        }
    ).encode()
    signature = "sha256=" + hmac.new(WA_SECRET.encode(), body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature}
    return http_post("/webhook/whatsapp", body, headers)


def whatsapp_job(n: int, wa_id: str) -> Job:
    message = {
        "from": wa_id,
        "id": f"wamid.BENCH{n:09d}",
        "timestamp": "1773630000",
        "type": "text",
        "text": {"body": "halo"},
    }
    value = {"contacts": [{"profile": {"name": "Warga"}, "wa_id": wa_id}], "messages": [message]}
    return Job(f"whatsapp:{wa_id}", whatsapp_post(value))


def status_job(wamid: str, state: str, wa_id: str) -> Job:
    """A statuses-only body, as Meta sends for each reply: sent, then delivered, then read."""
    status = {"id": wamid, "status": state, "timestamp": "1773630001", "recipient_id": wa_id}
    return Job("", whatsapp_post({"statuses": [status]}))


def reports(wamids: int, count: int) -> list[Job]:
    """Delivery reports for the first ``wamids`` replies the fake Graph API numbered, in order."""
    states = ("sent", "delivered", "read")
    return [
        status_job(f"wamid.FAKE{1 + n // 3:08d}", states[n % 3], "62899")
        for n in range(min(count, 3 * wamids))
    ]


def jobs(start: int, count: int) -> list[Job]:
    """Alternating Telegram and WhatsApp, every message from a new user."""
    return [
        telegram_job(start + n, 500_000_000 + start + n)
        if n % 2 == 0
        else whatsapp_job(start + n, f"62899{start + n:08d}")
        for n in range(count)
    ]


# --- processes ---


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_http(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


@contextlib.contextmanager
def process(
    args: list[str], env: dict[str, str] | None = None, **kwargs: Any
) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(args, env=env, cwd=ROOT, text=True, **kwargs)
    try:
        yield proc
    finally:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(2)
        interrupt(proc, 15)


def interrupt(proc: subprocess.Popen[str], seconds: float) -> None:
    """Ctrl-C for a process still running; killed if it is not gone within ``seconds``."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(seconds)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def fake_platforms(tmp: Path) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    """The fakes' process (see :func:`serve_fakes`) and their URLs; told to quit at the end."""
    state = tmp / "fakes.json"
    fake_cmd = [sys.executable, __file__, "--serve-fakes", str(state)]
    with process(fake_cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE) as fakes:
        while not state.exists():
            time.sleep(0.05)
        yield fakes, json.loads(state.read_text())
        assert fakes.stdin
        fakes.stdin.write("quit\n")
        fakes.stdin.flush()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def row(name: str, seconds: float, latencies: list[float], acked: int) -> str:
    rate = acked / seconds if seconds else 0.0
    return f"{name:<34} {acked:>7} {rate:>10.0f} {pct(latencies, 0.5) * 1000:>9.1f} {pct(latencies, 0.99) * 1000:>9.1f}"


def dump_calls(fakes: subprocess.Popen[str], tmp: Path) -> list[tuple[str, str, float]]:
    path = tmp / "calls.json"
    assert fakes.stdin and fakes.stdout
    fakes.stdin.write(f"dump {path}\n")
    fakes.stdin.flush()
    fakes.stdout.readline()
    return [(c, chat, at) for c, chat, at in json.loads(path.read_text())]


def wait_replies(
    fakes: subprocess.Popen[str], tmp: Path, expected: int, seconds: float
) -> list[tuple[str, str, float]]:
    deadline = time.monotonic() + seconds
    while True:
        calls = dump_calls(fakes, tmp)
        if len(calls) >= expected or time.monotonic() > deadline:
            return calls
        time.sleep(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--status-rate", type=float, default=300.0)
    parser.add_argument("--serve-fakes", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_fakes:
        serve_fakes(args.serve_fakes)
        return 0
    requests = min(args.requests, 50_000)
    sustained = int(min(args.rate, 1000) * min(args.seconds, 120))

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with fake_platforms(tmp) as (fakes, urls):
            port, bare_port = free_port(), free_port()
            env = {
                **os.environ,
                "TANYA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bench.db",
                "TANYA_SECRET_KEY": "bench-secret-key-0123456789abcdef",
                "TANYA_TELEGRAM_TOKEN": TG_TOKEN,
                "TANYA_TELEGRAM_SECRET": TG_SECRET,
                "TANYA_TELEGRAM_API_BASE": f"{urls['telegram']}/bot",
                "TANYA_WHATSAPP_TOKEN": WA_TOKEN,
                "TANYA_WHATSAPP_APP_SECRET": WA_SECRET,
                "TANYA_WHATSAPP_VERIFY_TOKEN": "bench",
                "TANYA_WHATSAPP_PHONE_ID": PHONE_ID,
                "TANYA_GRAPH_API_BASE": urls["graph"],
                "TANYA_TELEGRAM_PER_SECOND": "5000",
                "TANYA_TELEGRAM_CHAT_INTERVAL": "0",
                "TANYA_WHATSAPP_PER_SECOND": "5000",
                "TANYA_WHATSAPP_USER_INTERVAL": "0",
                "TANYA_LOG_LEVEL": "WARNING",
            }
            tanya = [
                str(Path(sys.executable).with_name("tanya")),
                "serve",
                "--host",
                HOST,
                "--port",
                str(port),
            ]
            bare = [
                sys.executable,
                "-m",
                "uvicorn",
                "webhook:bare_app",
                "--factory",
                "--app-dir",
                str(ROOT / "bench"),
            ]
            bare += ["--host", HOST, "--port", str(bare_port), "--log-level", "info"]
            quiet: dict[str, Any] = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
            with process(tanya, env, **quiet) as server, process(bare, **quiet):
                wait_http(port)
                wait_http(bare_port)
                time.sleep(1.0)
                print(f"{'':<34} {'acked':>7} {'acks/s':>10} {'p50 ms':>9} {'p99 ms':>9}")
                bare_jobs = [Job(str(n), http_post("/webhook/telegram", b"{}", {})) for n in range(requests)]
                seconds, latencies, acked = asyncio.run(burst(bare_port, bare_jobs, args.concurrency))
                print(row("bare FastAPI endpoint (ceiling)", seconds, latencies, len(acked)))
                load = jobs(0, requests)
                seconds, latencies, acked_chats = asyncio.run(burst(port, load, args.concurrency))
                print(
                    row(
                        f"tanya webhooks, {args.concurrency} connections",
                        seconds,
                        latencies,
                        len(acked_chats),
                    )
                )
                calls = wait_replies(fakes, tmp, 2 * len(acked_chats), 300)
                print(f"  burst replies at the fake APIs: {len(calls)} of {2 * len(acked_chats)}")

                paced_jobs = jobs(10_000_000, sustained)
                wa_replies = sum(1 for c, _chat, _at in calls if c == "whatsapp")  # numbered from 1
                status_jobs = reports(wa_replies, int(min(args.status_rate, 1000) * min(args.seconds, 120)))
                schedule = sorted(
                    [(n / args.rate, job) for n, job in enumerate(paced_jobs)]
                    + [(n / args.status_rate, job) for n, job in enumerate(status_jobs)],
                    key=lambda item: item[0],
                )
                posted, paced_latencies, report_latencies = asyncio.run(paced(port, schedule, 64))
                acked_chats += list(posted)
                print(
                    row(
                        f"tanya webhooks at {args.rate:.0f}/s",
                        sustained / args.rate,
                        paced_latencies,
                        len(paced_latencies),
                    )
                )
                print(
                    row(
                        "  delivery reports alongside",
                        sustained / args.rate,
                        report_latencies,
                        len(report_latencies),
                    )
                )
                calls = wait_replies(fakes, tmp, 2 * len(acked_chats), 60)
                delays = [at - posted[f"{c}:{chat}"] for c, chat, at in calls if f"{c}:{chat}" in posted]
                within = sum(d <= 1.0 for d in delays)
                print(
                    f"  webhook -> reply at fake API: {len(delays)} replies (expected {2 * len(posted)}), "
                    f"p50 {pct(delays, 0.5) * 1000:.1f} ms, p99 {pct(delays, 0.99) * 1000:.1f} ms, "
                    f"max {max(delays, default=float('nan')) * 1000:.1f} ms, within 1 s: {within}"
                )
                server.send_signal(signal.SIGINT)
                server.wait(30)
            with sqlite3.connect(tmp / "bench.db") as db:
                stored = {f"{ch}:{chat}" for ch, chat in db.execute("SELECT channel, chat_id FROM inbox")}
                read = db.execute("SELECT count(*) FROM outbox WHERE delivery_state = 'read'").fetchone()[0]
            pseudonym = crypto_for(env["TANYA_SECRET_KEY"]).chat_pseudonym  # WhatsApp numbers are stored so
            missing = [c for c in acked_chats if _stored_key(c, pseudonym) not in stored]
            print(
                f"  acknowledged and committed: {len(acked_chats) - len(missing)} of {len(acked_chats)} (missing {len(missing)})"
            )
            print(f"  replies marked read by the delivery reports: {read} of {len(status_jobs) // 3}")
    return 0


def _stored_key(chat: str, pseudonym: Callable[[str], str]) -> str:
    channel, _, chat_id = chat.partition(":")
    return f"{channel}:{pseudonym(chat_id)}" if channel == "whatsapp" else chat


if __name__ == "__main__":
    sys.exit(main())
