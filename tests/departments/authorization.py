"""Authorization rows for the department pages (see tests/authorization.py).

Department admins see their own department only: the cast's officer and preview belong to
department A, so the admin of B gets 404 on them. Network admins have no department of their own:
the home page sends them to the Django admin, every other department page is a 404.
"""

from tests.authorization import LOGIN, REDIRECT, row

OWN_PAGE = row(403, anonymous=LOGIN, admin_same=200, admin_other=200, network_admin=404)
DEPARTMENT_A_OBJECT = row(403, anonymous=LOGIN, admin_same=200, admin_other=404, network_admin=404)

EXPECTATIONS: dict[str, dict[str, object]] = {
    "departments:home": row(
        403, anonymous=LOGIN, admin_same=200, admin_other=200, network_admin=REDIRECT
    ),
    "departments:officer": DEPARTMENT_A_OBJECT,
    "departments:officer-deactivate": DEPARTMENT_A_OBJECT,
    "departments:officer-reactivate": DEPARTMENT_A_OBJECT,
    "departments:officer-invite": DEPARTMENT_A_OBJECT,
    "departments:officer-admin": DEPARTMENT_A_OBJECT,
    # Marking an officer retired (or serving again) is the department admin's, as the other
    # officer actions; a retiree is never an admin (wnwa.accounts.roles), so 403 for them too.
    "departments:officer-retirement": DEPARTMENT_A_OBJECT,
    "departments:roster-upload": OWN_PAGE,
    "departments:roster-preview": DEPARTMENT_A_OBJECT,
    "departments:roster-export": OWN_PAGE,
    "departments:invitations": OWN_PAGE,
    "departments:compliance": OWN_PAGE,
    # The cast's departments have no designation document on file: 404 even for their admins
    # (tests/departments/test_compliance.py downloads one).
    "departments:designation-document": row(
        404, anonymous=LOGIN, officer=403, peer=403, vetter=403, trainer=403, family=403
    ),
    # Each admin uploads their own department's; network admins verify in the Django admin.
    "departments:designation-upload": OWN_PAGE,
}


def url_kwargs(name: str, cast) -> dict[str, int]:
    if name == "departments:roster-preview":
        from departments.services import roster_preview_create
        from tests.departments.rosters import csv_bytes

        # A whole roster of the admin alone: it deactivates one officer of two, so the page
        # shows the apply form with the count to type back (the hostile-input test posts it).
        admin = cast.admin_a
        preview = roster_preview_create(
            department=cast.department_a,
            content=csv_bytes([[admin.email, admin.first_name, admin.last_name, "", "", "sworn"]]),
            file_name="roster.csv",
            full_roster=True,
            uploader=admin,
        )
        return {"preview_id": preview.pk}
    if name == "departments:invitations":
        # An officer who has not accepted: the page then shows its "send again" form.
        from tests.factories import UserFactory
        from wnwa.accounts.models import User

        if not User.objects.filter(email="invitee@a.test").exists():
            UserFactory(department=cast.department_a, email="invitee@a.test", password=None)
        return {}
    if name.startswith("departments:officer"):
        return {"officer_id": cast.officer.pk}
    return {}
