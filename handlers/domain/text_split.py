"""Long text cut into messages a platform takes: at a paragraph, line, sentence or word boundary,
never inside a word unless one word is longer than the limit; and an over-long announcement cut
into numbered parts ("(1/3)") that each fit, delivered one after another.

Pure functions: the size of a text is given (``len`` for WhatsApp's characters, ``utf16_len`` for
Telegram, which counts UTF-16 code units, an emoji twice), so the limits hold exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_BREAKS = (
    re.compile(r"\n\s*\n"),  # paragraph
    re.compile(r"\n"),  # line
    re.compile(r"(?<=[.!?…])[\"')\]]*\s+"),  # sentence
    re.compile(r"\s+"),  # word
)


class TooManyParts(ValueError):
    """The text needs more parts than allowed."""

    def __init__(self, needed: int, allowed: int) -> None:
        super().__init__(f"{needed} parts needed; at most {allowed}")
        self.needed = needed
        self.allowed = allowed


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int, size: Callable[[str], int]) -> int:
    """The longest prefix length of ``text`` whose size is at most ``limit``."""
    if size is len:
        return min(len(text), limit)
    low, high = 0, min(len(text), limit)
    while low < high:
        mid = (low + high + 1) // 2
        if size(text[:mid]) <= limit:
            low = mid
        else:
            high = mid - 1
    return low


def split_text(text: str, limit: int, size: Callable[[str], int] = len) -> list[str]:
    """Split ``text`` into chunks of at most ``limit``, on the largest natural boundary that fits."""
    text = text.strip()
    chunks: list[str] = []
    while size(text) > limit:
        end = _fit(text, limit, size)
        cut = end
        for pattern in _BREAKS:
            found = [m for m in pattern.finditer(text, 0, end + 1) if m.start() >= end // 3]
            if found:
                cut = found[-1].start()
                break
        head, text = text[:cut].rstrip(), text[cut:].lstrip()
        if not head:  # nothing but one overlong word: cut it
            head, text = text[:end], text[end:].lstrip()
        chunks.append(head)
    if text:
        chunks.append(text)
    return chunks


def numbered_parts(
    text: str,
    limit: int,
    label: Callable[[int, int], str],
    *,
    size: Callable[[str], int] = len,
    max_parts: int = 5,
) -> list[str]:
    """``text`` as one message when it fits; else parts that each fit ``limit`` with their
    ``label(n, total)`` ("(1/3)") on a line of its own at the end. Raises :class:`TooManyParts`
    when more than ``max_parts`` would be needed."""
    text = text.strip()
    if size(text) <= limit:
        return [text]
    total = 2
    while True:
        room = limit - size("\n\n" + label(total, total))
        parts = split_text(text, room, size) if room > 0 else []
        if not parts:
            raise TooManyParts(total, max_parts)
        if len(parts) <= total:
            break
        total = len(parts)  # the label grows with the count ("(10/10)"): try again with that count
    if len(parts) > max_parts:
        raise TooManyParts(len(parts), max_parts)
    return [f"{part}\n\n{label(n, len(parts))}" for n, part in enumerate(parts, start=1)]
