"""Telegram and WhatsApp sends in a child process, so the HTTP work runs on a second CPU core.

The relay stays in the serving process: it claims the rows, keeps the order per conversation,
holds the rate limits and records every result. Only ``Sender.send`` runs in the child, which
builds its own PTB ``Bot`` and httpx client from the same settings and answers each request
with its :class:`~bot.relay.SendResult`; the child never opens the database (SQLite keeps a
single writing process). Requests and results are lines of JSON on the child's stdin and stdout.

If the child dies, the sends it had are returned as retryable failures: the platform may have
taken them, exactly as after a timeout, and a new child is started. The child dies with its
parent (:mod:`bot.lifeline`), and ends when its stdin closes.

    python -m bot.channels.send_worker PARENT_PID   # started by the runtime; settings come on stdin
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from bot.channels import telegram, whatsapp
from bot.messages import OutboundMessage
from bot.relay import RateLimits, Sender, SendResult, backoff
from bot.settings import Settings
from handlers.types import Channel, Reply

log = logging.getLogger(__name__)

SEND_TIMEOUT = 100.0  # seconds; the senders' own HTTP timeouts are far shorter
RESTART_PAUSE = 1.0  # seconds between two starts of the child
STOP_GRACE = 10.0  # seconds the child may take to finish its sends when stopped
_LINE_LIMIT = 16 * 1024 * 1024  # a reply is at most a few split messages of 4096 characters


def encode_message(number: int, message: OutboundMessage) -> bytes:
    body = {
        "n": number,
        "id": message.id,
        "conversation_id": message.conversation_id,
        "channel": message.channel.value,
        "chat_id": message.chat_id,
        "reply": message.reply.to_json(),
        "kind": message.kind,
        "attempts": message.attempts,
        "extra": message.extra,
    }
    return json.dumps(body).encode() + b"\n"


def decode_message(line: bytes) -> tuple[int, OutboundMessage]:
    data = json.loads(line)
    message = OutboundMessage(
        id=int(data["id"]),
        conversation_id=int(data["conversation_id"]),
        channel=Channel(data["channel"]),
        chat_id=str(data["chat_id"]),
        reply=Reply.from_json(data["reply"]),
        kind=str(data["kind"]),
        attempts=int(data["attempts"]),
        extra={str(k): str(v) for k, v in data["extra"].items()},
    )
    return int(data["n"]), message


def encode_result(number: int, result: SendResult) -> bytes:
    return json.dumps({"n": number, "result": asdict(result)}).encode() + b"\n"


def decode_result(line: bytes) -> tuple[int, SendResult]:
    data = json.loads(line)
    return int(data["n"]), SendResult(**data["result"])


class LineBatcher:
    """Lines written within one turn of the event loop leave in one write (one system call)."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self._writer = writer
        self._lines: list[bytes] = []

    def write(self, line: bytes) -> None:
        if not self._lines:
            asyncio.get_running_loop().call_soon(self._flush)
        self._lines.append(line)

    def _flush(self) -> None:
        data, self._lines = b"".join(self._lines), []
        if not self._writer.is_closing():
            self._writer.write(data)


# --- the serving process's side ---


class SendWorker:
    """The child process and the sends waiting on it; one per serving process."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._proc: asyncio.subprocess.Process | None = None
        self._out: LineBatcher | None = None
        self._reader: asyncio.Task[None] | None = None
        self._pending: dict[int, asyncio.Future[SendResult]] = {}
        self._numbers = itertools.count(1)
        self._lock = asyncio.Lock()
        self._started_at = 0.0
        self._stopped = False
        self._restart: asyncio.Task[LineBatcher] | None = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc and self._proc.returncode is None else None

    @property
    def alive(self) -> bool:
        """The child runs (or the worker was stopped on purpose): for the health check."""
        return self._stopped or self.pid is not None

    async def start(self) -> None:
        self._stopped = False
        await self._ensure()

    async def stop(self) -> None:
        """Close the child's input: it finishes the sends under way and exits."""
        self._stopped = True
        if self._restart and not self._restart.done():
            self._restart.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._restart
        proc, reader = self._proc, self._reader
        if proc is None:
            return
        if proc.stdin and not proc.stdin.is_closing():
            proc.stdin.close()
        try:
            await asyncio.wait_for(proc.wait(), STOP_GRACE)
        except TimeoutError:
            proc.kill()
            await proc.wait()
        if reader:
            await reader
        self._proc = self._out = self._reader = None

    async def send(self, message: OutboundMessage) -> SendResult:
        if self._stopped:
            return SendResult(ok=False, retry_after=backoff(message.attempts), error="send worker stopped")
        out = await self._ensure()
        number = next(self._numbers)
        future: asyncio.Future[SendResult] = asyncio.get_running_loop().create_future()
        self._pending[number] = future
        try:
            out.write(encode_message(number, message))
            async with asyncio.timeout(SEND_TIMEOUT):
                return await future
        except TimeoutError as exc:
            log.warning("send worker: outbox row %s: %s", message.id, type(exc).__name__)
            return SendResult(ok=False, retry_after=backoff(message.attempts), error=type(exc).__name__)
        finally:
            self._pending.pop(number, None)

    async def _ensure(self) -> LineBatcher:
        async with self._lock:
            if self._out and self._reader and not self._reader.done():
                return self._out
            pause = self._started_at + RESTART_PAUSE - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
            self._started_at = time.monotonic()
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                __name__,
                str(os.getpid()),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                limit=_LINE_LIMIT,
            )
            assert proc.stdin is not None
            proc.stdin.write(self._settings.model_dump_json().encode() + b"\n")
            self._proc, self._out = proc, LineBatcher(proc.stdin)
            self._reader = asyncio.create_task(self._read(proc), name="send-worker-results")
            log.info("send worker started (pid %s)", proc.pid)
            return self._out

    async def _read(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stdout is not None
        try:
            while line := await proc.stdout.readline():
                number, result = decode_result(line)
                future = self._pending.pop(number, None)
                if future and not future.done():
                    future.set_result(result)
        except (ValueError, KeyError, TypeError):
            log.exception("send worker: unreadable result; restarting it")
            proc.kill()
        finally:
            if not self._stopped:
                log.warning(
                    "send worker (pid %s) ended; %d sends will be retried", proc.pid, len(self._pending)
                )
            for future in self._pending.values():
                if not future.done():
                    future.set_result(SendResult(ok=False, retry_after=1.0, error="send worker exited"))
            self._pending.clear()
            if not self._stopped:
                self._restart = asyncio.create_task(self._ensure(), name="send-worker-restart")


class RemoteSender:
    """A channel's sender as seen by the relay; the send itself happens in the child."""

    def __init__(
        self,
        worker: SendWorker,
        local: Sender,
        prepare: Callable[[OutboundMessage], OutboundMessage] | None = None,
    ) -> None:
        self.channel: Channel = local.channel
        self.limits: RateLimits = local.limits
        self._worker = worker
        self._prepare = prepare or (lambda message: message)

    async def send(self, message: OutboundMessage) -> SendResult:
        return await self._worker.send(self._prepare(message))


# --- the child ---


def build_senders(settings: Settings) -> tuple[dict[str, Sender], list[Any]]:
    """The configured channels' senders, and what must be closed at the end."""
    senders: dict[str, Sender] = {}
    closers: list[Any] = []
    if settings.telegram_token:
        bot = telegram.build_bot(settings)
        identity = telegram.BotIdentity(bot)
        limits = telegram.limits_from(settings)
        senders[Channel.TELEGRAM.value] = telegram.TelegramSender(
            bot, limits, telegram.CallbackRegistry(), identity.username
        )
        closers.append(bot.shutdown)
    if settings.whatsapp_token and settings.whatsapp_phone_id:
        client = whatsapp.build_client(settings)
        senders[Channel.WHATSAPP.value] = whatsapp.WhatsAppSender(client, settings, lambda: datetime.now(UTC))
        closers.append(client.aclose)
    return senders, closers


async def _send(senders: dict[str, Sender], message: OutboundMessage) -> SendResult:
    sender = senders.get(message.channel.value)
    if sender is None:
        return SendResult(ok=False, error=f"channel {message.channel.value} is not configured")
    try:
        return await sender.send(message)
    except Exception as exc:
        log.warning("send of outbox row %s failed: %s", message.id, type(exc).__name__)
        return SendResult(ok=False, retry_after=backoff(message.attempts), error=type(exc).__name__)


async def serve() -> None:
    """Read requests from stdin until it closes, send each at once, write each result to stdout."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=_LINE_LIMIT)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    transport, protocol = await loop.connect_write_pipe(asyncio.streams.FlowControlMixin, sys.stdout)
    writer = asyncio.StreamWriter(transport, protocol, None, loop)
    out = LineBatcher(writer)
    settings = Settings.model_validate_json(await reader.readline())
    senders, closers = build_senders(settings)
    tasks: set[asyncio.Task[None]] = set()

    async def handle(line: bytes) -> None:
        number, message = decode_message(line)
        out.write(encode_result(number, await _send(senders, message)))

    while line := await reader.readline():
        task = asyncio.create_task(handle(line))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks, return_exceptions=True)
    for close in closers:
        with contextlib.suppress(Exception):
            await close()
    await asyncio.sleep(0)  # the last results' write
    writer.close()


def main() -> None:
    from bot.lifeline import die_with_parent
    from bot.logging import configure_logging

    configure_logging()
    if len(sys.argv) > 1 and sys.argv[1].isdigit():
        die_with_parent(int(sys.argv[1]))
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop comes with uvicorn[standard]
        asyncio.run(serve())
    else:
        uvloop.run(serve())


if __name__ == "__main__":
    main()
