"""The token buckets themselves, on a clock the test turns: refill, Retry-After, the bound."""
from __future__ import annotations

from web.limits import RateLimit, TokenBuckets


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_gets_its_burst_then_one_request_per_interval():
    clock = Clock()
    buckets = TokenBuckets(RateLimit(per_minute=6, burst=2), clock)  # one token every 10 s
    assert [buckets.take("a"), buckets.take("a")] == [0, 0]
    assert buckets.take("a") == 10
    assert buckets.take("b") == 0  # another client has its own bucket
    clock.now += 4
    assert buckets.take("a") == 6  # 0.4 of a token: 6 s to go
    clock.now += 6
    assert buckets.take("a") == 0
    clock.now += 3600
    assert [buckets.take("a"), buckets.take("a"), buckets.take("a")] == [0, 0, 10]  # refills to the burst, no more


def test_the_table_forgets_the_least_recently_seen_client_first():
    clock = Clock()
    buckets = TokenBuckets(RateLimit(per_minute=1, burst=1, max_clients=3), clock)
    for client in ("a", "b", "c"):
        assert buckets.take(client) == 0
    assert buckets.take("a") > 0  # "a" is now the most recently seen
    buckets.take("d")  # a fourth client: "b" is forgotten
    assert len(buckets) == 3
    assert buckets.take("b") == 0  # starts again with a full bucket
    assert buckets.take("a") > 0  # still remembered and still empty
