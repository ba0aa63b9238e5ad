"""The channel's rate window hands its places out by priority: a serta merta notice and a citizen's
reply do not queue behind a broadcast's thousands of rows (UU 14/2008 Pasal 10: "serta merta")."""

from __future__ import annotations

import asyncio

from bot.relay import SEND_PRIORITY, RateLimiter, RateLimits
from storage.models.pipeline import OutboxKind


async def _send(limiter: RateLimiter, name: str, priority: int, order: list[str]) -> None:
    await limiter.acquire(f"chat-{name}", priority)
    order.append(name)
    limiter.done(f"chat-{name}")


async def test_urgent_and_replies_pass_a_waiting_broadcast() -> None:
    limiter = RateLimiter(RateLimits(per_second=10.0))
    order: list[str] = []
    broadcast = SEND_PRIORITY[OutboxKind.BROADCAST.value]
    tasks = [asyncio.create_task(_send(limiter, f"b{n}", broadcast, order)) for n in range(30)]
    await asyncio.sleep(0.05)  # the first second's ten places are gone to the broadcast
    assert len(order) == 10
    tasks.append(
        asyncio.create_task(_send(limiter, "reply", SEND_PRIORITY.get(OutboxKind.REPLY.value, 1), order))
    )
    tasks.append(asyncio.create_task(_send(limiter, "urgent", SEND_PRIORITY[OutboxKind.URGENT.value], order)))
    await asyncio.gather(*tasks)
    assert order[10:12] == ["urgent", "reply"]  # the next places, ahead of twenty waiting rows
    assert order[12:] == [f"b{n}" for n in range(10, 30)]  # the broadcast keeps its own order


async def test_cancelled_waiters_leave_no_timer_and_the_next_send_still_goes() -> None:
    limiter = RateLimiter(RateLimits(per_second=2.0))
    order: list[str] = []
    waiting = [asyncio.create_task(_send(limiter, f"b{n}", 2, order)) for n in range(6)]
    await asyncio.sleep(0.05)
    for task in waiting:
        task.cancel()
    await asyncio.gather(*waiting, return_exceptions=True)
    await asyncio.sleep(0)
    assert order == ["b0", "b1"]
    assert limiter._pump is None or limiter._pump.done()  # no timer task left behind
    await asyncio.wait_for(_send(limiter, "later", 0, order), timeout=3)
    assert order[-1] == "later"
