"""The directory's fast paths stay correct: the listing's copy of its officer's standing, and
today's order held in memory."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from peers.models import PeerListing
from peers.selectors import DayOrder, DirectoryFilters, directory_search, listed_peers
from peers.services import listing_pause, listings_sync
from tests.factories import CertificationFactory, DepartmentFactory, PeerListingFactory, UserFactory
from wnwa.accounts.models import User

pytestmark = pytest.mark.django_db


def make_peer(department=None, **fields):
    peer = UserFactory(department=department or DepartmentFactory())
    CertificationFactory(person=peer)
    return PeerListingFactory(peer=peer, **fields)


@pytest.fixture
def memo():
    DayOrder.forget()
    with override_settings(PEERS_DIRECTORY_MEMO_SECONDS=600):
        yield
    DayOrder.forget()


def shown(**filters) -> list[int]:
    return [
        listing.pk
        for listing in directory_search(filters=DirectoryFilters(**filters), own_department_id=None)
    ]


# --- The copy of the officer's standing ---------------------------------------------------------


def test_deactivating_and_reactivating_an_officer_hides_and_shows_their_listing():
    listing = make_peer()
    User.objects.filter(pk=listing.peer_id).update(is_active=False)
    assert listings_sync(peer_ids=[listing.peer_id]) == 1
    assert not listed_peers().exists()
    User.objects.filter(pk=listing.peer_id).update(is_active=True)
    assert listings_sync(peer_ids=[listing.peer_id]) == 1
    assert list(listed_peers()) == [listing]


def test_a_moved_officer_is_found_under_the_new_department():
    listing = make_peer(DepartmentFactory(name="Alpha Police"))
    User.objects.filter(pk=listing.peer_id).update(department=DepartmentFactory(name="Zulu PD"))
    listings_sync(peer_ids=[listing.peer_id])
    assert shown(q="zulu") == [listing.pk] and shown(q="alpha") == []


def test_officers_in_step_or_without_a_listing_cost_no_update():
    listing, bystander = make_peer(), UserFactory()
    assert listings_sync(peer_ids=[listing.peer_id, bystander.pk]) == 0
    assert listings_sync() == 0


def test_the_nightly_command_repairs_drift_and_prints_only_counts(capsys):
    listing = make_peer()
    User.objects.filter(pk=listing.peer_id).update(is_active=False)  # a path that forgot to sync
    call_command("remind_listings")
    out = capsys.readouterr().out
    assert "in step with their officer: 1" in out and listing.peer.email not in out
    assert not PeerListing.objects.get(pk=listing.pk).peer_active


def test_the_directory_never_reads_the_officer_table(cast):
    filters = DirectoryFilters(q="bravo", state="IL", county="DuPage", gender="man")
    results = directory_search(filters=filters, own_department_id=cast.department_a.pk)
    assert "accounts_user" not in str(results.query)
    assert "accounts_user" not in str(listed_peers().query)


# --- Today's order in memory --------------------------------------------------------------------


def test_the_memory_order_matches_sql_page_by_page(memo):
    for n in range(30):
        make_peer(reachability="on_demand" if n % 3 else "always")
    with override_settings(PEERS_DIRECTORY_MEMO_SECONDS=0):
        expected = shown()
    results = directory_search(filters=DirectoryFilters(), own_department_id=None)
    assert results.count() == 30
    assert [listing.pk for listing in results[0:20] + results[20:40]] == expected


def test_a_peer_who_pauses_disappears_at_once_even_from_an_older_order(memo):
    listings = [make_peer() for _ in range(3)]
    assert len(shown()) == 3  # today's order is now held in memory
    # Paused by a path that does not drop the memory (another process, say): the page re-reads.
    PeerListing.objects.filter(pk=listings[0].pk).update(
        paused_until=timezone.localdate() + datetime.timedelta(days=3)
    )
    assert listings[0].pk not in shown()


def test_a_pause_through_the_service_also_corrects_the_count(
    memo, django_capture_on_commit_callbacks
):
    listings = [make_peer() for _ in range(3)]
    assert directory_search(filters=DirectoryFilters(), own_department_id=None).count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        listing_pause(listing=listings[0], until=timezone.localdate() + datetime.timedelta(days=3))
    assert directory_search(filters=DirectoryFilters(), own_department_id=None).count() == 2


def test_availability_in_memory_follows_the_clock(memo):
    now = timezone.now()
    switched_on = make_peer(
        reachability="on_demand", available_until=now + datetime.timedelta(hours=1)
    )
    make_peer(reachability="on_demand")
    found = directory_search(filters=DirectoryFilters(available=True), own_department_id=None)
    assert [listing.pk for listing in found] == [switched_on.pk] and found.count() == 1
    later = directory_search(
        filters=DirectoryFilters(available=True),
        own_department_id=None,
        now=now + datetime.timedelta(hours=2),
    )
    assert later.count() == 0


def test_the_own_department_is_left_out_of_the_memory_order_too(memo):
    home = DepartmentFactory()
    colleague, stranger = make_peer(home), make_peer()
    default = directory_search(filters=DirectoryFilters(), own_department_id=home.pk)
    assert list(default) == [stranger] and default.count() == 1
    included = directory_search(
        filters=DirectoryFilters(include_own=True), own_department_id=home.pk
    )
    assert set(included) == {colleague, stranger} and included.count() == 2
