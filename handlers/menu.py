"""The main menu: a list of entries as data, one :class:`Menu` per router (``handlers.routing``).

An entry is chosen by its number, by one of its words, or by its button payload ``menu:<key>``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from handlers.context import HandlerContext
from handlers.texts import t
from handlers.types import Choice, ConversationState, Lang, Outcome, UserInput

MenuHandler = Callable[[UserInput, ConversationState, HandlerContext], Awaitable[Outcome]]


@dataclass(frozen=True, slots=True)
class MenuEntry:
    key: str
    label_key: str  # texts key
    words: frozenset[str]  # lower-case words or phrases that choose it
    handler: MenuHandler
    order: int


class Menu:
    """The entries of one router, in their order; built by ``handlers.routing.build_router``."""

    def __init__(self) -> None:
        self._entries: dict[str, MenuEntry] = {}

    def add(self, entry: MenuEntry) -> None:
        self._entries[entry.key] = entry

    def entries(self) -> list[MenuEntry]:
        return sorted(self._entries.values(), key=lambda e: e.order)

    def choices(self, lang: Lang) -> tuple[Choice, ...]:
        return tuple(Choice(label=t(e.label_key, lang), payload=f"menu:{e.key}") for e in self.entries())

    def menu_text(self, lang: Lang) -> str:
        lines = [t("menu_title", lang)]
        lines += [f"{n}. {t(e.label_key, lang)}" for n, e in enumerate(self.entries(), start=1)]
        return "\n".join(lines)

    def find(self, text: str, *, allow_number: bool) -> MenuEntry | None:
        """The entry ``text`` names: its number (only right after a menu), its key or one of its words."""
        value = text.strip().lower().rstrip(".")
        if value.startswith("menu:"):
            return self._entries.get(value.removeprefix("menu:"))
        listed = self.entries()
        if allow_number and value.isdigit() and 1 <= int(value) <= len(listed):
            return listed[int(value) - 1]
        for entry in listed:
            if value == entry.key or value in entry.words:
                return entry
        return None
