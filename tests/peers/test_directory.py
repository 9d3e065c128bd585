"""The directory page as an officer uses it: cards, filters, pages, empty results, no writes."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peers.schedule import parse_hours
from tests.conftest import sign_in
from tests.factories import (
    DepartmentFactory,
    ExperienceAreaFactory,
    LanguageFactory,
    listed_peer,
)
from tests.html import squashed

WEEKENDS = parse_hours("Weekends")
URL = reverse("peers:directory")


@pytest.fixture
def officer_client(client, cast):
    return sign_in(client, cast.officer)


def test_a_card_carries_everything_a_caller_needs(officer_client, cast):
    listing = cast.peer.peer_listing
    listing.rank, listing.years_of_service, listing.bio = "Sergeant", 17, "I listen first."
    listing.text_number = "+13125550199"
    listing.save()
    page = squashed(officer_client.get(URL).content.decode())
    assert listing.shown_name in page
    assert "Bravo Police" in page and "DuPage County, IL" in page
    assert "Sergeant" in page and "17 years" in page and "I listen first." in page
    assert 'href="tel:+13125550100"' in page and "(312) 555-0100" in page
    assert 'href="sms:+13125550199"' in page
    assert "Trauma" in page and "English" in page
    assert "not therapy" in page and "same incident" in page
    # The one line of limits stays in sight beside Call; the longer notice folds.
    limits = page.index('<p class="peer-limits">Peer support, not therapy')
    assert page.index('class="button call"') < limits < page.index('class="peer-notice"')
    assert "Reachable now</strong> · day and night" in page  # the factory's listing is 24/7


def test_there_is_no_per_peer_page(officer_client, cast):
    page = officer_client.get(URL).content.decode()
    assert f"/directory/{cast.peer.peer_listing.pk}" not in page
    assert "/directory/my-listing/" not in page  # the officer is not a peer supporter


def test_own_department_is_left_out_until_asked(officer_client, cast):
    colleague = listed_peer(cast.department_a, shown_name="Colleague Kim")
    assert colleague.shown_name not in officer_client.get(URL).content.decode()
    page = officer_client.get(URL, {"include_own": "on"}).content.decode()
    assert colleague.shown_name in page and cast.peer.peer_listing.shown_name in page


def test_filters_by_experience_and_language(officer_client, cast):
    spanish = LanguageFactory(name="Spanish")
    grief = ExperienceAreaFactory(slug="grief", name="Grief and loss")
    match = listed_peer(
        cast.department_b, shown_name="Match Rivera", languages=[spanish], areas=[grief]
    )
    listed_peer(cast.department_b, shown_name="Other Novak", languages=[spanish])
    page = officer_client.get(URL, {"area": "grief", "language": "Spanish"}).content.decode()
    assert match.shown_name in page
    assert "Other Novak" not in page and cast.peer.peer_listing.shown_name not in page


def test_searches_name_or_department_case_insensitively(officer_client, cast):
    far = listed_peer(
        DepartmentFactory(name="Charlie Police", county="Lake"), shown_name="Robin Q."
    )
    assert far.shown_name in officer_client.get(URL, {"q": "charlie"}).content.decode()
    page = officer_client.get(URL, {"q": "ROBIN"}).content.decode()
    assert far.shown_name in page and cast.peer.peer_listing.shown_name not in page


def test_county_filter_forgives_the_word_county(officer_client, cast):
    page = officer_client.get(URL, {"county": "dupage County"}).content.decode()
    assert cast.peer.peer_listing.shown_name in page


@pytest.mark.parametrize("county", ["Du Page", "du-page county", "DU PAGE", " Du  Page "])
def test_county_and_department_names_forgive_spaces_case_and_punctuation(
    officer_client, cast, county
):
    name = cast.peer.peer_listing.shown_name
    assert name in officer_client.get(URL, {"county": county}).content.decode()
    assert name in officer_client.get(URL, {"q": "bra-vo  police"}).content.decode()
    assert name not in officer_client.get(URL, {"county": "Cook"}).content.decode()


def test_a_name_and_a_department_together_find_the_card(officer_client, cast):
    carlos = listed_peer(DepartmentFactory(name="Maplewood Police"), shown_name="Carlos R.")
    listed_peer(DepartmentFactory(name="Maplewood Sheriff"), shown_name="Dana K.")
    listed_peer(DepartmentFactory(name="Oak Park Police"), shown_name="Carlos M.")
    page = officer_client.get(URL, {"q": "Carlos Maple"})
    assert [listing.pk for listing in page.context["page"].listings] == [carlos.pk]


def test_the_state_list_offers_states_with_listed_peers_first(officer_client, cast):
    listed_peer(DepartmentFactory(state="WI"))
    page = officer_client.get(URL).content.decode()
    offered = page[page.index('<optgroup label="States with peers listed">') :]
    offered = offered[: offered.index("</optgroup>")]
    assert 'value="IL"' in offered and 'value="WI"' in offered and 'value="TX"' not in offered


def test_available_now_filter_keeps_switched_on_and_24_7_peers(officer_client, cast):
    now = timezone.now()
    off = listed_peer(cast.department_b, shown_name="Off Duty", reachability="on_demand")
    on = listed_peer(
        cast.department_b,
        shown_name="On Call",
        reachability="on_demand",
        available_until=now + datetime.timedelta(hours=1),
    )
    page = officer_client.get(URL, {"available": "on"}).content.decode()
    assert on.shown_name in page and cast.peer.peer_listing.shown_name in page
    assert off.shown_name not in page


def test_an_empty_result_says_which_filter_to_loosen_and_shows_crisis_lines(officer_client, cast):
    ExperienceAreaFactory(slug="faith", name="Faith")
    response = officer_client.get(URL, {"area": "faith", "state": "IL"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "No peer matches" in page
    assert "Any experience" in page and "?state=IL" in page  # the link drops the area
    assert "Any state" not in page.split("Try loosening")[1].split("</ul>")[0]
    assert 'href="tel:988"' in page and "1-800-267-5463" in page


def test_an_empty_result_can_suggest_the_own_department(officer_client, cast):
    cast.peer.peer_listing.delete()
    listed_peer(cast.department_a)
    page = officer_client.get(URL).content.decode()
    assert "Include your own department" in page and "include_own=on" in page


@pytest.mark.parametrize(
    "query",
    [
        {"area": "no-such-area"},
        {"language": "<script>alert(1)</script>"},
        {"state": "ZZ"},
        {"q": "x" * 500},
        {"page": "999"},
        {"page": "-1"},
        {"page": "abc"},
        {"gender": "robot"},
    ],
)
def test_bad_filters_are_reported_not_fatal(officer_client, cast, query):
    response = officer_client.get(URL, query)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page
    assert cast.peer.peer_listing.shown_name in page  # the valid rest of the search still runs


def test_hostile_listing_text_is_escaped(officer_client, cast):
    listing = cast.peer.peer_listing
    listing.shown_name = "<script>alert('x')</script>"
    listing.bio = "<img src=x onerror=alert(1)>"
    listing.save()
    page = officer_client.get(URL).content.decode()
    assert "<script>alert('x')</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_twenty_a_page_and_the_second_page_keeps_the_filters(officer_client, cast):
    for _ in range(24):
        listed_peer(cast.department_b)
    first = officer_client.get(URL, {"state": "IL"})
    assert first.content.decode().count('class="card peer-card"') == 20
    assert "page=2" in first.content.decode() and "state=IL" in first.content.decode()
    second = officer_client.get(URL, {"state": "IL", "page": 2}).content.decode()
    assert second.count('class="card peer-card"') == 5


def test_pages_do_not_repeat_or_lose_anyone(officer_client, cast):
    for _ in range(24):
        listed_peer(cast.department_b, reachability="hours", week=WEEKENDS)
    names = []
    for number in (1, 2):
        page = officer_client.get(URL, {"page": number})
        names += [listing.pk for listing in page.context["page"].listings]
    assert len(names) == len(set(names)) == 25


def count_queries(client, *, cards_kept=True) -> int:
    query = {"language": "English", "area": "trauma"}
    if cards_kept:
        client.get(URL, query)  # the page's cards are now in the cache
    else:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, query).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_results(officer_client, cast):
    few = count_queries(officer_client)  # a page of both parts: available now, then the rest
    for _ in range(25):
        listed_peer(DepartmentFactory(), rank="Officer")
    page_full = count_queries(officer_client)
    for _ in range(40):
        listed_peer(DepartmentFactory(), rank="Officer")
    assert count_queries(officer_client) == page_full <= few
    # From an empty cache: three more for the cards, however many, and three for what the filters offer.
    assert count_queries(officer_client, cards_kept=False) == page_full + 6
    page = officer_client.get(URL, {"language": "English", "area": "trauma"})
    assert len(page.context["page"].listings) == 20


def test_staff_without_a_department_are_refused(client, cast):
    assert sign_in(client, cast.vetter).get(URL).status_code == 403


def test_officers_of_a_lapsed_department_are_refused(client, cast):
    cast.department_a.membership_status = "lapsed"
    cast.department_a.save()
    assert sign_in(client, cast.officer).get(URL).status_code == 403


def test_a_peer_supporter_gets_a_link_to_their_own_listing(client, cast):
    page = sign_in(client, cast.peer).get(URL).content.decode()
    assert reverse("peers:my-listing") in page


def test_searching_writes_nothing(officer_client, cast):
    with CaptureQueriesContext(connection) as queries:
        officer_client.get(URL, {"q": "bravo", "area": "trauma", "available": "on"})
        officer_client.get(URL, {"page": 2})
    verbs = ("INSERT", "UPDATE", "DELETE")
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(verbs)]
    assert writes == []


def test_the_filters_fold_behind_one_control_that_counts_those_in_use(officer_client):
    page = officer_client.get(URL).content.decode()
    assert '<details class="filters">' in page and "<summary>Filters</summary>" in page
    used = officer_client.get(URL, {"state": "IL", "language": "English", "include_own": "on"})
    assert "<summary>Filters · 3</summary>" in used.content.decode()
    refused = officer_client.get(URL, {"area": "no-such-area"}).content.decode()
    assert '<details class="filters" open>' in refused  # an error is never folded away
