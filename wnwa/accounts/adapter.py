import ipaddress

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied


class AccountAdapter(DefaultAccountAdapter):
    """Officers are enrolled by their department; nobody signs themselves up."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        # "Signed in" would be premature while a second factor is owed, and is noise otherwise.
        if message_template == "account/messages/logged_in.txt":
            return
        super().add_message(request, level, message_template, *args, **kwargs)

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
