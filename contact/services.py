import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from contact.models import Enquiry
from wnwa.lib.mail import email_send


@transaction.atomic
def enquiry_submit(*, kind: str, fields: dict[str, str]) -> tuple[Enquiry, bool]:
    """Store an enquiry and email staff about it; return (enquiry, created).

    The same message from the same address within ENQUIRY_DUPLICATE_MINUTES (a double tap, a
    resent form) is not stored or sent twice: the earlier enquiry is returned.
    """
    since = timezone.now() - datetime.timedelta(minutes=settings.ENQUIRY_DUPLICATE_MINUTES)
    earlier = Enquiry.objects.filter(
        kind=kind,
        email__iexact=fields["email"],
        message=fields.get("message", ""),
        received_at__gte=since,
    ).first()
    if earlier is not None:
        return earlier, False
    enquiry = Enquiry(kind=kind, **fields)
    enquiry.full_clean()
    enquiry.save()
    enquiry_notify_staff(enquiry=enquiry)
    return enquiry, True


def enquiry_notify_staff(*, enquiry: Enquiry) -> None:
    """Email WNWA_STAFF_EMAILS once the enquiry is stored; replies go straight to the sender. A
    mail outage loses nothing: the enquiry is stored and listed in the admin."""
    if not settings.STAFF_NOTIFICATION_EMAILS:
        return
    email_send(
        # The subject holds nothing the sender typed: the kind and the number only.
        template="contact/email/staff_notification",
        to=settings.STAFF_NOTIFICATION_EMAILS,
        reply_to=[enquiry.email],
        context={
            "enquiry": enquiry,
            "admin_url": settings.SITE_URL
            + reverse("admin:contact_enquiry_change", args=[enquiry.pk]),
        },
        what="enquiry notification",
    )


@transaction.atomic
def enquiries_purge(*, older_than_days: int) -> int:
    """Delete enquiries received more than `older_than_days` ago; return how many."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = Enquiry.objects.filter(received_at__lt=cutoff).delete()
    return deleted
