"""Every URL of the project, every role: the declared decision is what happens.

The test walks the URL resolver, so a new URL pattern without a row in EXPECTATIONS fails, and a
new view without an access decorator (wnwa.accounts.access) fails too.

Outcomes: 200 (page opens), LOGIN (redirect to sign-in), TWO_FACTOR (redirect to enrol or give a
code), 403, 404, or REDIRECT (any other redirect: the page sends this role elsewhere on purpose).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import ROLES, client_for
from tests.factories import UserFactory
from wnwa.accounts.invitations import make_invitation_token

LOGIN, TWO_FACTOR, REDIRECT = "login", "two-factor", "redirect"


def row(default, **overrides) -> dict[str, object]:
    """Expectations for every role: `default`, with per-role overrides.

    Unverified staff are held at the second factor everywhere unless a row says otherwise.
    """
    expected = {role: default for role in ROLES}
    expected["unverified_staff"] = TWO_FACTOR
    expected.update(overrides)
    return expected


PUBLIC = row(200, unverified_staff=200)
PUBLIC_HELD = row(200)  # public, but a signed-in user owing a second factor is sent to give it
SIGNED_IN = row(200, anonymous=LOGIN)
NETWORK_ADMIN_ONLY = row(403, anonymous=LOGIN, network_admin=200)

EXPECTATIONS: dict[str, dict[str, object]] = {
    "home": PUBLIC_HELD,
    "privacy": PUBLIC,
    "terms": PUBLIC,
    "manifest": PUBLIC,
    # django-allauth
    "account_login": row(REDIRECT, anonymous=200),  # signed in: sent home
    "account_logout": row(200, anonymous=REDIRECT, unverified_staff=200),
    "account_inactive": PUBLIC_HELD,
    "account_signup": row(LOGIN),
    "account_reauthenticate": SIGNED_IN,
    "account_change_password": SIGNED_IN,
    "account_reset_password": PUBLIC_HELD,
    "account_reset_password_done": PUBLIC_HELD,
    "account_reset_password_from_key": PUBLIC_HELD,
    "account_reset_password_from_key_done": PUBLIC_HELD,
    # our accounts pages
    "accounts:account": SIGNED_IN,
    "accounts:two-factor-setup": row(REDIRECT, anonymous=LOGIN, unverified_staff=200),
    "accounts:two-factor-verify": row(REDIRECT, anonymous=LOGIN),
    "accounts:two-factor-backup-codes": row(200, anonymous=LOGIN),
    "accounts:two-factor-remove": row(
        200,
        anonymous=LOGIN,
        admin_same=403,
        admin_other=403,
        vetter=403,
        trainer=403,
        network_admin=403,
    ),
    "accounts:invitation": PUBLIC_HELD,
}

# The Django admin: every pattern in the namespace follows this one rule.
ADMIN_RULE = row(403, anonymous=LOGIN, network_admin=200)


def url_kwargs(name: str, cast) -> dict[str, str]:
    samples = {
        "accounts:invitation": lambda: {
            "token": make_invitation_token(UserFactory(department=cast.department_a, password=None))
        },
        "account_reset_password_from_key": lambda: {"uidb36": "1", "key": "set-password"},
    }
    return samples[name]() if name in samples else {}


def walk(patterns, namespace: str = "", prefix: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield (
                (f"{namespace}{entry.name}" if entry.name else None),
                prefix + str(entry.pattern),
                entry,
            )


ALL_PATTERNS = list(walk(get_resolver().url_patterns))
PROJECT_NAMES = sorted(
    {name for name, _, _ in ALL_PATTERNS if name and not name.startswith("admin:")}
)


def test_every_url_pattern_is_named_and_has_declared_expectations():
    # The admin's own catch-all redirects are unnamed; everything else must have a name.
    unnamed = [
        route
        for name, route, _ in ALL_PATTERNS
        if name is None and not route.startswith("network-admin/")
    ]
    assert unnamed == [], f"URL patterns without a name: {unnamed}"
    missing = [name for name in PROJECT_NAMES if name not in EXPECTATIONS]
    assert missing == [], f"URL patterns without a row in EXPECTATIONS: {missing}"
    stale = [name for name in EXPECTATIONS if name not in PROJECT_NAMES]
    assert stale == [], f"rows for URL names that no longer exist: {stale}"
    for name, expected in EXPECTATIONS.items():
        assert set(expected) == set(ROLES), f"{name} does not say what happens for every role"


def test_every_project_view_declares_its_access():
    undeclared = [
        name
        for name, _, pattern in ALL_PATTERNS
        if name and not name.startswith("admin:") and not hasattr(pattern.callback, "access")
    ]
    assert undeclared == [], f"views without an access decorator: {undeclared}"


def assert_outcome(response, expected, where: str) -> None:
    location = response.headers.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in location, (
            f"{where}: {response.status_code} {location}"
        )
    elif expected == TWO_FACTOR:
        assert response.status_code == 302 and "/account/two-factor/" in location, (
            f"{where}: {response.status_code} {location}"
        )
    elif expected == REDIRECT:
        assert response.status_code == 302, f"{where}: {response.status_code}"
        assert "/accounts/login/" not in location and "/account/two-factor/" not in location, (
            f"{where}: {location}"
        )
    else:
        assert response.status_code == expected, (
            f"{where}: expected {expected}, got {response.status_code} {location}"
        )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_declared_outcome_on_every_page(role, cast):
    client = client_for(role, cast)
    for name in PROJECT_NAMES:
        url = reverse(name, kwargs=url_kwargs(name, cast))
        assert_outcome(client.get(url), EXPECTATIONS[name][role], f"{role} GET {name}")


ADMIN_SAMPLES = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:departments_department_add",
    "admin:trainings_coursetype_changelist",
    "admin:professionals_application_changelist",
]


@pytest.mark.parametrize("role", ROLES)
def test_the_django_admin_is_for_verified_network_admins_only(role, cast):
    client = client_for(role, cast)
    for name in ADMIN_SAMPLES:
        assert_outcome(client.get(reverse(name)), ADMIN_RULE[role], f"{role} GET {name}")
    change = reverse("admin:accounts_user_change", args=[cast.officer.pk])
    assert_outcome(client.get(change), ADMIN_RULE[role], f"{role} GET user change")


def test_every_admin_pattern_sits_behind_the_admin_gate():
    """Admin URLs are generated per model: prove each goes through NetworkAdminSite.admin_view."""
    from wnwa.admin import admin_site

    names = [name for name, _, _ in ALL_PATTERNS if name and name.startswith("admin:")]
    assert "admin:index" in names and len(names) > 20
    assert type(admin_site).admin_view is not type(admin_site).__mro__[1].admin_view
