"""Dispatch one user input to the handler that owns it: a :class:`Router` instance.

Features add their flows, choices, intents and menu entries to a router in one place,
``handlers.routing.build_router`` (like PTB's ``Application.add_handler``); nothing registers
itself on import. Order (architecture.md): clean the input -> global commands (menu, cancel, help) -> human mode
(the officer has the conversation: no bot reply) -> the active flow's step -> a menu choice ->
free text goes to search.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from handlers import core
from handlers.context import HandlerContext
from handlers.intents import Intent, classify
from handlers.language import clean_text, detect_language, has_words
from handlers.menu import Menu, MenuEntry
from handlers.texts import t
from handlers.types import ConversationState, Flow, InputKind, Lang, Mode, Outcome, Reply, UserInput

FlowHandler = Callable[[UserInput, ConversationState, HandlerContext], Awaitable[Outcome]]
TextHandler = Callable[[str, ConversationState, HandlerContext], Awaitable[Outcome]]

MENU_WORDS = frozenset({"menu", "/menu", "mulai", "start", "/start", "home", "kembali ke menu"})
CANCEL_WORDS = frozenset({"batal", "/batal", "cancel", "/cancel", "stop", "berhenti", "keluar"})
HELP_WORDS = frozenset({"bantuan", "/bantuan", "help", "/help", "panduan"})
GREETING_WORDS = frozenset(
    {
        "halo",
        "hallo",
        "hai",
        "hi",
        "hello",
        "hey",
        "assalamualaikum",
        "selamat pagi",
        "selamat siang",
        "selamat sore",
        "selamat malam",
        "pagi",
        "siang",
        "sore",
        "malam",
        "p",
        "permisi",
    }
)


async def _free_text(text: str, state: ConversationState, ctx: HandlerContext) -> Outcome:
    return core.say(state.reset(), "fallback")


def _greeting_body(ctx: HandlerContext) -> str:
    return ctx.body_name


# A Reply.link the channel turns into a link to a private chat with the bot (Telegram: t.me/<bot>).
PRIVATE_CHAT_LINK = "tanya:private-chat"
# Flows that collect personal data (UU 27/2022): never run in a group chat.
PRIVATE_FLOWS = frozenset({Flow.REQUEST_FORM, Flow.STATUS, Flow.OBJECTION, Flow.HANDOFF})


class Router:
    """Flows, choices, intents, the free-text handler and the menu of one bot; built once."""

    def __init__(self) -> None:
        self.menu = Menu()
        self._flows: dict[Flow, FlowHandler] = {}
        self._choices: dict[str, FlowHandler] = {}  # payload prefix ("dip") -> handler, in any state
        self._intents: list[tuple[Callable[[str], bool], FlowHandler]] = []  # free text before search
        self._named_intents: dict[Intent, FlowHandler] = {}  # what a citizen wants in their own words
        self._text_handler: TextHandler = _free_text
        self._officer_events: FlowHandler | None = None  # console actions (handlers.handoff)
        self._start_payloads: dict[str, FlowHandler] = {}  # "/start sub_..." deep links, by prefix
        self._idle_cancel: FlowHandler | None = None  # a cancel word outside any flow

    def add_flow(self, flow: Flow, handler: FlowHandler) -> None:
        self._flows[flow] = handler

    def add_choice(self, prefix: str, handler: FlowHandler) -> None:
        self._choices[prefix] = handler

    def add_intent(self, matches: Callable[[str], bool], handler: FlowHandler) -> None:
        """Free text that ``matches`` goes to ``handler`` instead of search ("cek status PPID-2026-000123")."""
        self._intents.append((matches, handler))

    def add_named_intent(self, intent: Intent, handler: FlowHandler) -> None:
        """Free text that :func:`handlers.intents.classify` reads as ``intent`` goes to ``handler``."""
        self._named_intents[intent] = handler

    def add_start_payload(self, prefix: str, handler: FlowHandler) -> None:
        """A deep link ``/start PREFIX_...`` (Telegram's ``?start=``, a QR poster) goes to ``handler``."""
        self._start_payloads[prefix] = handler

    def set_idle_cancel(self, handler: FlowHandler) -> None:
        """What "stop"/"berhenti" does outside any flow (mid-form it always cancels the form)."""
        self._idle_cancel = handler

    def set_officer_handler(self, handler: FlowHandler) -> None:
        """Where the console's synthetic events (``InputKind.OFFICER``) go."""
        self._officer_events = handler

    def has_choice(self, prefix: str) -> bool:
        return prefix in self._choices

    def add_menu_entry(self, entry: MenuEntry) -> None:
        self.menu.add(entry)

    def set_text_handler(self, handler: TextHandler) -> None:
        """Where free text goes when nothing else claims it (the knowledge search)."""
        self._text_handler = handler

    @property
    def text_handler(self) -> TextHandler:
        return self._text_handler

    async def dispatch(self, inp: UserInput, state: ConversationState, ctx: HandlerContext) -> Outcome:
        """Channel rules first (reactions, refused files, group chats), then :func:`dispatch_private`."""
        if inp.kind is InputKind.OFFICER:  # a console action, applied in order with the citizen's messages
            if self._officer_events is None:
                return Outcome((), state)
            return await self._officer_events(inp, state, ctx)
        if inp.kind is InputKind.REACTION:
            return Outcome((), state)  # a 👍 on an answer needs no answer
        if state.flow and inp.kind in (InputKind.PHOTO, InputKind.DOCUMENT) and inp.attachment is None:
            return core.say(state, "attachment_refused")  # refused by the channel: the step waits for another
        if not inp.is_group:
            return await self.dispatch_private(inp, state, ctx)
        if not inp.addressed_to_bot:
            return Outcome((), state)
        outcome = await self.dispatch_private(inp, state, ctx)
        if outcome.state.flow in PRIVATE_FLOWS:
            offer = Reply(text=t("group_private_only", state.lang), link=PRIVATE_CHAT_LINK)
            return Outcome((offer,), state.reset())
        return outcome

    async def dispatch_private(
        self, inp: UserInput, state: ConversationState, ctx: HandlerContext
    ) -> Outcome:
        if ctx.router is not self:
            ctx = replace(ctx, router=self)
        text = clean_text(inp.text) if inp.kind in (InputKind.TEXT, InputKind.COMMAND) else inp.text
        if text:
            state = state.with_(lang=detect_language(text, state.lang))
        lowered = text.lower().rstrip("!.?")

        if inp.kind is InputKind.COMMAND:
            command = inp.command.lower().lstrip("/").split("@", 1)[0]
            lowered = f"/{command}"
            if command == "start":
                prefix = inp.command_args.strip().split("_", 1)[0]
                if prefix and (deep_link := self._start_payloads.get(prefix)):
                    return await deep_link(inp, state.reset(), ctx)
                if (wanted := inp.command_args.strip().lower()) in (Lang.EN.value, Lang.ID.value):
                    state = state.with_(lang=Lang(wanted))  # "/start en": the web page's ?lang=en
                return core.show_menu(
                    state, self.menu, greet=True, name=inp.sender_name, body=_greeting_body(ctx)
                )
            if lowered not in MENU_WORDS | CANCEL_WORDS | HELP_WORDS and not self.menu.find(
                command, allow_number=False
            ):
                return core.say(state, "unknown_command", command=f"/{command}")
            if entry := self.menu.find(command, allow_number=False):
                return await entry.handler(inp, state.reset(), ctx)

        if inp.kind in (InputKind.TEXT, InputKind.COMMAND):
            if lowered in CANCEL_WORDS:
                if self._idle_cancel and not state.flow and state.mode is Mode.BOT:
                    return await self._idle_cancel(inp, state, ctx)
                return core.handle_cancel(state)
            if lowered in MENU_WORDS:
                return core.show_menu(state, self.menu)
            if lowered in HELP_WORDS:
                if state.flow:  # mid-form: explain, and keep the citizen's place
                    return Outcome((core.help_reply(state.lang, ctx),), state)
                return await core.handle_help(inp, state, ctx)

        if state.mode is Mode.HUMAN and (handoff := self._flows.get(Flow.HANDOFF)):
            return await handoff(inp, state, ctx)

        if inp.kind is InputKind.CHOICE:
            return await self._dispatch_choice(inp, state, ctx)

        if state.flow and state.flow in self._flows:
            return await self._flows[state.flow](replace(inp, text=text), state, ctx)

        if inp.kind not in (InputKind.TEXT, InputKind.COMMAND):
            return core.say(state, "unsupported_input")
        if not text:
            return core.say(state, "empty_message")
        if len(text) > ctx.max_message_chars:
            return core.say(state, "too_long", length=len(text), limit=ctx.max_message_chars)
        if not has_words(text):
            return core.say(state, "emoji_only")
        if lowered in GREETING_WORDS:
            return core.show_menu(
                state, self.menu, greet=True, name=inp.sender_name, body=_greeting_body(ctx)
            )
        if entry := self.menu.find(text, allow_number=state.step == core.MENU_STEP):
            return await entry.handler(inp, state.reset(), ctx)
        if (intent := classify(text)) is not None and (named := self._named_intents.get(intent)):
            return await named(replace(inp, text=text), state.reset(), ctx)
        for matches, handler in self._intents:
            if matches(text):
                return await handler(replace(inp, text=text), state.reset(), ctx)
        return await self._text_handler(text, state, ctx)

    async def _dispatch_choice(
        self, inp: UserInput, state: ConversationState, ctx: HandlerContext
    ) -> Outcome:
        payload = inp.choice
        prefix = payload.split(":", 1)[0]
        if prefix == "menu":
            if entry := self.menu.find(payload, allow_number=False):
                return await entry.handler(inp, state.reset(), ctx)
            return core.say(state, "stale_choice")
        if prefix in self._choices:
            return await self._choices[prefix](inp, state, ctx)
        if state.flow and state.flow in self._flows and payload.startswith(f"{state.flow}:"):
            return await self._flows[state.flow](inp, state, ctx)
        return core.say(state, "stale_choice")
