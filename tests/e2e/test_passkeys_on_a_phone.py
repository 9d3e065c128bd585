"""Passkeys on a phone, with Chromium's virtual authenticator (over the DevTools protocol): the
demo officer adds one and signs in with it, and that visit changes no row of the database; staff
give one in place of a code, or sign in with it alone; a replayed answer is refused
(README, "Passkeys"; docs/privacy.md, rules 1 and 4)."""

import json
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import (
    PHONE,
    csp_violations,
    foreign_requests,
    second_factor,
    sign_in,
    snapshot_database,
    vnu_errors,
    watched_page,
)

OFFICER = "officer@demo.test"
VETTER = "vetter@demo.test"
COMPLETE = "/account/passkeys/sign-in/complete/"


def with_authenticator(watched) -> None:
    """A platform authenticator that keeps discoverable passkeys and verifies the user (as a
    phone's face or fingerprint would), answering without a prompt."""
    devtools = watched.page.context.new_cdp_session(watched.page)
    devtools.send("WebAuthn.enable", {"enableUI": False})
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    watched.devtools = devtools


def sign_out(watched) -> None:
    watched.page.get_by_role("button", name="Sign out").first.click()
    watched.page.wait_for_load_state()


def add_passkey(watched, server, name: str, audit_in=None) -> None:
    page = watched.page
    page.goto(server.url + "/account/")
    page.get_by_role("link", name="Add a passkey").click()
    page.wait_for_url("**/account/passkeys/add/")
    if audit_in is not None:
        # The every-page pass cannot open this page (it asks for a recent password): its
        # checks here. Axe now; the Nu Html Checker on the page's HTML at the end.
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        audit_in["add a passkey"] = page.content()
    page.get_by_role("button", name="Add a passkey").click()
    page.wait_for_url("**/account/passkeys/*/name/")
    page.get_by_label("Name (optional)").fill(name)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/account/")
    assert name in page.locator("main").inner_text()


def clean(watched, server) -> None:
    assert csp_violations(watched) == []
    assert [line for line in watched.console if line.startswith("error")] == []
    assert foreign_requests(watched, server) == []


def test_the_officer_adds_a_passkey_and_signs_in_with_it_changing_no_row(browser, server, tmp_path):
    watched = watched_page(browser, PHONE)
    with_authenticator(watched)
    page = watched.page
    sign_in(watched, server, OFFICER)
    documents = {}
    add_passkey(watched, server, "iPhone", audit_in=documents)
    clean(watched, server)
    assert vnu_errors(documents, tmp_path) == []
    sign_out(watched)

    before = snapshot_database(server.database)
    page.goto(server.url + "/directory/")
    page.wait_for_url(lambda url: urlsplit(url).path == "/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/directory/")
    assert page.get_by_role("heading", level=1).count() == 1
    clean(watched, server)
    sign_out(watched)
    assert snapshot_database(server.database) == before
    page.context.close()


def test_without_javascript_the_passkey_button_says_it_needs_it(browser, server):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "/accounts/login/")
    assert page.get_by_role("button", name="Sign in with a passkey").count() == 0
    assert "needs JavaScript" in page.locator("main").inner_text()
    page.get_by_label("Email").fill(OFFICER)
    page.get_by_label("Password").fill("walk-together-2026")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url
    context.close()


def test_staff_sign_in_with_password_and_passkey_or_a_passkey_alone_and_a_replay_is_refused(
    browser, server
):
    watched = watched_page(browser, PHONE)
    with_authenticator(watched)
    page = watched.page
    sign_in(watched, server, VETTER)
    second_factor(watched, VETTER)
    add_passkey(watched, server, "Work phone")
    sign_out(watched)

    # The password, then the passkey in place of a code.
    sign_in(watched, server, VETTER)
    assert "/account/two-factor/" in page.url
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(lambda url: "/account/two-factor/" not in url and "/accounts/" not in url)
    assert page.goto(server.url + "/professionals/vetting/").url.endswith("/professionals/vetting/")
    sign_out(watched)

    # The passkey alone, keeping what a thief would need to replay it: the answer and the cookie
    # from before the sign-in.
    captured = {}

    def keep(route, request):
        captured["body"] = request.post_data
        captured["csrf"] = request.headers["x-csrftoken"]
        captured["cookies"] = page.context.cookies()
        route.continue_()

    page.route("**" + COMPLETE + "*", keep)
    page.goto(server.url + "/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.goto(server.url + "/professionals/vetting/").url.endswith("/professionals/vetting/")
    clean(watched, server)

    thief = browser.new_context()
    thief.add_cookies(captured["cookies"])
    replayed = thief.request.post(
        server.url + COMPLETE,
        data=captured["body"],
        headers={"Content-Type": "application/json", "X-CSRFToken": captured["csrf"]},
    )
    assert replayed.status == 400
    assert "already been used" in json.loads(replayed.text())["detail"]
    assert thief.request.get(server.url + "/account/", max_redirects=0).status == 302
    thief.close()
    page.context.close()
