"""Ports: the small Protocols through which handlers reach knowledge and storage.

Handlers depend on these shapes only; ``bot`` wires in the real implementations
(``knowledge.search``, ``storage.repositories``) and tests may hand in fakes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

# --- knowledge (register and FAQ search) ---


class SearchHit(Protocol):
    """One register entry or FAQ answer found for a query (``knowledge.search.Hit``)."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...  # "register" | "faq"
    @property
    def score(self) -> float: ...  # 0-100
    @property
    def title(self) -> str: ...  # register title or FAQ question
    @property
    def category(self) -> str: ...  # berkala | serta_merta | setiap_saat | dikecualikan; "" for FAQ
    @property
    def unit(self) -> str: ...  # the unit (OPD) holding the information
    @property
    def unit_code(self) -> str: ...  # that unit's abbreviation ("Dinkes"), as officers' OPDs are named
    @property
    def year(self) -> int | None: ...
    @property
    def link(self) -> str: ...  # empty for exempt and hardcopy-only entries
    @property
    def text(self) -> str: ...  # register summary or FAQ answer
    @property
    def exemption_reason(self) -> str: ...  # UU 14/2008 Pasal 17 basis and consequence test
    @property
    def pasal_17_letter(self) -> str: ...  # "a".."j", or ""


class SearchAnswer(Protocol):
    @property
    def hits(self) -> Sequence[SearchHit]: ...  # best first; empty when the search abstained
    @property
    def tentative(self) -> bool: ...  # middling evidence: offer the hits as "mungkin yang Anda maksud"
    # why it abstained, when it knows: another body's service, another place, another year
    @property
    def outside(self) -> bool: ...
    @property
    def elsewhere(self) -> bool: ...
    @property
    def other_year(self) -> bool: ...
    @property
    def nearest(self) -> SearchHit | None: ...  # another year: the edition the register holds


class KnowledgePort(Protocol):
    def search(self, query: str, limit: int = 5) -> SearchAnswer: ...
    def get(self, entry_id: str) -> SearchHit | None: ...  # a register or FAQ entry by id
    def faq(self, limit: int = 10) -> Sequence[SearchHit]: ...  # the FAQ, in its own order


# --- end knowledge ---
