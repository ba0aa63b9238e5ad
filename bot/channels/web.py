"""The web chat channel: a JSON API with long-polling, and the page that uses it.

A browser session is a random chat id and its issue time, signed with the secret key and kept by
the page in ``localStorage`` (it works inside an iframe on a PPID website). It travels in the
``X-Tanya-Session`` header, never in a URL; it expires after ``TANYA_WEB_SESSION_HOURS`` and ends
for good with "Percakapan baru" (``DELETE /api/web/session``). Replies are the conversation's
outbox rows; a long-poll waits until the relay signals new ones, so an officer's later answer
appears without a reload.

Every request is checked in the cheap order: the session's signature (401), the rate limits per
session and per client address (429 with ``Retry-After``), the declared length (413), and only
then is the body read, capped while it streams.
"""

# No "from __future__ import annotations": FastAPI must evaluate the closures' Annotated[...] at runtime.
import asyncio
import contextlib
import hashlib
import html
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast
from urllib.parse import quote

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.limits import BodyTooLarge, ClientAddress, KeyedLimiter, Rate, read_capped, retry_after
from bot.channels.media import MAX_ATTACHMENT_BYTES, sniffed_type, store_file
from bot.channels.render import web_message
from bot.channels.web_page import body_branding, web_origin
from bot.messages import InboundMessage, OutboundMessage
from bot.relay import RateLimits, SendResult
from bot.settings import Settings
from handlers.handoff import officer_said
from handlers.types import Channel, InputKind, Reply, UserInput
from storage.attachments import AttachmentNotFound, AttachmentStore
from storage.models import Conversation, OutboxMessage
from storage.repositories import ConversationRepository, OutboxRepository

if TYPE_CHECKING:
    from bot.runtime import Runtime

STATIC = Path(__file__).resolve().parent.parent / "static"
MAX_BODY_CHARS = 20_000  # larger texts are refused outright; the bot answers anything up to this
MAX_BODY_BYTES = 4 * MAX_BODY_CHARS + 4096  # UTF-8 of that text and the JSON around it; more: 413
POLL_SECONDS = 25.0
MAX_ROW_ID = 2**63 - 1  # BIGINT: a larger "after" is refused (422), never an overflow
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
    """Wakes the long-polls of one chat when the relay has delivered new replies to it.

    A long-poll registers before it reads the database, so a reply committed between its read and
    its wait still wakes it; nothing polls the database while it waits.
    """

    def __init__(self) -> None:
        self._waiters: dict[str, set[asyncio.Event]] = {}

    def notify(self, chat_id: str) -> None:
        for event in self._waiters.get(chat_id, ()):
            event.set()

    @contextlib.contextmanager
    def listen(self, chat_id: str) -> Iterator[asyncio.Event]:
        """An event set by every ``notify`` for the chat while the block runs."""
        event = asyncio.Event()
        self._waiters.setdefault(chat_id, set()).add(event)
        try:
            yield event
        finally:
            waiters = self._waiters.get(chat_id)
            if waiters is not None:
                waiters.discard(event)
                if not waiters:
                    del self._waiters[chat_id]

    @property
    def listening(self) -> int:
        """Long-polls waiting now (for tests and benchmarks)."""
        return sum(len(w) for w in self._waiters.values())


async def wait_for(event: asyncio.Event, seconds: float) -> bool:
    """True if the event was set within ``seconds``."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):  # not wait_for: it can swallow a cancel on 3.11
            await event.wait()
    return event.is_set()


class WebSender:
    """The web chat's sender: the reply already sits in the outbox; wake the page's long-poll."""

    channel = Channel.WEB
    limits = RateLimits(per_second=10_000.0)

    def __init__(self, hub: WebHub) -> None:
        self._hub = hub

    async def send(self, message: OutboundMessage) -> SendResult:
        self._hub.notify(message.chat_id)
        return SendResult(ok=True, platform_message_id=f"web-{message.id}")


@dataclass(frozen=True, slots=True)
class WebSession:
    chat_id: str
    issued_at: datetime


class SessionCodec:
    """Signed session tokens that carry their issue time; older than ``max_age`` they are refused."""

    def __init__(self, secret: str, max_age: timedelta, clock: Callable[[], datetime]) -> None:
        class ClockSigner(TimestampSigner):
            def get_timestamp(self) -> int:
                return int(clock().timestamp())

        self._max_age = max(1, int(max_age.total_seconds()))
        # a new salt: the untimed tokens issued before sessions expired are no longer accepted
        self._serializer = URLSafeTimedSerializer(secret, salt="tanya-web-session-timed", signer=ClockSigner)

    def new(self) -> tuple[str, str]:
        chat_id = uuid.uuid4().hex
        return chat_id, self._serializer.dumps(chat_id)

    def read(self, token: str) -> WebSession | None:
        """The session, or None when forged, malformed or expired."""
        if len(token) > 256:
            return None
        try:
            value, issued = self._serializer.loads(token, max_age=self._max_age, return_timestamp=True)
        except BadSignature:  # SignatureExpired is one
            return None
        if not isinstance(value, str) or len(value) != 32:
            return None
        return WebSession(value, issued)


def is_session_current(conversation: Conversation | None, issued_at: datetime) -> bool:
    """May a session issued at ``issued_at`` still read and write this conversation?

    The one place that decides revocation (expiry is the codec's): a session ended with
    "Percakapan baru" marks its conversation unreachable, and nobody reads it through the web
    again. Erasure of the requester's personal data raises the conversation's ``session_epoch``
    (a web conversation belongs to one session, so any raise ends it): the old page cannot show
    the form's summary any more.
    """
    if conversation is None:
        return True
    return not conversation.unreachable and conversation.session_epoch == 0


class OutgoingText(BaseModel):
    text: str = Field(default="", max_length=MAX_BODY_CHARS)
    choice: str = Field(default="", max_length=64)
    client_id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


def _reply_json(row_id: int, payload: str, created_at: datetime, kind: str) -> dict[str, Any]:
    reply = Reply.from_json(payload)
    if kind == "reply" and officer_said(reply.text):  # a hand-off answer: the page labels the officer
        kind = "officer"
    return {
        "id": row_id,
        **web_message(reply, notice=kind == "notice"),  # text, choices, link, style (bot.channels.render)
        "at": created_at.isoformat(),
        "kind": kind,  # reply | notice | broadcast | officer: the page labels an officer's answer
    }


class TooMany(HTTPException):
    def __init__(self, wait: float) -> None:
        super().__init__(429, "too many requests: slow down", headers={"Retry-After": retry_after(wait)})


class WebLimits:
    """The web chat's token buckets: per session and per client address."""

    def __init__(self, settings: Settings) -> None:
        s = settings
        self.address = ClientAddress(s.trusted_proxies)
        self.sessions = KeyedLimiter(Rate(s.web_sessions_per_hour / 60.0, s.web_sessions_burst))
        self.messages = KeyedLimiter(Rate(s.web_messages_per_minute, s.web_messages_burst))
        self.address_messages = KeyedLimiter(
            Rate(s.web_address_messages_per_minute, s.web_address_messages_burst)
        )
        self.polls = KeyedLimiter(Rate(s.web_polls_per_minute, s.web_polls_burst))

    @staticmethod
    def check(*buckets: tuple[KeyedLimiter, str]) -> None:
        """Take a token from each bucket in turn; 429 at the first that has none.

        In turn: a session refused on its own bucket takes nothing from its address's, so one
        flooding tab does not starve the other citizens behind the same address.
        """
        for limiter, key in buckets:
            if wait := limiter.take(key):
                raise TooMany(wait)


def build_router(runtime: "Runtime") -> APIRouter:
    router = APIRouter()
    built: dict[str, Any] = {}

    def codec() -> SessionCodec:
        if "codec" not in built:
            hours = runtime.settings.web_session_hours
            built["codec"] = SessionCodec(runtime.secret_key, timedelta(hours=hours), runtime.clock)
        return cast(SessionCodec, built["codec"])

    def limits() -> WebLimits:
        if "limits" not in built:
            built["limits"] = WebLimits(runtime.settings)
        return cast(WebLimits, built["limits"])

    def web_session(x_tanya_session: Annotated[str, Header()] = "") -> WebSession:
        """The signed session of the header (no database, no body read yet): else 401."""
        session = codec().read(x_tanya_session) if x_tanya_session else None
        if session is None:
            raise HTTPException(401, "session missing, invalid or expired: POST /api/web/session")
        return session

    async def current_conversation(db_session: AsyncSession, session: WebSession) -> Conversation | None:
        """The session's conversation (None before its first message); 401 when the session was ended."""
        conversation = await ConversationRepository.get(db_session, (Channel.WEB.value, session.chat_id))
        if not is_session_current(conversation, session.issued_at):
            raise HTTPException(401, "session ended: POST /api/web/session")
        return conversation

    version = asset_version()

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        s = runtime.settings
        logo, links = body_branding(s.body_logo_url, s.body_website, s.privacy_url)
        values = {
            "{{BODY_LOGO}}": logo,
            "{{BODY_LINKS}}": links,
            "{{BODY_NAME}}": html.escape(runtime.settings.body_name),
            "{{MAX_CHARS}}": str(runtime.settings.max_message_chars),
            "{{ASSET_VERSION}}": version,
        }
        text = (STATIC / "chat.html").read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        headers = dict(PAGE_HEADERS)
        if origin := web_origin(s.body_logo_url):  # the logo may live on the body's own website
            headers["Content-Security-Policy"] = headers["Content-Security-Policy"].replace(
                "img-src 'self' data:", f"img-src 'self' data: {origin}"
            )
        return HTMLResponse(text, headers=headers)

    @router.post("/api/web/session")
    async def new_session(request: Request) -> dict[str, str]:
        limits().check((limits().sessions, limits().address(request)))
        _chat_id, token = codec().new()
        return {"session": token}

    @router.delete("/api/web/session", status_code=204)
    async def end_session(session: Annotated[WebSession, Depends(web_session)]) -> Response:
        """ "Percakapan baru": this session's conversation is closed to the web for good."""
        async with runtime.db.write() as db_session:
            await db_session.execute(
                update(Conversation)
                .where(Conversation.channel == Channel.WEB.value, Conversation.chat_id == session.chat_id)
                .values(unreachable=True)
            )
        return Response(status_code=204)

    @router.post("/api/web/messages", status_code=202)
    async def post_message(
        request: Request, session: Annotated[WebSession, Depends(web_session)]
    ) -> dict[str, Any]:
        chat_id = session.chat_id
        limits().check((limits().messages, chat_id), (limits().address_messages, limits().address(request)))
        async with runtime.db.session() as db_session:
            await current_conversation(db_session, session)
        try:
            body = OutgoingText.model_validate_json(await read_capped(request, MAX_BODY_BYTES))
        except BodyTooLarge:
            raise HTTPException(413, "body too large") from None
        except ValidationError as exc:
            raise HTTPException(422, "invalid message") from exc
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

    @router.post("/api/web/files", status_code=202)
    async def post_file(
        request: Request,
        session: Annotated[WebSession, Depends(web_session)],
        client_id: Annotated[str, Query(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
        content_type: Annotated[str, Header()] = "",
    ) -> dict[str, Any]:
        """A photo or PDF for the form's attachment step, as the raw body (at most 10 MB): the
        checks of the other channels (``bot.channels.media``), and the bytes must be what their
        type says. A refused file still reaches the conversation, which asks for another."""
        chat_id = session.chat_id
        limits().check((limits().messages, chat_id), (limits().address_messages, limits().address(request)))
        async with runtime.db.session() as db_session:
            await current_conversation(db_session, session)
        try:
            data = await read_capped(request, MAX_ATTACHMENT_BYTES)
        except BodyTooLarge:
            data = b""  # a file over the limit still reaches the conversation, which asks for another
        declared = content_type.split(";", 1)[0].strip().lower()
        mime = declared if data and sniffed_type(data) == declared else ""
        sink = runtime.attachments or AttachmentStore(runtime.db, runtime.crypto)
        attachment = await store_file(sink, data, mime) if data and mime else None
        kind = InputKind.PHOTO if mime.startswith("image/") else InputKind.DOCUMENT
        message = InboundMessage(
            channel=Channel.WEB,
            chat_id=chat_id,
            message_id=f"{chat_id}:{client_id}",
            received_at=runtime.clock(),
            input=UserInput(kind=kind, attachment=attachment),
        )
        (is_new,) = await runtime.pipeline.submit([message])
        return {"accepted": attachment is not None, "duplicate": not is_new}

    @router.get("/api/web/files/{row_id}")
    async def get_file(session: Annotated[WebSession, Depends(web_session)], row_id: int) -> Response:
        """The document an officer sent with outbox row ``row_id``: only to the session of that row's
        conversation (any other session, or none, gets 404 and learns nothing)."""
        limits().check((limits().polls, session.chat_id))
        if not 0 < row_id <= MAX_ROW_ID:
            raise HTTPException(404, "no such file")
        async with runtime.db.session() as db_session:
            conversation = await current_conversation(db_session, session)
            row = await db_session.get(OutboxMessage, row_id)
        attachment = Reply.from_json(row.payload).attachment if row is not None else None
        if (
            conversation is None
            or row is None
            or row.conversation_id != conversation.id
            or attachment is None
        ):
            raise HTTPException(404, "no such file")
        store = AttachmentStore(runtime.db, runtime.crypto)
        try:
            data = await store.get(attachment.ref)
        except AttachmentNotFound:
            raise HTTPException(404, "no such file") from None
        name = attachment.file_name or "dokumen"
        return Response(
            data,
            media_type=attachment.mime_type,
            headers={
                "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
                "Cache-Control": "no-store",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @router.get("/api/web/messages")
    async def get_messages(
        request: Request,
        session: Annotated[WebSession, Depends(web_session)],
        after: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
        wait: Annotated[float, Query(ge=0.0, allow_inf_nan=False)] = 0.0,
    ) -> dict[str, Any]:
        chat_id = session.chat_id
        limits().check((limits().polls, chat_id))
        wait = min(wait, POLL_SECONDS)
        # several processes (PostgreSQL): another one's relay may deliver, so look again now and then
        look_again = POLL_SECONDS if runtime.db.is_sqlite else runtime.settings.web_poll_fallback_seconds
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        with runtime.hub.listen(chat_id) as woken:
            while True:
                woken.clear()
                async with runtime.db.session() as db_session:
                    conversation = await current_conversation(db_session, session)
                    rows = (
                        await OutboxRepository.for_conversation(db_session, conversation.id, after)
                        if conversation
                        else []
                    )
                remaining = deadline - loop.time()
                if rows or remaining <= 0 or await request.is_disconnected():  # a closed tab stops polling
                    return {"messages": [_reply_json(r.id, r.payload, r.created_at, r.kind) for r in rows]}
                await wait_for(woken, min(remaining, look_again))

    return router
