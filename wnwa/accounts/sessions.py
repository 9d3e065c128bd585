"""How a session ends, without a session table (docs/privacy.md, rules 3 and the security writes).

Sessions live in signed cookies, which the server cannot take back. Three things end them:

- **Signing out** puts the session's nonce (a random value chosen at sign-in, kept inside the
  cookie) on a deny list in the cache, for as long as a copy of the cookie could still be valid.
  The entry's key is a keyed hash (the cache's key function), so it names nobody.
- **The account's session value** (`User.session_token`), replaced by "sign out everywhere" and
  by deactivation, and the password hash and the staff roles: Django checks an HMAC of them on
  every request (`User._get_session_auth_hash`), so changing any one ends every session.
- **The staff lifetime**: a signed cookie is checked only against SESSION_COOKIE_AGE, so staff
  sessions are ended here, STAFF_SESSION_SECONDS after the sign-in time kept inside the cookie.

Nothing here is written to the database, and nothing in the cache says who signed in or when.
If the cache is emptied (a Redis flush), signed-out cookies work again until they expire; "sign
out everywhere" and everything else above still hold.
"""

import secrets
import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.http import HttpRequest

from wnwa.accounts import roles

NONCE = "wnwa_nonce"
SIGNED_IN_AT = "wnwa_signed_in_at"


def _denied_key(nonce: str) -> str:
    return f"session:denied:{nonce}"


def session_begin(request: HttpRequest) -> None:
    """At sign-in: a fresh nonce and the sign-in time, inside the signed cookie only."""
    request.session[NONCE] = secrets.token_urlsafe(16)
    request.session[SIGNED_IN_AT] = int(time.time())


def session_end(request: HttpRequest, user) -> None:
    """At sign-out: refuse this session's nonce for as long as any copy of its cookie lives."""
    nonce = request.session.get(NONCE)
    if not nonce:
        return
    lifetime = settings.SESSION_COOKIE_AGE
    if user is not None and roles.is_staff_role(user):
        lifetime = settings.STAFF_SESSION_SECONDS - (time.time() - staff_clock(request))
    if lifetime > 0:
        cache.set(_denied_key(nonce), True, timeout=int(lifetime) + 1)


def staff_clock(request: HttpRequest) -> int:
    return request.session.get(SIGNED_IN_AT, 0)


def session_refused(request: HttpRequest) -> bool:
    """A signed-in session without a nonce (made before nonces existed) or a signed-out one."""
    if SESSION_KEY not in request.session:
        return False
    nonce = request.session.get(NONCE)
    return not nonce or cache.get(_denied_key(nonce), False)


def staff_session_expired(request: HttpRequest, user) -> bool:
    return (
        roles.is_staff_role(user)
        and time.time() - staff_clock(request) > settings.STAFF_SESSION_SECONDS
    )
