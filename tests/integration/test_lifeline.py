"""Issue 9 item 13: children die with their parent, and ``/healthz`` says when a part is gone."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import psutil
import pytest

from tests.fake_platforms import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
SECRET = "test-secret-key-0123456789abcdefghijklmnop"

CHILD = """
import os, sys, time
from bot.lifeline import die_with_parent
die_with_parent(int(sys.argv[1]))
print(os.getpid(), flush=True)
time.sleep(60)
"""
PARENT = """
import subprocess, sys, time, os
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], str(os.getpid())], stdout=sys.stdout)
time.sleep(60)
"""


def _wait(predicate: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def _gone(pids: list[int]) -> Callable[[], bool]:
    def check() -> bool:
        alive = []
        for pid in pids:
            with contextlib.suppress(psutil.NoSuchProcess):
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    alive.append(pid)
        return not alive

    return check


def test_a_child_dies_with_its_killed_parent() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, CHILD], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        parent.send_signal(signal.SIGKILL)
        parent.wait(5)
        assert _wait(_gone([child]), 5), "the child outlived its parent"
    finally:
        parent.kill()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.postgres
def test_workers_and_send_children_die_with_a_killed_supervisor(pg_url: str, tmp_path: Path) -> None:
    """``tanya serve --workers 2`` on PostgreSQL, ``kill -9`` of the supervisor: nothing lives on."""
    telegram = FakeTelegram()
    telegram.start()
    port = _free_port()
    env = {
        **os.environ,
        "TANYA_DATABASE_URL": pg_url,
        "TANYA_SECRET_KEY": SECRET,
        "TANYA_TELEGRAM_TOKEN": telegram.token,
        "TANYA_TELEGRAM_SECRET": "s",
        "TANYA_TELEGRAM_API_BASE": telegram.api_base,
        "TANYA_SEND_PROCESS": "true",
    }
    tanya = str(Path(sys.executable).with_name("tanya"))
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(
        [tanya, "serve", "--port", str(port), "--workers", "2"], env=env, cwd=tmp_path, stdout=log, stderr=log
    )
    family: list[int] = []
    try:

        def ready() -> bool:
            with contextlib.suppress(httpx.TransportError):
                answers = [httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1) for _ in range(4)]
                kids = psutil.Process(serve.pid).children(recursive=True)
                senders = [k for k in kids if "bot.channels.send_worker" in " ".join(k.cmdline())]
                return all(a.status_code == 200 for a in answers) and len(senders) == 2
            return False

        assert _wait(ready, 60), (tmp_path / "serve.log").read_text()[-3000:]
        family = [k.pid for k in psutil.Process(serve.pid).children(recursive=True)]
        assert len(family) >= 4  # two workers, each with its send child
        health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).json()
        assert health == {
            "status": "ok",
            "database": True,
            "relay": True,
            "send_worker": True,
            "supervisor": True,
        }
        serve.send_signal(signal.SIGKILL)
        serve.wait(5)
        assert _wait(_gone(family), 20), "workers or send children outlived the supervisor"
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
    finally:
        serve.kill()
        for pid in family:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        telegram.stop()
        log.close()
