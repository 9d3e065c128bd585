"""Weekly hours as days and times in the peer's zone: reading them, saying them, and the
directory's three groups at moments that matter (another zone, past midnight, daylight saving)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from peers import directory, schedule
from peers.directory import DirectoryFilters, directory_page
from peers.models import PeerListing
from peers.schedule import (
    NO_HOURS,
    WEEK_SLOTS,
    describe,
    is_reachable,
    next_reachable,
    parse_hours,
    ranges_of,
    reach_of,
    week_of,
    when,
)
from tests.conftest import sign_in
from tests.factories import DepartmentFactory, listed_peer
from tests.html import squashed

CT, ET, PT = (
    ZoneInfo("America/Chicago"),
    ZoneInfo("America/New_York"),
    ZoneInfo("America/Los_Angeles"),
)
WEEKNIGHTS = parse_hours("Mon-Fri 6-10 pm")


def local(zone, *args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=zone)


def upcoming(weekday: int, hour: int, minute: int, zone=CT) -> datetime.datetime:
    """The next moment after now that is `weekday` (0 = Monday) at hour:minute in `zone`: a real
    moment close to today, so that listings confirmed today are fresh at it."""
    today = timezone.now().astimezone(zone).date()
    day = today + datetime.timedelta(days=(weekday - today.weekday()) % 7 or 7)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


# --- Reading what peers typed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, described",
    [
        ("Weeknights 6-10 pm, Sundays", "Mon\u2013Fri, Sun 6 pm\u201310 pm CT"),
        ("Weeknights", "Mon\u2013Fri 6 pm\u201310 pm CT"),
        ("Mon-Fri 9-5", "Mon\u2013Fri 9 am\u20135 pm CT"),
        ("Mon, Wed 8:30am-1pm", "Mon, Wed 8:30 am\u20131 pm CT"),
        ("Tue & Thu 7pm-11pm", "Tue, Thu 7 pm\u201311 pm CT"),
        ("Fri 10 pm - 2 am", "Fri 10 pm\u20132 am CT"),
        ("Weekends", "Sat, Sun all day CT"),
        ("Daily 6-9 pm", "Every day 6 pm\u20139 pm CT"),
        ("Mon-Fri 18:00-22:00", "Mon\u2013Fri 6 pm\u201310 pm CT"),
    ],
)
def test_hours_typed_as_text_are_read_as_days_and_times(text, described):
    assert describe(parse_hours(text), "America/Chicago") == described


@pytest.mark.parametrize(
    "text", ["whenever I can", "6-10", "evenings mostly", "Mon 25-26", "Fri 6 pm - Sun 10 pm", ""]
)
def test_hours_that_cannot_be_read_for_certain_are_not_guessed(text):
    assert parse_hours(text) is None


@given(st.text(alphabet="01", min_size=WEEK_SLOTS, max_size=WEEK_SLOTS))
def test_any_week_survives_being_said_as_ranges_and_read_back(week):
    assert week_of(ranges_of(week)) == week


def test_a_run_past_midnight_belongs_to_the_day_it_starts():
    week = parse_hours("Tue 10 pm - 2 am")
    [hours] = ranges_of(week)
    assert hours.days == (1,) and describe(week, "America/Chicago") == "Tue 10 pm\u20132 am CT"


# --- The clock: zones, midnight, daylight saving --------------------------------------------------


def test_hours_past_midnight_reach_into_the_next_morning():
    week = parse_hours("Tue 10 pm - 2 am")
    assert is_reachable(week, "America/Chicago", local(CT, 2026, 12, 2, 1, 30))  # Wed 1:30 am
    assert not is_reachable(week, "America/Chicago", local(CT, 2026, 12, 2, 2, 0))
    coming = next_reachable(week, "America/Chicago", local(CT, 2026, 12, 2, 3, 0))
    assert coming == local(CT, 2026, 12, 8, 22, 0) and when(coming, "America/Chicago") == (
        "Tue 10 pm CT"
    )


def test_hours_are_the_peers_own_local_time_across_the_change_to_daylight_saving():
    """Mon 6-10 pm Eastern: 23:30 UTC is inside it both sides of 8 March 2026, but 22:30 UTC is
    6:30 pm only once the clocks have gone forward."""
    utc = datetime.UTC
    assert is_reachable(WEEKNIGHTS, "America/New_York", local(utc, 2026, 3, 2, 23, 30))
    assert is_reachable(WEEKNIGHTS, "America/New_York", local(utc, 2026, 3, 9, 23, 30))
    assert not is_reachable(WEEKNIGHTS, "America/New_York", local(utc, 2026, 3, 2, 22, 30))
    assert is_reachable(WEEKNIGHTS, "America/New_York", local(utc, 2026, 3, 9, 22, 30))


def test_the_hour_that_repeats_when_the_clocks_go_back_is_inside_hours_that_cover_it():
    night = parse_hours("Sun 1-2 am")
    first = local(datetime.UTC, 2026, 11, 1, 5, 30)  # 1:30 am EDT
    second = local(datetime.UTC, 2026, 11, 1, 6, 30)  # 1:30 am EST, an hour later
    assert is_reachable(night, "America/New_York", first)
    assert is_reachable(night, "America/New_York", second)
    assert not is_reachable(night, "America/New_York", local(datetime.UTC, 2026, 11, 1, 7, 30))


def test_a_peer_in_another_zone_is_reachable_in_their_hours_not_the_callers():
    at_7_30_pm_central = upcoming(1, 19, 30)  # 5:30 pm in California
    assert is_reachable(WEEKNIGHTS, "America/Chicago", at_7_30_pm_central)
    assert not is_reachable(WEEKNIGHTS, "America/Los_Angeles", at_7_30_pm_central)
    coming = next_reachable(WEEKNIGHTS, "America/Los_Angeles", at_7_30_pm_central)
    assert when(coming, "America/Los_Angeles") == "Tue 6 pm PT"


# --- The directory: three groups and the cards ---------------------------------------------------


@pytest.fixture(params=["counted", "walked"])
def result_size(request, monkeypatch):
    if request.param == "walked":
        monkeypatch.setattr(directory, "COUNT_CAP", 3)
    return request.param


def everyone(now, filters=None) -> list[PeerListing]:
    found, number = [], 1
    while True:
        page = directory_page(
            filters=filters or DirectoryFilters(), own_department_id=None, number=number, now=now
        )
        found += page.listings
        if not page.has_next:
            return found
        number += 1


@pytest.mark.django_db
def test_at_five_past_midnight_switched_on_peers_come_first_then_the_reachable(result_size):
    now = upcoming(1, 0, 5)  # Tuesday, 00:05 Central
    switched = listed_peer(
        reachability="hours", week=WEEKNIGHTS, available_until=now + datetime.timedelta(hours=1)
    )
    always = listed_peer(reachability="always")
    night_owl = listed_peer(reachability="hours", week=parse_hours("Mon 10 pm - 2 am"))
    evening = listed_peer(reachability="hours", week=WEEKNIGHTS)
    pacific = listed_peer(
        reachability="hours", week=parse_hours("Mon 9 pm - 11 pm"), time_zone="America/Los_Angeles"
    )
    on_demand = listed_peer(reachability="on_demand")
    order = [found.pk for found in everyone(now)]
    assert order[0] == switched.pk
    assert set(order[1:4]) == {always.pk, night_owl.pk, pacific.pk}  # 10:05 pm in California
    assert set(order[4:]) == {evening.pk, on_demand.pk}
    reachable = {found.pk for found in everyone(now, DirectoryFilters(available=True))}
    assert reachable == {switched.pk, always.pk, night_owl.pk, pacific.pk}


@pytest.mark.django_db
def test_the_database_and_the_card_agree_on_who_is_reachable_at_every_hour_of_a_week():
    """The SQL of the filter and the Python of the card, side by side, hour by hour, for peers
    in three zones with hours past midnight."""
    peers = [
        listed_peer(reachability="hours", week=parse_hours(text), time_zone=zone)
        for text, zone in [
            ("Mon-Fri 6-10 pm", "America/Chicago"),
            ("Sat 10 pm - 3 am", "America/New_York"),
            ("Weekends", "America/Los_Angeles"),
            ("Tue, Thu 7 am - 9:30 am", "Pacific/Honolulu"),
        ]
    ]
    start = upcoming(0, 0, 15)
    for hour in range(0, 7 * 24, 1):
        now = start + datetime.timedelta(hours=hour, minutes=15 * (hour % 2))
        by_sql = {found.pk for found in everyone(now, DirectoryFilters(available=True))}
        by_card = {peer.pk for peer in peers if reach_of(peer, now).group == 1}
        assert by_sql == by_card, now


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change", [local(datetime.UTC, 2026, 3, 8, 5, 0), local(datetime.UTC, 2026, 11, 1, 4, 0)]
)
def test_the_database_and_the_card_agree_across_the_changes_of_the_clocks(change):
    """Half-hour by half-hour through the nights the clocks change (spring forward, fall back)."""
    peers = [
        listed_peer(reachability="hours", week=parse_hours(text), time_zone=zone)
        for text, zone in [
            ("Sun 1 am - 3 am", "America/New_York"),
            ("Sun 2 am - 4 am", "America/Chicago"),
            ("Sat 11 pm - 2:30 am", "America/Denver"),
            ("Sun 12 am - 6 am", "America/Phoenix"),
        ]
    ]
    for step in range(24):
        now = change + datetime.timedelta(minutes=30 * step)
        by_sql = {found.pk for found in everyone(now, DirectoryFilters(available=True))}
        by_card = {peer.pk for peer in peers if reach_of(peer, now).group == 1}
        assert by_sql == by_card, now
    # 1:30 am on the night the clocks go back happens twice in New York, and both are in hours.
    if change.month == 11:
        twice = [local(datetime.UTC, 2026, 11, 1, 5, 30), local(datetime.UTC, 2026, 11, 1, 6, 30)]
        for now in twice:
            assert peers[0].pk in {
                found.pk for found in everyone(now, DirectoryFilters(available=True))
            }


@pytest.mark.django_db
def test_each_card_says_when_the_peer_can_be_reached():
    listed_peer(shown_name="Evening Pat", reachability="hours", week=WEEKNIGHTS)
    listed_peer(shown_name="Owl Kim", reachability="hours", week=parse_hours("Mon 10 pm - 2 am"))
    now = upcoming(1, 0, 5)  # Tuesday, 00:05 Central
    page = directory_page(filters=DirectoryFilters(), own_department_id=None, now=now)
    from peers.cards import cards

    html = str(cards(page.listings, now=now)[0])
    assert "Next reachable Tue 6 pm CT" in html and "Mon\u2013Fri 6 pm\u201310 pm CT" in html
    assert "Reachable now</strong> · until 2 am CT" in html


@pytest.mark.django_db
def test_the_directory_page_shows_each_cards_line_of_the_clock(client, cast):
    PeerListing.objects.filter(peer=cast.peer).update(reachability="on_demand")
    listed_peer(cast.department_b, reachability="always")
    listed_peer(cast.department_b, reachability="hours", week=NO_HOURS, hours_note="Call anytime")
    page = sign_in(client, cast.officer).get(reverse("peers:directory")).content.decode()
    assert "Reachable now</strong> · day and night" in page
    assert "Hours: Call anytime" in page
    assert "Not switched on right now" in page


@pytest.mark.django_db
def test_hours_a_peer_typed_reach_the_card_escaped(client, cast):
    """The line of the clock is built in Python (peers.cards.reach_line): the peer's own text
    goes in escaped, on the directory and on the peer's own page."""
    hostile = '<script>alert(1)</script> & "evenings"'
    PeerListing.objects.filter(peer=cast.peer).update(
        reachability="hours", week=NO_HOURS, hours_note=hostile
    )
    listed_peer(cast.department_b, reachability="hours", week=NO_HOURS, hours_note=hostile)
    directory = sign_in(client, cast.officer).get(reverse("peers:directory")).content.decode()
    own = sign_in(Client(), cast.peer).get(reverse("peers:my-listing")).content.decode()
    for page in (directory, own):
        assert "<script>alert(1)</script>" not in page
        assert "Hours: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;evenings&quot;" in page


# --- Hours kept from before -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_migration_reads_typed_hours_and_keeps_what_it_cannot_read():
    from importlib import import_module

    read_hours = import_module("peers.migrations.0007_weekly_hours_as_days_and_times").read_hours
    california = DepartmentFactory(state="CA")
    readable = listed_peer(california, reachability="hours", hours_note="Weeknights 6-10 pm")
    unreadable = listed_peer(reachability="hours", hours_note="whenever the kids are asleep")
    read_hours(apps, None)
    readable.refresh_from_db()
    unreadable.refresh_from_db()
    assert readable.time_zone == "America/Los_Angeles"
    assert describe(readable.week, readable.time_zone) == "Mon\u2013Fri 6 pm\u201310 pm PT"
    assert readable.hours_note == "Weeknights 6-10 pm"  # kept for the peer to check
    assert unreadable.week == NO_HOURS and unreadable.hours_note == "whenever the kids are asleep"


@pytest.mark.django_db
def test_the_peer_is_told_what_became_of_their_typed_hours_until_they_save(client, cast):
    PeerListing.objects.filter(peer=cast.peer).update(
        reachability="hours", hours_note="whenever the kids are asleep", week=NO_HOURS
    )
    page = sign_in(client, cast.peer).get(reverse("peers:my-listing")).content.decode()
    assert "whenever the kids are asleep" in page and "could not read" in page
    PeerListing.objects.filter(peer=cast.peer).update(
        hours_note="Weeknights 6-10 pm", week=WEEKNIGHTS
    )
    page = client.get(reverse("peers:my-listing")).content.decode()
    assert "We read that as <strong>Mon\u2013Fri 6 pm\u201310 pm CT</strong>" in page
    # An officer's card shows the typed text while it could not be read.
    PeerListing.objects.filter(peer=cast.peer).update(week=NO_HOURS)
    assert reach_of(PeerListing.objects.get(peer=cast.peer), timezone.now()).hours == (
        "Weeknights 6-10 pm"
    )


# --- The form -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "posted, error",
    [
        ({"week_0_days": ["0"], "week_0_from": "36"}, "Hours 1: choose the days"),
        ({"week_0_from": "36", "week_0_to": "44"}, "Hours 1: choose the days"),
        ({"week_0_days": ["0"], "week_0_from": "36", "week_0_to": "36"}, "the end is the same"),
        ({"week_0_days": ["9"], "week_0_from": "36", "week_0_to": "44"}, "Choose days and times"),
        ({"week_0_days": ["0"], "week_0_from": "x", "week_0_to": "44"}, "Choose days and times"),
        ({"week_0_days": ["0"], "week_0_from": "36", "week_0_to": "480"}, "Choose days and times"),
        ({"week_0_days": ["0"], "week_0_from": "-1", "week_0_to": "4"}, "Choose days and times"),
    ],
)
def test_hours_given_wrong_are_refused_with_what_to_fix(client, cast, posted, error):
    from tests.peers.test_my_listing import EDIT, form_data

    before = PeerListing.objects.get(peer=cast.peer).week
    response = sign_in(client, cast.peer).post(EDIT, form_data(reachability="hours", **posted))
    assert response.status_code == 200 and error in response.content.decode()
    assert PeerListing.objects.get(peer=cast.peer).week == before


@pytest.mark.django_db
def test_hours_past_midnight_and_a_second_range_are_saved_and_shown_back(client, cast):
    from tests.peers.test_my_listing import EDIT, form_data

    posted = {
        "week_0_days": ["1"], "week_0_from": "44", "week_0_to": "4",  # Tue 10 pm - 2 am
        "week_1_days": ["5", "6"], "week_1_from": "0", "week_1_to": "0",  # weekends, all day
        "time_zone": "America/Denver",
    }  # fmt: skip
    sign_in(client, cast.peer).post(EDIT, form_data(reachability="hours", **posted))
    listing = PeerListing.objects.get(peer=cast.peer)
    assert describe(listing.week, listing.time_zone) == "Tue 10 pm\u20132 am, Sat, Sun all day MT"
    form = squashed(client.get(EDIT).content.decode())
    assert '<option value="44" selected>10 pm</option>' in form
    assert '<option value="4" selected>2 am</option>' in form


@pytest.mark.django_db
def test_a_new_listing_starts_in_the_departments_zone(client):
    from tests.factories import CertificationFactory, UserFactory
    from tests.peers.test_my_listing import EDIT

    peer = UserFactory(department=DepartmentFactory(state="WA"))
    CertificationFactory(person=peer)
    form = sign_in(client, peer).get(EDIT).content.decode()
    assert '<option value="America/Los_Angeles" selected>' in form


def test_time_zones_on_offer_are_real_zones():
    for zone, _, _ in schedule.TIME_ZONES:
        ZoneInfo(zone)
    assert set(schedule.STATE_ZONES.values()) <= {zone for zone, _, _ in schedule.TIME_ZONES}
