"""Contact, demo and member-list forms: stored for staff, emailed to them, rate limited in the
cache by a hash of the address, and safe against whatever a stranger types."""

import logging

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from contact.models import Enquiry
from tests.conftest import cache_keys
from tests.factories import EnquiryFactory

ADDRESS = "198.51.100.23"

VALID = {
    "contact:contact": {
        "name": "Chief Dana Ruiz",
        "email": "druiz@village.example.org",
        "organisation": "Village of Example PD",
        "message": "What would membership cost for 40 sworn officers?",
    },
    "contact:demo": {
        "name": "Lt. Sam Okafor",
        "organisation": "Lakeview Police Department",
        "role": "Wellness coordinator",
        "email": "sokafor@lakeview.example.org",
        "phone": "(312) 555-0142",
        "preferred_times": "Tuesday or Thursday mornings, video call",
        "message": "",
    },
    "contact:member-list": {
        "name": "Jo Park",
        "organisation": "County Sheriff's Office",
        "role": "Undersheriff",
        "email": "jpark@county.example.org",
        "message": "",
    },
}
KINDS = {
    "contact:contact": Enquiry.Kind.CONTACT,
    "contact:demo": Enquiry.Kind.DEMO,
    "contact:member-list": Enquiry.Kind.MEMBER_LIST,
}


@pytest.fixture
def post(client, db, django_capture_on_commit_callbacks):
    client.defaults["REMOTE_ADDR"] = ADDRESS

    def send(name: str, data: dict, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse(name), data, **extra)

    return send


@pytest.mark.parametrize("name", VALID)
def test_a_valid_enquiry_is_stored_emailed_to_staff_and_thanked(post, settings, name):
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@wnwa.test", "lead@wnwa.test"]
    response = post(name, VALID[name])
    assert response.status_code == 302
    assert response["Location"] == reverse("contact:thanks", args=[KINDS[name]])
    enquiry = Enquiry.objects.get()
    assert enquiry.kind == KINDS[name] and enquiry.email == VALID[name]["email"]
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["staff@wnwa.test", "lead@wnwa.test"]
    assert sent.reply_to == [VALID[name]["email"]]
    assert VALID[name]["name"] in sent.body and VALID[name]["organisation"] in sent.body
    assert f"/network-admin/contact/enquiry/{enquiry.pk}/change/" in sent.body


def test_the_demo_request_keeps_every_detail_staff_need(post):
    post("contact:demo", VALID["contact:demo"])
    enquiry = Enquiry.objects.get()
    assert enquiry.phone == "+13125550142"  # stored in E.164
    assert enquiry.role == "Wellness coordinator"
    assert enquiry.preferred_times == "Tuesday or Thursday mornings, video call"
    assert "+13125550142" in mail.outbox[0].body


@pytest.mark.parametrize("name", VALID)
def test_the_form_pages_open_and_post_back_to_themselves(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()


@pytest.mark.parametrize(
    "name, missing",
    [
        ("contact:contact", "message"),
        ("contact:contact", "email"),
        ("contact:demo", "phone"),
        ("contact:demo", "preferred_times"),
        ("contact:demo", "organisation"),
        ("contact:member-list", "organisation"),
        ("contact:member-list", "name"),
    ],
)
def test_a_missing_required_field_is_explained_and_nothing_is_kept(post, name, missing):
    data = dict(VALID[name], **{missing: ""})
    response = post(name, data)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Enquiry.objects.exists() and mail.outbox == []


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("email", "not-an-address", "Enter a valid email address."),
        ("email", "a@b.c\r\nBcc: victim@example.org", "Enter a valid email address."),
        ("phone", "12345", "Enter a phone number we can call"),
        ("phone", "call me maybe", "Enter a phone number we can call"),
    ],
)
def test_malformed_values_are_refused_with_the_typed_text_kept(post, field, value, error):
    response = post("contact:demo", dict(VALID["contact:demo"], **{field: value}))
    html = response.content.decode()
    assert response.status_code == 200 and error in html
    assert "Tuesday or Thursday mornings" in html  # nothing else they typed is lost
    assert not Enquiry.objects.exists()


def test_very_long_input_is_refused_not_truncated(post):
    response = post("contact:contact", dict(VALID["contact:contact"], message="x" * 4001))
    assert response.status_code == 200
    assert "Ensure this value has at most 4000 characters" in response.content.decode()
    response = post("contact:contact", dict(VALID["contact:contact"], name="n" * 151))
    assert "at most 150 characters" in response.content.decode()
    assert not Enquiry.objects.exists()


def test_a_null_byte_is_refused(post):
    response = post("contact:contact", dict(VALID["contact:contact"], message="hi\x00there"))
    assert response.status_code == 200 and not Enquiry.objects.exists()


def test_html_and_script_are_kept_as_text_and_never_rendered(post, client):
    hostile = "<script>alert('x')</script><b>bold</b>"
    response = post("contact:contact", dict(VALID["contact:contact"], email="bad", name=hostile))
    html = response.content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    post("contact:contact", dict(VALID["contact:contact"], name=hostile, message=hostile))
    enquiry = Enquiry.objects.get()
    assert enquiry.message == hostile  # stored verbatim: the admin escapes it on display
    assert hostile not in mail.outbox[0].subject


def test_a_line_break_in_a_one_line_field_cannot_reach_the_email_headers(post):
    data = dict(VALID["contact:contact"], name="Dana\r\nBcc: everyone@example.org")
    assert post("contact:contact", data).status_code == 302
    assert Enquiry.objects.get().name == "Dana Bcc: everyone@example.org"
    sent = mail.outbox[0]
    assert "\n" not in sent.subject and sent.bcc == []
    assert sent.subject == f"[WeNeverWalkAlone] Message #{Enquiry.objects.get().pk}"


def test_the_same_message_sent_twice_is_stored_and_emailed_once(post):
    first = post("contact:contact", VALID["contact:contact"])
    second = post("contact:contact", VALID["contact:contact"])
    assert first["Location"] == second["Location"]
    assert Enquiry.objects.count() == 1 and len(mail.outbox) == 1


def test_a_different_message_from_the_same_person_is_a_new_enquiry(post):
    post("contact:contact", VALID["contact:contact"])
    post("contact:contact", dict(VALID["contact:contact"], message="And one more question."))
    assert Enquiry.objects.count() == 2


def test_too_many_messages_from_one_address_are_held_back_with_the_text_kept(post, settings):
    settings.ENQUIRY_RATE_LIMIT = 3
    for number in range(3):
        data = dict(VALID["contact:contact"], message=f"Question {number}")
        assert post("contact:contact", data).status_code == 302
    response = post("contact:contact", dict(VALID["contact:contact"], message="Question 4"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many messages" in html and "Question 4" in html
    assert Enquiry.objects.count() == 3 and len(mail.outbox) == 3
    # The limit covers all three forms from that address ...
    assert post("contact:demo", VALID["contact:demo"]).status_code == 429
    # ... and no one else.
    other = post("contact:demo", VALID["contact:demo"], REMOTE_ADDR="192.0.2.200")
    assert other.status_code == 302


def test_refused_messages_count_on_their_own_higher_limit(post, settings):
    settings.ENQUIRY_RATE_LIMIT = 2
    settings.ENQUIRY_FAILED_RATE_LIMIT = 4
    incomplete = dict(VALID["contact:contact"], email="not an address")
    codes = [post("contact:contact", incomplete).status_code for _ in range(3)]
    assert codes == [200, 200, 200]  # each mistake shown, none using up the two messages
    assert post("contact:contact", VALID["contact:contact"]).status_code == 302
    assert post("contact:demo", {}).status_code == 200  # the fourth mistake
    assert post("contact:demo", VALID["contact:demo"]).status_code == 429  # then no more tries
    assert Enquiry.objects.count() == 1


def test_the_rate_limit_lives_in_the_cache_keyed_by_a_hash_never_the_address(post):
    post("contact:contact", VALID["contact:contact"])
    keys = cache_keys()
    assert any(":wnwa:" in key for key in keys)  # the limiter's keys, as HMACs
    assert not any(ADDRESS in key for key in keys)
    assert not any(VALID["contact:contact"]["email"] in key for key in keys)


def test_invalid_posts_do_not_use_up_the_limit(post, settings):
    settings.ENQUIRY_RATE_LIMIT = 1
    for _ in range(3):
        post("contact:contact", dict(VALID["contact:contact"], email="nope"))
    assert post("contact:contact", VALID["contact:contact"]).status_code == 302


def test_a_bot_filling_the_hidden_field_is_thanked_and_ignored(post):
    response = post("contact:contact", dict(VALID["contact:contact"], website="http://spam"))
    assert response.status_code == 302
    assert not Enquiry.objects.exists() and mail.outbox == []


def test_the_hidden_field_is_hidden_from_people(client, db):
    html = client.get(reverse("contact:contact")).content.decode()
    assert 'class="hp"' in html and 'tabindex="-1"' in html


def test_with_no_staff_addresses_the_enquiry_is_still_kept(post, settings):
    settings.STAFF_NOTIFICATION_EMAILS = []
    assert post("contact:contact", VALID["contact:contact"]).status_code == 302
    assert Enquiry.objects.count() == 1 and mail.outbox == []


def test_a_mail_outage_loses_nothing_and_logs_no_personal_data(post, settings, caplog):
    settings.EMAIL_BACKEND = "tests.contact.failing_backend.FailingBackend"
    with caplog.at_level(logging.ERROR, logger="contact.services"):
        assert post("contact:contact", VALID["contact:contact"]).status_code == 302
    assert Enquiry.objects.count() == 1
    assert "enquiry notification not sent: ConnectionRefusedError" in caplog.text
    assert VALID["contact:contact"]["email"] not in caplog.text


def test_the_thanks_page_fits_the_request(client, db):
    assert "demo" in client.get(reverse("contact:thanks", args=["demo"])).content.decode()
    assert client.get(reverse("contact:thanks", args=["anything-else"])).status_code == 200


def test_old_enquiries_are_purged_and_the_command_prints_a_count(db, settings, capsys):
    import datetime

    from django.utils import timezone

    settings.ENQUIRY_RETENTION_DAYS = 30
    EnquiryFactory(received_at=timezone.now() - datetime.timedelta(days=31))
    kept = EnquiryFactory(received_at=timezone.now() - datetime.timedelta(days=29))
    call_command("enquiries_purge")
    assert list(Enquiry.objects.all()) == [kept]
    assert "Deleted 1 enquiries older than 30 days." in capsys.readouterr().out


def test_staff_read_enquiries_in_the_admin_escaped(db, cast):
    from tests.conftest import client_for

    EnquiryFactory(name="<script>alert(1)</script>")
    html = client_for("network_admin", cast).get(reverse("admin:contact_enquiry_changelist"))
    assert "<script>alert(1)</script>" not in html.content.decode()
    assert "&lt;script&gt;" in html.content.decode()


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_in_any_field_gives_a_page_or_a_redirect_never_an_error(client, db, text):
    cache.clear()
    for name in ("name", "organisation", "message"):
        response = client.post(
            reverse("contact:contact"), dict(VALID["contact:contact"], **{name: text})
        )
        assert response.status_code in {200, 302}


def test_an_empty_submission_is_answered_with_errors(post):
    response = post("contact:contact", {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Enquiry.objects.exists() and not mail.outbox
