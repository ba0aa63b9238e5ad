"""The main menu: a list of entries as data. Later features append theirs with ``register``.

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


_ENTRIES: dict[str, MenuEntry] = {}


def register(entry: MenuEntry) -> None:
    _ENTRIES[entry.key] = entry


def entries() -> list[MenuEntry]:
    return sorted(_ENTRIES.values(), key=lambda e: e.order)


def choices(lang: Lang) -> tuple[Choice, ...]:
    return tuple(Choice(label=t(e.label_key, lang), payload=f"menu:{e.key}") for e in entries())


def menu_text(lang: Lang) -> str:
    lines = [t("menu_title", lang)]
    lines += [f"{n}. {t(e.label_key, lang)}" for n, e in enumerate(entries(), start=1)]
    return "\n".join(lines)


def find(text: str, *, allow_number: bool) -> MenuEntry | None:
    """The entry ``text`` names: its number (only right after a menu), its key or one of its words."""
    value = text.strip().lower().rstrip(".")
    if value.startswith("menu:"):
        return _ENTRIES.get(value.removeprefix("menu:"))
    listed = entries()
    if allow_number and value.isdigit() and 1 <= int(value) <= len(listed):
        return listed[int(value) - 1]
    for entry in listed:
        if value == entry.key or value in entry.words:
            return entry
    return None
