"""Typed FastAPI dependencies (the full-stack template's ``deps.py``): the runtime of this process."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from bot.runtime import Runtime


def get_runtime(request: Request) -> Runtime:
    """The runtime the lifespan built (``app.state.runtime``); 503 before start-up has finished."""
    runtime = getattr(request.app.state, "runtime", None)
    if not isinstance(runtime, Runtime):
        raise HTTPException(503, "starting up")
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
