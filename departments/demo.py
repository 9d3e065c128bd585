"""Demo data for departments, called by `manage.py seed_demo` (idempotent)."""

import datetime

from django.utils import timezone

from departments.models import Department


def seed_demo(stdout) -> None:
    """Designations on file for half the demo departments, so the compliance page shows both."""
    today = timezone.localdate()
    departments = list(Department.objects.order_by("pk"))
    for index, department in enumerate(departments[::2]):
        if department.designation_signed_on is None:
            department.designation_signed_on = today - datetime.timedelta(days=60 + index)
            department.designation_signed_by = "Chief of Police"
            department.save(update_fields=["designation_signed_on", "designation_signed_by"])
    stdout.write(
        "Department admins: roster at /department/, compliance at /department/compliance/."
    )
