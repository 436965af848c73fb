"""Rate limits per client address: a token bucket each, in memory, bounded.

A client may make `burst` requests at once and then `per_minute` a minute. An IPv6 client is
counted by its /64 network, the block one subscriber line or host is given: by single address,
anyone holding a /64 would have 2^64 fresh buckets (and could push everyone else's out of the
table). IPv4 addresses, and IPv4 mapped into IPv6, count one by one. The table keeps at
most `max_clients` buckets; the least recently seen is forgotten first (a forgotten client
starts again with a full bucket, which costs at most one burst). One process, one table: behind
several workers or servers each holds its own (docs/web.md).
"""
from __future__ import annotations

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


def client_key(address: str) -> str:
    """The bucket an address counts against: itself (IPv4, or anything not an IP address), or
    its /64 network (IPv6)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return address
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.IPv6Network((ip, 64), strict=False))


@dataclass(frozen=True)
class RateLimit:
    per_minute: float = 30.0
    burst: int = 10
    max_clients: int = 10_000

    def __post_init__(self) -> None:
        if self.per_minute <= 0 or self.burst < 1 or self.max_clients < 1:
            raise ValueError("rate limit values must be positive")


class TokenBuckets:
    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self._clock = clock
        self._rate = limit.per_minute / 60.0  # tokens a second
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, client: str) -> int:
        """0 when the request may go ahead; else the seconds to wait (for Retry-After)."""
        client = client_key(client)
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.pop(client, (float(self.limit.burst), now))
            tokens = min(float(self.limit.burst), tokens + (now - at) * self._rate)
            wait = 0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = max(1, math.ceil((1.0 - tokens) / self._rate))
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.limit.max_clients:
                self._buckets.popitem(last=False)
            return wait

    def __len__(self) -> int:
        return len(self._buckets)
