"""What citizens could not find: questions the bot abstained on, answered only with "mungkin yang
Anda maksud", handed to an officer, or that the citizen called unhelpful ("bukan ini").

The handlers only *observe* a gap: they return a :class:`~handlers.types.GapObserved` effect with
the question already stripped of personal data (``handlers.scrub``); storage applies it in the
pipeline's transaction and groups it with similar questions (:func:`nearest_group`). A group an
officer marked as another body's business carries a referral (SP4N-LAPOR!, the land office...):
a new question that joins it is answered with that referral instead of "tidak ditemukan"
(UU 14/2008 Pasal 22(7) b: say who holds the information).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Protocol

from rapidfuzz import fuzz, process

from handlers.scrub import scrub_personal_data
from handlers.types import GapObserved, GapReason

MAX_QUESTION_CHARS = 300
SIMILAR = 75.0  # a question joins the nearest group scoring at least this (0-100)
CANDIDATES = 8  # groups compared in full with a new question
_TOKEN = re.compile(r"[^\W_]+|\[[a-zA-Z]+\]", re.UNICODE)
# chat words that say nothing about what was sought
_FILLER_WORDS = (
    "yg yang dan di ke dari ini itu apa apakah ada gak ga nggak tidak dong deh ya yah nih sih kak min "
    "admin mau ingin tanya bertanya minta mohon tolong info informasi saya aku sy gimana bagaimana "
    "gmn cara caranya bisa bs kah pak bu bapak ibu the a an of for to is are how can i please"
)
_FILLER = frozenset(_FILLER_WORDS.split())


class GapStatus(StrEnum):
    """What an officer did with a group (the console's "could not find" page)."""

    OPEN = "open"
    LINKED = "linked"  # linked to the entry that answers it: its phrasings are learned search terms
    TO_PUBLISH = "to_publish"  # information the body should publish: a to-do for an OPD
    NOT_OURS = "not_ours"  # another body's business: citizens are told where to go


def gap_observed(question: str, reason: GapReason) -> GapObserved:
    """The effect of a gap, its question scrubbed and shortened: nothing personal leaves here."""
    text = " ".join(scrub_personal_data(question).split())
    return GapObserved(text[:MAX_QUESTION_CHARS], reason)


def group_key(question: str) -> str:
    """A question as its sorted set of informative words, lower case ("apbd 2024 dinkes")."""
    words = {w.lower() for w in _TOKEN.findall(question)}
    kept = {w for w in words if w not in _FILLER} or words
    return " ".join(sorted(kept))


def similarity(a: str, b: str) -> float:
    """Token-set similarity of two group keys, tempered by their word order-free whole: a short
    question is not "the same" as every longer one that contains its one word."""
    return (fuzz.token_set_ratio(a, b) + fuzz.token_sort_ratio(a, b)) / 2


def nearest_group(
    key: str, groups: Mapping[int, str] | Iterable[tuple[int, str]], threshold: float = SIMILAR
) -> int | None:
    """The id of the group whose key is most similar to ``key``, if similar enough; else None
    (the caller opens a new group). The token-set ratio (rapidfuzz's C scorer) picks the few
    candidates; :func:`similarity` decides among them."""
    choices = groups if isinstance(groups, Mapping) else dict(groups)
    if not key or not choices:
        return None
    candidates = process.extract(
        key, choices, scorer=fuzz.token_set_ratio, limit=CANDIDATES, score_cutoff=threshold
    )
    scored = [(similarity(key, choices[group]), -group) for _, _, group in candidates]
    best = max(scored, default=None)
    return -best[1] if best is not None and best[0] >= threshold else None


class GapPort(Protocol):
    """What a handler may ask about the gaps recorded so far (``bot.gap_store.GapStore``)."""

    async def referral_for(self, question: str) -> str | None: ...  # a "not ours" group's referral
