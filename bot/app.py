"""The FastAPI application: web chat, health check and the Telegram and WhatsApp webhooks."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from bot.channels import telegram, web, whatsapp
from bot.health import health_checks
from bot.heap import freeze_startup_heap
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings, get_settings


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """The app; with ``runtime`` given (tests) it is used as is, else built in the lifespan."""
    settings = settings or get_settings()
    holder: dict[str, Runtime] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = runtime or await build_runtime(settings)
        holder["rt"] = rt
        app.state.runtime = rt
        await rt.start()
        if runtime is None:  # the serving process: what start-up built lives as long as it does
            freeze_startup_heap()
        try:
            yield
        finally:
            await rt.stop()

    app = FastAPI(title="Tanya PPID", lifespan=lifespan, docs_url="/api/docs", redoc_url=None)
    app.mount("/static", StaticFiles(directory=web.STATIC), name="static")

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        checks = await health_checks(holder["rt"])
        ok = all(checks.values())
        return JSONResponse({"status": "ok" if ok else "degraded", **checks}, status_code=200 if ok else 503)

    app.include_router(web.build_router(_Lazy(holder)))
    app.include_router(telegram.build_router(_Lazy(holder)))
    app.include_router(whatsapp.build_router(_Lazy(holder)))
    return app


class _Lazy:
    """Attribute access to the runtime, resolved at request time (it exists only after start-up)."""

    def __init__(self, holder: dict[str, Runtime]) -> None:
        self._holder = holder

    def __getattr__(self, name: str) -> object:
        return getattr(self._holder["rt"], name)
