"""``tanya telegram set-webhook URL | delete-webhook | poll``: connect the Telegram bot.

Telegram delivers updates either to a webhook (``set-webhook``, for a server with public HTTPS;
then ``tanya serve`` receives them) or to long polling (``poll``, for an office without public
HTTPS), never both: ``poll`` removes the webhook first, and ``set-webhook`` ends any polling.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import Any

from telegram import Bot, BotCommand
from telegram.error import TelegramError

from bot.channels.telegram import ALLOWED_UPDATES, file_base_url
from bot.logging import configure_logging
from bot.runtime import build_runtime
from bot.settings import Settings, get_settings
from handlers.texts import t

COMMANDS = (("menu", "command_menu"), ("bantuan", "command_help"), ("batal", "command_cancel"))


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("telegram", help="connect the Telegram bot: webhook or long polling")
    actions = parser.add_subparsers(dest="telegram_action", metavar="ACTION", required=True)
    hook = actions.add_parser("set-webhook", help="register URL (https://.../webhook/telegram) with Telegram")
    hook.add_argument("url")
    hook.add_argument("--drop-pending", action="store_true", help="discard updates waiting at Telegram")
    hook.set_defaults(func=_set_webhook)
    delete = actions.add_parser("delete-webhook", help="stop webhook delivery")
    delete.set_defaults(func=_delete_webhook)
    poll = actions.add_parser("poll", help="run the bot with long polling (removes the webhook first)")
    poll.set_defaults(func=_poll)


def _bot(settings: Settings) -> Bot:
    if not settings.telegram_token:
        raise SystemExit("TANYA_TELEGRAM_TOKEN is not set: get a token from @BotFather first")
    base = settings.telegram_api_base
    return Bot(settings.telegram_token, base_url=base, base_file_url=file_base_url(base))


async def set_webhook(settings: Settings, url: str, *, drop_pending: bool = False) -> str:
    if not url.startswith("https://") and not url.startswith("http://127.0.0.1"):
        raise SystemExit("Telegram only calls https:// webhooks")
    if not settings.telegram_secret:
        raise SystemExit("set TANYA_TELEGRAM_SECRET (1-256 characters A-Z a-z 0-9 _ -) first")
    async with _bot(settings) as bot:
        await bot.set_webhook(
            url,
            secret_token=settings.telegram_secret,
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=drop_pending,
        )
        await bot.set_my_commands([BotCommand(name, t(key)) for name, key in COMMANDS])
        return f"webhook set for @{bot.username}: {url}"


async def delete_webhook(settings: Settings) -> str:
    async with _bot(settings) as bot:
        await bot.delete_webhook()
        return f"webhook removed for @{bot.username}"


async def poll(settings: Settings, stop: asyncio.Event) -> None:
    """The whole service (pipeline, relay, channels) fed by getUpdates until ``stop`` is set."""
    runtime = await build_runtime(settings)
    if runtime.telegram is None:
        raise SystemExit("TANYA_TELEGRAM_TOKEN is not set: get a token from @BotFather first")
    await runtime.start()
    try:
        polling = asyncio.create_task(runtime.telegram.poll(stop))
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({polling, stopped}, return_when=asyncio.FIRST_COMPLETED)
        polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
        stopped.cancel()
    finally:
        await runtime.stop()


def _set_webhook(args: argparse.Namespace) -> int:
    return _report(set_webhook(get_settings(), args.url, drop_pending=args.drop_pending))


def _delete_webhook(args: argparse.Namespace) -> int:
    return _report(delete_webhook(get_settings()))


def _report(job: Any) -> int:
    try:
        print(asyncio.run(job))
    except TelegramError as exc:
        print(f"Telegram refused: {exc}", file=sys.stderr)
        return 1
    return 0


def _poll(args: argparse.Namespace) -> int:
    configure_logging()

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        print("Tanya PPID: polling Telegram (Ctrl-C to stop)", flush=True)
        await poll(get_settings(), stop)

    asyncio.run(main())
    return 0
