"""The web chat channel: a JSON API with long-polling, and the page that uses it.

A browser session is a random chat id signed with the secret key and kept by the page in
``localStorage`` (it works inside an iframe on a PPID website). It travels in the
``X-Tanya-Session`` header, never in a URL. Replies are the conversation's outbox rows; a
long-poll waits until the relay signals new ones, so an officer's later answer appears without
a reload.
"""

# No "from __future__ import annotations": FastAPI must evaluate the closures' Annotated[...] at runtime.
import asyncio
import contextlib
import hashlib
import html
import uuid
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from fastapi.responses import HTMLResponse
from itsdangerous import BadSignature, URLSafeSerializer
from pydantic import BaseModel, Field

from bot.messages import InboundMessage, OutboundMessage
from bot.relay import RateLimits, SendResult
from handlers.types import Channel, InputKind, Reply, UserInput
from storage.repositories import ConversationRepository, OutboxRepository

if TYPE_CHECKING:
    from bot.runtime import Runtime

STATIC = Path(__file__).resolve().parent.parent / "static"
MAX_BODY_CHARS = 20_000  # larger bodies are refused outright; the bot answers anything up to this
POLL_SECONDS = 25.0
# The page may be framed by any PPID website (no frame-ancestors); everything else is same-origin.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def asset_version() -> str:
    """A short hash of the page's script and style, so a deploy is never served stale from cache."""
    digest = hashlib.sha256()
    for name in ("chat.js", "chat.css"):
        digest.update((STATIC / name).read_bytes())
    return digest.hexdigest()[:12]


class WebHub:
    """Wakes long-polls of one chat when the relay has delivered new replies to it."""

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = defaultdict(asyncio.Event)

    def notify(self, chat_id: str) -> None:
        if event := self._events.get(chat_id):
            event.set()

    async def wait(self, chat_id: str, seconds: float) -> None:
        event = self._events[chat_id]
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(seconds):  # not wait_for: it can swallow a cancel on 3.11
                    await event.wait()
        finally:
            event.clear()
            self._events.pop(chat_id, None)


class WebSender:
    """The web chat's sender: the reply already sits in the outbox; wake the page's long-poll."""

    channel = Channel.WEB
    limits = RateLimits(per_second=10_000.0)

    def __init__(self, hub: WebHub) -> None:
        self._hub = hub

    async def send(self, message: OutboundMessage) -> SendResult:
        self._hub.notify(message.chat_id)
        return SendResult(ok=True, platform_message_id=f"web-{message.id}")


class SessionCodec:
    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt="tanya-web-session")

    def new(self) -> tuple[str, str]:
        chat_id = uuid.uuid4().hex
        return chat_id, self._serializer.dumps(chat_id)

    def chat_id(self, token: str) -> str | None:
        try:
            value = self._serializer.loads(token)
        except BadSignature:
            return None
        return value if isinstance(value, str) and len(value) == 32 else None


class OutgoingText(BaseModel):
    text: str = Field(default="", max_length=MAX_BODY_CHARS)
    choice: str = Field(default="", max_length=64)
    client_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


def _reply_json(row_id: int, payload: str, created_at: datetime, kind: str) -> dict[str, Any]:
    reply = Reply.from_json(payload)
    return {
        "id": row_id,
        "text": reply.text,
        "choices": [{"label": c.label, "payload": c.payload} for c in reply.choices],
        "link": reply.link,
        "at": created_at.isoformat(),
        "kind": kind,  # reply | notice | broadcast | officer: the page labels an officer's answer
    }


def build_router(runtime: "Runtime") -> APIRouter:
    router = APIRouter()
    codecs: list[SessionCodec] = []

    def codec() -> SessionCodec:
        if not codecs:
            codecs.append(SessionCodec(runtime.secret_key))
        return codecs[0]

    def session_chat(x_tanya_session: Annotated[str, Header()] = "") -> str:
        chat_id = codec().chat_id(x_tanya_session) if x_tanya_session else None
        if not chat_id:
            raise HTTPException(401, "session missing or invalid: POST /api/web/session first")
        return chat_id

    version = asset_version()

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        values = {
            "{{BODY_NAME}}": html.escape(runtime.settings.body_name),
            "{{MAX_CHARS}}": str(runtime.settings.max_message_chars),
            "{{ASSET_VERSION}}": version,
        }
        text = (STATIC / "chat.html").read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        return HTMLResponse(text, headers=PAGE_HEADERS)

    @router.post("/api/web/session")
    async def new_session() -> dict[str, str]:
        _chat_id, token = codec().new()
        return {"session": token}

    @router.post("/api/web/messages", status_code=202)
    async def post_message(
        body: OutgoingText, chat_id: Annotated[str, Depends(session_chat)]
    ) -> dict[str, Any]:
        if body.choice:
            user_input = UserInput(kind=InputKind.CHOICE, choice=body.choice, text=body.text)
        elif body.text.strip().startswith("/"):
            command, _, args = body.text.strip()[1:].partition(" ")
            user_input = UserInput(kind=InputKind.COMMAND, text=body.text, command=command, command_args=args)
        else:
            user_input = UserInput(kind=InputKind.TEXT, text=body.text)
        message = InboundMessage(
            channel=Channel.WEB,
            chat_id=chat_id,
            message_id=f"{chat_id}:{body.client_id}",
            received_at=runtime.clock(),
            input=user_input,
        )
        (is_new,) = await runtime.pipeline.submit([message])
        return {"accepted": True, "duplicate": not is_new}

    @router.get("/api/web/messages")
    async def get_messages(
        request: Request, chat_id: Annotated[str, Depends(session_chat)], after: int = 0, wait: float = 0.0
    ) -> dict[str, Any]:
        wait = max(0.0, min(wait, POLL_SECONDS))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            async with runtime.db.session() as session:
                conversation = await ConversationRepository.get(session, (Channel.WEB.value, chat_id))
                rows = (
                    await OutboxRepository.for_conversation(session, conversation.id, after)
                    if conversation
                    else []
                )
            remaining = deadline - loop.time()
            if rows or remaining <= 0 or await request.is_disconnected():  # a closed tab stops polling
                return {"messages": [_reply_json(r.id, r.payload, r.created_at, r.kind) for r in rows]}
            await runtime.hub.wait(chat_id, min(remaining, 1.0))

    return router
