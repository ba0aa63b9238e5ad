"""Telegram, with python-telegram-bot as the transport: webhook, long polling and the sender.

``POST /webhook/telegram`` checks ``X-Telegram-Bot-Api-Secret-Token`` in constant time (401 when
missing, 403 when wrong; nothing is processed), parses the update with ``Update.de_json``, stores
the message in the inbox under ``u<update_id>`` (a redelivery is recognised there) and answers
200 once it is committed. ``tanya telegram poll`` feeds ``getUpdates`` through the same code and
confirms an offset only after its commit.

What is understood: text, ``/commands`` (``/cmd@ThisBot`` too; ``/start <payload>`` keeps a
deep-link payload as the conversation's source), button taps (callback queries, always answered:
a tap on an old menu gets a toast and changes nothing), shared contacts (a contact whose
``user_id`` is the sender is the sender's own, verified number), photos and documents (checked,
then kept in the encrypted store), locations and stickers. Edited messages are ignored (a step is
never replayed), channel posts too. When a user blocks the bot (``my_chat_member`` kicked) the
conversation is marked unreachable and nothing more is sent. In groups only messages addressed
to the bot (commands, replies to it, @mentions) are taken.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import time
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import delete, select, update
from telegram import Bot, InputFile, Message, ReplyKeyboardRemove, Update
from telegram.constants import ChatMemberStatus, ChatType, MessageEntityType
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from bot.channels.http_pool import ShardedTransport
from bot.channels.limits import BodyTooLarge, read_capped
from bot.channels.media import MEDIA_KEY, AttachmentSink, attached_bytes, store_download
from bot.channels.render import BROADCAST_KINDS, TelegramMedia, TelegramMessage, telegram_steps
from bot.messages import InboundMessage, OutboundMessage
from bot.relay import RateLimits, SendResult, backoff
from bot.settings import Settings
from handlers.texts import t
from handlers.types import Channel, InputKind, Lang, UserInput
from storage.db import Database
from storage.models import Conversation
from storage.models.areas import Subscription

if TYPE_CHECKING:
    from bot.runtime import Runtime

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ("message", "edited_message", "callback_query", "my_chat_member")
MAX_UPDATE_BYTES = 1024 * 1024
CALLBACK_GRACE = 5.0  # seconds before an unanswered button tap is answered with no text
DEEP_LINK = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what Telegram allows in a /start payload
_REACHABLE = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}
_STALE_TEXTS = frozenset(t("stale_choice", lang) for lang in Lang)
CALLBACK_KEY = "callback_query_id"  # OutboundMessage.extra: the tap a reply answers (sender in a child)

Submit = Callable[[Sequence[InboundMessage]], Awaitable[list[bool]]]


def file_base_url(api_base: str) -> str:
    """``https://api.telegram.org/bot`` -> ``https://api.telegram.org/file/bot`` (same host)."""
    head, sep, tail = api_base.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if sep else f"{api_base}/file"


def limits_from(settings: Settings) -> RateLimits:
    """About 30 messages/s overall, one per second per chat, 20 per minute per group (Bot API FAQ)."""
    return RateLimits(
        per_second=settings.telegram_per_second,
        per_chat_interval=settings.telegram_chat_interval,
        group_interval=settings.telegram_group_interval,
    )


class MalformedUpdate(ValueError):
    """A signed update that is not what the Bot API sends (wrong types, missing parts): answer 400."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """What one update asks for: a message for the pipeline, a reachability change, a tap to answer."""

    message: InboundMessage | None = None
    reachable: bool | None = None
    chat_id: str = ""
    callback_query_id: str = ""


class CallbackRegistry:
    """Button taps waiting for their answer, by the inbox id of the message they became."""

    def __init__(self, grace: float = CALLBACK_GRACE) -> None:
        self._grace = grace
        self._pending: dict[str, tuple[str, float]] = {}

    def add(self, message_id: str, query_id: str) -> None:
        self._pending[message_id] = (query_id, time.monotonic())

    def pop(self, message_id: str) -> str:
        entry = self._pending.pop(message_id, None) if message_id else None
        return entry[0] if entry else ""

    def overdue(self) -> list[str]:
        horizon = time.monotonic() - self._grace
        late = [m for m, (_, at) in self._pending.items() if at <= horizon]
        return [self._pending.pop(m)[0] for m in late]


def build_bot(settings: Settings) -> Bot:
    """The PTB ``Bot`` for the configured token and API base (the fake one in tests)."""
    return Bot(
        settings.telegram_token,
        base_url=settings.telegram_api_base,
        base_file_url=file_base_url(settings.telegram_api_base),
        request=HTTPXRequest(
            connection_pool_size=32, pool_timeout=30.0, httpx_kwargs={"transport": ShardedTransport()}
        ),
        get_updates_request=HTTPXRequest(connection_pool_size=1, read_timeout=40.0),
    )


class BotIdentity:
    """The bot's username and id from ``getMe``, asked once (again after a failure)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot
        self._me: tuple[str, int] | None = None

    async def get(self) -> tuple[str, int]:
        if self._me is None:
            try:
                await self._bot.initialize()
            except TelegramError as exc:
                log.warning("Telegram getMe failed (%s); will try again", type(exc).__name__)
                return "", 0
            self._me = (self._bot.username, self._bot.id)
        return self._me

    async def username(self) -> str:
        return (await self.get())[0]


class TelegramChannel:
    """The bot, its webhook/polling intake and its sender, for one process."""

    def __init__(
        self,
        settings: Settings,
        submit: Submit,
        db: Database,
        clock: Callable[[], datetime],
        attachments: AttachmentSink,
    ) -> None:
        self.secret = settings.telegram_secret
        self.bot = build_bot(settings)
        self.callbacks = CallbackRegistry()
        self._identity = BotIdentity(self.bot)
        self.sender = TelegramSender(self.bot, limits_from(settings), self.callbacks, self.username)
        self._submit = submit
        self._db = db
        self._clock = clock
        self._attachments = attachments
        self._sweeper: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        await self.identity()
        self._sweeper = asyncio.create_task(self._sweep(), name="telegram-callbacks")

    async def stop(self) -> None:
        if self._sweeper:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        for task in list(self._background):
            task.cancel()
        with contextlib.suppress(TelegramError, RuntimeError):
            await self.bot.shutdown()

    async def identity(self) -> tuple[str, int]:
        """The bot's username and id (``getMe``, once); empty while Telegram cannot be reached."""
        return await self._identity.get()

    async def username(self) -> str:
        return await self._identity.username()

    def with_callback(self, message: OutboundMessage) -> OutboundMessage:
        """The row with the button tap it answers, for a sender in another process (the taps live here)."""
        query_id = self.callbacks.pop(message.extra.get("in_reply_to", ""))
        if not query_id:
            return message
        return replace(message, extra={**message.extra, CALLBACK_KEY: query_id})

    # --- intake ---

    async def handle(self, update: Update) -> None:
        """Store what the update carries; returns once it is committed (then the platform may be told).

        Raises ``MalformedUpdate`` for an update whose fields are not what the Bot API sends.
        """
        try:
            parsed = await self.parse(update)
        except (AttributeError, TypeError, KeyError, ValueError, RecursionError) as exc:
            raise MalformedUpdate(type(exc).__name__) from exc
        if parsed.reachable is not None:
            await self._set_reachable(parsed.chat_id, parsed.reachable)
        if parsed.message:
            (is_new,) = await self._submit([parsed.message])
            if parsed.callback_query_id and is_new:
                self.callbacks.add(parsed.message.message_id, parsed.callback_query_id)
                return
        if parsed.callback_query_id:  # a redelivered or unusable tap: stop the spinner now
            self._in_background(self.sender.answer(parsed.callback_query_id))

    async def parse(self, update: Update) -> Parsed:
        if member := update.my_chat_member:
            if getattr(member, "new_chat_member", None) is None or member.chat is None:
                raise MalformedUpdate("my_chat_member without its member")
            reachable = member.new_chat_member.status in _REACHABLE
            return Parsed(reachable=reachable, chat_id=str(member.chat.id))
        if query := update.callback_query:
            message = query.message
            if message is None or not query.data or message.chat.type == ChatType.CHANNEL:
                return Parsed(callback_query_id=query.id)
            user_input = UserInput(
                kind=InputKind.CHOICE,
                choice=query.data,
                is_group=message.chat.type != ChatType.PRIVATE,
                sender_name=query.from_user.first_name,
            )
            inbound = self._inbound(update, message.chat.id, query.from_user.id, user_input)
            return Parsed(message=inbound, callback_query_id=query.id)
        message = update.message  # None for edited messages, channel posts and the rest: ignored
        if message is None or message.from_user is None or message.from_user.is_bot:
            return Parsed()
        if message.chat.type == ChatType.CHANNEL or _is_service(message):
            return Parsed()
        read, source = await self._read(message)
        if read is None:
            return Parsed()
        return Parsed(message=self._inbound(update, message.chat.id, message.from_user.id, read, source))

    def _inbound(
        self, update: Update, chat_id: int, sender_id: int, user_input: UserInput, source: str = ""
    ) -> InboundMessage:
        return InboundMessage(
            channel=Channel.TELEGRAM,
            chat_id=str(chat_id),
            message_id=f"u{update.update_id}",
            received_at=self._clock(),
            input=user_input,
            sender_id=str(sender_id),
            source=source,
        )

    async def _read(self, message: Message) -> tuple[UserInput | None, str]:
        """The message as a UserInput (None: not for us), and a deep-link source if any."""
        username, bot_id = await self.identity()
        sender = message.from_user
        assert sender is not None
        is_group = message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        replied = message.reply_to_message
        to_bot = bool(replied and replied.from_user and bot_id and replied.from_user.id == bot_id)
        common: dict[str, Any] = {
            "is_group": is_group,
            "sender_name": sender.first_name,
            "addressed_to_bot": True,
        }
        if message.text:
            return _read_text(message.text, message, username, to_bot, common)
        if is_group and not to_bot:
            return None, ""
        if contact := message.contact:
            own = contact.user_id is not None and contact.user_id == sender.id
            return UserInput(
                kind=InputKind.CONTACT, contact_phone=contact.phone_number, contact_is_sender=own, **common
            ), ""
        if message.photo:
            photo = message.photo[-1]  # the largest size
            attachment = await store_download(
                self._attachments, lambda: self._download(photo.file_id), "image/jpeg", photo.file_size
            )
            return UserInput(
                kind=InputKind.PHOTO, text=message.caption or "", attachment=attachment, **common
            ), ""
        if document := message.document:
            attachment = await store_download(
                self._attachments,
                lambda: self._download(document.file_id),
                document.mime_type or "",
                document.file_size,
                document.file_name or "",
            )
            return UserInput(
                kind=InputKind.DOCUMENT, text=message.caption or "", attachment=attachment, **common
            ), ""
        if message.location or message.venue:
            return UserInput(kind=InputKind.LOCATION, **common), ""
        if message.sticker:
            return UserInput(kind=InputKind.STICKER, **common), ""
        return UserInput(kind=InputKind.OTHER, **common), ""

    async def _download(self, file_id: str) -> bytes:
        file = await self.bot.get_file(file_id)
        return bytes(await file.download_as_bytearray())

    async def _set_reachable(self, chat_id: str, reachable: bool) -> None:
        log.info("telegram chat %s is %s", chat_id, "reachable again" if reachable else "unreachable")
        async with self._db.write() as session:
            await session.execute(
                update(Conversation)
                .where(Conversation.channel == Channel.TELEGRAM.value, Conversation.chat_id == chat_id)
                .values(unreachable=not reachable)
            )
            if not reachable:  # a block ends the chat's RT/RW subscriptions too
                await session.execute(
                    delete(Subscription).where(Subscription.conversation_id.in_(
                        select(Conversation.id).where(
                            Conversation.channel == Channel.TELEGRAM.value, Conversation.chat_id == chat_id
                        )
                    ))
                )  # fmt: skip

    def _in_background(self, coro: Awaitable[None]) -> None:
        async def run() -> None:
            await coro

        task = asyncio.create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _sweep(self) -> None:
        """Answer taps that produced no reply in time (human mode, a slow queue): never leave a spinner."""
        while True:
            await asyncio.sleep(1.0)
            for query_id in self.callbacks.overdue():
                await self.sender.answer(query_id)

    # --- long polling (offices without public HTTPS) ---

    async def poll(self, stop: asyncio.Event, *, wait_seconds: int = 30) -> None:
        """Long polling; removes the webhook first, because Telegram serves one or the other."""
        await self.bot.delete_webhook(drop_pending_updates=False)
        offset: int | None = None
        failures = 0
        while not stop.is_set():
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=wait_seconds, allowed_updates=list(ALLOWED_UPDATES)
                )
            except Conflict:
                log.error("another poller or a webhook is active for this bot; retrying in 5 s")
                await asyncio.sleep(5)
                continue
            except TelegramError as exc:
                failures += 1
                log.warning("getUpdates failed (%s)", type(exc).__name__)
                await asyncio.sleep(min(backoff(failures), 30))
                continue
            failures = 0
            for item in updates:
                try:
                    await self.handle(item)  # committed before the next getUpdates confirms the offset
                except MalformedUpdate as exc:
                    log.warning("telegram update %s skipped: %s", item.update_id, exc)
                offset = item.update_id + 1


def _is_service(message: Message) -> bool:
    return bool(
        message.new_chat_members
        or message.left_chat_member
        or message.new_chat_title
        or message.new_chat_photo
        or message.delete_chat_photo
        or message.group_chat_created
        or message.supergroup_chat_created
        or message.migrate_to_chat_id
        or message.migrate_from_chat_id
        or message.pinned_message
    )


def _read_text(
    text: str, message: Message, username: str, to_bot: bool, common: dict[str, Any]
) -> tuple[UserInput | None, str]:
    entity = message.entities[0] if message.entities else None
    if entity and entity.type == MessageEntityType.BOT_COMMAND and entity.offset == 0:
        name, _, target = text[1 : entity.length].partition("@")
        if target and username and target.lower() != username.lower():
            return None, ""  # a command for another bot in the group
        args = text[entity.length :].strip()
        source = args if name.lower() == "start" and DEEP_LINK.match(args) else ""
        command_text = f"/{name} {args}".strip()
        return UserInput(
            kind=InputKind.COMMAND, text=command_text, command=name, command_args=args, **common
        ), source
    mention = f"@{username}" if username else ""
    if common["is_group"]:
        mentioned = bool(mention) and mention.lower() in text.lower()
        if not (to_bot or mentioned):
            return None, ""
        if mention:
            text = re.sub(re.escape(mention), " ", text, flags=re.IGNORECASE).strip()
    return UserInput(kind=InputKind.TEXT, text=text, **common), ""


class TelegramSender:
    """Sends outbox rows with the PTB ``Bot``; maps Telegram's errors onto the relay's results."""

    channel = Channel.TELEGRAM

    def __init__(
        self,
        bot: Bot,
        limits: RateLimits,
        callbacks: CallbackRegistry,
        username: Callable[[], Awaitable[str]],
    ) -> None:
        self.limits = limits
        self._bot = bot
        self._callbacks = callbacks
        self._username = username
        self._progress: dict[int, int] = {}  # row id -> parts already sent (a retry resumes there)
        self._file_ids: dict[int, str] = {}  # row id -> the file_id of the file it uploaded
        self._contact_keyboard: set[str] = set()  # chats showing the "share my number" keyboard

    async def answer(self, query_id: str, text: str = "") -> None:
        """``answerCallbackQuery``: stops the button's spinner; a text shows as a toast."""
        try:
            await self._bot.answer_callback_query(query_id, text=text[:200] or None)
        except TelegramError as exc:  # too old or already answered: nothing to do
            log.info("answerCallbackQuery failed: %s", exc)

    async def send(self, message: OutboundMessage) -> SendResult:
        query_id = message.extra.get(CALLBACK_KEY) or self._callbacks.pop(
            message.extra.get("in_reply_to", "")
        )
        if query_id and message.reply.text in _STALE_TEXTS and not message.reply.choices:
            await self.answer(query_id, message.reply.text)  # a toast; nothing else changes
            return SendResult(ok=True, platform_message_id=f"callback:{query_id}")
        if query_id:
            await self.answer(query_id)
        lang = Lang(message.extra.get("lang") or Lang.ID.value)
        reply = message.reply
        media = message.extra.get(MEDIA_KEY, "")
        document = attached_bytes(message.extra) if reply.attachment and not media else None
        if reply.attachment and not media and document is None:
            reply = replace(reply, attachment=None)  # the file is gone: the text goes alone
        steps = telegram_steps(
            reply, bot_username=await self._username(), lang=lang, captioned=message.kind in BROADCAST_KINDS
        )
        chat: int | str = int(message.chat_id) if message.chat_id.lstrip("-").isdigit() else message.chat_id
        result = await self._send_steps(message, chat, steps, media or document)
        return replace(result, media_id=self._file_ids.pop(message.id, ""))  # the relay reuses it

    async def _send_steps(
        self,
        message: OutboundMessage,
        chat: int | str,
        steps: list[TelegramMessage | TelegramMedia],
        file: str | bytes | None,
    ) -> SendResult:
        sent_id = ""
        try:
            for index in range(self._progress.get(message.id, 0), len(steps)):
                step = steps[index]
                if isinstance(step, TelegramMedia):
                    assert message.reply.attachment is not None and file is not None
                    sent_id = await self._send_media(message, chat, step.caption, file)
                else:
                    sent_id = await self._send_part(chat, message.chat_id, step)
                self._progress[message.id] = index + 1
        except RetryAfter as exc:
            return SendResult(ok=False, retry_after=_retry_after(exc), error=f"429 {exc.message}")
        except Forbidden as exc:  # blocked by the user, kicked from the group, user deactivated
            self._progress.pop(message.id, None)
            return SendResult(ok=False, error=f"403 {exc.message}", unreachable=True)
        except BadRequest as exc:
            self._progress.pop(message.id, None)
            return SendResult(ok=False, error=f"400 {exc.message}")
        except ChatMigrated as exc:
            self._progress.pop(message.id, None)
            return SendResult(ok=False, error=f"chat migrated to {exc.new_chat_id}")
        except TelegramError as exc:  # NetworkError, TimedOut, 5xx, 401/404 while misconfigured
            return SendResult(
                ok=False, retry_after=backoff(message.attempts), error=f"{type(exc).__name__} {exc}"
            )
        self._progress.pop(message.id, None)
        return SendResult(ok=True, platform_message_id=sent_id)

    async def _send_media(
        self, message: OutboundMessage, chat: int | str, caption: str, file: str | bytes
    ) -> str:
        """``sendPhoto`` for an image, else ``sendDocument``: the bytes the first time, then the
        ``file_id`` Telegram gave for them (kept for the relay, which reuses it for other chats)."""
        attachment = message.reply.attachment
        assert attachment is not None
        name = attachment.file_name or "dokumen"
        source: str | InputFile = file if isinstance(file, str) else InputFile(file, filename=name)
        if attachment.mime_type.startswith("image/"):
            sent = await self._bot.send_photo(chat_id=chat, photo=source, caption=caption or None)
            file_id = sent.photo[-1].file_id if sent.photo else ""
        else:
            sent = await self._bot.send_document(chat_id=chat, document=source, caption=caption or None)
            file_id = sent.document.file_id if sent.document else ""
        if file_id and not isinstance(file, str):
            self._file_ids[message.id] = file_id
        return str(sent.message_id)

    async def _send_part(self, chat: int | str, chat_key: str, part: TelegramMessage) -> str:
        markup: Any = part.markup
        if markup is not None and getattr(markup, "keyboard", None):
            self._contact_keyboard.add(chat_key)
        elif markup is None and chat_key in self._contact_keyboard:
            markup = ReplyKeyboardRemove()
            self._contact_keyboard.discard(chat_key)
        sent = await self._bot.send_message(chat_id=chat, text=part.text, reply_markup=markup)
        return str(sent.message_id)


def _retry_after(exc: RetryAfter) -> float:
    """Seconds to wait (PTB gives an int or a timedelta, depending on ``PTB_TIMEDELTA``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value: object = exc.retry_after
    seconds = value.total_seconds() if isinstance(value, timedelta) else value
    return float(seconds) if isinstance(seconds, int | float) else 1.0


def build_router(runtime: Runtime) -> APIRouter:
    router = APIRouter()

    @router.post("/webhook/telegram", include_in_schema=False)
    async def webhook(request: Request) -> Response:
        channel: TelegramChannel | None = runtime.telegram
        if channel is None:
            return Response(status_code=404)
        token = request.headers.get(SECRET_HEADER)
        if token is None:
            return Response(status_code=401)
        if not channel.secret or not hmac.compare_digest(token.encode(), channel.secret.encode()):
            return Response(status_code=403)
        try:
            raw = await read_capped(request, MAX_UPDATE_BYTES)
        except BodyTooLarge:
            return Response(status_code=413)
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser goes
            return Response(status_code=400)
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            return Response(status_code=400)
        try:
            update = Update.de_json(data, channel.bot)
        except Exception as exc:  # PTB raises what its constructors raise: Key/Type/AttributeError, ...
            log.warning("telegram update %s unreadable: %s", data["update_id"], type(exc).__name__)
            return Response(status_code=400)
        try:
            await channel.handle(update)
        except MalformedUpdate as exc:
            log.warning("telegram update %s refused: %s", data["update_id"], exc)
            return Response(status_code=400)
        return Response(status_code=200)

    return router
