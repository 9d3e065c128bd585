"""One rate limiter for the public forms: a counter in the cache, keyed by a keyed hash of the
client address and a scope, read behind proxies the way django-allauth reads it."""

import pytest
from django.test import RequestFactory, override_settings

from tests.conftest import DOWN_CACHE, cache_keys
from wnwa.lib import ratelimit

ADDRESS = "203.0.113.7"


def request_from(address: str = ADDRESS, **headers):
    return RequestFactory().post("/contact/", REMOTE_ADDR=address, **headers)


def allow(request, scope: str = "test", limit: int = 2) -> bool:
    return ratelimit.allow(request, scope=scope, limit=limit, window_seconds=600)


def test_the_limit_blocks_past_its_count_and_only_that_address():
    assert [allow(request_from()) for _ in range(3)] == [True, True, False]
    assert allow(request_from("198.51.100.1"))


def test_each_scope_counts_on_its_own():
    assert [allow(request_from(), "contact", 1) for _ in range(2)] == [True, False]
    assert allow(request_from(), "apply", 1)


def test_a_new_window_starts_a_new_count(monkeypatch):
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6000.0)
    assert [allow(request_from(), limit=1) for _ in range(2)] == [True, False]
    monkeypatch.setattr(ratelimit.time, "time", lambda: 6600.0)
    assert allow(request_from(), limit=1)


def test_the_cache_holds_a_hash_never_the_address():
    allow(request_from())
    keys = cache_keys()
    assert keys and all(ADDRESS not in key for key in keys)
    assert any(":wnwa:" in key for key in keys)  # the limiter's keys, as HMACs


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored():
    spoofed = request_from(HTTP_X_FORWARDED_FOR="192.0.2.55")
    assert ratelimit.client_address(spoofed) == ADDRESS


def test_behind_trusted_proxies_the_client_is_read_from_forwarded_for(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = request_from("10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.55, 198.51.100.20")
    assert ratelimit.client_address(request) == "198.51.100.20"
    # Two clients behind the same proxy have separate counters.
    first = request_from("10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")
    second = request_from("10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.21")
    assert [allow(first, limit=1) for _ in range(2)] == [True, False]
    assert allow(second, limit=1)


def test_fewer_forwarded_hops_than_proxies_reads_the_first_instead_of_failing(settings):
    # A request that skipped a proxy layer, or a count set one too high: every address in the
    # header was written by a proxy of ours, so the first is the client our outermost proxy saw.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 3
    request = request_from("10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20, 10.0.0.9")
    assert ratelimit.client_address(request) == "198.51.100.20"
    garbage = request_from("10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
    assert ratelimit.client_address(garbage) == ""


def test_a_trusted_client_ip_header_is_read_when_configured(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    request = request_from("10.0.0.2", HTTP_X_REAL_IP="192.0.2.99")
    assert ratelimit.client_address(request) == "192.0.2.99"


@pytest.mark.parametrize("address", ["", "not an address"])
def test_an_unreadable_address_shares_one_counter_instead_of_escaping(address):
    assert ratelimit.client_address(request_from(address)) == ""
    assert [allow(request_from(address), limit=1) for _ in range(2)] == [True, False]


def test_while_the_cache_is_down_the_limit_is_open_and_logged_by_kind(caplog):
    with override_settings(CACHES=DOWN_CACHE):
        assert [allow(request_from(), limit=1) for _ in range(3)] == [True, True, True]
    assert [record.getMessage() for record in caplog.records] == [
        "cache unreachable: ConnectionError"
    ]
    assert ADDRESS not in caplog.text


def test_spent_reads_the_count_without_adding_to_it():
    assert not ratelimit.spent(request_from(), scope="test", limit=1, window_seconds=600)
    assert not ratelimit.spent(request_from(), scope="test", limit=1, window_seconds=600)
    assert allow(request_from(), limit=1)
    assert ratelimit.spent(request_from(), scope="test", limit=1, window_seconds=600)
    assert not ratelimit.spent(
        request_from("198.51.100.1"), scope="test", limit=1, window_seconds=600
    )
