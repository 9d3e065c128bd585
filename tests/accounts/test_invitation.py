import time

import pytest

from tests.factories import UserFactory
from wnwa.accounts.invitations import invitation_path, make_invitation_token
from wnwa.accounts.models import User

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "steady-under-pressure-7"


@pytest.fixture
def invited(db):
    return UserFactory(email="new.officer@agency.test", password=None)


def accept(client, user, password=NEW_PASSWORD):
    return client.post(
        invitation_path(user), {"new_password1": password, "new_password2": password}
    )


def test_invited_officer_sets_a_password_and_is_signed_in(client, invited):
    page = client.get(invitation_path(invited))
    assert page.status_code == 200 and "new.officer@agency.test" in page.content.decode()
    response = accept(client, invited)
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)
    assert client.get("/account/").status_code == 200


def test_an_invitation_link_works_once(client, invited):
    path = invitation_path(invited)
    accept(client, invited)
    again = client.__class__().get(path)
    assert again.status_code == 400
    assert "no longer works" in again.content.decode()


def test_an_invitation_link_expires_after_fourteen_days(client, invited, monkeypatch, settings):
    path = invitation_path(invited)
    later = time.time() + settings.INVITATION_MAX_AGE_DAYS * 86400 + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.get(path).status_code == 400
    refused = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert refused.status_code == 400
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_a_thirteen_day_old_link_still_works(client, invited, monkeypatch):
    path = invitation_path(invited)
    later = time.time() + 13 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "",
        "x",
        "not-a-token:at-all",
        "../../etc/passwd",
        "%00",
        "a" * 5000,
        "<script>alert(1)</script>",
    ],
)
def test_forged_or_mangled_links_are_refused(client, invited, token):
    response = client.get(f"/account/invitation/{token}/")
    assert response.status_code in (400, 404)
    invited.refresh_from_db()
    assert not invited.has_usable_password()


def test_a_link_with_a_tampered_signature_is_refused(client, invited):
    token = make_invitation_token(invited)
    tampered = token[:-4] + ("abcd" if not token.endswith("abcd") else "dcba")
    assert client.get(f"/account/invitation/{tampered}/").status_code == 400


def test_a_deactivated_officer_cannot_use_their_invitation(client, invited):
    path = invitation_path(invited)
    User.objects.filter(pk=invited.pk).update(is_active=False)
    assert client.get(path).status_code == 400


@pytest.mark.parametrize(
    ("first", "second", "error"),
    [
        ("short", "short", "too short"),
        ("password123", "password123", "too common"),
        ("9384756102938", "9384756102938", "entirely numeric"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "didn"),
        ("", "", "required"),
    ],
)
def test_weak_or_mismatched_passwords_are_refused_and_the_link_stays_valid(
    client, invited, first, second, error
):
    response = client.post(
        invitation_path(invited), {"new_password1": first, "new_password2": second}
    )
    assert response.status_code == 200
    assert error in response.content.decode().replace("&#x27;", "'")
    invited.refresh_from_db()
    assert not invited.has_usable_password()
    assert client.get(invitation_path(invited)).status_code == 200


def test_an_empty_submission_is_answered_with_errors(client, invited):
    response = client.post(invitation_path(invited), {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    invited.refresh_from_db()
    assert not invited.has_usable_password()
