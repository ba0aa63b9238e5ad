"""WhatsApp Cloud API: the webhook (verification, signed notifications) and the sender (Graph API).

``GET /webhook/whatsapp`` echoes ``hub.challenge`` when ``hub.verify_token`` matches. ``POST``
bodies are refused over 3 MB (413), checked against ``X-Hub-Signature-256`` (HMAC-SHA256 of the
**raw** body with the app secret, before any parsing: 401 missing, 403 wrong) and then parsed
(400 when malformed). Every entry, change, message and status of a body is handled: messages go
to the inbox under their ``wamid`` (a redelivery is recognised there), statuses update the outbox
row they report on (sent, delivered, read, failed with the error code). The 200 goes out after
the commit. A conversation is keyed on the business-scoped user id (``from_user_id`` /
``user_id``) when the body has one, else on the ``wa_id``: a user with a username may arrive
without a phone number.

Replies go to ``{graph_api_base}/{version}/{phone_id}/messages`` as text (split at 4096
characters), reply buttons or list messages. Outside the 24-hour customer-service window only a
template may be sent: the configured one, or the row is held and shown to officers as
undeliverable.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import httpx
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.background import cancel_and_wait
from bot.channels.http_pool import ShardedTransport
from bot.channels.limits import BodyTooLarge, read_capped
from bot.channels.media import MAX_ATTACHMENT_BYTES, MEDIA_KEY, AttachmentSink, attached_bytes, store_download
from bot.channels.render import (
    BROADCAST_KINDS,
    WhatsAppBody,
    whatsapp_bodies,
    whatsapp_template,
    whatsapp_with_media,
)
from bot.messages import InboundMessage, OutboundMessage
from bot.relay import RateLimits, Sender, SendResult, backoff
from bot.settings import Settings
from handlers.types import Attachment, Channel, InputKind, Lang, UserInput
from storage.crypto import is_pseudonym
from storage.repositories import DELIVERY_RANK, DeliveryReport

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 3 * 1024 * 1024
SIGNATURE_HEADER = "X-Hub-Signature-256"
WINDOW = timedelta(hours=24) - timedelta(minutes=5)  # a margin for clocks and queues
RETRY_CODES = frozenset({1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004})
OUTSIDE_WINDOW = 131047
NO_ADDRESS = "no number to send to: the chat's personal data was erased"
# seconds: the tries of a delivery report that came before its send was recorded
STATUS_RETRY = (0.5, 2.0, 10.0, 60.0)

Submit = Callable[[Sequence[InboundMessage]], Awaitable[list[bool]]]
SubmitReports = Callable[[Sequence[DeliveryReport]], Awaitable[list[DeliveryReport]]]


def limits_from(settings: Settings) -> RateLimits:
    """80 messages/s per business number by default; pair rate about one per 6 s per user."""
    return RateLimits(
        per_second=settings.whatsapp_per_second,
        per_chat_interval=settings.whatsapp_user_interval,
        per_chat_burst=settings.whatsapp_user_burst,
    )


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# --- the notification payload (only the fields used; anything else is ignored) ---


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Profile(_Model):
    name: str = ""


# ids are stored in String(128) columns: a longer one, or one with control characters (PostgreSQL
# refuses NUL), is not Meta's and the body is refused (400)
Id = Annotated[str, Field(max_length=128, pattern=r"^[^\x00-\x1f]*$")]


class Contact(_Model):
    wa_id: Id | None = None
    user_id: Id | None = None
    profile: Profile = Profile()


class Text(_Model):
    body: str = ""


class Media(_Model):
    id: str
    mime_type: str = ""
    sha256: str = ""
    caption: str = ""
    filename: str = ""


class Picked(_Model):
    id: str = ""
    title: str = ""


class Interactive(_Model):
    type: str = ""
    button_reply: Picked | None = None
    list_reply: Picked | None = None


class Button(_Model):
    text: str = ""
    payload: str = ""


class Phone(_Model):
    phone: str = ""
    wa_id: str | None = None


class SharedContact(_Model):
    phones: list[Phone] = []


class Message(_Model):
    id: Id
    from_: Id | None = Field(default=None, alias="from")
    from_user_id: Id | None = None
    type: str = "unknown"
    text: Text | None = None
    interactive: Interactive | None = None
    button: Button | None = None
    image: Media | None = None
    document: Media | None = None
    contacts: list[SharedContact] = []


class Error(_Model):
    code: int = 0
    title: str = ""
    message: str = ""
    error_data: dict[str, Any] = {}


class Status(_Model):
    id: Id
    status: str
    recipient_id: str | None = None
    errors: list[Error] = []


class Metadata(_Model):
    phone_number_id: str = ""


class Value(_Model):
    metadata: Metadata = Metadata()
    contacts: list[Contact] = []
    messages: list[Message] = []
    statuses: list[Status] = []


class Change(_Model):
    field: str = ""
    value: Value = Value()


class Entry(_Model):
    changes: list[Change] = []


class Notification(_Model):
    object: str = ""
    entry: list[Entry]


# --- the channel ---


def build_client(settings: Settings) -> httpx.AsyncClient:
    """httpx client for the Graph API of the configured version, with the access token."""
    return httpx.AsyncClient(
        base_url=f"{settings.graph_api_base.rstrip('/')}/{settings.graph_api_version}",
        headers={"Authorization": f"Bearer {settings.whatsapp_token}"},
        timeout=httpx.Timeout(15.0, connect=5.0, pool=30.0),
        transport=ShardedTransport(),  # 32 connections in small pools
    )


class WhatsAppChannel:
    def __init__(
        self,
        settings: Settings,
        submit: Submit,
        submit_reports: SubmitReports,
        clock: Callable[[], datetime],
        attachments: AttachmentSink,
        *,
        pseudonym: Callable[[str], str],
    ) -> None:
        self.app_secret = settings.whatsapp_app_secret
        self.verify_token = settings.whatsapp_verify_token
        self.phone_id = settings.whatsapp_phone_id
        self.client = build_client(settings)
        self.sender = WhatsAppSender(self.client, settings, clock)
        self._submit = submit
        self._clock = clock
        self._attachments = attachments
        self._submit_reports = submit_reports
        self._pseudonym = pseudonym  # a user's number or id -> the chat id stored (a keyed hash)
        self.status_retry = STATUS_RETRY
        self._retries: set[asyncio.Task[None]] = set()

    def relay_sender(self, sender: Sender) -> Sender:
        """``sender`` (here or in the send worker) as the relay sees it: message ids pseudonymised."""
        return _PseudonymousIds(sender, self._pseudonym)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        for task in list(self._retries):
            await cancel_and_wait(task)
        await self.client.aclose()

    async def handle(self, notification: Notification) -> None:
        """Store every message and apply every status of one body; returns after the commits."""
        messages: list[InboundMessage] = []
        statuses: list[Status] = []
        for entry in notification.entry:
            for change in entry.changes:
                value = change.value
                if change.field != "messages" or not self._ours(value):
                    continue
                for message in value.messages:
                    if inbound := await self._inbound(message, value.contacts):
                        messages.append(inbound)
                statuses += value.statuses
        if messages:
            await self._submit(messages)
        if statuses:
            await self._apply(statuses)

    def _ours(self, value: Value) -> bool:
        """A business account may hold several numbers: only this one's notifications count."""
        number = value.metadata.phone_number_id
        return not (self.phone_id and number and number != self.phone_id)

    async def _inbound(self, message: Message, contacts: Sequence[Contact]) -> InboundMessage | None:
        contact = _contact_for(message, contacts)
        address = message.from_user_id or (contact.user_id if contact else None) or message.from_
        if not address:
            log.warning(
                "a whatsapp message of type %s without a sender id", message.type
            )  # a wamid encodes the number
            return None
        user_input = await self._read(message, sender_name=contact.profile.name if contact else "")
        if user_input is None:
            return None
        return InboundMessage(
            channel=Channel.WHATSAPP,
            chat_id=self._pseudonym(address),  # the number is stored only sealed (UU 27/2022)
            address=address,
            message_id=self._pseudonym(message.id),  # a wamid encodes the sender's number
            received_at=self._clock(),
            input=user_input,
            sender_id=message.from_ or "",
        )

    async def _read(self, message: Message, *, sender_name: str) -> UserInput | None:
        kind = message.type
        if kind == "text" and message.text:
            body = message.text.body
            if body.startswith("/") and len(body) > 1:
                command, _, args = body[1:].partition(" ")
                return UserInput(
                    kind=InputKind.COMMAND,
                    text=body,
                    command=command,
                    command_args=args,
                    sender_name=sender_name,
                )
            return UserInput(kind=InputKind.TEXT, text=body, sender_name=sender_name)
        if kind == "interactive" and message.interactive:
            picked = message.interactive.button_reply or message.interactive.list_reply
            if picked:
                return UserInput(
                    kind=InputKind.CHOICE, choice=picked.id, text=picked.title, sender_name=sender_name
                )
        if kind == "button" and message.button:  # a quick-reply button of a template
            return UserInput(kind=InputKind.TEXT, text=message.button.text, sender_name=sender_name)
        if kind == "request_welcome":  # the user opened the chat for the first time
            return UserInput(kind=InputKind.COMMAND, text="/start", command="start", sender_name=sender_name)
        if kind in ("image", "document"):
            media = message.image if kind == "image" else message.document
            attachment = None
            if media:
                attachment = await store_download(
                    self._attachments, lambda: self._download(media), media.mime_type, None, media.filename
                )
            input_kind = InputKind.PHOTO if kind == "image" else InputKind.DOCUMENT
            caption = media.caption if media else ""
            return UserInput(kind=input_kind, text=caption, attachment=attachment, sender_name=sender_name)
        if kind == "contacts" and message.contacts and message.contacts[0].phones:
            phone = message.contacts[0].phones[0]
            own = bool(phone.wa_id and phone.wa_id == message.from_)
            return UserInput(
                kind=InputKind.CONTACT,
                contact_phone=phone.phone,
                contact_is_sender=own,
                sender_name=sender_name,
            )
        if kind == "system":  # number or id changes: nothing to answer
            return None
        simple = {
            "location": InputKind.LOCATION,
            "sticker": InputKind.STICKER,
            "reaction": InputKind.REACTION,
        }
        return UserInput(kind=simple.get(kind, InputKind.OTHER), sender_name=sender_name)

    async def _download(self, media: Media) -> bytes:
        """Graph API media endpoint: the id gives a short-lived URL, fetched with the same token."""
        meta = (await self.client.get(f"/{media.id}")).raise_for_status().json()
        if int(meta.get("file_size") or 0) > MAX_ATTACHMENT_BYTES:
            raise ValueError("file too large")
        response = (await self.client.get(str(meta["url"]))).raise_for_status()
        data = response.content
        if media.sha256 and hashlib.sha256(data).hexdigest() != media.sha256:
            raise ValueError("sha256 mismatch")
        return data

    async def _apply(self, statuses: Sequence[Status]) -> None:
        """Apply delivery reports now; those for a message not recorded yet are tried again later.

        They commit with the inbox's next group commit (Meta sends up to three per message, and
        the 200 waits for them). Meta may report ``sent`` before the relay has recorded the
        send's ``wamid`` (it records results in batches): such reports wait in memory and are
        applied on a later try.
        """
        reports = [
            DeliveryReport(self._pseudonym(s.id), s.status, _reason(s.errors) if s.status == "failed" else "")
            for s in statuses
            if s.status in DELIVERY_RANK
        ]
        early = await self._submit_reports(reports)
        if early:
            task = asyncio.create_task(self._apply_later(early), name="whatsapp-early-statuses")
            self._retries.add(task)
            task.add_done_callback(self._retries.discard)

    async def _apply_later(self, reports: list[DeliveryReport]) -> None:
        for delay in self.status_retry:
            await asyncio.sleep(delay)
            try:
                reports = await self._submit_reports(reports)
            except Exception:
                log.exception("applying %d early delivery reports failed; will try again", len(reports))
                continue
            if not reports:
                return
        log.info("%d delivery reports match no message sent by this service; dropped", len(reports))


class _PseudonymousIds:
    """A wamid encodes the number it was sent to: the relay records (and reports are matched
    against) its keyed pseudonym only."""

    def __init__(self, sender: Sender, pseudonym: Callable[[str], str]) -> None:
        self.channel: Channel = sender.channel
        self.limits: RateLimits = sender.limits
        self._sender = sender
        self._pseudonym = pseudonym

    async def send(self, message: OutboundMessage) -> SendResult:
        result = await self._sender.send(message)
        if not result.platform_message_id:
            return result
        return dataclasses.replace(result, platform_message_id=self._pseudonym(result.platform_message_id))


def _contact_for(message: Message, contacts: Sequence[Contact]) -> Contact | None:
    for contact in contacts:
        if (message.from_user_id and contact.user_id == message.from_user_id) or (
            message.from_ and contact.wa_id == message.from_
        ):
            return contact
    return contacts[0] if len(contacts) == 1 else None


def _reason(errors: Sequence[Error]) -> str:
    if not errors:
        return "failed"
    error = errors[0]
    details = str(error.error_data.get("details", "")) if error.error_data else ""
    return " ".join(p for p in (str(error.code), error.title or error.message, details) if p)


# --- the sender ---


class WhatsAppSender:
    channel = Channel.WHATSAPP

    def __init__(self, client: httpx.AsyncClient, settings: Settings, clock: Callable[[], datetime]) -> None:
        self.limits = limits_from(settings)
        self._client = client
        self._path = f"/{settings.whatsapp_phone_id}/messages"
        self._media_path = f"/{settings.whatsapp_phone_id}/media"
        self._media: dict[int, str] = {}  # row id -> uploaded document (a retry sends it again)
        self._template = settings.whatsapp_template_name
        self._broadcast_template = settings.whatsapp_broadcast_template_name  # RT/RW broadcasts' own
        self._template_lang = settings.whatsapp_template_lang
        self._clock = clock
        self._progress: dict[int, int] = {}  # row id -> parts already sent (a retry resumes there)

    def _in_window(self, message: OutboundMessage) -> bool:
        last = message.extra.get("last_inbound_at", "")
        return bool(last) and self._clock() - datetime.fromisoformat(last) < WINDOW

    async def send(self, message: OutboundMessage) -> SendResult:
        lang = Lang(message.extra.get("lang") or Lang.ID.value)
        template = self._broadcast_template if message.kind in BROADCAST_KINDS else self._template
        if self._in_window(message):
            bodies = whatsapp_bodies(message.reply, lang=lang)
        elif template:
            bodies = [whatsapp_template(template, self._template_lang, message.reply)]
        else:
            return SendResult(ok=False, held=True, error="outside the 24-hour window; no template configured")
        # a file only inside the 24-hour window: outside it only a template may go (Meta's rule)
        attachment = message.reply.attachment if self._in_window(message) else None
        media_id = message.extra.get(MEDIA_KEY, "") if attachment else ""
        document = attached_bytes(message.extra) if attachment and not media_id else None
        if attachment is not None and document is not None:
            media_id, failure = await self._upload(message, document, attachment)
            if failure is not None:
                return failure
        if attachment is not None and media_id:
            captioned = message.kind in BROADCAST_KINDS
            bodies = whatsapp_with_media(bodies, media_id, attachment, captioned=captioned)
        result = await self._send_all(message, bodies)
        if (
            result.error.startswith(f"{OUTSIDE_WINDOW} ")
            and template
            and len(bodies)
            and bodies[0]["type"] != "template"
        ):
            self._progress.pop(message.id, None)  # Meta says the window is closed: use the template
            result = await self._send_all(
                message, [whatsapp_template(template, self._template_lang, message.reply)]
            )
        return replace(result, media_id=media_id) if media_id else result  # the relay reuses the upload

    async def _upload(
        self, message: OutboundMessage, data: bytes, attachment: Attachment
    ) -> tuple[str, SendResult | None]:
        """The media upload API (``POST /PHONE_ID/media``): the document's id for its message."""
        if message.id in self._media:
            return self._media[message.id], None
        files = {"file": (attachment.file_name or "dokumen", data, attachment.mime_type)}
        form = {"messaging_product": "whatsapp", "type": attachment.mime_type}
        try:
            response = await self._client.post(self._media_path, data=form, files=files)
        except httpx.HTTPError as exc:
            return "", SendResult(ok=False, retry_after=backoff(message.attempts), error=type(exc).__name__)
        if not response.is_success:
            return "", self._failure(message, response)
        self._media[message.id] = media_id = str(response.json()["id"])
        return media_id, None

    async def _send_all(self, message: OutboundMessage, bodies: Sequence[WhatsAppBody]) -> SendResult:
        if is_pseudonym(message.chat_id):  # the relay found no sealed number: it was erased
            return SendResult(ok=False, error=NO_ADDRESS)
        recipient = {"recipient": message.chat_id} if "." in message.chat_id else {"to": message.chat_id}
        sent_id = ""
        for index in range(self._progress.get(message.id, 0), len(bodies)):
            payload = {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                **recipient,
                **bodies[index],
            }
            try:
                response = await self._client.post(self._path, json=payload)
            except httpx.HTTPError as exc:
                return SendResult(ok=False, retry_after=backoff(message.attempts), error=type(exc).__name__)
            if response.is_success:
                sent_id = str(response.json()["messages"][0]["id"])
                self._progress[message.id] = index + 1
                continue
            return self._failure(message, response)
        self._progress.pop(message.id, None)
        self._media.pop(message.id, None)
        return SendResult(ok=True, platform_message_id=sent_id)

    def _failure(self, message: OutboundMessage, response: httpx.Response) -> SendResult:
        try:
            error = dict(response.json().get("error") or {})
        except ValueError:
            error = {}
        code = int(error.get("code") or 0)
        details = dict(error.get("error_data") or {}).get("details", "")
        reason = " ".join(
            str(p) for p in (code or response.status_code, error.get("message", ""), details) if p
        )
        if response.status_code == 429 or response.status_code >= 500 or code in RETRY_CODES:
            header = response.headers.get("retry-after", "")
            wait = float(header) if header.replace(".", "", 1).isdigit() else backoff(message.attempts)
            return SendResult(ok=False, retry_after=wait, error=reason)
        if response.status_code == 401 or code == 190:  # token expired or wrong: retry once fixed
            return SendResult(ok=False, retry_after=backoff(message.attempts), error=reason)
        self._progress.pop(message.id, None)
        return SendResult(ok=False, error=reason)  # 131047 outside the window, invalid recipient, ...


def build_router(runtime: Runtime) -> APIRouter:
    router = APIRouter()

    @router.get("/webhook/whatsapp", include_in_schema=False)
    async def verify(
        mode: str = Query("", alias="hub.mode"),
        token: str = Query("", alias="hub.verify_token"),
        challenge: str = Query("", alias="hub.challenge"),
    ) -> Response:
        channel: WhatsAppChannel | None = runtime.whatsapp
        expected = channel.verify_token if channel else ""
        if mode == "subscribe" and expected and hmac.compare_digest(token.encode(), expected.encode()):
            return PlainTextResponse(challenge)
        return Response(status_code=403)

    @router.post("/webhook/whatsapp", include_in_schema=False)
    async def receive(request: Request) -> Response:
        channel: WhatsAppChannel | None = runtime.whatsapp
        if channel is None:
            return Response(status_code=404)
        given = request.headers.get(SIGNATURE_HEADER)
        if given is None:
            return Response(status_code=401)
        try:
            raw = await read_capped(request, MAX_BODY_BYTES)
        except BodyTooLarge:
            return Response(status_code=413)
        if not channel.app_secret or not hmac.compare_digest(
            given.encode(), signature(channel.app_secret, raw).encode()
        ):
            return Response(status_code=403)
        try:
            notification = Notification.model_validate_json(raw)
        except ValidationError:
            return Response(status_code=400)
        await channel.handle(notification)
        return Response(status_code=200)

    return router
