"""Rate limits for the public forms, in the cache only (docs/privacy.md: minutes, never disk).

One counter per client address, scope and fixed window. The cache's key function turns the key
into an HMAC under the secret key (wnwa.lib.cache.private_key), so even the cache cannot say who
sent what. Each app keeps its own limits (settings) and its own words for a refusal.
While Redis is down the limits are open (wnwa.lib.cache).
"""

import time

from allauth.account.adapter import get_adapter
from allauth.core.internal.ratelimit import truncate_ip
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

KEY_PREFIX = "wnwa:rl"


def client_address(request: HttpRequest) -> str:
    """The sender's address, read the way django-allauth reads it for its sign-in limits.

    One configuration for both: ALLAUTH_TRUSTED_PROXY_COUNT (how many proxies of ours append to
    X-Forwarded-For) or ALLAUTH_TRUSTED_CLIENT_IP_HEADER (a header a trusted proxy sets, such as
    X-Real-IP); with neither, REMOTE_ADDR. An address that cannot be read at all comes back empty,
    so such requests share one counter rather than escaping the limit. An IPv6 address counts by
    its network (ALLAUTH_RATE_LIMIT_IPV6_PREFIX, /64 by default), as allauth counts it: one
    household or phone holds a whole /64 and could otherwise take a new address per try.
    """
    try:
        return truncate_ip(get_adapter().get_client_ip(request))
    except PermissionDenied:
        return ""


def _key(request: HttpRequest, scope: str, window_seconds: int) -> str:
    window = int(time.time() // window_seconds)
    return f"{KEY_PREFIX}:{scope}:{client_address(request)}:{window}"


def spent(request: HttpRequest, *, scope: str, limit: int, window_seconds: int) -> bool:
    """True once this address has used up `limit` in `scope`'s current window; counts nothing.

    The public forms count failed submissions (invalid fields, a bad file) in a scope of their
    own, with a higher limit than the accepted ones: a person's few mistakes are never refused,
    while a robot posting garbage is stopped before its posts cost more validation, file checks
    and queries. A form asks `spent` before validating and `allow` after a failure.
    """
    return (cache.get(_key(request, scope, window_seconds)) or 0) >= limit


def allow(request: HttpRequest, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one submission from this address in `scope`; False once past `limit` in the window.

    The window is fixed (aligned to multiples of `window_seconds`) and part of the key, so the
    count restarts with each window on every cache backend, whatever its `incr` does to timeouts.
    """
    key = _key(request, scope, window_seconds)
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr, or the cache is down (wnwa.lib.cache)
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
