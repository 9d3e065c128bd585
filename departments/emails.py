"""The invitation email: the only email an officer gets from enrollment (docs/privacy.md, rule 8).

The Invitation rows are the queue: the worker's tasks (a hundred invitations each) build every
message from its row when it sends it, so no task row ever holds an address or a link, and mark
each row sent as soon as its email has gone, so a worker killed mid-task sends at most the one in
hand twice. A failed email keeps its row queued and fails the task, which the worker retries.
"""

import logging
from collections.abc import Iterator
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from departments.models import Invitation
from wnwa.accounts.invitations import invitation_path
from wnwa.accounts.models import User
from wnwa.lib.mail import email_message

logger = logging.getLogger("wnwa.mail")

# Still worth an email: enrolled, not deactivated, no password set yet.
INVITABLE = Q(officer__is_active=True, officer__password__startswith=UNUSABLE_PASSWORD_PREFIX)
CHUNK = 100  # invitations per task: a short task, well inside the worker's lease


class InvitationsNotSent(Exception):
    """Some of a task's invitations failed (each is logged by kind): the worker retries it."""


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
    """Email each of these invitations still queued, over one connection; mark each sent, with
    today's date, as soon as it has gone. Returns (sent, failed); a failure stays queued."""
    sent = failed = 0
    queued = Invitation.objects.select_related("officer__department").filter(
        pk__in=pending_ids, queued_at__isnull=False
    )
    with get_connection() as connection:
        for pending in queued.order_by("pk"):
            try:
                delivered = connection.send_messages([invitation_message(pending.officer)])
            except (SMTPException, OSError) as error:
                logger.error("invitation not sent: %s", type(error).__name__)
                delivered = 0
            if delivered:
                Invitation.objects.filter(pk=pending.pk).update(
                    queued_at=None, sent_on=timezone.localdate()
                )
                sent += 1
            else:
                failed += 1
    return sent, failed


@task()
def send_invitation_chunk(*, invitation_ids: list[int]) -> int:
    """The worker's task: send these invitations (at most CHUNK); raise if any failed, so the
    worker tries the ones still queued again later."""
    sent, failed = send_invitations(invitation_ids)
    if failed:
        raise InvitationsNotSent(f"{failed} of {len(invitation_ids)} invitations not sent")
    return sent


def leaving_notices(officer_ids: list[int]) -> Iterator[EmailMessage]:
    """The retirees of a department leaving the network, told a month before (services)."""
    for officer in User.objects.filter(pk__in=officer_ids).select_related("department"):
        yield email_message(
            template="departments/email/leaving",
            to=[officer.email],
            context={
                "officer": officer,
                "department": officer.department,
                "leaves_on": officer.department.leaves_on,
                "retention_days": settings.RETENTION_DAYS,
            },
        )
