"""What a handler is given besides the user's input: who it talks to, the time, and the ports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handlers.ports import KnowledgePort
from handlers.types import ConversationInfo


@dataclass(frozen=True, slots=True)
class HandlerContext:
    conversation: ConversationInfo
    now: datetime  # timezone-aware; from the injected clock
    knowledge: KnowledgePort
    body_name: str = "Pemerintah Kota Sukamaju"
    max_message_chars: int = 2000
