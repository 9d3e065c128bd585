import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from contact.models import Enquiry

logger = logging.getLogger(__name__)


@transaction.atomic
def enquiry_submit(*, kind: str, fields: dict[str, str], site_url: str) -> tuple[Enquiry, bool]:
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
    transaction.on_commit(lambda: enquiry_notify_staff(enquiry=enquiry, site_url=site_url))
    return enquiry, True


def enquiry_notify_staff(*, enquiry: Enquiry, site_url: str) -> None:
    """Email WNWA_STAFF_EMAILS; reply goes straight to the sender. A mail outage loses nothing:
    the enquiry is stored and listed in the admin."""
    if not settings.STAFF_NOTIFICATION_EMAILS:
        return
    # The subject holds nothing the sender typed: no header injection, no odd characters.
    subject = f"[{settings.SITE_NAME}] {enquiry.get_kind_display()} #{enquiry.pk}"
    body = render_to_string(
        "contact/email/staff_notification.txt",
        {
            "enquiry": enquiry,
            "admin_url": site_url + reverse("admin:contact_enquiry_change", args=[enquiry.pk]),
        },
    )
    message = EmailMessage(
        subject, body, to=settings.STAFF_NOTIFICATION_EMAILS, reply_to=[enquiry.email]
    )
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - any mail failure; the enquiry is already stored
        logger.error("enquiry notification not sent: %s", type(error).__name__)


@transaction.atomic
def enquiries_purge(*, older_than_days: int) -> int:
    """Delete enquiries received more than `older_than_days` ago; return how many."""
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    deleted, _ = Enquiry.objects.filter(received_at__lt=cutoff).delete()
    return deleted
