"""Per-conversation scheduling: the in-process keyed lock.

A conversation with work is *pending*; a worker takes a batch of pending conversations and holds
them *in flight* until it releases them. A conversation is never in two batches at once, so its
messages are handled one after another in arrival order, while different conversations run in
parallel. Nothing is kept for an idle conversation: the lock frees itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class KeyedScheduler(Generic[K]):
    def __init__(self) -> None:
        self._pending: dict[K, None] = {}  # insertion-ordered set: oldest work first
        self._in_flight: set[K] = set()
        self._ready = asyncio.Condition()

    async def mark(self, keys: Iterable[K]) -> None:
        """Note that these conversations have work (again)."""
        async with self._ready:
            for key in keys:
                self._pending[key] = None
            self._ready.notify_all()

    async def take(self, limit: int) -> list[K]:
        """Wait for, then claim, up to ``limit`` pending conversations that no worker holds."""
        async with self._ready:
            while True:
                batch = [k for k in self._pending if k not in self._in_flight][:limit]
                if batch:
                    for key in batch:
                        del self._pending[key]
                        self._in_flight.add(key)
                    return batch
                await self._ready.wait()

    async def release(self, keys: Iterable[K]) -> None:
        async with self._ready:
            self._in_flight.difference_update(keys)
            self._ready.notify_all()

    @property
    def idle(self) -> bool:
        return not self._pending and not self._in_flight

    def size(self) -> tuple[int, int]:
        return len(self._pending), len(self._in_flight)
