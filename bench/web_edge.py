"""Web chat edge benchmark: what floods, idle long-polls and a huge body cost ``tanya serve``.

``tanya serve`` (SQLite, web chat only) runs under uvicorn on loopback; this script is the client.
Phases, each bounded in count and time:

1. idle long-polls: ``--polls`` sessions each hold ``GET /api/web/messages?wait=25`` open; the
   server's CPU over ``--seconds`` (a waiting long-poll should cost nothing);
2. a body of ``--body-mb`` MB streamed without a session: time to the answer, server RSS growth;
3. one session sending ``--flood`` messages as fast as it can: how many were taken (202) and
   refused (429);
4. one address asking for ``--sessions`` new sessions: taken and refused.

    python bench/web_edge.py [--polls 400] [--seconds 20] [--body-mb 400] [--flood 4575] [--sessions 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from webhook import HOST, free_port, wait_http


async def idle_polls(base: str, server: psutil.Process, polls: int, seconds: float) -> None:
    limits = httpx.Limits(max_connections=polls + 10, max_keepalive_connections=polls + 10)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        tokens = [(await http.post("/api/web/session")).json()["session"] for _ in range(polls)]

        async def hold(token: str, stop: asyncio.Event) -> None:
            while not stop.is_set():
                await http.get("/api/web/messages", params={"wait": 25}, headers={"X-Tanya-Session": token})

        stop = asyncio.Event()
        tasks = [asyncio.create_task(hold(t, stop)) for t in tokens]
        await asyncio.sleep(3)  # all of them waiting
        before, started = server.cpu_times(), time.monotonic()
        await asyncio.sleep(seconds)
        after, elapsed = server.cpu_times(), time.monotonic() - started
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    used = (after.user + after.system) - (before.user + before.system)
    print(
        f"idle long-polls: {polls} waiting for {elapsed:.1f} s used {used:.2f} s CPU ({100 * used / elapsed:.1f} % of a core)"
    )


async def huge_body(base: str, server: psutil.Process, megabytes: int) -> None:
    rss = server.memory_info().rss

    async def chunks() -> AsyncIterator[bytes]:
        block = b" " * (1024 * 1024)
        for _ in range(megabytes):
            yield block

    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        started = time.monotonic()
        try:
            response = await http.post("/api/web/messages", content=chunks())
            status = str(response.status_code)
        except httpx.HTTPError as exc:  # the server may close the connection after answering
            status = type(exc).__name__
        took = time.monotonic() - started
    grown = (server.memory_info().rss - rss) / 1e6
    print(
        f"{megabytes} MB body without a session: {status} after {took:.3f} s; server RSS grew {grown:.1f} MB"
    )


async def flood(base: str, count: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        token = (await http.post("/api/web/session")).json()["session"]
        headers = {"X-Tanya-Session": token}
        codes: Counter[int] = Counter()
        started = time.monotonic()
        queue = iter(range(count))

        async def worker() -> None:
            for n in queue:
                body = {"text": "halo", "client_id": f"flood{n:06d}"}
                codes[(await http.post("/api/web/messages", json=body, headers=headers)).status_code] += 1

        await asyncio.gather(*(worker() for _ in range(8)))
    print(
        f"one session, {count} messages in {time.monotonic() - started:.1f} s: {dict(sorted(codes.items()))}"
    )


async def sessions(base: str, count: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        codes: Counter[int] = Counter()
        for _ in range(count):
            codes[(await http.post("/api/web/session")).status_code] += 1
    print(f"one address, {count} new sessions: {dict(sorted(codes.items()))}")


async def run(args: argparse.Namespace, port: int, server: psutil.Process) -> None:
    base = f"http://{HOST}:{port}"
    await idle_polls(base, server, args.polls, args.seconds)
    await huge_body(base, server, args.body_mb)
    await flood(base, args.flood)
    await sessions(base, args.sessions)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--polls", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--body-mb", type=int, default=400)
    parser.add_argument("--flood", type=int, default=4575)
    parser.add_argument("--sessions", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        env = {
            **os.environ,
            "TANYA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bench.db",
            "TANYA_SECRET_KEY": "bench-secret-key-0123456789abcdef",
            "TANYA_LOG_LEVEL": "WARNING",
            # phase 1 needs its sessions from one address; phase 4 then meets the limit
            "TANYA_WEB_SESSIONS_BURST": str(args.polls + 60),
        }
        tanya = [str(Path(sys.executable).with_name("tanya")), "serve", "--host", HOST, "--port", str(port)]
        proc = subprocess.Popen(tanya, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_http(port)
            time.sleep(1.0)
            asyncio.run(run(args, port, psutil.Process(proc.pid)))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
