import re
import time
from urllib.parse import quote

import pytest
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP

from tests.conftest import sign_in
from tests.factories import PASSWORD, StaffFactory, TOTPDeviceFactory, UserFactory
from tests.html import squashed
from wnwa.accounts.models import BackupCodeDevice, TOTPDevice, User

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def current_code(device: TOTPDevice, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, 0, device.digits, 0)
    totp.time = at or time.time()
    return f"{totp.token():0{device.digits}d}"


def post_login(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def test_officer_signs_in_with_email_in_any_case(client):
    officer = UserFactory(email="jane.doe@agency.test")
    response = post_login(client, "Jane.Doe@AGENCY.test")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").context["user"] == officer


def test_wrong_password_and_unknown_email_get_the_same_answer(client):
    UserFactory(email="known@agency.test")
    wrong = post_login(client, "known@agency.test", "not-the-password")
    unknown = post_login(client, "nobody@agency.test", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_invited_officer_without_password_cannot_sign_in(client):
    UserFactory(email="invited@agency.test", password=None)
    response = post_login(client, "invited@agency.test", "")
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated


def test_deactivated_officer_cannot_sign_in(client):
    UserFactory(email="gone@agency.test", is_active=False)
    response = post_login(client, "gone@agency.test")
    assert not client.get("/").context["user"].is_authenticated
    assert response.status_code in (200, 302)


def test_repeated_failed_sign_ins_are_rate_limited(client):
    UserFactory(email="target@agency.test")
    for n in range(5):
        assert (
            "Too many"
            not in post_login(client, "target@agency.test", f"guess-{n}").content.decode()
        )
    # The sixth try is refused before the password is checked, even the right password.
    response = post_login(client, "target@agency.test")
    assert "Too many failed login attempts" in response.content.decode()
    assert not client.get("/").context["user"].is_authenticated


def test_many_sign_in_posts_from_one_address_get_429(client):
    statuses = [post_login(client, f"user{n}@agency.test", "x").status_code for n in range(31)]
    assert statuses[-1] == 429


def test_sign_in_works_when_a_request_has_fewer_forwarded_hops_than_configured(client, settings):
    # allauth alone answers such a request with a 500; the officer must still get in.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    UserFactory(email="behind@agency.test")
    headers = {"HTTP_X_FORWARDED_FOR": "198.51.100.20"}
    assert client.get(LOGIN, **headers).status_code == 200
    response = client.post(LOGIN, {"login": "behind@agency.test", "password": PASSWORD}, **headers)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_there_is_no_sign_up(client):
    assert client.get("/accounts/signup/").headers["Location"].startswith(LOGIN)
    response = client.post(
        "/accounts/signup/", {"email": "new@x.test", "password1": "a-long-password-1"}
    )
    assert response.status_code in (302, 405)
    assert not User.objects.filter(email="new@x.test").exists()


def test_password_reset_does_not_reveal_whether_an_email_exists(client):
    UserFactory(email="known@agency.test")
    known = client.post("/accounts/password/reset/", {"email": "known@agency.test"})
    unknown = client.post("/accounts/password/reset/", {"email": "stranger@agency.test"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    # Only the real account gets mail; an unknown address gets nothing at all (docs/privacy.md rule 8).
    assert [message.to for message in mail.outbox] == [["known@agency.test"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_password_reset_link_sets_a_new_password_once(client):
    user = UserFactory(email="known@agency.test")
    client.post("/accounts/password/reset/", {"email": "known@agency.test"})
    link = next(
        line for line in mail.outbox[0].body.splitlines() if "/password/reset/key/" in line
    ).strip()
    path = link[link.index("/accounts/") :]
    form_page = client.get(path, follow=True)
    action = form_page.context["action_url"]
    new = "a-brand-new-passphrase-9"
    done = client.post(action, {"password1": new, "password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    again = client.get(path, follow=True)
    assert again.context["token_fail"] is True


def test_password_reset_requests_are_rate_limited(client):
    UserFactory(email="known@agency.test")
    statuses = [
        client.post("/accounts/password/reset/", {"email": "known@agency.test"}).status_code
        for _ in range(7)
    ]
    assert 429 in statuses


def test_changing_the_password_ends_other_sessions(client):
    officer = UserFactory()
    other_phone = sign_in(client.__class__(), officer, second_factor=False)
    assert other_phone.get("/account/").status_code == 200
    officer.set_password("another-long-passphrase-5")
    officer.save()
    assert other_phone.get("/account/").headers["Location"].startswith(LOGIN)


def test_deactivation_signs_the_officer_out_on_their_next_request(client):
    officer = UserFactory()
    sign_in(client, officer, second_factor=False)
    assert client.get("/account/").status_code == 200
    User.objects.filter(pk=officer.pk).update(is_active=False)
    assert client.get("/account/").headers["Location"].startswith(LOGIN)


def test_staff_session_ends_after_twelve_hours_but_an_officers_does_not(
    client, settings, monkeypatch
):
    staff = StaffFactory(is_vetter=True)
    officer = UserFactory()
    staff_client = sign_in(client.__class__(), staff)
    officer_client = sign_in(client.__class__(), officer)
    later = time.time() + settings.STAFF_SESSION_SECONDS + 60
    monkeypatch.setattr("wnwa.accounts.sessions.time.time", lambda: later)
    assert staff_client.get("/account/").headers["Location"].startswith(LOGIN)
    assert officer_client.get("/account/").status_code == 200


def test_staff_without_a_second_factor_are_sent_to_enrol(client):
    vetter = StaffFactory(is_vetter=True)
    post_login(client, vetter.email)
    response = client.get("/account/")
    assert response.headers["Location"] == "/account/two-factor/?next=%2Faccount%2F"
    setup = client.get("/account/two-factor/")
    assert setup.status_code == 200
    page = squashed(setup.content.decode())
    assert "<svg" in page
    # On the phone itself: a link the authenticator app opens, naming the site, never the email.
    link = re.search(r'href="(otpauth://totp/[^"]+)"', page).group(1)
    assert vetter.email not in link and quote(vetter.email) not in link and "issuer=" in link
    device = TOTPDevice.objects.get(user=vetter)
    key = re.search(r'<code class="secret">([^<]+)</code>', page).group(1)
    assert key.replace(" ", "") in device.config_url() and all(len(g) <= 4 for g in key.split())


def test_staff_enrol_with_a_code_and_get_backup_codes(client):
    trainer = StaffFactory(is_training_staff=True)
    post_login(client, trainer.email)
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=trainer, confirmed=False)
    wrong = client.post(
        "/account/two-factor/", {"code": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and "did not match" in wrong.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # skip the back-off
    done = client.post("/account/two-factor/", {"code": current_code(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/account/").status_code == 200


def test_setup_refuses_malformed_codes(client):
    vetter = StaffFactory(is_vetter=True)
    sign_in(client, vetter, second_factor=False)
    client.get("/account/two-factor/")
    for bad in ["", "12345", "1234567", "abcdef", "<script>", "1" * 5000]:
        response = client.post("/account/two-factor/", {"code": bad})
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not TOTPDevice.objects.filter(user=vetter, confirmed=True).exists()


def test_an_officer_with_an_authenticator_must_give_a_code(client):
    officer = UserFactory()
    device = TOTPDeviceFactory(user=officer)
    post_login(client, officer.email)
    assert (
        client.get("/account/").headers["Location"]
        == "/account/two-factor/verify/?next=%2Faccount%2F"
    )
    response = client.post("/account/two-factor/verify/", {"code": current_code(device)})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


def test_a_replayed_code_is_refused(client):
    officer = UserFactory()
    device = TOTPDeviceFactory(user=officer)
    code = current_code(device)
    post_login(client, officer.email)
    assert client.post("/account/two-factor/verify/", {"code": code}).status_code == 302
    thief = client.__class__()
    post_login(thief, officer.email)
    replay = thief.post("/account/two-factor/verify/", {"code": code})
    # Refused, and told only that it did not match: nothing says the code was used before.
    assert replay.status_code == 200 and "did not match" in replay.content.decode()
    assert thief.get("/account/").headers["Location"].startswith("/account/two-factor/verify/")


def test_a_code_from_an_hour_ago_is_refused(client):
    officer = UserFactory()
    device = TOTPDeviceFactory(user=officer)
    post_login(client, officer.email)
    old = current_code(device, at=time.time() - 3600)
    response = client.post("/account/two-factor/verify/", {"code": old})
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_a_backup_code_works_once(client):
    officer = UserFactory()
    TOTPDeviceFactory(user=officer)
    backup = BackupCodeDevice.objects.create(user=officer, name="Backup codes")
    code = backup.generate_codes()[0]
    post_login(client, officer.email)
    assert client.post("/account/two-factor/verify/", {"code": code.upper()}).status_code == 302
    assert backup.codes.count() == 9
    again = client.__class__()
    post_login(again, officer.email)
    assert again.post("/account/two-factor/verify/", {"code": code}).status_code == 200


def test_wrong_codes_are_throttled(client):
    officer = UserFactory()
    device = TOTPDeviceFactory(user=officer)
    post_login(client, officer.email)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    client.post("/account/two-factor/verify/", {"code": wrong})
    # Straight after a failure even the right code waits out the back-off.
    response = client.post("/account/two-factor/verify/", {"code": current_code(device)})
    assert response.status_code == 200


def test_an_officer_may_turn_two_factor_off_but_staff_may_not(client):
    officer = UserFactory()
    sign_in(client, officer)
    assert client.post("/account/two-factor/remove/").status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    staff = StaffFactory(is_vetter=True)
    staff_client = sign_in(client.__class__(), staff)
    assert staff_client.post("/account/two-factor/remove/").status_code == 403
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_sign_out_needs_a_post(client):
    officer = UserFactory()
    sign_in(client, officer, second_factor=False)
    assert client.get("/accounts/logout/").status_code == 200
    assert client.get("/account/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/account/").headers["Location"].startswith(LOGIN)


def test_account_page_is_linked_from_the_sign_in_redirect(client):
    response = client.get(reverse("accounts:account"))
    assert response.headers["Location"] == f"{LOGIN}?next=/account/"


def test_a_user_owing_a_code_sees_no_menu_and_no_premature_welcome(client):
    officer = UserFactory()
    TOTPDeviceFactory(user=officer)
    post_login(client, officer.email)
    page = client.get("/account/two-factor/verify/")
    assert page.context["nav"] == []
    assert "signed in" not in page.content.decode().lower()


def test_the_sign_in_page_offers_a_password_reset(client):
    page = client.get(LOGIN).content.decode()
    assert page.count('href="/accounts/password/reset/"') == 1
    assert "no sign-up" in page


def test_an_officer_changes_their_password(client):
    officer = UserFactory()
    sign_in(client, officer, second_factor=False)
    new = "a-calmer-passphrase-88"
    wrong = client.post(
        "/accounts/password/change/", {"oldpassword": "nope", "password1": new, "password2": new}
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors
    done = client.post(
        "/accounts/password/change/", {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )
    assert done.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(new)
    # The phone that changed it stays signed in.
    assert client.get("/account/").status_code == 200


def test_someone_elses_wrong_passwords_never_lock_the_officer_out(client):
    officer = UserFactory(email="targeted@agency.test")
    attacker = client.__class__(REMOTE_ADDR="203.0.113.66")
    for n in range(8):
        post_login(attacker, officer.email, f"guess-{n}")
    # The attacker's own address is stopped for this account...
    assert "Too many failed login attempts" in post_login(attacker, officer.email).content.decode()
    # ...and the officer, from their own phone, signs in at once.
    phone = client.__class__(REMOTE_ADDR="198.51.100.23")
    response = post_login(phone, officer.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_one_address_guessing_across_many_accounts_is_still_stopped(client):
    for n in range(10):
        UserFactory(email=f"spray{n}@agency.test")
    answers = [
        post_login(client, f"spray{n}@agency.test", "Summer2026!").content.decode()
        for n in range(10)
    ]
    assert all("Too many" not in answer for answer in answers)
    assert (
        "Too many failed login attempts"
        in post_login(client, "spray0@agency.test").content.decode()
    )


@pytest.mark.parametrize("typed", ["{code}", "{code_upper}", "{no_hyphen}", " {spaced} "])
def test_a_backup_code_sign_in_leaves_the_authenticator_row_as_it_was(client, typed):
    officer = UserFactory()
    device = TOTPDeviceFactory(user=officer)
    backup = BackupCodeDevice.objects.create(user=officer, name="Backup codes")
    code = backup.generate_codes()[0]
    before = TOTPDevice.objects.filter(pk=device.pk).values().get()
    post_login(client, officer.email)
    entered = typed.format(
        code=code,
        code_upper=code.upper(),
        no_hyphen=code.replace("-", ""),
        spaced=code.replace("-", " "),
    )
    assert client.post("/account/two-factor/verify/", {"code": entered}).status_code == 302
    assert TOTPDevice.objects.filter(pk=device.pk).values().get() == before
    assert backup.codes.count() == 9
    backup.refresh_from_db()
    assert backup.throttling_failure_count == 0 and backup.throttling_failure_timestamp is None


def test_a_wrong_authenticator_code_is_not_tried_as_a_backup_code(client):
    officer = UserFactory()
    device = TOTPDeviceFactory(user=officer)
    backup = BackupCodeDevice.objects.create(user=officer, name="Backup codes")
    backup.generate_codes()
    post_login(client, officer.email)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    client.post("/account/two-factor/verify/", {"code": wrong})
    backup.refresh_from_db()
    device.refresh_from_db()
    assert backup.throttling_failure_count == 0 and device.throttling_failure_count == 1


def test_a_code_of_neither_shape_touches_no_device(client):
    officer = UserFactory()
    device = TOTPDeviceFactory(user=officer)
    post_login(client, officer.email)
    for junk in ["12345", "abc", "1234567", "zzzzzz-zzzzzz"]:
        response = client.post("/account/two-factor/verify/", {"code": junk})
        assert response.status_code == 200 and "Type the 6 digits" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 0
    # and the right code still works straight away
    assert (
        client.post("/account/two-factor/verify/", {"code": current_code(device)}).status_code
        == 302
    )


def test_a_reset_link_uses_the_sites_address_never_the_requests_host(client, settings):
    settings.SITE_URL = "https://portal.weneverwalkalone.org"
    UserFactory(email="host@agency.test")
    client.post(
        "/accounts/password/reset/", {"email": "host@agency.test"}, HTTP_HOST="testserver:6666"
    )
    body = mail.outbox[0].body
    assert "https://portal.weneverwalkalone.org/accounts/password/reset/key/" in body
    assert "6666" not in body and "testserver" not in body


def test_a_refused_sign_in_says_how_long_to_wait_and_where_to_turn(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "10/m/ip,5/300s/key",
    }
    UserFactory(email="waiting@agency.test")
    for n in range(5):
        post_login(client, "waiting@agency.test", f"guess-{n}")
    page = post_login(client, "waiting@agency.test").content.decode()
    assert "Wait 5 minutes, then try again" in page
    assert 'href="/accounts/password/reset/"' in page and "Forgot your password?" in page
    assert 'href="tel:988"' in page and 'href="sms:988"' in page


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/password/reset/", "/accounts/password/reset/done/"]
)
def test_the_pages_of_a_locked_out_or_forgetful_officer_show_the_crisis_lines(client, path):
    page = client.get(path).content.decode()
    assert 'aria-label="Crisis lines"' in page
    assert 'href="tel:988"' in page and 'href="tel:1-800-267-5463"' in page
    # each line named once: not "988 Suicide & Crisis Lifeline: 988"
    assert "Lifeline: 988" not in page


def test_a_crisis_line_may_take_texts_and_old_settings_still_work():
    from wnwa.settings import _crisis_lines

    assert _crisis_lines("Blue Line|1-800-555-0111") == [
        {"name": "Blue Line", "number": "1-800-555-0111", "texts": False}
    ]
    assert _crisis_lines("988 Lifeline|988|text; Peer Line|1-800-555-0122 ;") == [
        {"name": "988 Lifeline", "number": "988", "texts": True},
        {"name": "Peer Line", "number": "1-800-555-0122", "texts": False},
    ]


def test_the_page_asked_for_survives_the_second_factor(client):
    officer = UserFactory()
    device = TOTPDeviceFactory(user=officer)
    response = client.post(
        f"{LOGIN}?next=/resources/", {"login": officer.email, "password": PASSWORD}
    )
    held = client.get(response.headers["Location"])
    assert held.headers["Location"] == "/account/two-factor/verify/?next=%2Fresources%2F"
    page = client.get(held.headers["Location"]).content.decode()
    assert 'name="next" value="/resources/"' in page
    done = client.post(
        "/account/two-factor/verify/", {"code": current_code(device), "next": "/resources/"}
    )
    assert done.headers["Location"] == "/resources/"


def test_staff_enrolling_a_second_factor_go_on_to_the_page_they_asked_for(client):
    vetter = StaffFactory(is_vetter=True)
    client.post(
        f"{LOGIN}?next=/professionals/vetting/", {"login": vetter.email, "password": PASSWORD}
    )
    held = client.get("/professionals/vetting/")
    assert held.headers["Location"] == "/account/two-factor/?next=%2Fprofessionals%2Fvetting%2F"
    client.get(held.headers["Location"])
    device = TOTPDevice.objects.get(user=vetter, confirmed=False)
    done = client.post(
        "/account/two-factor/", {"code": current_code(device), "next": "/professionals/vetting/"}
    )
    assert 'href="/professionals/vetting/"' in done.content.decode()


def test_a_refused_code_is_told_by_its_shape_and_the_wait_is_given(client):
    officer = UserFactory()
    device = TOTPDeviceFactory(user=officer)
    BackupCodeDevice.objects.create(user=officer, name="Backup codes").generate_codes()
    post_login(client, officer.email)
    wrong = "000000" if current_code(device) != "000000" else "111111"
    first = client.post("/account/two-factor/verify/", {"code": wrong}).content.decode()
    assert "That code did not match" in first and "already used" not in first
    # straight after a failure, the back-off runs, and the page says for how long
    again = client.post("/account/two-factor/verify/", {"code": wrong}).content.decode()
    assert "wait 1 second first" in again or "wait 2 seconds first" in again
    backup = client.post("/account/two-factor/verify/", {"code": "abcdef-123456"}).content.decode()
    assert "That backup code did not match" in backup
    junk = client.post("/account/two-factor/verify/", {"code": "hello"}).content.decode()
    assert "Type the 6 digits" in junk
