"""Passkeys: added after a recent proof, a sign-in that writes nothing, single-use challenges,
the portal's session rules, and a clear 4xx for every bad answer (README, "Passkeys")."""

import json
import re
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential

from tests.factories import PASSWORD, StaffFactory, TOTPDeviceFactory, UserFactory
from tests.passkeys.authenticator import Authenticator
from wnwa.accounts import sessions
from wnwa.accounts.models import BackupCodeDevice
from wnwa.passkeys.checks import passkey_problems
from wnwa.passkeys.models import Passkey

pytestmark = pytest.mark.django_db

ADD_BEGIN, ADD_COMPLETE = "/account/passkeys/add/begin/", "/account/passkeys/add/complete/"
BEGIN, COMPLETE = "/account/passkeys/sign-in/begin/", "/account/passkeys/sign-in/complete/"


def phone() -> Authenticator:
    return Authenticator(
        rp_id=settings.OTP_WEBAUTHN_RP_ID, origin=settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]
    )


def by_password(user) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def post_json(client: Client, url: str, data=None, **extra):
    body = "" if data is None else (data if isinstance(data, str) else json.dumps(data))
    return client.post(url, body, content_type="application/json", **extra)


def add_passkey(client: Client, authenticator: Authenticator) -> Passkey:
    options = post_json(client, ADD_BEGIN)
    assert options.status_code == 200, options.content
    response = post_json(client, ADD_COMPLETE, authenticator.create(options.json()))
    assert response.status_code == 200, response.content
    return Passkey.objects.get(pk=response.json()["id"])


def passkey_for(user) -> Authenticator:
    authenticator = phone()
    add_passkey(by_password(user), authenticator)
    return authenticator


def begin(client: Client) -> dict:
    response = post_json(client, BEGIN)
    assert response.status_code == 200, response.content
    return response.json()


def writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_an_officer_adds_a_passkey_named_as_they_like_and_stored_as_little_as_verification_needs():
    officer = UserFactory(email="sloane.vandermeulen@alpha.test")
    client = by_password(officer)
    assert client.get("/account/passkeys/add/").status_code == 200
    options = post_json(client, ADD_BEGIN).json()
    # The phone's password manager (and its cloud) is told the site's name, never the address.
    assert "sloane" not in json.dumps(options).lower()
    assert options["user"]["name"] == options["user"]["displayName"] == settings.SITE_NAME
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    authenticator = phone()
    response = post_json(client, ADD_COMPLETE, authenticator.create(options))
    assert response.status_code == 200
    passkey = Passkey.objects.get(user=officer)
    assert passkey.name == "Passkey 1"
    stored = {field.name for field in Passkey._meta.concrete_fields}
    assert stored == {
        "id", "user", "name", "confirmed", "credential_id", "public_key", "transports",
        "credential_id_sha256", "added_on",
    }  # fmt: skip
    assert passkey.transports == ["internal", "hybrid"]
    assert not WebAuthnAttestation.objects.exists() and not WebAuthnCredential.objects.exists()

    page = client.post(f"/account/passkeys/{passkey.pk}/name/", {"name": "  iPhone  "})
    assert page.status_code == 302
    account = client.get("/account/").content.decode()
    assert "iPhone" in account and f"added {passkey.added_on:%-d %B %Y}" in account
    assert "Add a passkey" in account


def test_an_empty_name_keeps_the_default_and_a_long_one_is_refused_not_cut():
    officer = UserFactory()
    client = by_password(officer)
    passkey = add_passkey(client, phone())
    assert client.post(f"/account/passkeys/{passkey.pk}/name/", {"name": ""}).status_code == 302
    page = client.post(f"/account/passkeys/{passkey.pk}/name/", {"name": "x" * 65})
    assert page.status_code == 200 and "at most 64 characters" in page.content.decode()
    passkey.refresh_from_db()
    assert passkey.name == "Passkey 1"


def test_adding_a_passkey_needs_a_recent_password():
    officer = UserFactory()
    client = Client()
    client.force_login(officer, backend=settings.AUTHENTICATION_BACKENDS[0])  # no proof recorded
    page = client.get("/account/passkeys/add/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/reauthenticate/")
    refused = post_json(client, ADD_BEGIN)
    assert refused.status_code == 403 and "confirm your password" in refused.json()["detail"]

    client = by_password(officer)
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] = time.time() - settings.PASSKEY_PROOF_SECONDS - 1  # minutes ago
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert post_json(client, ADD_BEGIN).status_code == 403
    assert (
        client.post(
            "/accounts/reauthenticate/?next=/account/passkeys/add/", {"password": PASSWORD}
        )["Location"]
        == "/account/passkeys/add/"
    )
    assert post_json(client, ADD_BEGIN).status_code == 200


def test_a_passkey_sign_in_changes_no_row_and_follows_the_session_rules():
    officer = UserFactory()
    authenticator = passkey_for(officer)
    client = Client()
    options = begin(client)
    assert options["userVerification"] == "required" and options["allowCredentials"] == []
    answer = authenticator.get(options)
    with CaptureQueriesContext(connection) as queries:
        response = post_json(client, COMPLETE + "?next=/directory/", answer)
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"] == "/directory/"
    assert writes(queries.captured_queries) == []
    session = client.session
    assert session[sessions.NONCE] and session[sessions.SIGNED_IN_AT]
    assert session[DEVICE_ID_SESSION_KEY].startswith("passkeys.passkey/")
    assert [r["method"] for r in session["account_authentication_methods"]] == ["passkey"]
    assert client.get("/directory/").status_code == 200
    # Signing out holds for a copy of the cookie, as for a password sign-in.
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/accounts/logout/")
    assert copy.get("/account/").status_code == 302


def test_an_assertion_replayed_with_the_cookie_from_before_the_sign_in_is_refused():
    officer = UserFactory()
    authenticator = passkey_for(officer)
    client = Client()
    options = begin(client)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    answer = authenticator.get(options)
    assert post_json(client, COMPLETE, answer).status_code == 200
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = before
    replayed = post_json(thief, COMPLETE, answer)
    assert replayed.status_code == 400
    assert "already been used" in replayed.json()["detail"]
    assert thief.get("/account/").status_code == 302  # not signed in


def test_a_challenge_is_refused_after_its_lifetime(monkeypatch):
    officer = UserFactory()
    authenticator = passkey_for(officer)
    client = Client()
    answer = authenticator.get(begin(client))
    later = time.time() + settings.OTP_WEBAUTHN_TIMEOUT_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert post_json(client, COMPLETE, answer).status_code == 400


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda a, o: a.get(o, rp_id="evil.example"), id="another site's passkey"),
        pytest.param(lambda a, o: a.get(o, origin="https://evil.example"), id="another origin"),
        pytest.param(lambda a, o: a.get(o, verified=False), id="no user verification"),
        pytest.param(lambda a, o: phone().get(o), id="a passkey no account has"),
        pytest.param(
            lambda a, o: {**a.get(o), "response": {**a.get(o)["response"], "signature": "AAAA"}},
            id="a bad signature",
        ),
        pytest.param(lambda a, o: "{not json", id="not JSON"),
        pytest.param(lambda a, o: [1, 2], id="a list"),
        pytest.param(lambda a, o: {"id": "x" * 5000}, id="half an answer"),
        pytest.param(lambda a, o: {**a.get(o), "rawId": "%%%", "id": "%%%"}, id="not base64"),
    ],
)
def test_bad_answers_are_refused_with_a_clear_4xx(spoil):
    officer = UserFactory()
    authenticator = passkey_for(officer)
    client = Client()
    options = begin(client)
    response = post_json(client, COMPLETE, spoil(authenticator, options))
    assert 400 <= response.status_code < 500
    assert len(response.json()["detail"]) > 20
    assert client.get("/account/").status_code == 302


def test_a_removed_passkey_no_longer_signs_in():
    officer = UserFactory()
    client = by_password(officer)
    authenticator = phone()
    passkey = add_passkey(client, authenticator)
    assert client.get(f"/account/passkeys/{passkey.pk}/remove/").status_code == 200
    assert client.post(f"/account/passkeys/{passkey.pk}/remove/").status_code == 302
    assert not Passkey.objects.exists()
    anonymous = Client()
    refused = post_json(anonymous, COMPLETE, authenticator.get(begin(anonymous)))
    assert refused.status_code == 400 and "removed" in refused.json()["detail"]


def test_nobody_names_or_removes_another_persons_passkey():
    owner, other = UserFactory(), UserFactory()
    passkey = add_passkey(by_password(owner), phone())
    client = by_password(other)
    assert client.get(f"/account/passkeys/{passkey.pk}/remove/").status_code == 404
    assert client.post(f"/account/passkeys/{passkey.pk}/remove/").status_code == 404
    assert client.post(f"/account/passkeys/{passkey.pk}/name/", {"name": "x"}).status_code == 404
    assert Passkey.objects.filter(pk=passkey.pk, name="Passkey 1").exists()


def test_the_same_passkey_cannot_be_added_twice():
    officer = UserFactory()
    client = by_password(officer)
    authenticator = phone()
    add_passkey(client, authenticator)
    options = post_json(client, ADD_BEGIN).json()
    again = post_json(client, ADD_COMPLETE, authenticator.create(options))
    assert again.status_code == 409 and "already" in again.json()["detail"]


def test_an_officer_with_a_passkey_still_signs_in_by_password_alone_and_may_add_another():
    officer = UserFactory()
    passkey_for(officer)
    client = by_password(officer)
    assert client.get("/directory/").status_code == 200
    add_passkey(client, phone())
    assert Passkey.objects.filter(user=officer).count() == 2


def test_staff_owing_their_second_factor_cannot_add_a_passkey_before_giving_it():
    vetter = StaffFactory(is_vetter=True)
    TOTPDeviceFactory(user=vetter)
    client = by_password(vetter)
    assert client.get("/account/passkeys/add/")["Location"] == "/account/two-factor/verify/"
    refused = post_json(client, ADD_BEGIN)
    assert refused.status_code == 403 and "second factor first" in refused.json()["detail"]


def test_staff_give_a_passkey_as_their_second_factor_or_sign_in_with_it_alone():
    vetter = StaffFactory(is_vetter=True)
    TOTPDeviceFactory(user=vetter)
    client = by_password(vetter)
    # Signed in by password, verified by code: the sign_in helper of the suite does the code.
    from tests.conftest import sign_in

    sign_in(client, vetter)
    authenticator = phone()
    add_passkey(client, authenticator)

    # Password, then the passkey in place of a code.
    client = by_password(vetter)
    assert client.get("/professionals/vetting/")["Location"].startswith("/account/two-factor/")
    page = client.get("/account/two-factor/verify/").content.decode()
    assert "Use a passkey" in page
    options = begin(client)
    assert len(options["allowCredentials"]) == 1
    assert post_json(client, COMPLETE, authenticator.get(options)).status_code == 200
    assert client.get("/professionals/vetting/").status_code == 200

    # The passkey alone: both factors, and the staff lifetime from this sign-in.
    client = Client()
    assert post_json(client, COMPLETE, authenticator.get(begin(client))).status_code == 200
    assert client.get("/professionals/vetting/").status_code == 200
    session = client.session
    session[sessions.SIGNED_IN_AT] = int(time.time()) - settings.STAFF_SESSION_SECONDS - 1
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert client.get("/professionals/vetting/")["Location"].startswith("/accounts/login/")


def test_staff_with_only_a_passkey_are_asked_for_it_and_keep_their_last_one():
    vetter = StaffFactory(is_vetter=True)
    authenticator = phone()
    passkey = add_passkey(by_password(vetter), authenticator)
    client = by_password(vetter)
    assert client.get("/professionals/vetting/")["Location"].startswith(
        "/account/two-factor/verify/"
    )
    assert post_json(client, COMPLETE, authenticator.get(begin(client))).status_code == 200
    page = client.post(f"/account/passkeys/{passkey.pk}/remove/")
    assert page.status_code == 409 and "only second factor" in page.content.decode()
    assert Passkey.objects.filter(pk=passkey.pk).exists()


def codes_on(page) -> list[str]:
    return re.findall(r"<li><code>([^<]+)</code></li>", page.content.decode())


def test_staff_who_add_a_passkey_without_backup_codes_are_given_them_even_unnamed():
    vetter = StaffFactory(is_vetter=True)  # no second factor yet: enrolling one
    client = by_password(vetter)
    assert "Add a passkey" in client.get("/account/two-factor/").content.decode()
    passkey = add_passkey(client, phone())
    # Given as the passkey was added, before any name is saved...
    backup = BackupCodeDevice.objects.get(user=vetter)
    assert backup.codes.count() == settings.OTP_BACKUP_CODE_COUNT
    # ...shown once on the page the script opens next, and working...
    page = client.get(f"/account/passkeys/{passkey.pk}/name/")
    shown = codes_on(page)
    assert page.status_code == 200 and len(shown) == settings.OTP_BACKUP_CODE_COUNT
    assert "This is the only time" in page.content.decode()
    assert backup.verify_token(shown[0].replace("-", ""))
    # ...and never again, whether the name is saved or the page left.
    assert codes_on(client.get(f"/account/passkeys/{passkey.pk}/name/")) == []
    saved = client.post(f"/account/passkeys/{passkey.pk}/name/", {"name": "Work phone"})
    assert saved.status_code == 302 and saved["Location"] == "/account/"
    assert backup.codes.count() == settings.OTP_BACKUP_CODE_COUNT - 1


def test_staff_who_have_backup_codes_get_none_new_with_a_passkey():
    vetter = StaffFactory(is_vetter=True)
    TOTPDeviceFactory(user=vetter)
    from tests.conftest import sign_in

    client = sign_in(by_password(vetter), vetter)
    client.post("/account/two-factor/backup-codes/")
    before = set(BackupCodeDevice.objects.get(user=vetter).codes.values_list("pk", flat=True))
    passkey = add_passkey(client, phone())
    assert codes_on(client.get(f"/account/passkeys/{passkey.pk}/name/")) == []
    after = set(BackupCodeDevice.objects.get(user=vetter).codes.values_list("pk", flat=True))
    assert after == before


def test_an_officers_passkey_brings_no_backup_codes():
    officer = UserFactory()
    client = by_password(officer)
    passkey = add_passkey(client, phone())
    assert not BackupCodeDevice.objects.filter(user=officer).exists()
    assert codes_on(client.get(f"/account/passkeys/{passkey.pk}/name/")) == []


def account_card(client: Client) -> str:
    page = client.get("/account/").content.decode()
    return page[page.index("<h2>Two-factor sign-in</h2>") :].split("</section>")[0]


def test_the_account_page_says_a_staff_passkey_is_their_second_factor():
    vetter = StaffFactory(is_vetter=True)
    authenticator = phone()
    client = by_password(vetter)
    add_passkey(client, authenticator)
    client = Client()
    assert post_json(client, COMPLETE, authenticator.get(begin(client))).status_code == 200
    card = account_card(client)
    assert "On, with your passkey" in card and "Off" not in card
    assert f"Backup codes left: {settings.OTP_BACKUP_CODE_COUNT}" in card
    assert "/account/two-factor/backup-codes/" in card and "/account/two-factor/" in card


def test_the_account_page_says_what_an_officers_passkey_does_and_does_not():
    officer = UserFactory()
    client = by_password(officer)
    assert "Off." in account_card(client)
    add_passkey(client, phone())
    card = account_card(client)
    assert "Off when you sign in with your password" in card and "by itself" in card
    assert "On, with your passkey" not in card


def test_the_passkey_sign_in_is_rate_limited_per_address(settings):
    settings.PASSKEY_SIGN_IN_RATE_LIMIT = 3
    here, elsewhere = {"REMOTE_ADDR": "203.0.113.7"}, {"REMOTE_ADDR": "198.51.100.9"}
    client = Client()
    for _ in range(3):
        assert post_json(client, BEGIN, **here).status_code == 200
    refused = post_json(client, BEGIN, **here)
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert "Wait a minute" in refused.json()["detail"]
    assert post_json(Client(), BEGIN, **elsewhere).status_code == 200
    # The counters are keyed hashes: no address is in the cache.
    from tests.conftest import cache_keys

    assert not [key for key in cache_keys() if "203.0.113.7" in key]


def test_refused_passkey_answers_stop_the_sign_in_from_that_address(settings):
    settings.PASSKEY_SIGN_IN_FAILED_RATE_LIMIT = 2
    officer = UserFactory()
    authenticator = passkey_for(officer)
    here = {"REMOTE_ADDR": "203.0.113.8"}
    for _ in range(2):
        assert post_json(Client(), COMPLETE, "{not json", **here).status_code == 400
    client = Client()
    assert post_json(client, BEGIN, **here).status_code == 429
    # Another address signs in as ever.
    other = Client()
    options = post_json(other, BEGIN, REMOTE_ADDR="198.51.100.10").json()
    answer = authenticator.get(options)
    assert post_json(other, COMPLETE, answer, REMOTE_ADDR="198.51.100.10").status_code == 200


def test_the_deploy_check_warns_when_passkeys_cannot_match_the_site(settings):
    settings.SITE_URL = "https://portal.example.org"
    settings.OTP_WEBAUTHN_RP_ID = "portal.example.org"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://portal.example.org"]
    assert passkey_problems() == []
    settings.OTP_WEBAUTHN_RP_ID = "example.org"  # a parent domain is allowed
    assert passkey_problems() == []
    settings.OTP_WEBAUTHN_RP_ID = "203.0.113.5"
    assert passkey_problems()
    settings.OTP_WEBAUTHN_RP_ID = "other.example"
    assert passkey_problems()
    settings.OTP_WEBAUTHN_RP_ID = "portal.example.org"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["http://portal.example.org"]
    assert passkey_problems()


def test_a_deactivated_officers_passkey_is_refused_with_words_not_a_500():
    officer = UserFactory()
    authenticator = passkey_for(officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    client = Client()
    refused = post_json(client, COMPLETE, authenticator.get(begin(client)))
    assert refused.status_code == 403 and "closed" in refused.json()["detail"]
    assert client.get("/account/").status_code == 302


@pytest.mark.parametrize("body", [b"\x00\x80\x80", b"\x80", b"\xff\xfe\x00", b"\x00\x00\x00\x80"])
@pytest.mark.parametrize("url", [BEGIN, COMPLETE, ADD_BEGIN, ADD_COMPLETE])
def test_a_body_that_is_no_text_is_refused_as_malformed_not_a_server_error(url, body):
    client = by_password(UserFactory()) if url in (ADD_BEGIN, ADD_COMPLETE) else Client()
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed" and len(response.json()["detail"]) > 20
