"""The public request for the member-agency list: stored for staff and emailed to them."""

import pytest
from django.urls import reverse

from departments.models import MemberListRequest

URL = "departments:member-list"
GOOD = {
    "name": "Sam Ortiz",
    "organisation": "Lakeview Sheriff's Office",
    "email": "sam@lakeview.gov",
    "message": "We are thinking of joining.",
}


@pytest.mark.django_db
def test_a_request_is_stored_and_emailed_to_staff(
    client, django_capture_on_commit_callbacks, mailoutbox, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(URL), GOOD, follow=True)
    assert "staff will email you the list" in response.content.decode()
    stored = MemberListRequest.objects.get()
    assert stored.organisation == "Lakeview Sheriff's Office"
    assert [m.to for m in mailoutbox] == [settings.STAFF_NOTIFICATION_EMAILS]
    assert "sam@lakeview.gov" in mailoutbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [{"email": "not-an-email"}, {"name": ""}, {"organisation": "x" * 201}, {"message": "m" * 2001}],
)
def test_bad_requests_keep_the_form_and_store_nothing(client, changes):
    response = client.post(reverse(URL), {**GOOD, **changes})
    assert response.status_code == 200 and "error" in response.content.decode()
    assert response.context["form"].data["name"] == GOOD["name"] or "name" in changes
    assert not MemberListRequest.objects.exists()


@pytest.mark.django_db
def test_hostile_text_is_stored_as_text(client):
    client.post(reverse(URL), {**GOOD, "name": "<script>alert(1)</script>"})
    assert MemberListRequest.objects.get().name == "<script>alert(1)</script>"


@pytest.mark.django_db
def test_a_bot_filling_the_hidden_field_is_thanked_and_ignored(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(URL), {**GOOD, "website": "http://spam"}, follow=True)
    assert "staff will email you the list" in response.content.decode()
    assert not MemberListRequest.objects.exists() and mailoutbox == []


@pytest.mark.django_db
def test_two_identical_requests_are_both_kept_for_staff(client):
    client.post(reverse(URL), GOOD)
    client.post(reverse(URL), GOOD)
    assert MemberListRequest.objects.count() == 2
