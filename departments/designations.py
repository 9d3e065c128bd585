"""The department's designation of the network's peers: uploaded by its admin, verified by a
network admin (docs/product.md, "Designation"). Department.designation_status says where it
stands; these are the only ways it changes outside the Django admin's own form.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from departments.models import Department
from wnwa.accounts.models import User
from wnwa.lib.mail import after_commit, email_send
from wnwa.lib.uploads import Kind


@transaction.atomic
def designation_upload(
    *,
    department: Department,
    document: UploadedFile,
    kind: Kind,
    signed_on: datetime.date,
    signed_by: str,
    uploaded_by: User,
) -> Department:
    """Put a signed designation on file, awaiting a network admin's check; it replaces any
    earlier one (whose file is removed once this is committed). `kind` is what the form found
    the bytes to be; the stored name is random, with that kind's extension. Network staff are
    emailed a link to verify it."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    earlier = department.designation_document.name
    department.designation_signed_on = signed_on
    department.designation_signed_by = signed_by.strip()
    department.designation_uploaded_at = timezone.now()
    department.designation_uploaded_by = uploaded_by
    department.designation_verified_at = None
    department.designation_verified_by = None
    department.designation_document.save(f"designation.{kind.extension}", document, save=False)
    written = department.designation_document.name
    try:
        department.full_clean()
        department.save()
    except Exception:
        department.designation_document.storage.delete(written)
        raise
    if earlier:
        storage = department.designation_document.storage
        after_commit(lambda: storage.delete(earlier), what="replaced designation removal")
    email_send(
        template="departments/email/designation_uploaded",
        to=settings.STAFF_NOTIFICATION_EMAILS,
        context={
            "department": department,
            "link": settings.SITE_URL
            + reverse("admin:departments_department_change", args=[department.pk]),
        },
        what="staff notice of a designation",
    )
    return department


@transaction.atomic
def designation_verify(*, department: Department, verified_by: User) -> Department:
    """A network admin has read the document: the designation is on file."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    if not department.designation_document:
        raise ValidationError(f"{department}: there is no designation document to verify.")
    department.designation_verified_at = timezone.now()
    department.designation_verified_by = verified_by
    department.save(update_fields=["designation_verified_at", "designation_verified_by"])
    return department
