"""Rate limits for the public forms, counted in the cache only (PRIVACY.md: minutes, never disk).

One counter per client address, scope and fixed window. The cache key holds a keyed hash of the
address (HMAC with a key derived from SECRET_KEY), never the address itself, so even the cache
cannot say who sent what. Each app keeps its own limits (settings) and its own words for a refusal.
While Redis is down the limits are open (wnwa.lib.cache).
"""

import hashlib
import hmac
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

KEY_PREFIX = "wnwa:rl"


def client_address(request: HttpRequest) -> str:
    """The sender's address, read the way django-allauth reads it for its sign-in limits.

    One configuration for both: ALLAUTH_TRUSTED_PROXY_COUNT (how many proxies of ours append to
    X-Forwarded-For) or ALLAUTH_TRUSTED_CLIENT_IP_HEADER (a header a trusted proxy sets, such as
    X-Real-IP); with neither, REMOTE_ADDR. An address that cannot be read at all comes back empty,
    so such requests share one counter rather than escaping the limit.
    """
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:
        return ""


def _digest(address: str, scope: str) -> str:
    # A key of our own derived from SECRET_KEY, so this hash is useless for anything else.
    key = hashlib.sha256(f"{settings.SECRET_KEY}:wnwa.lib.ratelimit".encode()).digest()
    return hmac.new(key, f"{scope}:{address}".encode(), hashlib.sha256).hexdigest()[:32]


def allow(request: HttpRequest, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one submission from this address in `scope`; False once past `limit` in the window.

    The window is fixed (aligned to multiples of `window_seconds`) and part of the key, so the
    count restarts with each window on every cache backend, whatever its `incr` does to timeouts.
    """
    window = int(time.time() // window_seconds)
    key = f"{KEY_PREFIX}:{scope}:{_digest(client_address(request), scope)}:{window}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr, or the cache is down (wnwa.lib.cache)
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
