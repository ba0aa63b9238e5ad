"""The persistence port of areas and subscriptions, and the records that cross it.

Handlers reach areas only through :class:`AreaPort`; ``storage.area_repository.AreaRepository``
implements it on the caller's transaction. A subscription is a conversation and an area: the
resident gives no personal data to subscribe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from handlers.domain.areas import AreaLevel, AreaQuery
from handlers.types import Attachment


@dataclass(frozen=True, slots=True)
class AreaRecord:
    id: int
    key: str  # sukamaju-wetan/rw02/rt003
    level: AreaLevel
    name: str  # "RT 003", "Sukamaju Wetan"
    path: tuple[str, ...] = ()  # the names from the kelurahan down to this area, for labels

    @property
    def label(self) -> str:
        """``RT 003 RW 02 Sukamaju Wetan``: smallest unit first, as residents say it."""
        return " ".join(reversed(self.path or (self.name,)))


@dataclass(frozen=True, slots=True)
class AreaMatch:
    areas: tuple[AreaRecord, ...]
    exact: bool  # the areas fit what was asked; otherwise they are suggestions (an unknown area)


class AreaPort(Protocol):
    async def match(self, query: AreaQuery, limit: int = 8) -> AreaMatch:
        """The areas a resident may mean, best first; one when the query is unambiguous."""
        ...

    async def get(self, key: str) -> AreaRecord | None: ...

    async def get_by_id(self, area_id: int) -> AreaRecord | None: ...

    async def subscribe(self, conversation_id: int, area_id: int) -> bool:
        """True when new; subscribing twice is harmless."""
        ...

    async def subscriptions(self, conversation_id: int) -> Sequence[AreaRecord]: ...

    async def unsubscribe(self, conversation_id: int, area_id: int | None = None) -> int:
        """End one subscription (or all, ``None``); how many ended."""
        ...


# --- coordinators (handlers.coordinator_chat) ---


@dataclass(frozen=True, slots=True)
class CoordinatorInfo:
    username: str
    areas: tuple[AreaRecord, ...]
    max_file_bytes: int = 5 * 1024 * 1024  # the photo or PDF an announcement may carry

    @property
    def labels(self) -> str:
        return ", ".join(a.label for a in self.areas)


class TooManyCodes(Exception):
    """This chat gave too many wrong link codes lately."""


@dataclass(frozen=True, slots=True)
class Announced:
    broadcast_id: int = 0
    awaiting_approval: bool = False
    no_approver: bool = False  # it awaits approval, but no officer is bound to its kelurahan
    refused: str = ""  # the reason, when not accepted


class CoordinatorPort(Protocol):
    async def link(self, code: str, conversation_id: int) -> CoordinatorInfo | None:
        """Bind the chat to the account whose live one-time code this is (the code is then spent).

        Raises :class:`TooManyCodes` after a few wrong codes from the chat."""
        ...

    async def linked(self, conversation_id: int) -> CoordinatorInfo | None: ...

    async def announce(
        self,
        conversation_id: int,
        area_key: str,
        text: str = "",
        entry_id: str = "",
        attachment: Attachment | None = None,
    ) -> Announced: ...
