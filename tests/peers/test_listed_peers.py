"""Who the directory shows: listed_peers and the directory's search, against the real database."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from departments.models import Department
from peers import directory
from peers.directory import PAGE_SIZE, DirectoryFilters, compact, directory_page
from peers.models import RECONFIRM_DAYS
from peers.schedule import parse_hours, reach_of
from peers.selectors import listed_peer_count, listed_peers
from peers.services import directory_shuffle
from tests.factories import (
    DepartmentFactory,
    ExperienceAreaFactory,
    LanguageFactory,
    listed_peer,
)
from trainings.models import Certification

pytestmark = pytest.mark.django_db

WEEKENDS = parse_hours("Weekends")


def shown() -> set[int]:
    return set(listed_peers().values_list("pk", flat=True))


def search(filters=None, *, own=None, today=None, every_page=True):
    """Every result of a search, page after page, as an officer paging through would see them."""
    found, number = [], 1
    while True:
        page = directory_page(
            filters=filters or DirectoryFilters(), own_department_id=own, number=number, today=today
        )
        found += page.listings
        if not (every_page and page.has_next):
            return found
        number += 1


def test_a_complete_confirmed_certified_listing_is_shown():
    listing = listed_peer()
    assert shown() == {listing.pk}


def _update(listing, **fields):
    type(listing).objects.filter(pk=listing.pk).update(**fields)


SPOILERS = {
    "uncertified": lambda listing: Certification.objects.filter(person=listing.peer).delete(),
    "certification pending": lambda listing: Certification.objects.filter(
        person=listing.peer
    ).update(status=Certification.Status.PENDING),
    "deactivated": lambda listing: (
        type(listing.peer).objects.filter(pk=listing.peer_id).update(is_active=False)
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
    listing = listed_peer()
    spoil(listing)
    assert shown() == set()
    assert search() == []


def test_a_pause_ends_on_its_date():
    today = timezone.localdate()
    listing = listed_peer(paused_until=today)
    assert shown() == {listing.pk}


def test_a_listing_confirmed_just_inside_the_window_still_shows():
    listing = listed_peer(confirmed_at=timezone.now() - datetime.timedelta(days=RECONFIRM_DAYS - 1))
    assert shown() == {listing.pk}


def test_listed_peer_count_counts_one_department():
    department = DepartmentFactory()
    listed_peer(department)
    listed_peer(department, certified=False)
    listed_peer()
    assert listed_peer_count(department=department) == 1


def test_own_department_is_left_out_unless_asked_for():
    home, other = DepartmentFactory(), DepartmentFactory()
    colleague, stranger = listed_peer(home), listed_peer(other)
    assert [found.pk for found in search(own=home.pk)] == [stranger.pk]
    everyone = search(DirectoryFilters(include_own=True), own=home.pk)
    assert {found.pk for found in everyone} == {colleague.pk, stranger.pk}


def test_available_peers_come_first(result_size):
    now = timezone.now()
    later = [listed_peer(reachability="on_demand") for _ in range(6)]
    switched_on = listed_peer(
        reachability="on_demand", available_until=now + datetime.timedelta(hours=2)
    )
    always = listed_peer(reachability="always")
    order = search()
    assert {found.pk for found in order[:2]} == {switched_on.pk, always.pk}
    assert {found.pk for found in order[2:]} == {listing.pk for listing in later}
    assert [found.pk for found in order[:2]] == [switched_on.pk, always.pk]  # the switch first


def test_an_expired_available_switch_no_longer_counts():
    listed_peer(
        reachability="on_demand",
        available_until=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert search(DirectoryFilters(available=True)) == []
    assert reach_of(search()[0], timezone.now()).group == 2


def order_on(day: datetime.date) -> list[int]:
    directory_shuffle(today=day)  # as `shuffle_directory` does each night
    return [listing.pk for listing in search(today=day)]


@pytest.fixture(params=["counted", "walked"])
def result_size(request, monkeypatch):
    """A result no larger than COUNT_CAP is put in order from its counting query, a larger one
    is walked in the rotation index: every paging test runs on both."""
    if request.param == "walked":
        monkeypatch.setattr(directory, "COUNT_CAP", 10)
    return request.param


@pytest.mark.parametrize("available", [0, 7, PAGE_SIZE, PAGE_SIZE + 3, 2 * PAGE_SIZE + 1])
def test_paging_shows_everyone_once_the_available_first(available, result_size):
    """However many are available now, the pages hold each peer once, those available first."""
    now = timezone.now()
    switched_on = {
        listed_peer(reachability="on_demand", available_until=now + datetime.timedelta(hours=1)).pk
        for _ in range(available)
    }
    others = {
        listed_peer(reachability="on_demand").pk for _ in range(2 * PAGE_SIZE + 5 - available)
    }
    directory_shuffle()
    order = [listing.pk for listing in search()]
    assert len(order) == len(set(order)) == len(switched_on | others)
    assert set(order[:available]) == switched_on
    assert set(order[available:]) == others
    pages = [
        directory_page(filters=DirectoryFilters(), own_department_id=None, number=n)
        for n in (1, 2, 3)
    ]
    assert [page.has_next for page in pages] == [True, True, False]
    assert [page.num_pages for page in pages] == (
        [3, 3, 3] if result_size == "counted" else [None] * 3
    )


def test_a_page_past_the_end_shows_a_page_that_has_peers(result_size):
    for _ in range(12):
        listed_peer()
    page = directory_page(filters=DirectoryFilters(), own_department_id=None, number=40)
    assert page.number == 1 and len(page.listings) == 12 and not page.has_next


def test_the_rotation_is_stable_within_a_day_and_changes_across_days(result_size):
    for _ in range(30):
        listed_peer(reachability="hours", week=WEEKENDS)
    day = timezone.localdate()
    first = order_on(day)
    assert first == order_on(day)  # shuffling twice on a day changes nothing
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
        "q": draw(
            st.sampled_from(["", "bravo", "ALPHA", "ana", "zzz", "Cy bravo", "ana alpha", "bo-k"])
        ),
        "area": draw(st.none() | st.integers(0, 2)),
        "language": draw(st.none() | st.integers(0, 2)),
        "gender": draw(st.sampled_from(["", "woman", "man"])),
        "state": draw(st.sampled_from(["", "IL", "WI", "TX"])),
        "county": draw(st.sampled_from(["", "cook", "DuPage", "Du Page", "Kenosha"])),
        "available": draw(st.booleans()),
        "include_own": draw(st.booleans()),
    }


def python_filter(spec, f, own_place) -> bool:
    state, county, department_name = PLACES[spec["place"]]
    q = f["q"]
    words = all(
        word.lower() in spec["name"].lower() or word.lower() in department_name.lower()
        for word in q.split()
    )
    whole = compact(q) in compact(spec["name"]) or compact(q) in compact(department_name)
    return all(
        [
            f["include_own"] or spec["place"] != own_place,
            not q or words or whole,
            f["area"] is None or f["area"] in spec["areas"],
            f["language"] is None or f["language"] in spec["languages"],
            not f["gender"] or spec["gender"] == f["gender"],
            not f["state"] or state == f["state"],
            not f["county"] or compact(county) == compact(f["county"]),
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
            listing = listed_peer(
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
        found = search(filters, own=departments[0].pk)
        expected = {
            pk for pk, spec in zip(listings, specs, strict=True) if python_filter(spec, f, 0)
        }
        assert [listing.pk for listing in found if listing.pk in expected] == [
            listing.pk for listing in found
        ]
        assert {listing.pk for listing in found} == expected
        count = directory_page(filters=filters, own_department_id=departments[0].pk).count
        assert count == len(expected)
        transaction.set_rollback(True)
