"""The production cache answers as an empty cache while Redis is down, and says so once."""

import pytest
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ResponseError

from tests.conftest import DOWN_CACHE
from wnwa.lib.cache import ForgivingRedisCache


@pytest.fixture
def down():
    config = DOWN_CACHE["default"]
    return ForgivingRedisCache(config["LOCATION"], {"OPTIONS": config["OPTIONS"]})


def messages(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "wnwa.cache"]


def test_while_redis_is_down_every_operation_answers_as_an_empty_cache(down, caplog):
    assert down.get("key") is None and down.get("key", []) == []
    assert down.get_many(["a", "b"]) == {}
    assert down.has_key("key") is False
    assert down.add("lock", True, 10) is True  # allauth's lock is taken, not waited for
    down.set("key", 1)
    assert down.set_many({"a": 1, "b": 2}) == ["a", "b"]  # what was not stored
    with pytest.raises(ValueError):
        down.incr("counter")  # as for a missing key: callers start a new count
    assert down.touch("key") is False and down.delete("key") is False
    down.delete_many(["a"])
    down.clear()
    assert messages(caplog) == ["cache unreachable: ConnectionError"]  # once, by kind


def test_the_next_outage_is_logged_again_once_redis_answered(down, caplog, monkeypatch):
    down.get("key")
    down.get("key")
    monkeypatch.setattr(RedisCache, "get", lambda self, key, default=None, version=None: 1)
    assert down.get("key") == 1
    monkeypatch.undo()
    down.get("key")
    assert messages(caplog) == ["cache unreachable: ConnectionError"] * 2


def test_errors_other_than_an_outage_still_raise(down, monkeypatch):
    def wrong_type(self, key, default=None, version=None):
        raise ResponseError("WRONGTYPE Operation against a key holding the wrong kind of value")

    monkeypatch.setattr(RedisCache, "get", wrong_type)
    with pytest.raises(ResponseError):
        down.get("key")
