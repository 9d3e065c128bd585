"""Security headers on every page of the project, as docs/privacy.md and docs/architecture.md require."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import client_for
from tests.test_authorization_matrix import PROJECT_NAMES, url_kwargs

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"\sstyle=|<style(?![^>]*\bnonce=)", re.I)


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


@pytest.mark.parametrize("role", ["anonymous", "officer", "network_admin"])
def test_every_page_sends_the_security_headers(role, cast):
    client = client_for(role, cast)
    for name in PROJECT_NAMES:
        response = client.get(reverse(name, kwargs=url_kwargs(name, cast)), secure=True)
        for header, value in EXPECTED.items():
            assert response.headers.get(header) == value, f"{role} {name}: {header}"
        assert "camera=()" in response.headers.get("Permissions-Policy", ""), name
        csp = csp_directives(response.headers.get("Content-Security-Policy", ""))
        assert csp.get("default-src") == ["'none'"], name
        assert csp.get("frame-ancestors") == ["'none'"], name
        for directive in ("script-src", "style-src"):
            sources = csp.get(directive, [])
            assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, name
            assert all(s == "'self'" or s.startswith("'nonce-") for s in sources), (name, sources)
        hsts = response.headers.get("Strict-Transport-Security", "")
        assert hsts.startswith("max-age=31536000"), name
        if response.headers.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode()
            assert not INLINE_SCRIPT.search(html), f"{name}: inline script without a nonce"
            assert not INLINE_STYLE.search(html), f"{name}: inline style attribute or element"


def test_session_and_csrf_cookies_are_locked_down(client, cast):
    page = client.get("/accounts/login/", secure=True)
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/",
        {"login": cast.officer.email, "password": "correct-horse-battery-42"},
        secure=True,
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert int(session["max-age"]) == 30 * 86400
