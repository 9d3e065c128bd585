"""The directory's fast paths stay correct: the listing's copy of its officer's standing, and
the directory index each process holds in memory."""

import datetime
import runpy

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peers.models import RECONFIRM_DAYS, PeerListing
from peers.selectors import (
    VERSION_KEY,
    DirectoryFilters,
    DirectoryIndex,
    directory_search,
    listed_peers,
)
from peers.services import listing_pause, listing_save, listings_sync
from tests.conftest import DOWN_CACHE, sign_in
from tests.factories import CertificationFactory, DepartmentFactory, PeerListingFactory, UserFactory
from wnwa.accounts.models import User

pytestmark = pytest.mark.django_db


def make_peer(department=None, **fields):
    peer = UserFactory(department=department or DepartmentFactory())
    CertificationFactory(person=peer)
    return PeerListingFactory(peer=peer, **fields)


def rename(listing: PeerListing, shown_name: str) -> None:
    """Change the shown name through the service, as the peer's edit page does."""
    listing_save(
        peer=listing.peer,
        fields={"shown_name": shown_name},
        languages=listing.languages.all(),
        areas=listing.areas.all(),
    )


@pytest.fixture
def memo():
    DirectoryIndex.forget()
    with override_settings(PEERS_DIRECTORY_MEMO_SECONDS=600):
        yield
    DirectoryIndex.forget()


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


# --- The directory page on the index ------------------------------------------------------------


def listing_queries(client, url="/directory/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries if "peers_" in query["sql"]]


@pytest.fixture
def officer(client, memo):
    home = DepartmentFactory()
    return sign_in(client, UserFactory(department=home))


def test_a_page_seen_before_reads_no_listing(officer):
    for _ in range(3):
        make_peer()
    assert listing_queries(officer)  # the index is built, the cards read and rendered
    assert listing_queries(officer) == []
    assert listing_queries(officer, "/directory/?page=1") == []  # the blank filters are kept too


def test_a_change_through_the_services_shows_on_the_next_page(
    officer, django_capture_on_commit_callbacks
):
    listing = make_peer(shown_name="Pat R.")
    assert "Pat R." in officer.get("/directory/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        rename(listing, "Patricia R.")
    page = officer.get("/directory/").content.decode()
    assert "Patricia R." in page and "Pat R." not in page


def test_a_change_made_by_another_process_rebuilds_this_ones_index(officer):
    listing = make_peer(shown_name="Pat R.")
    assert "Pat R." in officer.get("/directory/").content.decode()
    # Another process saved the listing and, on commit, changed the shared version; this
    # process's index is still in memory.
    PeerListing.objects.filter(pk=listing.pk).update(shown_name="Patricia R.")
    cache.set(VERSION_KEY, "changed elsewhere")
    page = officer.get("/directory/").content.decode()
    assert "Patricia R." in page and "Pat R." not in page


def test_a_confirmation_lapses_by_the_clock_without_a_rebuild(memo):
    now = timezone.now()
    almost = now - datetime.timedelta(days=RECONFIRM_DAYS) + datetime.timedelta(minutes=5)
    lapsing, staying = make_peer(confirmed_at=almost), make_peer()
    index = DirectoryIndex.current(today=timezone.localdate())
    found = directory_search(filters=DirectoryFilters(), own_department_id=None, now=now)
    assert found.count() == 2
    later = now + datetime.timedelta(minutes=10)
    found = directory_search(filters=DirectoryFilters(), own_department_id=None, now=later)
    assert [listing.pk for listing in found] == [staying.pk] and found.count() == 1
    assert DirectoryIndex.current(today=timezone.localdate()) is index
    assert lapsing.pk in index.ids


def test_an_old_index_keeps_answering_while_the_backstop_rebuilds_it(memo, monkeypatch):
    make_peer()
    index = DirectoryIndex.current(today=timezone.localdate())
    index.built -= 601  # older than PEERS_DIRECTORY_MEMO_SECONDS
    started = []

    class Thread:
        def __init__(self, target, args, daemon):
            started.append(args)

        def start(self):
            pass

    monkeypatch.setattr("peers.selectors.threading.Thread", Thread)
    assert DirectoryIndex.current(today=timezone.localdate()) is index  # no wait
    assert DirectoryIndex.current(today=timezone.localdate()) is index
    assert len(started) == 1  # one rebuild at a time
    make_peer()  # a write that bypassed the services
    DirectoryIndex._rebuild(*started[0])  # what the thread runs (it also closes its connection)
    rebuilt = DirectoryIndex.current(today=timezone.localdate())
    assert rebuilt is not index and rebuilt.size == 2


def test_a_new_day_builds_a_new_order(memo):
    make_peer()
    today = timezone.localdate()
    index = DirectoryIndex.current(today=today)
    tomorrow = DirectoryIndex.current(today=today + datetime.timedelta(days=1))
    assert tomorrow is not index and tomorrow.today == today + datetime.timedelta(days=1)


class Worker:
    """What gunicorn hands to post_worker_init, as far as the hook uses it."""

    def __init__(self):
        self.logged = []
        self.log = self

    def error(self, message, *args):
        self.logged.append(message % args)


def post_worker_init():
    return runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))["post_worker_init"]


def test_a_new_gunicorn_worker_builds_the_index_before_its_first_request(memo, monkeypatch):
    make_peer()
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)  # the test's own
    post_worker_init()(Worker())
    assert DirectoryIndex._current is not None and DirectoryIndex._current.size == 1


def test_a_worker_starts_without_its_database_and_logs_only_the_kind(memo, monkeypatch):
    def unreachable(**kwargs):
        raise OperationalError("connection to server at 10.0.0.5 failed: secret detail")

    monkeypatch.setattr(DirectoryIndex, "current", unreachable)
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    worker = Worker()
    post_worker_init()(worker)
    assert worker.logged == ["directory index not built at start: OperationalError"]


def test_an_index_keeps_a_bounded_number_of_cards(officer, monkeypatch):
    for _ in range(3):
        make_peer()
    monkeypatch.setattr("peers.views.CARDS_KEPT_MAX", 3)  # the blank filters and two cards
    officer.get("/directory/")
    assert len(DirectoryIndex._current.rendered) == 3
    assert len(listing_queries(officer)) > 0  # the third card is read again


def test_a_certification_decided_by_training_staff_shows_the_listing_at_once(
    officer, cast, django_capture_on_commit_callbacks
):
    from trainings.models import Certification
    from trainings.services import certifications_import_legacy, external_training_decide
    from trainings.services.certifications import LegacyRow

    # Listings kept by officers whose certification is not (yet) valid: hidden.
    external = UserFactory(department=DepartmentFactory())
    PeerListingFactory(peer=external, shown_name="Verified Later")
    pending = CertificationFactory(
        person=external,
        source=Certification.Source.EXTERNAL,
        status=Certification.Status.PENDING,
        provider="State academy",
        hours=40,
    )
    legacy = UserFactory(department=DepartmentFactory(), email="legacy@c.test")
    PeerListingFactory(peer=legacy, shown_name="Imported Later")
    page = officer.get("/directory/").content.decode()
    assert "Verified Later" not in page and "Imported Later" not in page

    with django_capture_on_commit_callbacks(execute=True):
        external_training_decide(certification=pending, staff=cast.trainer, verify=True)
    assert "Verified Later" in officer.get("/directory/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        certifications_import_legacy(
            rows=[
                LegacyRow(
                    line=2,
                    email="legacy@c.test",
                    name="Legacy Peer",
                    certified_on=timezone.localdate(),
                    course=None,
                )
            ]
        )
    assert "Imported Later" in officer.get("/directory/").content.decode()


def test_the_directory_keeps_answering_while_the_cache_is_down(
    officer, django_capture_on_commit_callbacks, caplog
):
    listing = make_peer(shown_name="Pat R.")
    with override_settings(CACHES=DOWN_CACHE):
        for _ in range(2):
            response = officer.get("/directory/")
            assert response.status_code == 200 and "Pat R." in response.content.decode()
        # A listing saved meanwhile shows at once in this process (others: at their backstop).
        with django_capture_on_commit_callbacks(execute=True):
            rename(listing, "Patricia R.")
        assert "Patricia R." in officer.get("/directory/").content.decode()
    assert "Patricia R." in officer.get("/directory/").content.decode()  # the cache is back
    logged = [record.getMessage() for record in caplog.records if record.name == "wnwa.cache"]
    assert logged == ["cache unreachable: ConnectionError"]  # once per outage, by kind only
