"""A rate limit on public applications, kept in the cache for minutes and nowhere else.

The key is an HMAC of the client address, so even the cache never holds an address. Only a
submitted application (a POST to the public form) touches it: officers' browsing never does.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def _key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()
    return f"professionals:apply:{digest[:32]}"


def application_allowed(request: HttpRequest) -> bool:
    """Count this submission; False once the address has sent too many in the window."""
    key = _key(request)
    window = settings.PROFESSIONAL_APPLICATIONS_WINDOW_SECONDS
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= settings.PROFESSIONAL_APPLICATIONS_PER_WINDOW
