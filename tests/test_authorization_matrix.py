"""Every URL of the project, every role: the declared decision is what happens.

The test walks the URL resolver, so a new URL pattern without a row in EXPECTATIONS fails, and a
new view without an access decorator (wnwa.accounts.access) fails too.

Outcomes: 200 (page opens), LOGIN (redirect to sign-in), TWO_FACTOR (redirect to enrol or give a
code), 403, 404, or REDIRECT (any other redirect: the page sends this role elsewhere on purpose).
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authorization import LOGIN, REDIRECT, TWO_FACTOR, row
from tests.conftest import ROLES, client_for

# The Django admin: every pattern in the namespace follows this one rule.
ADMIN_RULE = row(403, anonymous=LOGIN, network_admin=200)


def _declarations():
    """Merge EXPECTATIONS and url_kwargs from every tests/<app>/authorization.py."""
    expectations, kwarg_makers = {}, []
    for path in sorted(Path(__file__).parent.glob("*/authorization.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.authorization")
        overlap = set(expectations) & set(module.EXPECTATIONS)
        assert not overlap, f"{path} repeats rows: {overlap}"
        expectations.update(module.EXPECTATIONS)
        if hasattr(module, "url_kwargs"):
            kwarg_makers.append(module.url_kwargs)
    return expectations, kwarg_makers


EXPECTATIONS, KWARG_MAKERS = _declarations()


def url_kwargs(name: str, cast) -> dict[str, str]:
    for maker in KWARG_MAKERS:
        kwargs = maker(name, cast)
        if kwargs:
            return kwargs
    return {}


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


def test_every_project_view_declares_its_http_methods(cast):
    """A method a view does not handle gets 405, not the page: a POST to a page that only shows
    something must not look like it did something. DELETE is used by no view of the project."""
    answered = []
    for name in PROJECT_NAMES:
        role = next(
            (role for role in ROLES if EXPECTATIONS[name][role] in (200, 405, REDIRECT)), None
        )
        if role is None:
            continue  # nobody reaches this view's code at all
        url = reverse(name, kwargs=url_kwargs(name, cast))
        status = client_for(role, cast).delete(url).status_code
        if status != 405:
            answered.append(f"{name} ({role}): {status}")
    assert answered == [], f"views that do not refuse a method they do not handle: {answered}"


@pytest.mark.parametrize(
    ("role", "name"),
    [("officer", "peers:directory"), ("anonymous", "faq"), ("admin_same", "departments:home")],
)
def test_a_post_to_a_page_that_only_shows_something_is_refused(role, name, cast):
    assert client_for(role, cast).post(reverse(name)).status_code == 405
