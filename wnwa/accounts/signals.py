from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.signals import authentication_step_completed
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from wnwa.accounts import sessions

# allauth notes each way the person proved who they are, with its time (reauthentication reads
# it) and the address typed. The session cookie is signed, not encrypted: anyone holding it can
# read it, so the address goes.
IDENTIFYING = {"email", "username", "phone"}


@receiver(user_logged_in, dispatch_uid="wnwa-session-begin")
def session_begin(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.session_begin(request)


@receiver(user_logged_out, dispatch_uid="wnwa-session-end")
def session_end(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        sessions.session_end(request, user)


@receiver(authentication_step_completed, dispatch_uid="wnwa-forget-the-address")
def forget_the_address(sender, request, **kwargs) -> None:
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {key: value for key, value in record.items() if key not in IDENTIFYING}
        for record in records
    ]
