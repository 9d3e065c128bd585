"""Invitation links: signed, expiring after INVITATION_MAX_AGE_DAYS, good for one use.

The token carries the user's id and a fingerprint of their (unusable) password hash. Setting a
password changes the hash, so a used link stops working; a resent invitation keeps working links
valid until the officer activates.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

SALT = "wnwa.accounts.invitation"


def _fingerprint(user) -> str:
    return salted_hmac(SALT, user.password).hexdigest()[:20]


def make_invitation_token(user) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=SALT, compress=True)


def invitation_path(user) -> str:
    return reverse("accounts:invitation", kwargs={"token": make_invitation_token(user)})


def user_for_invitation_token(token: str):
    """The invited user, or None when the link is forged, expired, used or its user inactive."""
    from wnwa.accounts.models import User

    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.INVITATION_MAX_AGE_DAYS * 86400)
        user = User.objects.get(pk=payload["u"], is_active=True)
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError):
        return None
    if user.has_usable_password() or payload.get("f") != _fingerprint(user):
        return None
    return user
