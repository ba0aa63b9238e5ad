"""Abuse limits at the HTTP edge: token buckets per key, the client's address, capped bodies.

The token bucket is written by hand (a few lines; the libraries for it bring storage back-ends
this in-process limiter does not need). Each process limits on its own: with N workers a client
gets at most N times the rate, which still bounds a flood.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fastapi import Request


@dataclass(frozen=True, slots=True)
class Rate:
    """``per_minute`` tokens a minute, at most ``burst`` at once."""

    per_minute: float
    burst: int

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0


class KeyedLimiter:
    """One token bucket per key (a session, an address); the least recently used keys are forgotten.

    Forgetting a key gives it a full bucket again, which is what an idle key would have by then;
    ``max_keys`` bounds the memory a flood of new keys can take.
    """

    def __init__(
        self, rate: Rate, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate = rate
        self._max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def take(self, key: str) -> float:
        """Take one token: 0.0 when allowed, else the seconds until one is available."""
        now = self._clock()
        tokens, at = self._buckets.pop(key, (float(self.rate.burst), now))
        tokens = min(float(self.rate.burst), tokens + (now - at) * self.rate.per_second)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            rate = self.rate.per_second
            wait = (1.0 - tokens) / rate if rate > 0 else math.inf
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self._max_keys:
            self._buckets.popitem(last=False)
        return wait


def retry_after(wait: float) -> str:
    """A ``Retry-After`` value: whole seconds, at least one."""
    return str(max(1, math.ceil(min(wait, 86_400.0))))


class ClientAddress:
    """The client's address: the peer's, or the forwarded one when the peer is a trusted proxy.

    ``X-Forwarded-For`` is honoured only from the configured proxies (anyone can send the header);
    the address taken is the right-most one a trusted proxy did not add itself.
    """

    def __init__(self, trusted: Sequence[str]) -> None:
        self._trusted = [ipaddress.ip_network(item.strip(), strict=False) for item in trusted if item.strip()]

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._trusted)

    def __call__(self, request: Request) -> str:
        peer = request.client.host if request.client else ""
        if not self._trusted or not self._is_trusted(peer):
            return peer
        forwarded = ",".join(request.headers.getlist("x-forwarded-for"))
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self._is_trusted(hop):
                return hop[:64]
        return hops[0][:64] if hops else peer


class BodyTooLarge(Exception):
    """The request body is over its limit (declared or streamed): answer 413."""


async def read_capped(request: Request, limit: int) -> bytes:
    """The body, refused by its declared length first and then while streaming (never buffered past ``limit``)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge
    return bytes(body)
