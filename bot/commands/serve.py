"""``tanya serve``: the web chat and the Telegram and WhatsApp webhooks under uvicorn."""

from __future__ import annotations

import argparse
import logging
import os
from typing import TYPE_CHECKING, Any

import uvicorn

from bot.lifeline import SUPERVISOR_ENV, follow_supervisor
from bot.logging import configure_logging
from bot.settings import get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI


def register(sub: argparse._SubParsersAction[Any]) -> None:
    parser = sub.add_parser("serve", help="serve the web chat and the Telegram and WhatsApp webhooks")
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
    if args.workers > 1:  # the workers die with this process (bot.lifeline)
        os.environ[SUPERVISOR_ENV] = str(os.getpid())
    print(f"Tanya PPID: web chat at http://{args.host}:{args.port}/  (health: /healthz)", flush=True)
    uvicorn.run(
        "bot.commands.serve:worker_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level="info",
        proxy_headers=True,
        timeout_graceful_shutdown=5,  # open long-polls must not hold a restart
        access_log=args.access_log,
    )
    return 0


def worker_app() -> FastAPI:
    """The app of one serving process; a worker of ``--workers N`` first ties its life to the supervisor's."""
    from bot.app import create_app

    follow_supervisor()
    return create_app()
