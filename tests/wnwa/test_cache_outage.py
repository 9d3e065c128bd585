"""While Redis is down, every page still opens: the cache holds rate limits, the TOTP replay
guard and the sign-out deny list, and no page may need it just to be shown."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.conftest import DOWN_CACHE, ROLES, client_for
from tests.factories import StaffFactory, TOTPDeviceFactory, UserFactory
from tests.test_authorization_matrix import EXPECTATIONS, PROJECT_NAMES, assert_outcome, url_kwargs


@pytest.mark.parametrize("role", ROLES)
def test_every_page_opens_as_declared_while_the_cache_is_down(role, cast):
    client = client_for(role, cast)  # signed in before the outage
    with override_settings(CACHES=DOWN_CACHE):
        for name in PROJECT_NAMES:
            url = reverse(name, kwargs=url_kwargs(name, cast))
            assert_outcome(client.get(url), EXPECTATIONS[name][role], f"{role} GET {name}")


def test_a_public_form_is_still_taken_while_the_cache_is_down(client, db, caplog):
    from contact.models import Enquiry
    from tests.contact.test_enquiries import VALID

    with override_settings(CACHES=DOWN_CACHE):
        response = client.post(reverse("contact:contact"), VALID["contact:contact"])
    assert response.status_code == 302
    assert Enquiry.objects.get().email == VALID["contact:contact"]["email"]
    logged = [record.getMessage() for record in caplog.records if record.name == "wnwa.cache"]
    assert logged == ["cache unreachable: ConnectionError"]  # the kind, never the sender


def test_an_officer_signs_in_and_staff_give_their_code_while_the_cache_is_down(client, db):
    from tests.accounts.test_sign_in import current_code, post_login

    officer = UserFactory(email="crisis@agency.test")
    vetter = StaffFactory(email="vetter@network.test", is_vetter=True)
    device = TOTPDeviceFactory(user=vetter)
    with override_settings(CACHES=DOWN_CACHE):
        response = post_login(client, "crisis@agency.test")
        assert response.status_code == 302 and response.headers["Location"] == "/"
        assert client.get(reverse("peers:directory")).context["user"] == officer

        staff = client.__class__()
        post_login(staff, vetter.email)
        verify = staff.post("/account/two-factor/verify/", {"code": current_code(device)})
        assert verify.status_code == 302
        assert staff.get("/account/").status_code == 200
