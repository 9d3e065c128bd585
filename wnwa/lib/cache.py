"""The cache's key function, and Django's Redis cache answering as an empty cache while Redis
cannot be reached.

Every key is a keyed hash (`private_key`): the rate limits' keys hold an address or a sign-in
email, the TOTP replay guard's a device, the sign-out deny list a session's nonce, and a plain
hash of an email is reversed by anyone with the roster. With an HMAC under the secret key, what
Redis holds names nobody.

The cache holds only counters and markers: the sign-in and public-form rate limits, the TOTP
replay guard, the sign-out deny list and the directory's cached parts. None of them is worth an
error page to an officer in crisis, so while Redis is down or unreachable every operation
answers as an empty cache that takes every write:

- reads find nothing (`get` gives its default): rate limits start from zero;
- `add` succeeds: allauth's rate-limit lock is taken, and a TOTP code passes the replay guard;
- `incr` finds no key (ValueError, as Django's API says), which callers already handle;
- writes and deletes do nothing.

So while it lasts, rate limits are open, a TOTP code could be replayed within its minute and a
signed-out session cookie works again (wnwa.accounts.sessions); everything else works. The
outage is logged once, by the error's kind, until an operation succeeds again. Errors that are
not about the connection (a wrong type, a full memory) still raise: they are bugs or a
misconfiguration, not an outage.

django-redis's IGNORE_EXCEPTIONS does not fit: it answers `add` and `get` with None, which
allauth's lock reads as "busy" (refusing every sign-in after a one-second wait).
"""

import logging
from functools import wraps

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.crypto import salted_hmac
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("wnwa.cache")


def private_key(key: str, key_prefix: str, version: int) -> str:
    """CACHES' KEY_FUNCTION: the key's first word stays readable (which part of the portal the
    entry belongs to: "allauth", "otp", "session", "wnwa"), the rest is an HMAC under the
    secret key. Changing the secret key empties the cache, in effect."""
    label, _, _ = str(key).partition(":")
    digest = salted_hmac("wnwa.lib.cache.private_key", str(key), algorithm="sha256").hexdigest()
    return f"{key_prefix}:{version}:{label[:16]}:{digest}"


UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _forgiving(fallback):
    """Run the operation; while Redis is unreachable, return `fallback(*args, **kwargs)`."""

    def decorator(operation):
        @wraps(operation)
        def wrapper(self, *args, **kwargs):
            try:
                result = operation(self, *args, **kwargs)
            except UNREACHABLE as error:
                if not ForgivingRedisCache.unreachable:
                    logger.error("cache unreachable: %s", type(error).__name__)
                ForgivingRedisCache.unreachable = True
                return fallback(*args, **kwargs)
            ForgivingRedisCache.unreachable = False
            return result

        return wrapper

    return decorator


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found.")


class _ClientPerPool(RedisCacheClient):
    """Django's Redis client, keeping one `redis.Redis` per connection pool rather than making a
    new one for every operation: making one copies redis-py's table of reply handlers, which
    cost more than the operation itself (a tenth of a millisecond; the directory makes three a
    page). A `redis.Redis` is only a handle on its pool, and Django keeps a cache per thread."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    unreachable = False  # for the whole process, so an outage is logged once, not per thread

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ClientPerPool

    def validate_key(self, key):
        """Nothing to check: Django's check warns of keys memcached cannot store, and every key
        here is `private_key`'s short hex, which Redis stores as it is. (It read each key's
        every character, a twentieth of a millisecond a key: the directory asks for twenty.)"""

    @_forgiving(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_forgiving(lambda *args, **kwargs: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_forgiving(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_forgiving(lambda *args, **kwargs: True)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_forgiving(lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_forgiving(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_forgiving(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_forgiving(_missing)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_forgiving(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_forgiving(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_forgiving(lambda *args, **kwargs: False)
    def clear(self):
        return super().clear()
