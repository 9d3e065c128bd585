import ipaddress
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import parse_rate
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse


def _longest_wait(rates: str) -> str:
    """ "10/m/ip,5/300s/key" -> "5 minutes": the longest window of a limit, in words."""
    seconds = max(parse_rate(rate.strip()).duration for rate in rates.split(","))
    minutes = max(1, round(seconds / 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


class AccountAdapter(DefaultAccountAdapter):
    """Officers are enrolled by their department; nobody signs themselves up."""

    @property
    def error_messages(self) -> dict:
        # A refusal that says what to do next: how long to wait, the reset path, the crisis lines.
        wait = _longest_wait(settings.ACCOUNT_RATE_LIMITS["login_failed"])
        return {
            **DefaultAccountAdapter.error_messages,
            "too_many_login_attempts": (
                f"Too many failed login attempts from this connection. Wait {wait}, then try "
                "again, or choose “Forgot your password?” below to set a new one. If you "
                "need someone now, the crisis lines at the top of the page answer day and night."
            ),
        }

    def is_open_for_signup(self, request) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's emails (here only password resets: no sign-up, no notifications) are
        rendered and sent after the response, so a reset for a known address answers in the
        time one for an unknown address does (wnwa.lib.mail.after_response)."""
        from wnwa.lib.mail import after_response

        request = allauth_context.request
        if request is None:  # no request to answer first (a shell, a command)
            super().send_mail(template_prefix, email, context)
            return

        def send() -> None:
            with allauth_context.request_context(request):
                super(AccountAdapter, self).send_mail(template_prefix, email, context)

        after_response(request, send, what="allauth email")

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        # "Signed in" would be premature while a second factor is owed, and is noise otherwise.
        if message_template == "account/messages/logged_in.txt":
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed sign-ins are counted per account *and* address (allauth counts per account
        alone), so nobody can lock an officer out by guessing wrong from elsewhere; the
        per-address limit (ACCOUNT_RATE_LIMITS) still stops one address trying many accounts.
        The cache key function turns this into a keyed hash (wnwa.lib.cache.private_key)."""
        from wnwa.lib.ratelimit import client_address

        login = credentials.get("email", credentials.get("username", "")).lower()
        return f"{login}|{client_address(request)}"

    def get_reset_password_from_key_url(self, key: str) -> str:
        """The reset link from WNWA_SITE_URL, never from the request's Host header (a forged
        Host, or only its port, would otherwise be written into the email)."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))

    def get_client_ip(self, request) -> str:
        """The client's address, also when X-Forwarded-For has fewer hops than our proxies.

        allauth raises ImproperlyConfigured (a 500 on the sign-in page) when the header holds
        fewer addresses than ALLAUTH_TRUSTED_PROXY_COUNT: a request that skipped a proxy layer,
        or a count set one too high. Every address in such a header was written by a proxy of
        ours (a client's own header would add entries, not remove them), so the first one is the
        address our outermost proxy saw, and it is safe to count the request against.
        """
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            first = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
            try:
                return str(ipaddress.ip_address(first))
            except ValueError:
                raise PermissionDenied("Unable to determine client IP address") from None
