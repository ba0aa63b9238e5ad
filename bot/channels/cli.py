"""The terminal chat: a channel whose sender prints replies, on the real pipeline."""

from __future__ import annotations

import re
import sys
from typing import TextIO

from bot.messages import OutboundMessage
from bot.relay import RateLimits, SendResult
from handlers.types import Channel, Reply


def render_text(reply: Reply) -> str:
    """A reply as plain text: its body, then its choices as a numbered list (the text fallback)."""
    lines = [reply.text]
    if reply.choices and not _already_numbered(reply):
        lines += [f"  [{n}] {c.label}" for n, c in enumerate(reply.choices, start=1)]
    if reply.link:
        lines.append(reply.link)
    return "\n".join(lines)


def _already_numbered(reply: Reply) -> bool:
    return all(f"{n}. " in reply.text for n in range(1, len(reply.choices) + 1))


_NUMBERED = re.compile(r"^\d+\. ")


def render_terminal(reply: Reply) -> str:
    """A reply for the terminal chat: buttons that mirror a numbered line ("2. SOP ...") are left
    out (typing the number picks them); the others are shown as hints to type (``› Ajukan ...``)."""
    lines = [reply.text]
    lines += [
        f"  › {c.label}" for c in reply.choices if not _NUMBERED.match(c.label) and c.label not in reply.text
    ]
    if reply.link and reply.link not in reply.text:
        lines.append(reply.link)
    return "\n".join(lines)


class CliSender:
    """Prints to one terminal user's screen: only the rows of ``recipient``'s conversation are
    claimed for it (``bot.relay.OneRecipient``); other users' rows wait for their own terminal."""

    channel = Channel.CLI
    limits = RateLimits(per_second=10_000.0)

    def __init__(self, recipient: str, out: TextIO | None = None) -> None:
        self.recipient = recipient
        self._out = out or sys.stdout

    async def send(self, message: OutboundMessage) -> SendResult:
        self._out.write(f"bot> {render_terminal(message.reply)}\n")
        self._out.flush()
        return SendResult(ok=True, platform_message_id=f"cli-{message.id}")
