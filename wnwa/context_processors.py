from django.conf import settings

from wnwa.accounts import roles
from wnwa.lib.urls import reverse_or_none


def constants() -> dict:
    """What every page may show that only the settings decide."""
    return {
        "site_name": settings.SITE_NAME,
        "crisis_lines": crisis_lines(),
        "network_contact_email": settings.NETWORK_CONTACT_EMAIL,
        "network_contact_phone": settings.NETWORK_CONTACT_PHONE,
    }


def site(request) -> dict:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        **constants(),
        "nav": _navigation(user) if signed_in and not roles.owes_second_factor(user) else [],
    }


def crisis_lines() -> list[dict]:
    """The configured lines, each told whether its name already says its number ("988 Suicide &
    Crisis Lifeline"), so that pages name each line once and show the number only when it adds
    something."""
    return [
        {**line, "shows_number": line["number"] not in line["name"]}
        for line in settings.CRISIS_LINES
    ]


def _navigation(user) -> list[dict]:
    """Links by role. Names are resolved in the template only when the app provides the page."""
    # Officers, and family members (docs/product.md, "Families"), find peers and professionals.
    reader = roles.is_officer(user) or roles.is_family_member(user)
    candidates = [
        (reader, "Find a peer", "peers:directory"),
        (roles.is_peer_supporter(user), "Your listing", "peers:my-listing"),
        (reader, "Professionals", "professionals:directory"),
        (reader, "Resources", "resources:index"),
        (True, "Trainings", "trainings:list"),
        (roles.is_department_admin(user), "My department", "departments:home"),
        (roles.is_vetter(user), "Vetting", "professionals:queue"),
        (roles.is_training_staff(user), "Training staff", "trainings:staff"),
        (roles.is_network_admin(user), "Staff", "staff:list"),
        (roles.is_network_admin(user), "Admin", "admin:index"),
        (True, "Account", "accounts:account"),
    ]
    links = [
        {"label": label, "url": reverse_or_none(name)}
        for allowed, label, name in candidates
        if allowed
    ]
    return [link for link in links if link["url"]]
