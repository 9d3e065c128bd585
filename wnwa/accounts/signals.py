import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from wnwa.middleware import SIGNED_IN_AT


@receiver(user_logged_in, dispatch_uid="wnwa-remember-sign-in-time-in-session")
def remember_sign_in_time(sender, request, user, **kwargs) -> None:
    """Keep the sign-in time inside the signed session cookie only (never in the database)."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())
