"""Channel-agnostic message and state types shared by every handler.

Handlers receive a :class:`UserInput` plus a :class:`HandlerContext` and return an
:class:`Outcome` (replies and the next state). They never send anything themselves.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from enum import StrEnum


class Channel(StrEnum):
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    WEB = "web"
    CLI = "cli"


class InputKind(StrEnum):
    """What the user sent. Only TEXT, COMMAND and CHOICE carry text a handler reads as an answer."""

    TEXT = "text"
    COMMAND = "command"  # "/start payload", "/menu"
    CHOICE = "choice"  # a tapped button: ``choice`` holds its payload
    CONTACT = "contact"  # a shared phone number
    PHOTO = "photo"
    DOCUMENT = "document"
    LOCATION = "location"
    STICKER = "sticker"
    REACTION = "reaction"
    OTHER = "other"  # audio, video, polls...: answered politely, never crash
    OFFICER = "officer"  # a console action (take, reply, release, route) entering as a synthetic event


class Lang(StrEnum):
    ID = "id"
    EN = "en"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file the user sent; ``ref`` points into the encrypted attachment store."""

    ref: str
    mime_type: str
    size: int
    file_name: str = ""


@dataclass(frozen=True, slots=True)
class UserInput:
    kind: InputKind
    text: str = ""
    choice: str = ""
    command: str = ""
    command_args: str = ""
    contact_phone: str = ""
    contact_is_sender: bool = False
    attachment: Attachment | None = None
    is_group: bool = False
    addressed_to_bot: bool = True
    sender_name: str = ""


@dataclass(frozen=True, slots=True)
class Choice:
    """One option offered to the user: rendered as a button, a list row or a numbered line."""

    label: str
    payload: str


class ReplyStyle(StrEnum):
    """How a reply reads: a chat message, or a legal notice (a registration, a decision, a
    deadline) that a channel able to style it shows apart, printable."""

    CHAT = "chat"
    NOTICE = "notice"


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    choices: tuple[Choice, ...] = ()
    request_contact: bool = False  # Telegram: offer a "share my number" keyboard button
    link: str = ""
    style: ReplyStyle = ReplyStyle.CHAT
    attachment: Attachment | None = None  # a document sent with the text (an officer's answer)

    def to_json(self) -> str:
        return json.dumps(asdict(self))  # ASCII-escaped: a lone surrogate cannot break storage

    @staticmethod
    def from_json(raw: str) -> Reply:
        data = json.loads(raw)
        choices = tuple(Choice(**c) for c in data.pop("choices", []))
        style = ReplyStyle(data.pop("style", ReplyStyle.CHAT.value))
        attached = data.pop("attachment", None)
        attachment = Attachment(**attached) if attached else None
        return Reply(choices=choices, style=style, attachment=attachment, **data)


class Flow(StrEnum):
    """The multi-step conversation a user is in (none: free chat / menu)."""

    NONE = ""
    REQUEST_FORM = "request_form"
    STATUS = "status"
    OBJECTION = "objection"
    HANDOFF = "handoff"
    BROADCAST = "broadcast"
    SEARCH_RESULTS = "search_results"


class Mode(StrEnum):
    BOT = "bot"
    HUMAN = "human"  # an officer has the conversation: messages go to the console, no bot reply


@dataclass(frozen=True, slots=True)
class ConversationState:
    """Everything a handler may remember between messages. Serialised as JSON in the database."""

    flow: Flow = Flow.NONE
    step: str = ""
    data: dict[str, str] = field(default_factory=dict)
    lang: Lang = Lang.ID
    mode: Mode = Mode.BOT
    menu_token: str = ""  # identifies the last menu shown, so a tap on an old one is recognised

    def with_(self, **changes: object) -> ConversationState:
        return replace(self, **changes)  # type: ignore[arg-type]

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @staticmethod
    def from_json(raw: str | None) -> ConversationState:
        if not raw:
            return ConversationState()
        data = json.loads(raw)
        return ConversationState(
            flow=Flow(data.get("flow", "")),
            step=str(data.get("step", "")),
            data={str(k): str(v) for k, v in dict(data.get("data", {})).items()},
            lang=Lang(data.get("lang", "id")),
            mode=Mode(data.get("mode", "bot")),
            menu_token=str(data.get("menu_token", "")),
        )

    def reset(self) -> ConversationState:
        """Leave any flow, keep the language and mode."""
        return ConversationState(lang=self.lang, mode=self.mode)


class GapReason(StrEnum):
    """Why a question counts as one citizens could not find an answer to (the "gaps" page)."""

    ABSTAINED = "abstained"  # the search found nothing good enough
    MAYBE = "maybe"  # only "mungkin yang Anda maksud"
    HANDOFF = "handoff"  # it ended with an officer
    UNHELPFUL = "unhelpful"  # the citizen said "bukan ini" to the answer


@dataclass(frozen=True, slots=True)
class GapObserved:
    """Effect: a question the bot could not answer well, already stripped of personal data
    (``handlers.gaps.gap_observed``); storage groups it with similar ones."""

    question: str
    reason: GapReason


class ServiceKind(StrEnum):
    ANSWERED = "answered"  # a question answered from the register or the FAQ


@dataclass(frozen=True, slots=True)
class ServiceCounted:
    """Effect: one more question of this kind, for the annual report's figures of the bot's service."""

    kind: ServiceKind


Effect = GapObserved | ServiceCounted


@dataclass(frozen=True, slots=True)
class Outcome:
    replies: tuple[Reply, ...]
    state: ConversationState
    effects: tuple[Effect, ...] = ()  # applied by storage in the same transaction as the replies


@dataclass(frozen=True, slots=True)
class ConversationInfo:
    """What a handler may know about the conversation it serves (no personal data)."""

    id: int
    channel: Channel
    chat_id: str
    received_at: datetime
    source: str = ""
