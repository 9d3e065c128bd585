"""Who the directory shows: listed_peers and directory_search, against the real database."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from departments.models import Department
from peers.models import RECONFIRM_DAYS
from peers.selectors import (
    DirectoryFilters,
    DirectoryIndex,
    directory_search,
    listed_peer_count,
    listed_peers,
)
from peers.services import listings_sync
from tests.factories import (
    CertificationFactory,
    DepartmentFactory,
    ExperienceAreaFactory,
    LanguageFactory,
    PeerListingFactory,
    UserFactory,
)
from trainings.models import Certification

pytestmark = pytest.mark.django_db


def make_peer(department=None, *, certified=True, **listing_fields):
    peer = UserFactory(department=department or DepartmentFactory())
    if certified:
        CertificationFactory(person=peer)
    return PeerListingFactory(peer=peer, **listing_fields)


def shown() -> set[int]:
    return set(listed_peers().values_list("pk", flat=True))


def test_a_complete_confirmed_certified_listing_is_shown():
    listing = make_peer()
    assert shown() == {listing.pk}


def _update(listing, **fields):
    type(listing).objects.filter(pk=listing.pk).update(**fields)


SPOILERS = {
    "uncertified": lambda listing: Certification.objects.filter(person=listing.peer).delete(),
    "certification pending": lambda listing: Certification.objects.filter(
        person=listing.peer
    ).update(status=Certification.Status.PENDING),
    # As the departments app deactivates: change the officer, then bring the listing in step.
    "deactivated": lambda listing: (
        type(listing.peer).objects.filter(pk=listing.peer_id).update(is_active=False),
        listings_sync(peer_ids=[listing.peer_id]),
    ),
    "lapsed department": lambda listing: Department.objects.filter(
        pk=listing.peer.department_id
    ).update(membership_status=Department.Status.LAPSED),
    "paused": lambda listing: _update(
        listing, paused_until=timezone.localdate() + datetime.timedelta(days=1)
    ),
    "stale": lambda listing: _update(
        listing, confirmed_at=timezone.now() - datetime.timedelta(days=RECONFIRM_DAYS, minutes=1)
    ),
    "never confirmed": lambda listing: _update(listing, confirmed_at=None),
    "no experience": lambda listing: listing.areas.clear(),
    "no language": lambda listing: listing.languages.clear(),
    "no call number": lambda listing: _update(listing, call_number=""),
    "no name": lambda listing: _update(listing, shown_name=""),
}


@pytest.mark.parametrize("spoil", SPOILERS.values(), ids=SPOILERS.keys())
def test_listings_that_must_never_show(spoil):
    listing = make_peer()
    spoil(listing)
    assert shown() == set()
    assert directory_search(filters=DirectoryFilters(), own_department_id=None).count() == 0


def test_a_pause_ends_on_its_date():
    today = timezone.localdate()
    listing = make_peer(paused_until=today)
    assert shown() == {listing.pk}


def test_a_listing_confirmed_just_inside_the_window_still_shows():
    listing = make_peer(confirmed_at=timezone.now() - datetime.timedelta(days=RECONFIRM_DAYS - 1))
    assert shown() == {listing.pk}


def test_listed_peer_count_counts_one_department():
    department = DepartmentFactory()
    make_peer(department)
    make_peer(department, certified=False)
    make_peer()
    assert listed_peer_count(department=department) == 1


def test_own_department_is_left_out_unless_asked_for():
    home, other = DepartmentFactory(), DepartmentFactory()
    colleague, stranger = make_peer(home), make_peer(other)
    default = directory_search(filters=DirectoryFilters(), own_department_id=home.pk)
    assert list(default) == [stranger]
    included = directory_search(
        filters=DirectoryFilters(include_own=True), own_department_id=home.pk
    )
    assert set(included) == {colleague, stranger}


def test_available_peers_come_first():
    now = timezone.now()
    later = [make_peer(reachability="on_demand") for _ in range(6)]
    switched_on = make_peer(
        reachability="on_demand", available_until=now + datetime.timedelta(hours=2)
    )
    always = make_peer(reachability="always")
    order = list(directory_search(filters=DirectoryFilters(), own_department_id=None))
    assert set(order[:2]) == {switched_on, always}
    assert set(order[2:]) == set(later)
    assert all(listing.available_now for listing in order[:2])


def test_an_expired_available_switch_no_longer_counts():
    make_peer(
        reachability="on_demand",
        available_until=timezone.now() - datetime.timedelta(minutes=1),
    )
    found = directory_search(filters=DirectoryFilters(available=True), own_department_id=None)
    assert found.count() == 0


def order_on(day: datetime.date) -> list[int]:
    results = directory_search(filters=DirectoryFilters(), own_department_id=None, today=day)
    return [listing.pk for listing in results]


def test_the_rotation_is_stable_within_a_day_and_changes_across_days():
    for _ in range(30):
        make_peer(reachability="hours", weekly_hours="Weekends")
    day = timezone.localdate()
    first = order_on(day)
    assert first == order_on(day)
    following = [order_on(day + datetime.timedelta(days=n)) for n in range(1, 4)]
    assert all(sorted(other) == sorted(first) for other in following)
    assert all(other != first for other in following)
    # Not merely rotated: who is on top changes.
    assert len({tuple(other[:5]) for other in [first, *following]}) == 4


# --- Filters combine like a plain Python filter ---------------------------------------------

NAMES = ["Ana R.", "Bo K.", "Cy Bravo", "Dee M."]
PLACES = [("IL", "Cook", "Bravo Police"), ("IL", "DuPage", "Alpha Police"), ("WI", "Kenosha", "Co")]


@st.composite
def listing_specs(draw):
    return {
        "name": draw(st.sampled_from(NAMES)),
        "place": draw(st.integers(0, len(PLACES) - 1)),
        "areas": draw(st.sets(st.integers(0, 2), min_size=1)),
        "languages": draw(st.sets(st.integers(0, 2), min_size=1)),
        "gender": draw(st.sampled_from(["", "woman", "man"])),
        "available": draw(st.booleans()),
    }


@st.composite
def filter_specs(draw):
    return {
        "q": draw(st.sampled_from(["", "bravo", "ALPHA", "ana", "zzz"])),
        "area": draw(st.none() | st.integers(0, 2)),
        "language": draw(st.none() | st.integers(0, 2)),
        "gender": draw(st.sampled_from(["", "woman", "man"])),
        "state": draw(st.sampled_from(["", "IL", "WI", "TX"])),
        "county": draw(st.sampled_from(["", "cook", "DuPage", "Kenosha"])),
        "available": draw(st.booleans()),
        "include_own": draw(st.booleans()),
    }


def python_filter(spec, f, own_place) -> bool:
    state, county, department_name = PLACES[spec["place"]]
    q = f["q"].lower()
    return all(
        [
            f["include_own"] or spec["place"] != own_place,
            not q or q in spec["name"].lower() or q in department_name.lower(),
            f["area"] is None or f["area"] in spec["areas"],
            f["language"] is None or f["language"] in spec["languages"],
            not f["gender"] or spec["gender"] == f["gender"],
            not f["state"] or state == f["state"],
            not f["county"] or county.lower() == f["county"].lower(),
            not f["available"] or spec["available"],
        ]
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=st.lists(listing_specs(), max_size=8), f=filter_specs())
def test_directory_filters_agree_with_a_plain_python_filter(django_db_blocker, specs, f):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        areas = [ExperienceAreaFactory(slug=f"h-area-{n}") for n in range(3)]
        languages = [LanguageFactory(name=f"H-language-{n}") for n in range(3)]
        departments = [
            DepartmentFactory(slug=f"h-dept-{n}", state=s, county=c, name=name)
            for n, (s, c, name) in enumerate(PLACES)
        ]
        now = timezone.now()
        listings = []
        for spec in specs:
            listing = make_peer(
                departments[spec["place"]],
                shown_name=spec["name"],
                gender=spec["gender"],
                reachability="on_demand",
                available_until=now + datetime.timedelta(hours=1) if spec["available"] else None,
                areas=[areas[n] for n in spec["areas"]],
                languages=[languages[n] for n in spec["languages"]],
            )
            listings.append(listing.pk)
        filters = DirectoryFilters(
            q=f["q"],
            area=None if f["area"] is None else areas[f["area"]],
            language=None if f["language"] is None else languages[f["language"]],
            gender=f["gender"],
            state=f["state"],
            county=f["county"],
            available=f["available"],
            include_own=f["include_own"],
        )
        found = directory_search(filters=filters, own_department_id=departments[0].pk)
        expected = {
            pk for pk, spec in zip(listings, specs, strict=True) if python_filter(spec, f, 0)
        }
        assert {listing.pk for listing in found} == expected
        assert found.count() == len(expected)
        # The in-memory index (production's path) agrees with SQL, order included.
        with override_settings(PEERS_DIRECTORY_MEMO_SECONDS=60):
            DirectoryIndex.forget()
            memo = directory_search(filters=filters, own_department_id=departments[0].pk)
            assert [listing.pk for listing in memo] == [listing.pk for listing in found]
            assert memo.count() == found.count()
            DirectoryIndex.forget()
        transaction.set_rollback(True)
