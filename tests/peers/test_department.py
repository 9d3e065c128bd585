"""A department admin sees their certified officers' listing states, never anything about calls."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.conftest import sign_in
from tests.factories import CertificationFactory, PeerListingFactory, UserFactory

URL = reverse("peers:department")


def certified(department, name, **listing):
    officer = UserFactory(department=department, first_name=name, last_name="Test")
    CertificationFactory(person=officer)
    if listing is not None and listing.pop("has_listing", True):
        PeerListingFactory(peer=officer, **listing)
    return officer


def test_each_certified_officer_shows_with_their_listing_state(client, cast):
    dept = cast.department_b
    today, now = timezone.localdate(), timezone.now()
    certified(dept, "Paula", paused_until=today + datetime.timedelta(days=5))
    certified(dept, "Stan", confirmed_at=now - datetime.timedelta(days=181))
    certified(dept, "Ines", call_number="")
    certified(dept, "Mona", has_listing=False)
    UserFactory(department=dept, first_name="Uncertified", last_name="Person")
    response = sign_in(client, cast.admin_b).get(URL)
    rows = {row.officer.first_name: row.label for row in response.context["states"]}
    assert rows == {
        cast.peer.first_name: "Listed",
        "Paula": "Paused",
        "Stan": "Needs confirming",
        "Ines": "Incomplete",
        "Mona": "No listing",
    }
    page = response.content.decode()
    assert "Uncertified" not in page
    assert "tel:" not in page.split("<main")[1]  # no numbers, no usage


def test_only_the_admins_own_department_is_shown(client, cast):
    page = sign_in(client, cast.admin_a).get(URL).content.decode()
    assert cast.peer.peer_listing.shown_name not in page and cast.peer.last_name not in page
    assert "No certified peer supporters" in page
