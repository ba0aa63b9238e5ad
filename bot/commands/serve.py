"""``tanya serve``: the web chat, the officer console and the Telegram and WhatsApp webhooks under uvicorn."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from typing import TYPE_CHECKING, Any

import uvicorn

from bot.lifeline import SUPERVISOR_ENV, follow_supervisor
from bot.logging import configure_logging
from bot.secrets import open_sealed_database
from bot.settings import Settings, get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser(
        "serve",
        help="serve the web chat, the officer console (/console) and the Telegram and WhatsApp webhooks",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL only)")
    parser.add_argument(
        "--sample-data",
        action="store_true",
        help="load the sample register and FAQ of Kota Sukamaju when the register is empty",
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="log every HTTP request (off by default: it costs CPU at load)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    configure_logging()
    settings = get_settings()
    if args.sample_data:
        os.environ["TANYA_SAMPLE_DATA"] = "1"
        get_settings.cache_clear()
    if args.workers > 1 and settings.is_sqlite:
        logging.getLogger(__name__).warning("SQLite serves one worker process; use PostgreSQL for more")
        args.workers = 1
    asyncio.run(_check_key(settings))  # a wrong key is refused here, before uvicorn starts
    if args.workers > 1:  # the workers die with this process (bot.lifeline)
        os.environ[SUPERVISOR_ENV] = str(os.getpid())
    print(
        f"Tanya PPID: web chat at http://{args.host}:{args.port}/  officers: /console  (health: /healthz)",
        flush=True,
    )
    uvicorn.run(
        "bot.commands.serve:worker_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        # X-Forwarded-For only from the configured proxies (TANYA_TRUSTED_PROXIES), never from anyone
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
        timeout_graceful_shutdown=5,  # open long-polls must not hold a restart
        access_log=args.access_log,
    )
    return 0


async def _check_key(settings: Settings) -> None:
    sealed = await open_sealed_database(settings)
    await sealed.db.dispose()


def worker_app() -> FastAPI:
    """The app of one serving process; a worker of ``--workers N`` first ties its life to the supervisor's."""
    from bot.app import create_app

    follow_supervisor()
    return create_app()
