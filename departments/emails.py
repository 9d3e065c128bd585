"""The invitation email: the only email an officer gets from enrollment (docs/privacy.md, rule 8).

Queued invitations go out over one connection (wnwa.lib.mail renders them), so that a sent one
leaves the queue with the day it went out and a failed one stays for the next run.
"""

from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.utils import timezone

from departments.models import Invitation
from wnwa.accounts.invitations import invitation_path
from wnwa.accounts.models import User
from wnwa.lib.mail import email_message

# Still worth an email: enrolled, not deactivated, no password set yet.
INVITABLE = Q(officer__is_active=True, officer__password__startswith=UNUSABLE_PASSWORD_PREFIX)
BATCH = 500


def invitation_message(officer: User) -> EmailMessage:
    return email_message(
        template="departments/email/invitation",
        to=[officer.email],
        context={
            "officer": officer,
            "department": officer.department,
            "link": settings.SITE_URL + invitation_path(officer),
            "days": settings.INVITATION_MAX_AGE_DAYS,
        },
    )


def send_invitations(pending_ids: list[int]) -> tuple[int, int]:
    """Email each queued invitation over one connection; mark the ones sent with today's date.

    Returns (sent, failed). A failure leaves its invitation queued for the next run.
    """
    sent = failed = 0
    connection = get_connection()
    with connection:
        for start in range(0, len(pending_ids), BATCH):
            batch = Invitation.objects.select_related("officer__department").filter(
                pk__in=pending_ids[start : start + BATCH], queued_at__isnull=False
            )
            done = []
            for pending in batch:
                try:
                    delivered = connection.send_messages([invitation_message(pending.officer)])
                except (SMTPException, OSError):
                    delivered = 0
                if delivered:
                    done.append(pending.pk)
                else:
                    failed += 1
            Invitation.objects.filter(pk__in=done).update(
                queued_at=None, sent_on=timezone.localdate()
            )
            sent += len(done)
    return sent, failed
