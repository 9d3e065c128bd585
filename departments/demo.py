"""Demo data for departments, called by `manage.py seed_demo` (idempotent)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from departments.models import Department

# A one-page PDF that says what it is: the demo's stand-in for a signed designation.
DEMO_DESIGNATION = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def seed_demo(stdout) -> None:
    """Verified designations on file for half the demo departments, so the compliance page
    shows both (the other half may upload theirs)."""
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
    stdout.write(
        "Department admins: roster at /department/, compliance at /department/compliance/."
    )
