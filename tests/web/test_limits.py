"""The token buckets themselves, on a clock the test turns: refill, Retry-After, the bound."""
from __future__ import annotations

from web.limits import RateLimit, TokenBuckets, client_key


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


def test_an_ipv6_client_is_counted_by_its_64_network():
    """Whoever holds a /64 has 2^64 addresses: one bucket for them all, not one each."""
    clock = Clock()
    buckets = TokenBuckets(RateLimit(per_minute=6, burst=2), clock)
    assert [buckets.take("2001:db8:1:2::1"), buckets.take("2001:db8:1:2:ffff::9")] == [0, 0]
    assert buckets.take("2001:db8:1:2:abcd:1234:5678:9abc") == 10  # the same /64: refused
    assert buckets.take("2001:db8:1:3::1") == 0  # the next /64 is another client
    assert buckets.take("198.51.100.7") == 0 and buckets.take("198.51.100.8") == 0  # IPv4: each address
    assert len(buckets) == 4
    assert client_key("::ffff:198.51.100.7") == "198.51.100.7"  # IPv4 mapped into IPv6 is IPv4
    assert client_key("2001:DB8:1:2::1") == "2001:db8:1:2::/64"
    assert client_key("-") == "-"  # no address known (a Unix socket): one bucket, as before
