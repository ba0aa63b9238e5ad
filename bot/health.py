"""What ``/healthz`` checks: the database, the relay's heartbeat, the send child, the supervisor.

A load balancer takes an instance out when any is false (HTTP 503): a process whose relay no
longer beats sends nothing (and its rows go to other instances), one without its send child
cannot reach Telegram or WhatsApp until the child is back, and a ``--workers`` process whose
supervisor is gone is shutting down (:mod:`bot.lifeline`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.lifeline import supervised, supervisor_alive

if TYPE_CHECKING:
    from bot.runtime import Runtime


async def health_checks(rt: Runtime) -> dict[str, bool]:
    checks = {"database": await rt.db.ping(), "relay": rt.relay.healthy}
    if rt.send_worker is not None:
        checks["send_worker"] = rt.send_worker.alive
    if supervised():
        checks["supervisor"] = supervisor_alive()
    return checks
