"""Request-wide rules: privacy-safe logging, the end of sessions and the second factor."""

import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers

from wnwa.accounts import roles, sessions
from wnwa.lib.mail import run_after
from wnwa.lib.uploads import request_max_bytes

request_log = logging.getLogger("wnwa.requests")


class PrivacyLoggingMiddleware:
    """Log one line per request: method, route name, status and duration. Nothing else.

    Never the path (it may hold ids), the query string, the address, the user or their agent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.view_name if match else None) or "unmatched"
        request_log.info(
            "%s %s %s %.1fms",
            request.method if request.method in KNOWN_METHODS else "OTHER",
            route,
            response.status_code,
            (time.monotonic() - started) * 1000,
        )
        return response


KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class AfterResponseMiddleware:
    """Work queued with wnwa.lib.mail.after_response runs when the response is closed, after
    its last byte has gone to the client (the WSGI server closes it then)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return run_after(self.get_response(request), request)


class RequestSizeMiddleware:
    """Refuse a request body larger than its route's largest legitimate request, by its
    Content-Length and before a byte of it is read: 413, with a page that says what to do.

    Django's own DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out, and a multipart body is written to
    a temporary file as it is parsed, before any form can refuse it: an anonymous 300 MB post to
    the public application form would fill the disk first. Each route's limit is its files'
    (declared on the view with wnwa.lib.uploads.takes_files, from the form's own limits) plus
    what Django accepts of ordinary fields; every other route takes no more than the latter.

    A body sent in chunks without a Content-Length is refused too (411): Django reads a request
    without one as empty, so its fields would be lost without a word. Browsers always send the
    length of a form. The proxy in front should hold the same limits (README, "Deploy").

    It runs before the session, the user and the CSRF check (which reads the form), so a refusal
    costs no database query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        else:
            request.resolver_match = match  # the request log names the route of a refusal too
        length = request.META.get("CONTENT_LENGTH") or ""
        if not length and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self._refuse(request, status=411)
        try:
            size = int(length or 0)
        except ValueError:
            size = 0  # Django reads such a body as empty
        limit = request_max_bytes(match.func if match else None)
        if size > limit:
            return self._refuse(request, status=413, limit=limit)
        return self.get_response(request)

    @staticmethod
    def _refuse(request, *, status: int, limit: int | None = None):
        megabytes = f"{limit / (1024 * 1024):.0f}" if limit else None
        return render(request, "413.html", {"limit_mb": megabytes}, status=status)


class SessionMiddleware:
    """End sessions when they should end (wnwa.accounts.sessions), and keep signed-in pages out
    of the browser's cache.

    A signed-out or superseded cookie is treated as no session at all (and deleted); a staff
    session past its lifetime is signed out and sent to sign in again. Every response to a
    signed-in request says `no-store`, so the back button after signing out shows nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if sessions.session_refused(request):
            request.session.flush()
            request.user = AnonymousUser()
        elif request.user.is_authenticated and sessions.staff_session_expired(
            request, request.user
        ):
            logout(request)
            return redirect(settings.LOGIN_URL)
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


# Pages a signed-in user who still owes a second factor may open.
TWO_FACTOR_EXEMPT = {
    "accounts:two-factor-setup",
    "accounts:two-factor-verify",
    "accounts:two-factor-backup-codes",
    "passkeys:sign-in-begin",  # a passkey given as the second factor
    "passkeys:sign-in-complete",
    # Staff may enrol a passkey instead of an authenticator; one who has either is sent to give
    # it first (wnwa.passkeys.views).
    "passkeys:add",
    "passkeys:add-begin",
    "passkeys:add-complete",
    "passkeys:name",
    "account_logout",
    "privacy",
    "terms",
    "manifest",
    "offline",  # the crisis lines, and the service worker that keeps them
    "service-worker",
}


class RoleMemoMiddleware:
    """Role checks that read the database answer once per request (wnwa.accounts.roles)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        roles.remember_for_request(request.user)
        return self.get_response(request)


class TwoFactorMiddleware:
    """Hold back every page until the second factor is given.

    Staff roles must enrol and verify; an officer who has enrolled must verify too. Static files
    are served before this runs (whitenoise), so styles still load.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if roles.owes_second_factor(user) and self._route_name(request) not in TWO_FACTOR_EXEMPT:
            step = (
                "accounts:two-factor-verify"
                if roles.can_give_second_factor(user)
                else "accounts:two-factor-setup"
            )
            if request.method in {"GET", "HEAD"} and request.path != "/":
                # The page they asked for survives the second-factor step.
                next_page = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse(step)}?{next_page}")
            return redirect(step)
        return self.get_response(request)

    @staticmethod
    def _route_name(request) -> str | None:
        try:
            return resolve(request.path_info).view_name
        except Resolver404:
            return None


class PermissionsPolicyMiddleware:
    """Send Permissions-Policy: the portal needs no camera, microphone, location or payment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
