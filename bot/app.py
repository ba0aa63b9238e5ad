"""The FastAPI application: web chat, officer console, health check and the Telegram and WhatsApp webhooks."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, cast

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from bot import console
from bot.channels import telegram, web, whatsapp
from bot.deps import RuntimeDep
from bot.health import health_checks
from bot.heap import freeze_startup_heap
from bot.logging import configure_logging, guard_handlers
from bot.runtime import Runtime, build_runtime
from bot.settings import Settings, get_settings

if TYPE_CHECKING:
    from bot.console.upload_jobs import UploadJobs


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """The app; with ``runtime`` given (tests) it is used as is, else built in the lifespan."""
    settings = settings or get_settings()
    holder: dict[str, Runtime] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if runtime is None:  # the serving process (a worker process too): our handler, redacted
            configure_logging()
        rt = runtime or await build_runtime(settings)
        guard_handlers(rt.settings)  # the server's own loggers exist now: no secret in any of them
        holder["rt"] = rt
        app.state.runtime = rt
        await rt.start()
        if runtime is None:  # the serving process: what start-up built lives as long as it does
            freeze_startup_heap()
        try:
            yield
        finally:
            jobs: UploadJobs | None = getattr(app.state, "upload_jobs", None)
            if jobs is not None:
                await jobs.stop(rt)  # the console's running file checks, before the database closes
            await rt.stop()

    # No Swagger/ReDoc pages: FastAPI loads their scripts from a public CDN. The schema itself is
    # served in development only (any OpenAPI viewer opens it); production publishes no API map.
    openapi = None if settings.env == "production" else "/api/openapi.json"
    app = FastAPI(title="Tanya PPID", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=openapi)
    app.mount("/static", StaticFiles(directory=web.STATIC), name="static")

    @app.get("/healthz")
    async def healthz(rt: RuntimeDep) -> JSONResponse:
        checks = await health_checks(rt)
        ok = all(checks.values())
        return JSONResponse({"status": "ok" if ok else "degraded", **checks}, status_code=200 if ok else 503)

    deferred = cast(Runtime, _Lazy(holder))  # resolved at request time: it exists only after start-up
    app.include_router(web.build_router(deferred))
    app.include_router(telegram.build_router(deferred))
    app.include_router(whatsapp.build_router(deferred))
    console.install(app)
    return app


class _Lazy:
    """Attribute access to the runtime, resolved at request time (it exists only after start-up)."""

    def __init__(self, holder: dict[str, Runtime]) -> None:
        self._holder = holder

    def __getattr__(self, name: str) -> object:
        return getattr(self._holder["rt"], name)
