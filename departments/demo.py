"""Demo data for departments, called by `manage.py seed_demo` (idempotent)."""

import datetime
import secrets

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from departments.models import Department, Invitation
from departments.services import invitations_enqueue
from wnwa.accounts.models import User

HOME = "oak-ridge-pd"  # the demo department admin's department
SENT_NOW = 3  # of its officers, invited through the real sender on the first run

# A one-page PDF that says what it is: the demo's stand-in for a signed designation.
DEMO_DESIGNATION = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def seed_demo(stdout) -> None:
    """Verified designations on file for half the demo departments, so the compliance page
    shows both (the other half may upload theirs); invitations in every state, a few of them queued
    for the worker (`make run` starts one)."""
    today = timezone.localdate()
    departments = list(Department.objects.order_by("pk"))
    for index, department in enumerate(departments[::2]):
        if not department.designation_document:
            department.designation_signed_on = today - datetime.timedelta(days=60 + index)
            department.designation_signed_by = "Chief of Police"
            department.designation_document.save(
                "designation.pdf", ContentFile(DEMO_DESIGNATION), save=False
            )
            department.designation_uploaded_at = department.designation_verified_at = timezone.now()
            department.save()
    if not Invitation.objects.exists():
        sent = _invitations(today)
        stdout.write(f"Invitations: {sent} queued for the worker, the rest in every state.")
    stdout.write(
        "Department admins: roster at /department/, invitations at /department/invitations/, "
        "compliance at /department/compliance/."
    )


def _invitations(today: datetime.date) -> int:
    """Of the demo officers (officerN@<department>.demo.test, enrolled with no password), four in
    ten hold a working link (some expiring), two an expired one, one was never invited, three
    accepted. A few of the home department's are queued and sent now. The first officer of each
    department stays invited (tests/e2e/demo_urls.py opens its invitation link)."""
    officers = list(
        User.objects.filter(
            email__startswith="officer",
            email__endswith=".demo.test",
            department__isnull=False,
            password__startswith=UNUSABLE_PASSWORD_PREFIX,
        )
        .select_related("department")
        .order_by("pk")
    )
    nobody_knows = make_password(secrets.token_urlsafe(32))  # accepted, yet no demo sign-in
    accepted, records = [], []
    for index, officer in enumerate(officers):
        turn = index % 10
        if turn < 4:
            records.append(Invitation(officer=officer, sent_on=today - _days(index * 3 % 14)))
        elif turn < 6:
            records.append(Invitation(officer=officer, sent_on=today - _days(15 + index % 30)))
        elif turn > 6:
            accepted.append(officer.pk)
            records.append(Invitation(officer=officer, sent_on=today - _days(20 + index % 9)))
    User.objects.filter(pk__in=accepted).update(password=nobody_knows)
    Invitation.objects.bulk_create(records)
    home = [o.pk for o in officers if o.department.slug == HOME and o.pk not in accepted]
    queued = home[-SENT_NOW:]
    Invitation.objects.filter(officer_id__in=queued).delete()
    Invitation.objects.bulk_create(
        [Invitation(officer_id=pk, queued_at=timezone.now()) for pk in queued]
    )
    return invitations_enqueue(officer_ids=queued)


def _days(count: int) -> datetime.timedelta:
    return datetime.timedelta(days=count)
