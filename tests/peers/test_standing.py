"""Who may be listed follows the source rows at once, however they change (peers.standing).

Each test changes a peer's standing one way and asks the directory, as an officer's next request
would: nothing is synced, rebuilt or waited for in between.
"""

import pytest
from django.db import connection
from django.test import Client, TestCase
from django.utils import timezone

from departments import services as department_services
from departments.models import Department
from peers import standing
from peers.directory import DirectoryFilters, directory_page
from peers.models import PeerListing
from tests.conftest import admin_change, sign_in
from tests.departments.rosters import csv_bytes
from tests.factories import (
    CertificationFactory,
    DepartmentFactory,
    ExperienceAreaFactory,
    LanguageFactory,
    listed_peer,
)
from trainings.models import Certification
from trainings.services import certifications as certification_services
from wnwa.accounts.models import User

pytestmark = pytest.mark.django_db


def directory(**filters) -> list[int]:
    page = directory_page(filters=DirectoryFilters(**filters), own_department_id=None)
    return [listing.pk for listing in page.listings]


def test_deactivated_in_the_django_admin_is_gone_from_the_directory_at_once(cast):
    """The bug this design fixes: the admin's save changed the officer, not the listing."""
    listing = cast.peer.peer_listing
    officer = sign_in(Client(), cast.officer)
    assert listing.shown_name in officer.get("/directory/").content.decode()
    admin = sign_in(Client(), cast.network_admin)
    admin_change(admin, f"/network-admin/accounts/user/{cast.peer.pk}/change/", is_active=False)
    page = officer.get("/directory/").content.decode()
    assert listing.shown_name not in page and listing.call_number not in page
    admin_change(admin, f"/network-admin/accounts/user/{cast.peer.pk}/change/", is_active=True)
    assert listing.shown_name in officer.get("/directory/").content.decode()


def test_a_lapsed_membership_set_in_the_django_admin_hides_the_departments_peers(cast):
    listing = cast.peer.peer_listing
    admin = sign_in(Client(), cast.network_admin)
    department = listing.peer.department
    url = f"/network-admin/departments/department/{department.pk}/change/"
    admin_change(admin, url, membership_status=Department.Status.LAPSED)
    assert listing.pk not in directory()
    admin_change(admin, url, membership_status=Department.Status.ACTIVE)
    assert listing.pk in directory()


def test_the_department_page_and_a_roster_upload_deactivate_as_the_admin_does(cast):
    listing = listed_peer(cast.department_a)
    department_services.officer_deactivate(officer=listing.peer, by=cast.admin_a)
    assert listing.pk not in directory()
    department_services.officer_reactivate(officer=User.objects.get(pk=listing.peer_id))
    assert listing.pk in directory()
    # A whole-roster upload that leaves the peer out deactivates them too.
    everyone_else = [
        [person.email, person.first_name, person.last_name, "", "", "sworn"]
        for person in User.objects.filter(department=cast.department_a, is_active=True).exclude(
            pk=listing.peer_id
        )
    ]
    preview = department_services.roster_preview_create(
        department=cast.department_a,
        content=csv_bytes(everyone_else),
        file_name="roster.csv",
        full_roster=True,
        uploader=cast.admin_a,
    )
    assert preview.deactivated >= 1
    with TestCase.captureOnCommitCallbacks(execute=True):
        department_services.roster_apply(
            preview_id=preview.pk,
            department=cast.department_a,
            by=cast.admin_a,
            confirmed_deactivations=preview.deactivated,  # a listed peer: the count is asked
        )
    assert listing.pk not in directory()


@pytest.mark.parametrize(
    "write",
    [
        lambda peer: User.objects.filter(pk=peer.pk).update(is_active=False),
        lambda peer: User.objects.bulk_update([User(pk=peer.pk, is_active=False)], ["is_active"]),
        lambda peer: connection.cursor().execute(
            f"UPDATE {User._meta.db_table} SET is_active = %s WHERE id = %s", [False, peer.pk]
        ),
    ],
    ids=["QuerySet.update", "bulk_update", "raw SQL"],
)
def test_writes_that_bypass_models_and_signals_are_seen_too(write):
    listing = listed_peer()
    write(listing.peer)
    assert directory() == []


@pytest.mark.parametrize(
    "write",
    [
        lambda peer, day: User.objects.filter(pk=peer.pk).update(retired_on=day),
        lambda peer, day: connection.cursor().execute(
            f"UPDATE {User._meta.db_table} SET retired_on = %s WHERE id = %s", [day, peer.pk]
        ),
    ],
    ids=["QuerySet.update", "raw SQL"],
)
def test_a_retired_peer_stays_listed_and_the_listing_knows_it_however_it_is_written(write):
    """Retirement is a status, not a deactivation (docs/product.md, "Retired officers"): the
    listing stays listable, and its copy of the status follows the officer's row both ways."""
    listing = listed_peer()
    write(listing.peer, timezone.localdate())
    listing.refresh_from_db()
    assert listing.retired and listing.listable and directory() == [listing.pk]
    write(listing.peer, None)
    listing.refresh_from_db()
    assert not listing.retired and directory() == [listing.pk]


def test_a_stale_retirement_saved_from_python_is_put_right():
    listing = listed_peer()
    stale = PeerListing.objects.get(pk=listing.pk)  # read before the retirement
    User.objects.filter(pk=listing.peer_id).update(retired_on=timezone.localdate())
    stale.save()  # writes retired=False back
    listing.refresh_from_db()
    assert listing.retired


def test_a_moved_officer_is_found_under_the_new_department_only():
    listing = listed_peer(DepartmentFactory(name="Alpha Police", state="IL"))
    zulu = DepartmentFactory(name="Zulu Police", state="WI")
    User.objects.filter(pk=listing.peer_id).update(department=zulu)
    assert directory(q="zulu") == [listing.pk] and directory(q="alpha") == []
    assert directory(state="WI") == [listing.pk] and directory(state="IL") == []
    page = directory_page(filters=DirectoryFilters(), own_department_id=zulu.pk)
    assert page.listings == []  # now their own department's peer: left out by default
    # Moved to a department that is not a member: not listed.
    User.objects.filter(pk=listing.peer_id).update(
        department=DepartmentFactory(membership_status=Department.Status.PROSPECTIVE)
    )
    assert directory() == []


def test_certifications_granted_pending_revoked_and_linked_by_email():
    listing = listed_peer(certified=False)
    assert directory() == []
    certification = CertificationFactory(person=listing.peer, status=Certification.Status.PENDING)
    assert directory() == []
    certification.status = Certification.Status.VERIFIED
    certification.save()
    assert directory() == [listing.pk]
    certification.delete()
    assert directory() == []
    # Certified by email before the account existed, then tied to it (as at first sign-in).
    CertificationFactory(person=None, email=listing.peer.email)
    assert directory() == []
    certification_services.certifications_link(user=listing.peer)
    assert directory() == [listing.pk]


def test_the_listings_own_lists_and_fields_count_however_they_change():
    listing = listed_peer()
    listing.areas.clear()
    assert directory() == []
    listing.areas.add(ExperienceAreaFactory(slug="grief", name="Grief"))
    assert directory() == [listing.pk]
    ExperienceAreaFactory._meta.model.objects.filter(slug="grief").delete()  # staff drop an area
    assert directory() == []


def test_a_stale_copy_saved_from_python_cannot_bring_a_listing_back():
    listing = listed_peer()
    User.objects.filter(pk=listing.peer_id).update(is_active=False)
    assert listing.listable is True  # this Python object is now out of date
    listing.bio = "Saved with every field, `listable` included."
    listing.save()
    assert directory() == []
    PeerListing.objects.filter(pk=listing.pk).update(listable=True)  # a hand-edited row
    assert PeerListing.objects.get(pk=listing.pk).listable is False


def test_every_trigger_is_installed_and_installing_again_repairs_drift():
    assert standing.installed(connection) == {
        trigger.name for trigger in standing.triggers(connection.vendor)
    }
    listing = listed_peer()
    with connection.cursor() as cursor:  # a row changed while the triggers were away
        cursor.execute("DROP TRIGGER IF EXISTS peers_standing_officer" + _on(User))
        User.objects.filter(pk=listing.peer_id).update(is_active=False)
    assert directory() == [listing.pk]
    assert standing.install(connection) == 1
    assert directory() == []
    assert standing.install(connection) == 0  # nothing left to repair


def _on(model) -> str:
    return f" ON {model._meta.db_table}" if connection.vendor == "postgresql" else ""


def test_the_lapse_and_the_switch_are_read_from_the_clock_not_from_a_rebuild():
    now = timezone.now()
    listing = listed_peer(
        reachability="on_demand", available_until=now + timezone.timedelta(minutes=5)
    )
    assert directory(available=True) == [listing.pk]
    later = now + timezone.timedelta(minutes=6)
    page = directory_page(
        filters=DirectoryFilters(available=True), own_department_id=None, now=later
    )
    assert page.listings == []
    lapse = listing.lapses_on() + timezone.timedelta(seconds=1)
    page = directory_page(filters=DirectoryFilters(), own_department_id=None, now=lapse)
    assert page.listings == []


# --- Cards kept in the cache are never out of date (peers.cards) -------------------------------


@pytest.mark.parametrize(
    "change, shows",
    [
        (
            lambda card: PeerListing.objects.filter(pk=card.pk).update(call_number="+13125550177"),
            "(312) 555-0177",
        ),
        (
            lambda card: PeerListing.objects.filter(pk=card.pk).update(shown_name="Renamed R."),
            "Renamed R.",
        ),
        (
            lambda card: Department.objects.filter(pk=card.department_id).update(
                name="Zulu Police"
            ),
            "Zulu Police",
        ),
        (
            lambda card: ExperienceAreaFactory._meta.model.objects.filter(slug="trauma").update(
                name="Critical incidents"
            ),
            "Critical incidents",
        ),
        (lambda card: card.languages.add(LanguageFactory(name="Tagalog")), "Tagalog"),
        (
            lambda card: User.objects.filter(pk=card.peer_id).update(
                department=DepartmentFactory(name="Yankee PD")
            ),
            "Yankee PD",
        ),
        (
            lambda card: User.objects.filter(pk=card.peer_id).update(
                retired_on=timezone.localdate()
            ),
            "Retired",
        ),
    ],
    ids=[
        "number",
        "name",
        "department renamed",
        "area renamed",
        "language added",
        "moved",
        "retired",
    ],
)
def test_a_kept_card_changes_with_what_it_shows_however_that_changes(cast, change, shows):
    officer = sign_in(Client(), cast.officer)
    listing = cast.peer.peer_listing
    assert shows not in card_of(listing, officer.get("/directory/"))  # the card is now kept
    change(listing)
    assert shows in card_of(listing, officer.get("/directory/"))


def card_of(listing, response) -> str:
    """The listing's card on a directory page (the filters list every area and language too)."""
    page = response.content.decode()
    start = page.index(f'aria-labelledby="peer-{listing.pk}"')
    return page[start : page.index("</article>", start)]


def test_the_line_of_the_clock_is_rendered_each_time_not_kept(cast):
    officer = sign_in(Client(), cast.officer)
    listing = cast.peer.peer_listing
    PeerListing.objects.filter(pk=listing.pk).update(reachability="on_demand")
    assert "Not switched on right now" in officer.get("/directory/").content.decode()
    until = timezone.now() + timezone.timedelta(hours=2)
    PeerListing.objects.filter(pk=listing.pk).update(available_until=until)  # no new card
    assert "<strong>Available now</strong> until" in officer.get("/directory/").content.decode()
    PeerListing.objects.filter(pk=listing.pk).update(available_until=timezone.now())
    assert "Not switched on right now" in officer.get("/directory/").content.decode()
