"""Every way in, against gunicorn as in production: staff by authenticator and by backup code, an
officer by password, and refused form posts on an invitation and a reset link. Nothing is
written but a spent backup code, gunicorn's output names no one and no path, and signing out ends
the session for a copy of its cookie too (docs/privacy.md, rules 1, 3 and 5)."""

import secrets
import urllib.error
import urllib.request

from django_otp.oath import TOTP

from portal.management.commands.seed_demo import demo_backup_codes, demo_key
from tests.e2e.conftest import (
    _backup_codes_used,
    sign_in,
    snapshot_database,
    watched_page,
)

VETTER = "vetter@demo.test"
OFFICER = "officer@demo.test"


def refused_post(server, path: str) -> int:
    """A form post without the CSRF cookie, as a stale or forged form would send."""
    request = urllib.request.Request(
        server.url + path, data=b"password1=x&password2=x", method="POST"
    )
    try:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 - our own server
    except urllib.error.HTTPError as error:
        return error.code
    return 200


def give_code(watched, code: str) -> None:
    page = watched.page
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_every_way_in_writes_nothing_but_the_spent_code_and_logs_no_one(browser, server, phone):
    before = snapshot_database(server.database)
    log_start = len(server.log_text())
    token = secrets.token_urlsafe(24)
    reset_key = secrets.token_hex(12)
    secrets_in_paths = [
        f"/account/invitation/{token}/",
        f"/accounts/password/reset/key/2-{reset_key}/",
    ]
    for path in secrets_in_paths:
        assert refused_post(server, path) == 403

    # Staff, by authenticator (falling back to a backup code if this time step's code was spent
    # by another test), then by a backup code typed without its hyphen, in capitals.
    sign_in(phone, server, VETTER)
    totp = TOTP(bytes.fromhex(demo_key(VETTER)), 30, 0, 6, 0)
    give_code(phone, f"{totp.token():06d}")
    spent_codes = 0
    totp_refused = "/account/two-factor/" in phone.page.url
    if totp_refused:
        used = _backup_codes_used.get(VETTER, 0)
        _backup_codes_used[VETTER] = used + 1
        give_code(phone, demo_backup_codes(VETTER)[used])
        spent_codes += 1
    assert "/account/two-factor/" not in phone.page.url
    phone.page.goto(server.url + "/professionals/vetting/")
    phone.page.get_by_role("button", name="Sign out").click()
    phone.page.wait_for_load_state()

    second = watched_page(browser, {"width": 390, "height": 844})
    try:
        sign_in(second, server, VETTER)
        used = _backup_codes_used.get(VETTER, 0)
        _backup_codes_used[VETTER] = used + 1
        give_code(second, demo_backup_codes(VETTER)[used].replace("-", "").upper())
        spent_codes += 1
        assert "/account/two-factor/" not in second.page.url
        cookie = next(c for c in second.page.context.cookies() if c["name"] == "sessionid")
        second.page.get_by_role("button", name="Sign out").click()
        second.page.wait_for_load_state()
    finally:
        second.page.context.close()

    # The copied cookie is refused after sign-out.
    copy = urllib.request.Request(
        server.url + "/account/", headers={"Cookie": f"sessionid={cookie['value']}"}
    )
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(copy, timeout=10)
        status = 200
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
    assert status == 302 and location.startswith("/accounts/login/")

    # An officer by password, for the log.
    officer = watched_page(browser, {"width": 390, "height": 844})
    try:
        sign_in(officer, server, OFFICER)
        officer.page.get_by_role("button", name="Sign out").click()
    finally:
        officer.page.context.close()

    after = snapshot_database(server.database)
    changed = {table for table in before if before[table] != after.get(table)}
    # A refused code counts on its device row, the back-off docs/privacy.md allows ("Writes
    # allowed for security"); it happens here only when another test spent this time step.
    allowed = {"accounts_backupcode"} | ({"accounts_totpdevice"} if totp_refused else set())
    assert changed <= allowed
    assert len(before["accounts_backupcode"]) - len(after["accounts_backupcode"]) == spent_codes
    assert set(after["accounts_backupcode"]) < set(before["accounts_backupcode"])

    output = server.log_text()[log_start:]
    assert "account_login" in output  # the request log is on: it names routes
    assert "Forbidden (…): …" in output  # the refused posts are logged, without their paths
    for secret in [
        token,
        reset_key,
        "/account/invitation/",
        "/password/reset/key/",
        "/professionals/vetting/",
        "/accounts/login/",
        VETTER,
        OFFICER,
        "127.0.0.1",
        phone.page.evaluate("navigator.userAgent"),
    ]:
        assert secret not in output, f"gunicorn output contains {secret!r}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
