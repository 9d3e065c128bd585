from django.db.models import Count

from departments.models import Department


def network_counts() -> dict[str, int]:
    """Member departments and the counties they cover, for the public home page."""
    members = Department.objects.filter(membership_status=Department.Status.ACTIVE)
    return members.aggregate(
        departments=Count("pk"),
        counties=Count("county", distinct=True),
        states=Count("state", distinct=True),
    )
