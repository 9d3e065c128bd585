"""The "tell me about the next session" list."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from trainings.emails import UNSUBSCRIBE_SALT
from trainings.models import Interest


@transaction.atomic
def interest_add(*, email: str) -> bool:
    """Add an address; True when it was new. Adding one twice changes nothing."""
    email = email.strip().lower()
    if Interest.objects.filter(email__iexact=email).exists():
        return False
    try:
        with transaction.atomic():
            Interest.objects.create(email=email)
    except IntegrityError:  # the same address, a moment earlier
        return False
    return True


def interest_email_from_token(token: str) -> str | None:
    """The address an unsubscribe link was made for, or None when it is forged or older than
    TRAININGS_UNSUBSCRIBE_LINK_DAYS (the link carries the address, readable if not forgeable;
    every announcement brings a fresh one)."""
    max_age = datetime.timedelta(days=settings.TRAININGS_UNSUBSCRIBE_LINK_DAYS)
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired included
        return None


@transaction.atomic
def interest_remove(*, email: str) -> bool:
    deleted, _ = Interest.objects.filter(email__iexact=email).delete()
    return bool(deleted)
