"""Ports: the small Protocols through which handlers reach knowledge and storage.

Handlers depend on these shapes only; ``bot`` wires in the real implementations
(``knowledge.search``, ``storage.repositories``) and tests may hand in fakes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

# --- knowledge (register and FAQ search) ---


class SearchHit(Protocol):
    """One register entry or FAQ answer found for a query."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...  # "register" | "faq"
    @property
    def score(self) -> float: ...
    @property
    def title(self) -> str: ...


class SearchAnswer(Protocol):
    @property
    def hits(self) -> Sequence[SearchHit]: ...


class KnowledgePort(Protocol):
    def search(self, query: str, limit: int = 5) -> SearchAnswer: ...


# --- end knowledge ---
