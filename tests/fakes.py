"""Test doubles: a recording channel sender and a chat harness on the real pipeline."""

from __future__ import annotations

import contextlib
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from bot.messages import InboundMessage, OutboundMessage
from bot.relay import RateLimits, SendResult
from bot.runtime import Runtime
from handlers.router import Router, TextHandler
from handlers.routing import build_router
from handlers.types import Channel, InputKind, Reply, UserInput


class RecordingSender:
    """A channel sender that records what it would have sent, per chat, in order."""

    def __init__(self, channel: Channel = Channel.CLI) -> None:
        self.channel = channel
        self.limits = RateLimits(per_second=100_000.0)
        self.sent: dict[str, list[Reply]] = defaultdict(list)
        self.log: list[OutboundMessage] = []

    async def send(self, message: OutboundMessage) -> SendResult:
        self.sent[message.chat_id].append(message.reply)
        self.log.append(message)
        return SendResult(ok=True, platform_message_id=f"rec-{message.id}")


def text_input(text: str) -> UserInput:
    if text.startswith("/") and len(text) > 1:
        command, _, args = text[1:].partition(" ")
        return UserInput(kind=InputKind.COMMAND, text=text, command=command, command_args=args)
    return UserInput(kind=InputKind.TEXT, text=text)


def inbound(
    user_input: UserInput | str,
    *,
    chat_id: str = "u1",
    channel: Channel = Channel.CLI,
    message_id: str | None = None,
    received_at: datetime | None = None,
) -> InboundMessage:
    if isinstance(user_input, str):
        user_input = text_input(user_input)
    return InboundMessage(
        channel=channel,
        chat_id=chat_id,
        message_id=message_id or uuid.uuid4().hex,
        received_at=received_at or datetime.now(UTC),
        input=user_input,
    )


class ChatHarness:
    """Talk to the real pipeline as one or more users and read back what the bot answered."""

    def __init__(self, runtime: Runtime, sender: RecordingSender) -> None:
        self.runtime = runtime
        self.sender = sender

    async def settle(self) -> None:
        await self.runtime.pipeline.wait_idle()
        await self.runtime.relay.drain()

    async def send(self, message: InboundMessage | UserInput | str, *, chat_id: str = "u1") -> list[Reply]:
        """Send one message and return the replies it produced."""
        if not isinstance(message, InboundMessage):
            message = inbound(message, chat_id=chat_id, channel=self.sender.channel)
        before = len(self.sender.sent[message.chat_id])
        await self.runtime.pipeline.submit([message])
        await self.settle()
        return self.sender.sent[message.chat_id][before:]

    async def say(self, text: str, *, chat_id: str = "u1") -> str:
        """Send text and return all reply texts joined (for transcript assertions)."""
        return "\n".join(r.text for r in await self.send(text, chat_id=chat_id))

    async def transcript(self, turns: Sequence[tuple[str, Sequence[str]]], *, chat_id: str = "u1") -> None:
        """Each (user text, expected fragments) turn: every fragment must be in the bot's answer."""
        for text, fragments in turns:
            answer = await self.say(text, chat_id=chat_id)
            for fragment in fragments:
                assert fragment.lower() in answer.lower(), f"{text!r}: {fragment!r} not in {answer!r}"


_TEXT_HANDLER: list[TextHandler] = []  # set by text_handler(), read by router_for_tests()


@contextlib.contextmanager
def text_handler(handler: TextHandler) -> Iterator[None]:
    """Free text goes to ``handler`` in the routers that :func:`router_for_tests` builds inside the block
    (a test's own stand-in for search)."""
    _TEXT_HANDLER.append(handler)
    try:
        yield
    finally:
        _TEXT_HANDLER.remove(handler)


def router_for_tests() -> Router:
    """The bot's router, with the free-text handler of an enclosing :func:`text_handler` block."""
    router = build_router()
    if _TEXT_HANDLER:
        router.set_text_handler(_TEXT_HANDLER[-1])
    return router
