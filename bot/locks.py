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
        self._ready_keys: dict[K, None] = {}  # pending and not held: insertion-ordered, oldest first
        self._in_flight: set[K] = set()
        self._again: set[K] = set()  # held by a worker and marked again meanwhile
        self._ready = asyncio.Condition()

    async def mark(self, keys: Iterable[K]) -> None:
        """Note that these conversations have work (again)."""
        async with self._ready:
            for key in keys:
                if key in self._in_flight:
                    self._again.add(key)
                else:
                    self._ready_keys[key] = None
            self._ready.notify_all()

    async def take(self, limit: int) -> list[K]:
        """Wait for, then claim, up to ``limit`` pending conversations that no worker holds."""
        async with self._ready:
            while not self._ready_keys:
                await self._ready.wait()
            batch = []
            for key in self._ready_keys:
                batch.append(key)
                if len(batch) == limit:
                    break
            for key in batch:
                del self._ready_keys[key]
            self._in_flight.update(batch)
            return batch

    async def release(self, keys: Iterable[K]) -> None:
        async with self._ready:
            for key in keys:
                self._in_flight.discard(key)
                if key in self._again:
                    self._again.discard(key)
                    self._ready_keys[key] = None
            self._ready.notify_all()

    @property
    def idle(self) -> bool:
        return not self._ready_keys and not self._in_flight

    def size(self) -> tuple[int, int]:
        return len(self._ready_keys) + len(self._again), len(self._in_flight)
