"""Sessions end when they should (docs/privacy.md, rule 3), and record nothing while they last.

A session is a signed cookie that the server cannot take back; these tests copy the cookie as a
thief (or a shared computer) would, and check the copy is refused after each way a session ends.
"""

import hashlib
import json
import re
import zlib

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client

from departments import services as department_services
from tests.accounts.test_sign_in import current_code as code_for
from tests.conftest import admin_change, cache_keys, sign_in
from tests.factories import PASSWORD, TOTPDeviceFactory, UserFactory
from wnwa.accounts.models import User

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def signed_in_by_password(email: str, address: str = "198.51.100.10") -> Client:
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"login": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def copy_of(client: Client) -> Client:
    """Another browser holding the same session cookie (copied off the phone, or a backup)."""
    return holding(client.cookies["sessionid"].value)


def is_signed_in(client: Client) -> bool:
    return client.get("/account/").status_code == 200


def readable_part(cookie: str) -> str:
    """What anyone holding the cookie can read without the secret key: its payload."""
    payload = cookie.split(":")[0]
    compressed = payload.startswith(".")
    data = signing.b64_decode(payload.lstrip(".").encode())
    return (zlib.decompress(data) if compressed else data).decode()


def test_signing_out_ends_the_session_for_a_copy_of_its_cookie_too():
    officer = UserFactory(email="copied@alpha.test")
    phone = signed_in_by_password(officer.email)
    copy = copy_of(phone)
    assert is_signed_in(copy)
    assert phone.post("/accounts/logout/").status_code == 302
    assert not is_signed_in(phone)
    assert copy.get("/account/").headers["Location"].startswith(LOGIN)
    assert copy.get("/account/").headers["Location"].startswith(LOGIN)  # and stays refused
    # Signing in again on the phone gives a new session that works.
    assert is_signed_in(signed_in_by_password(officer.email))


def test_a_signed_out_admins_copied_cookie_no_longer_downloads_the_roster(cast):
    admin = sign_in(Client(), cast.admin_a)
    copy = copy_of(admin)
    assert copy.get("/department/roster/export/").status_code == 200
    admin.post("/accounts/logout/")
    refused = copy.get("/department/roster/export/")
    assert refused.status_code == 302 and refused.headers["Location"].startswith(LOGIN)


def test_sign_out_everywhere_asks_first_then_ends_every_session():
    officer = UserFactory()
    phone = signed_in_by_password(officer.email)
    laptop = signed_in_by_password(officer.email, address="203.0.113.5")
    page = phone.get("/account/")
    assert 'href="/account/sign-out-everywhere/"' in page.content.decode()
    confirm = phone.get("/account/sign-out-everywhere/")
    assert confirm.status_code == 200 and "this one too" in confirm.content.decode()
    assert is_signed_in(laptop)  # asking is not doing
    done = phone.post("/account/sign-out-everywhere/", follow=True)
    assert done.redirect_chain[-1][0] == LOGIN
    assert "signed out on every phone and computer" in done.content.decode()
    assert not is_signed_in(phone) and not is_signed_in(laptop)
    assert mail.outbox == []  # the person did it themselves: no mail to their work address
    assert is_signed_in(signed_in_by_password(officer.email))


def test_sign_out_everywhere_holds_after_the_cache_is_emptied():
    officer = UserFactory()
    phone = signed_in_by_password(officer.email)
    copy = copy_of(phone)
    phone.post("/account/sign-out-everywhere/")
    cache.clear()  # a Redis flush loses the deny list, not the account's session value
    assert not is_signed_in(copy)


def test_a_cache_flush_lets_a_signed_out_cookie_work_again_until_it_expires():
    # What the README says a Redis flush costs: the deny list of signed-out sessions is in the
    # cache only (nothing about sessions is in the database).
    officer = UserFactory()
    phone = signed_in_by_password(officer.email)
    cookie = phone.cookies["sessionid"].value
    phone.post("/accounts/logout/")
    assert not is_signed_in(holding(cookie))
    cache.clear()
    assert is_signed_in(holding(cookie))


def holding(cookie: str) -> Client:
    client = Client()
    client.cookies["sessionid"] = cookie
    return client


def test_a_password_reset_ends_every_session():
    officer = UserFactory(email="reset.me@alpha.test")
    phone = signed_in_by_password(officer.email)
    stranger = Client()
    stranger.post("/accounts/password/reset/", {"email": officer.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/key/" in line)
    form = stranger.get(link[link.index("/accounts/") :].strip(), follow=True)
    new = "an-entirely-new-passphrase-3"
    stranger.post(form.context["action_url"], {"password1": new, "password2": new})
    assert not is_signed_in(phone)


@pytest.mark.parametrize("way", ["department page", "roster upload", "django admin"])
def test_deactivation_ends_sessions_for_good_even_after_reactivation(cast, way):
    officer = cast.officer
    phone = sign_in(Client(), officer, second_factor=False)
    assert is_signed_in(phone)
    if way == "department page":
        department_services.officer_deactivate(officer=officer, by=cast.admin_a)
    elif way == "roster upload":
        _roster_deactivate(cast, officer)
    else:
        admin = sign_in(Client(), cast.network_admin)
        _admin_set_active(admin, officer, active=False)
    assert not is_signed_in(phone)
    department_services.officer_reactivate(officer=User.objects.get(pk=officer.pk))
    assert not is_signed_in(phone)
    assert is_signed_in(sign_in(Client(), User.objects.get(pk=officer.pk), second_factor=False))


def _roster_deactivate(cast, officer) -> None:
    from tests.departments.rosters import csv_bytes

    admin = cast.admin_a
    preview = department_services.roster_preview_create(
        department=cast.department_a,
        content=csv_bytes([[admin.email, admin.first_name, admin.last_name, "", "", "sworn"]]),
        file_name="roster.csv",
        full_roster=True,
        uploader=admin,
    )
    assert [entry["id"] for entry in preview.plan["deactivate"]] == [officer.pk]
    department_services.roster_apply(
        preview_id=preview.pk,
        department=cast.department_a,
        by=cast.admin_a,
        confirmed_deactivations=1,
    )
    assert not User.objects.get(pk=officer.pk).is_active


def _admin_set_active(admin: Client, officer, *, active: bool) -> None:
    admin_change(admin, f"/network-admin/accounts/user/{officer.pk}/change/", is_active=active)
    assert User.objects.get(pk=officer.pk).is_active is active


def test_a_change_of_staff_role_ends_every_session(cast):
    officer = sign_in(Client(), cast.officer, second_factor=False)
    department_services.officer_admin_set(officer=cast.officer, admin=True)
    assert not is_signed_in(officer)
    # Any way of changing the roles, a bulk update included: the session is bound to them.
    vetter = sign_in(Client(), cast.vetter)
    assert is_signed_in(vetter)
    User.objects.filter(pk=cast.vetter.pk).update(is_vetter=False, is_training_staff=True)
    assert not is_signed_in(vetter)


def test_a_signed_in_cookie_without_a_nonce_is_refused():
    # A cookie made before sign-in nonces existed, or put together by hand.
    officer = UserFactory()
    phone = sign_in(Client(), officer, second_factor=False)
    session = SessionStore(session_key=phone.cookies["sessionid"].value)
    session.pop("wnwa_nonce")
    session.save()
    old = Client()
    old.cookies["sessionid"] = session.session_key
    assert not is_signed_in(old)


def test_the_cookie_anyone_can_read_carries_no_email():
    officer = UserFactory(email="readable.cookie@alpha.test")
    phone = signed_in_by_password(officer.email)
    phone.post(
        "/accounts/reauthenticate/", {"password": PASSWORD}
    )  # records another authentication
    payload = readable_part(phone.cookies["sessionid"].value)
    data = json.loads(payload)
    assert "readable.cookie" not in payload.lower()
    methods = data["account_authentication_methods"]
    assert methods and all(set(record) <= {"method", "at", "reauthenticated"} for record in methods)


def test_signing_in_and_out_stores_nothing_that_names_the_account():
    officer = UserFactory(email="no.trace@alpha.test")
    device = TOTPDeviceFactory(user=officer)
    wrong = Client(REMOTE_ADDR="192.0.2.44")
    wrong.post(LOGIN, {"login": officer.email, "password": "not-it"})  # the failure counters
    phone = signed_in_by_password(officer.email, address="192.0.2.44")
    assert phone.post("/account/two-factor/verify/", {"code": code_for(device)}).status_code == 302
    phone.post("/accounts/logout/")
    keys = cache_keys()
    assert len(keys) >= 3  # rate limits, the replay guard and the deny list are all there
    for key in keys:
        # Only the part of the portal it belongs to is readable; the rest is an HMAC.
        assert re.fullmatch(r":\d+:(allauth|otp|session|wnwa):[0-9a-f]{64}", key), key
    host_email = hashlib.sha256(b"testserver:no.trace@alpha.test").hexdigest()
    text = " ".join(keys)
    for trace in ["no.trace", "192.0.2.44", host_email, f"last-t:{device.pk}"]:
        assert trace not in text


def test_signed_in_pages_are_not_kept_by_the_browser(cast):
    pages = {
        "officer": ["/", "/directory/", "/account/", "/professionals/", "/resources/"],
        "admin_a": ["/department/", "/department/roster/export/"],
        "vetter": ["/professionals/vetting/"],
        "unverified_staff": ["/account/two-factor/"],  # the page that shows a secret
    }
    for who, paths in pages.items():
        client = sign_in(Client(), getattr(cast, who), second_factor=who != "unverified_staff")
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, f"{who} {path}"
            assert "no-store" in response.headers.get("Cache-Control", ""), f"{who} {path}"


def test_the_page_after_signing_out_is_fresh_and_public(client):
    officer = UserFactory()
    phone = signed_in_by_password(officer.email)
    phone.post("/accounts/logout/")
    page = phone.get("/")
    assert page.status_code == 200 and not page.context["user"].is_authenticated
