"""Rate limits for the public forms, in the cache only (PRIVACY.md: minutes, never the database).

The key is a keyed hash of the sender's address, so even the cache never holds an address.
"""

import hashlib
import hmac
import time

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache


def _address_digest(request, scope: str) -> str:
    # allauth's adapter knows which proxy headers to trust (ALLAUTH_TRUSTED_PROXY_COUNT), the same
    # answer its sign-in limits use.
    address = get_adapter().get_client_ip(request)
    message = f"{scope}:{address}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def allow_submission(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count one submission from this address; False once more than `limit` in the window."""
    window = int(time.time() // window_seconds)
    key = f"wnwa:rl:{scope}:{_address_digest(request, scope)}:{window}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
