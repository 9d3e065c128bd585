"""A small per-address limit on the public forms, kept in the cache only (never on disk).

The address is hashed with the secret key before it becomes a cache key.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60 * 60


def allow(request, action: str) -> bool:
    """Count one submission; False once the address has used up its hourly allowance."""
    address = request.META.get("REMOTE_ADDR", "")
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    key = f"trainings:rate:{action}:{digest[:32]}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= settings.TRAININGS_FORM_RATE_PER_HOUR
