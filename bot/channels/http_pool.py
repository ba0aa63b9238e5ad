"""An httpx transport that spreads requests over several small connection pools.

httpcore checks every pooled connection on each request and again on each response (keep-alive
expiry and a ``poll`` of the socket for each idle one, plus a count of all connections per idle
one), so a send through a pool of 32 keep-alive connections costs about three times one through
a pool of 4. Several small pools, taken in turn, keep as many connections open for the relay's
parallel sends at a small pool's cost per request.
"""

from __future__ import annotations

import itertools

import httpx

SHARDS = 8
PER_SHARD = 4


class ShardedTransport(httpx.AsyncBaseTransport):
    def __init__(self, shards: int = SHARDS, per_shard: int = PER_SHARD) -> None:
        limits = httpx.Limits(max_connections=per_shard, max_keepalive_connections=per_shard)
        self._shards = [httpx.AsyncHTTPTransport(limits=limits) for _ in range(shards)]
        self._turn = itertools.cycle(self._shards)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await next(self._turn).handle_async_request(request)

    async def aclose(self) -> None:
        for shard in self._shards:
            await shard.aclose()
