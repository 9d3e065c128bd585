"""A certified officer's own listing: create, edit, preview, confirm, available, pause, delete."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from peers.models import PeerListing
from peers.schedule import describe, parse_hours
from peers.selectors import listed_peers
from tests.conftest import sign_in
from tests.factories import CertificationFactory, ExperienceAreaFactory, LanguageFactory

EDIT = reverse("peers:my-listing-edit")
MINE = reverse("peers:my-listing")


@pytest.fixture
def new_peer(cast):
    """Certified, no listing yet."""
    CertificationFactory(person=cast.admin_b)
    return cast.admin_b


def form_data(**overrides):
    data = {
        "shown_name": "Sam R.",
        "rank": "Sergeant",
        "years_of_service": "12",
        "gender": "",
        "languages": [LanguageFactory(name="English").pk, LanguageFactory(name="Spanish").pk],
        "areas": [ExperienceAreaFactory(slug="trauma").pk],
        "bio": "I have been there.",
        "call_number": "(312) 555-0142",
        "text_number": "",
        "reachability": "always",
        "time_zone": "America/Chicago",
    }
    data.update(overrides)
    return data


def test_a_new_peer_is_sent_to_create_their_listing(client, new_peer):
    assert sign_in(client, new_peer).get(MINE).headers["Location"] == EDIT


def test_creating_a_listing_stores_e164_and_goes_live(client, new_peer):
    response = sign_in(client, new_peer).post(EDIT, form_data())
    assert response.status_code == 302 and response.headers["Location"] == MINE
    listing = PeerListing.objects.get(peer=new_peer)
    assert listing.call_number == "+13125550142"
    assert listing.confirmed_at is not None
    assert listing in listed_peers()
    page = client.get(MINE).content.decode()
    assert "Shown in the directory until" in page and 'href="tel:+13125550142"' in page


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("312-555-0142", "+13125550142"),
        ("(312) 555 0142", "+13125550142"),
        ("+1 312 555 0142", "+13125550142"),
        ("1-312-555-0142", "+13125550142"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_national_and_international_numbers_are_accepted(client, new_peer, typed, stored):
    sign_in(client, new_peer).post(EDIT, form_data(call_number=typed, text_number=typed))
    listing = PeerListing.objects.get(peer=new_peer)
    assert listing.call_number == stored and listing.text_number == stored


@pytest.mark.parametrize(
    "garbage", ["12345", "call me", "+1312555000", "<script>", "555-0142-9999-1234", "9" * 30]
)
def test_garbage_numbers_are_refused_with_a_clear_message(client, new_peer, garbage):
    response = sign_in(client, new_peer).post(EDIT, form_data(call_number=garbage))
    assert response.status_code == 200
    assert "Enter a number a phone can dial" in response.content.decode()
    assert not PeerListing.objects.filter(peer=new_peer).exists()
    assert 'value="Sam R."' in response.content.decode()  # nothing typed is lost


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("call_number", "9" * 60, "at most 40 characters"),
        ("languages", [], "at least one language"),
        ("areas", [], "at least one area"),
        ("shown_name", "", "This field is required"),
        ("bio", "x" * 601, "at most 600 characters"),
        ("years_of_service", "-3", "greater than or equal to 0"),
        ("years_of_service", "99", "less than or equal to 60"),
        ("areas", ["999999"], "Select a valid choice"),
        # Past 64 bits: SQLite raised OverflowError inside the id check (a server error).
        ("areas", ["9223372036854775808"], "Select a valid choice"),
        ("languages", ["-" + "9" * 30], "Select a valid choice"),
        ("reachability", "whenever", "Select a valid choice"),
    ],
)
def test_bad_listing_input_is_refused(client, new_peer, field, value, message):
    response = sign_in(client, new_peer).post(EDIT, form_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PeerListing.objects.filter(peer=new_peer).exists()


def test_weekly_hours_are_required_when_reachable_by_hours(client, new_peer):
    response = sign_in(client, new_peer).post(EDIT, form_data(reachability="hours"))
    assert "Choose the days and times you can be reached" in response.content.decode()
    weeknights = {"week_0_days": ["0", "1", "2", "3", "4"], "week_0_from": "36", "week_0_to": "44"}
    sign_in(client, new_peer).post(EDIT, form_data(reachability="hours", **weeknights))
    listing = PeerListing.objects.get(peer=new_peer)
    assert listing.week == parse_hours("Mon-Fri 6-10 pm")
    assert describe(listing.week, listing.time_zone) == "Mon\u2013Fri 6 pm\u201310 pm CT"


def test_hostile_text_is_stored_as_text_and_shown_escaped(client, new_peer):
    sign_in(client, new_peer).post(
        EDIT, form_data(shown_name="<b>Sam</b>", bio="<script>alert(1)</script>")
    )
    page = client.get(MINE).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;b&gt;Sam&lt;/b&gt;" in page


def test_saving_twice_keeps_one_listing(client, new_peer):
    sign_in(client, new_peer)
    client.post(EDIT, form_data())
    client.post(EDIT, form_data(shown_name="Samuel R."))
    assert PeerListing.objects.filter(peer=new_peer).get().shown_name == "Samuel R."


def test_one_tap_confirms_a_stale_listing(client, cast):
    listing = cast.peer.peer_listing
    listing.confirmed_at = timezone.now() - datetime.timedelta(days=200)
    listing.reminder_sent_at = timezone.now() - datetime.timedelta(days=20)
    listing.save()
    assert listing not in listed_peers()
    sign_in(client, cast.peer)
    assert "more than six months" in client.get(MINE).content.decode()
    client.post(reverse("peers:my-listing-confirm"))
    listing.refresh_from_db()
    assert listing in listed_peers() and listing.reminder_sent_at is None


def test_available_now_switches_on_for_the_chosen_hours_and_off(client, cast):
    sign_in(client, cast.peer)
    client.post(reverse("peers:my-listing-available"), {"hours": "3"})
    listing = PeerListing.objects.get(peer=cast.peer)
    expected = timezone.now() + datetime.timedelta(hours=3)
    assert abs((listing.available_until - expected).total_seconds()) < 60
    client.post(reverse("peers:my-listing-available"), {"off": "1"})
    assert PeerListing.objects.get(peer=cast.peer).available_until is None


@pytest.mark.parametrize("hours", ["0", "13", "abc", ""])
def test_available_now_refuses_other_durations(client, cast, hours):
    response = sign_in(client, cast.peer).post(
        reverse("peers:my-listing-available"), {"hours": hours}, follow=True
    )
    assert "between 1 and 12 hours" in response.content.decode()
    assert PeerListing.objects.get(peer=cast.peer).available_until is None


def test_pause_hides_until_the_date_and_resume_shows_again(client, cast):
    sign_in(client, cast.peer)
    until = timezone.localdate() + datetime.timedelta(days=10)
    client.post(reverse("peers:my-listing-pause"), {"until": until.isoformat()})
    assert not listed_peers().filter(peer=cast.peer).exists()
    assert "hidden until" in client.get(MINE).content.decode()
    client.post(reverse("peers:my-listing-pause"), {"resume": "1"})
    assert listed_peers().filter(peer=cast.peer).exists()


def test_pausing_switches_available_now_off_so_the_page_shows_no_state_officers_cannot_see(
    client, cast
):
    sign_in(client, cast.peer)
    PeerListing.objects.filter(peer=cast.peer).update(reachability="on_demand")
    client.post(reverse("peers:my-listing-available"), {"hours": "4"})
    until = timezone.localdate() + datetime.timedelta(days=3)
    client.post(reverse("peers:my-listing-pause"), {"until": until.isoformat()})
    assert PeerListing.objects.get(peer=cast.peer).available_until is None
    page = client.get(MINE).content.decode()
    assert "hidden until" in page and "Available now</strong>" not in page


@pytest.mark.parametrize(
    ("until", "message"),
    [
        (lambda today: today, "after today"),
        (lambda today: today - datetime.timedelta(days=3), "after today"),
        (lambda today: today + datetime.timedelta(days=800), "a year at most"),
        (lambda today: "next tuesday", "Enter a valid date"),
    ],
)
def test_pause_refuses_bad_dates(client, cast, until, message):
    value = until(timezone.localdate())
    response = sign_in(client, cast.peer).post(
        reverse("peers:my-listing-pause"), {"until": str(value)}, follow=True
    )
    assert message in response.content.decode()
    assert PeerListing.objects.get(peer=cast.peer).paused_until is None


def test_deleting_asks_first_then_erases_the_numbers(client, cast):
    sign_in(client, cast.peer)
    remove = reverse("peers:my-listing-remove")
    assert "Delete your listing?" in client.get(remove).content.decode()
    assert PeerListing.objects.filter(peer=cast.peer).exists()
    client.post(remove)
    assert not PeerListing.objects.filter(peer=cast.peer).exists()


def test_an_officer_without_certification_cannot_list(client, cast):
    response = sign_in(client, cast.officer).post(EDIT, form_data())
    assert response.status_code == 403
    assert not PeerListing.objects.filter(peer=cast.officer).exists()


def test_actions_need_post(client, cast):
    sign_in(client, cast.peer)
    for name in ("confirm", "available", "pause"):
        assert client.get(reverse(f"peers:my-listing-{name}")).status_code == 405


def test_an_empty_submission_is_answered_with_errors(client, new_peer):
    sign_in(client, new_peer)
    response = client.post(EDIT, {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not PeerListing.objects.filter(peer=new_peer).exists()


def test_a_failed_save_opens_with_a_summary_that_links_to_each_field_in_error(client, cast):
    page = sign_in(client, cast.peer).post(
        EDIT, {"shown_name": "", "call_number": "not a number", "reachability": "hours"}
    )
    html = page.content.decode()
    summary = html[
        html.index('id="error-summary"') : html.index("</ul>", html.index('id="error-summary"'))
    ]
    assert html.index('id="error-summary"') < html.index('name="shown_name"')  # above the fields
    for target in [
        "#id_shown_name",
        "#id_call_number",
        "#id_languages_group",
        "#id_areas_group",
        "#id_week_group",
    ]:
        assert f'href="{target}"' in summary, target
        assert f'id="{target[1:]}"' in html  # and each link lands on its field
    assert 'id="error-summary" role="alert" tabindex="-1"' in html  # site.js focuses it
