"""``tanya chat``: talk to the bot in the terminal, through the real pipeline and database.

Reads standard input line by line when it is not a terminal, so it can be scripted:
``printf 'halo\\nmenu\\n' | tanya chat``. ``--user ID`` plays another citizen: each user sees only
the messages of their own conversation, and what came for another user while they were away
(an officer's decision, say) waits for that user's next ``tanya chat --user``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from typing import Any

from bot.channels.cli import CliSender
from bot.messages import InboundMessage
from bot.runtime import Runtime, build_runtime, utc_now
from bot.settings import get_settings
from handlers.types import Channel, InputKind, UserInput


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("chat", help="chat with the bot in the terminal (scriptable through stdin)")
    parser.add_argument("--user", default="terminal", help="who is talking (one conversation per user)")
    parser.set_defaults(func=run)


def to_input(line: str) -> UserInput:
    text = line.rstrip("\r\n")
    if text.startswith("/") and len(text) > 1:
        command, _, args = text[1:].partition(" ")
        return UserInput(kind=InputKind.COMMAND, text=text, command=command, command_args=args)
    return UserInput(kind=InputKind.TEXT, text=text)


async def say(runtime: Runtime, user: str, line: str) -> None:
    """Send one line and return once every reply to it has been printed."""
    message = InboundMessage(
        channel=Channel.CLI,
        chat_id=user,
        message_id=uuid.uuid4().hex,
        received_at=runtime.clock(),
        input=to_input(line),
    )
    await runtime.pipeline.submit([message])
    await runtime.pipeline.wait_idle()
    await runtime.relay.drain()


async def _chat(user: str) -> int:
    runtime = await build_runtime(get_settings(), senders=[CliSender(user)], clock=utc_now)
    await runtime.start()
    interactive = sys.stdin.isatty()
    if interactive:
        print("Tanya PPID (terminal). Ketik pesan lalu Enter; Ctrl-D untuk keluar.")
    try:
        loop = asyncio.get_running_loop()
        while True:
            if interactive:
                print("anda> ", end="", flush=True)
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            if not interactive:
                print(f"anda> {line.rstrip()}")
            await say(runtime, user, line)
    finally:
        await runtime.stop()
    return 0


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_chat(args.user))
