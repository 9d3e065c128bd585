"""The account page shows a certified officer their listing's state and the way to it."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import sign_in
from tests.factories import CertificationFactory

URL = reverse("accounts:account")


def test_a_listed_peer_sees_the_state_and_a_link_to_their_listing(client, cast):
    page = sign_in(client, cast.peer).get(URL).content.decode()
    assert "Your peer listing" in page and "Listed" in page
    assert reverse("peers:my-listing") in page


def test_a_paused_listing_says_until_when(client, cast):
    listing = cast.peer.peer_listing
    listing.paused_until = timezone.localdate() + datetime.timedelta(days=10)
    listing.save()
    page = sign_in(client, cast.peer).get(URL).content.decode()
    assert "Paused" in page and f"{listing.paused_until:%b} {listing.paused_until.day}" in page


def test_a_certified_officer_without_a_listing_is_invited_to_create_one(client, cast):
    CertificationFactory(person=cast.officer)
    page = sign_in(client, cast.officer).get(URL).content.decode()
    assert "no listing yet" in page and reverse("peers:my-listing-edit") in page


def test_officers_who_are_not_peers_see_no_listing_section(client, cast):
    page = sign_in(client, cast.officer).get(URL).content.decode()
    assert "Your peer listing" not in page


def test_staff_pay_no_query_for_it(client, cast):
    staff = sign_in(client, cast.vetter)
    with CaptureQueriesContext(connection) as queries:
        assert staff.get(URL).status_code == 200
    assert not [q for q in queries if "peers_peerlisting" in q["sql"]]
    # The listing section's "is this a peer?" check (the trainings section lists exams separately).
    assert not [
        q for q in queries if q["sql"].startswith('SELECT 1 AS "a" FROM "trainings_certification"')
    ]


def test_peers_reach_their_listing_in_one_tap_from_the_menu(client, cast):
    page = sign_in(client, cast.peer).get(reverse("resources:index")).content.decode()
    assert f'href="{reverse("peers:my-listing")}">Your listing</a>' in page
    other = sign_in(client.__class__(), cast.officer).get(reverse("resources:index"))
    assert "Your listing</a>" not in other.content.decode()


def test_the_landing_page_shows_a_peer_their_listing_and_the_available_now_switch(client, cast):
    peer = sign_in(client, cast.peer)
    cast.peer.peer_listing.__class__.objects.filter(pk=cast.peer.peer_listing.pk).update(
        reachability="on_demand"
    )
    page = peer.get("/").content.decode()
    assert "Your peer listing" in page and "Listed" in page
    assert "available now for 2 hours" in page and "Become a peer supporter" not in page
    peer.post(reverse("peers:my-listing-available"), {"hours": "2"})
    page = peer.get("/").content.decode()
    assert "Available now, until" in page and 'name="off"' in page


def test_an_officer_who_is_not_a_peer_is_still_invited_to_become_one(client, cast):
    page = sign_in(client, cast.officer).get("/").content.decode()
    assert "Become a peer supporter" in page and "Your peer listing" not in page
