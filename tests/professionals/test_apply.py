"""The public application: a complete one is recorded and confirmed; bad input loses nothing."""

from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from professionals.forms import DOCUMENT_MAX_BYTES as MAX_BYTES
from professionals.models import Application, Document, Professional
from tests.conftest import cache_keys
from tests.html import squashed
from tests.professionals.conftest import JPEG, PDF, application_data, upload

URL = "/professionals/apply/"


@pytest.fixture
def complete(vocabulary_ids) -> dict:
    return application_data(**vocabulary_ids)


def post(client, data, **files):
    files.setdefault("licence_document", upload())
    return client.post(URL, {**data, **files})


def test_the_form_is_public_at_its_poster_address(client, db):
    assert reverse("professionals:apply") == URL
    page = client.get(URL)
    assert page.status_code == 200
    assert b'enctype="multipart/form-data"' in page.content
    assert b'name="fax_number"' in page.content  # the honeypot is there, hidden by CSS


def test_a_complete_application_is_recorded_unlisted_and_confirmed_by_email(
    client, complete, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, complete, cv_document=upload("cv.jpg", JPEG, "image/jpeg"))
    assert response.status_code == 302
    application = Application.objects.get()
    professional = application.professional
    assert application.status == Application.Status.NEW
    assert not professional.is_listed
    assert professional.email == "hannah@lakeside-counseling.test"
    assert professional.phone == "+16085550142"
    assert professional.website == "https://lakeside-counseling.test"
    assert professional.county == "Dane"
    assert professional.accepts_ppo and professional.accepts_self_pay
    assert not professional.accepts_hmo
    assert professional.sees_within_24h and not professional.answers_24_7
    assert sorted(professional.telehealth_states.values_list("state", flat=True)) == ["IL", "WI"]
    assert [lang.name for lang in professional.languages.all()] == ["English", "Polish"]
    licence = professional.licences.get()
    assert (licence.number, licence.state) == ("WI-12345-125", "WI")
    assert sorted(application.documents.values_list("kind", "content_type")) == [
        ("cv", "image/jpeg"),
        ("licence", "application/pdf"),
    ]

    thanks = client.get(response.headers["Location"])
    assert application.reference.encode() in thanks.content
    applicant, staff = mail.outbox
    assert applicant.to == ["hannah@lakeside-counseling.test"]
    assert application.reference in applicant.subject and application.reference in applicant.body
    assert "Lindqvist" not in staff.body  # staff get a link, not the applicant's details


def test_the_thanks_page_shows_no_reference_without_a_valid_signature(client, db):
    page = client.get(reverse("professionals:apply-thanks") + "?r=REF00001")
    assert page.status_code == 200
    assert b"REF00001" not in page.content


def test_a_filled_honeypot_pretends_success_and_records_nothing(client, complete):
    response = post(client, {**complete, "fax_number": "+1 555 0100"})
    assert response.status_code == 302
    assert Application.objects.count() == 0
    assert mail.outbox == []


def test_a_sixth_application_from_one_address_in_fifteen_minutes_is_refused(
    client, complete, settings
):
    settings.PROFESSIONAL_APPLICATIONS_PER_WINDOW = 5
    for _ in range(5):
        assert post(client, complete).status_code == 302
    assert post(client, complete).status_code == 429
    assert Application.objects.count() == 5
    other = client.post(URL, {**complete, "licence_document": upload()}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302


def test_an_applicants_mistakes_count_apart_and_never_use_up_the_applications(
    client, complete, settings
):
    settings.PROFESSIONAL_APPLICATIONS_PER_WINDOW = 2
    settings.PROFESSIONAL_APPLICATIONS_FAILED_PER_WINDOW = 4
    for _ in range(3):
        assert post(client, {**complete, "city": ""}).status_code == 200  # a mistake, shown
    assert post(client, complete).status_code == 302
    assert post(client, complete).status_code == 302
    assert Application.objects.count() == 2


def test_refused_applications_past_their_own_limit_are_refused_unchecked(
    client, complete, settings
):
    settings.PROFESSIONAL_APPLICATIONS_FAILED_PER_WINDOW = 3
    codes = [post(client, {**complete, "city": ""}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert post(client, complete).status_code == 429  # until the window ends
    assert not Application.objects.exists()
    other = client.post(URL, {**complete, "licence_document": upload()}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302
    keys = cache_keys()
    assert keys and not any("127.0.0.1" in key or "192.0.2.9" in key for key in keys)


def test_the_rate_limit_keeps_no_address_in_the_cache_key(client, complete):
    post(client, complete)
    keys = cache_keys()
    assert keys and not any("127.0.0.1" in key for key in keys)


def test_invalid_answers_keep_what_was_typed_and_name_the_files_to_attach_again(client, complete):
    data = {**complete, "phone": "12", "promises": []}
    response = post(
        client, data, malpractice_document=upload("insurance.png", b"\x89PNG\r\n\x1a\nxx")
    )
    assert response.status_code == 200
    page = squashed(response.content.decode())
    assert "Enter a phone number we can call" in page
    assert "Choose at least one: the network lists only professionals" in page
    assert 'value="Lindqvist"' in page and "since 2015" in page
    assert 'value="WI-12345-125"' in page
    assert "please attach again: Licence, Malpractice insurance certificate" in page
    assert Application.objects.count() == 0 and Professional.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("licence.pdf", b"<html><body>not a pdf</body></html>", "not a PDF, PNG or JPEG"),
        ("licence.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not a PDF, PNG or JPEG"),
        ("licence.pdf", b"", "This file is empty"),
        ("licence.pdf", PDF + b"0" * (MAX_BYTES + 1 - len(PDF)), "the limit is 10 MB"),
        ("../../../tmp/evil.sh", b"#!/bin/sh\nrm -rf /\n", "not a PDF, PNG or JPEG"),
    ],
)
def test_a_bad_document_is_refused_with_a_clear_message(client, complete, name, content, message):
    response = post(client, complete, licence_document=upload(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Application.objects.count() == 0


def test_a_path_traversal_file_name_lands_under_a_random_name_in_the_private_folder(
    client, complete, private_root, tmp_path
):
    response = post(client, complete, licence_document=upload("../../../escape.pdf", PDF))
    assert response.status_code == 302
    document = Document.objects.get()
    stored = Path(document.file.path)
    assert stored.parent == Path(private_root).resolve() / "applications"
    assert "escape" not in stored.name and stored.suffix == ".pdf"
    assert document.display_name == "escape.pdf"
    assert not (tmp_path / "escape.pdf").exists() and not (tmp_path.parent / "escape.pdf").exists()


def test_a_missing_licence_document_is_required(client, complete):
    response = client.post(URL, complete)
    assert response.status_code == 200
    assert b"This field is required" in response.content


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("website", "javascript:alert(1)", "Enter a valid URL"),
        ("state", "ZZ", "Select a valid choice"),
        ("licence-0-expires_on", "2001-01-01", "This licence has expired"),
        ("first_name", "", "This field is required"),
        ("association", "other", "Name your association"),
        ("plan_types", [], "Choose at least one: PPO, HMO or self-pay"),
        # Past 64 bits: SQLite raised OverflowError inside the id check (a server error).
        ("languages", ["9223372036854775808"], "Select a valid choice"),
        ("insurance_carriers", ["1", "9" * 40], "Select a valid choice"),
    ],
)
def test_malformed_answers_are_refused(client, complete, field, value, message):
    response = post(client, {**complete, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Application.objects.count() == 0


def test_the_same_licence_twice_is_refused(client, complete):
    twice = {
        "licence-1-kind": "Licensed Professional Counselor",
        "licence-1-number": "WI-12345-125",
        "licence-1-state": "WI",
        "licence-1-expires_on": complete["licence-0-expires_on"],
    }
    response = post(client, {**complete, **twice})
    assert b"The same licence is listed twice" in response.content


def test_hostile_text_is_stored_as_text_and_escaped_for_vetters(client, complete, cast):
    from tests.conftest import sign_in

    script = "<script>alert('x')</script>"
    post(client, {**complete, "police_experience": script, "practice_name": script})
    application = Application.objects.get()
    vetter = sign_in(client, cast.vetter)
    page = vetter.get(reverse("professionals:application", args=[application.reference]))
    assert script.encode() not in page.content
    assert b"&lt;script&gt;" in page.content


def test_two_submissions_of_the_same_form_make_two_applications_with_different_references(
    client, complete
):
    post(client, complete)
    post(client, complete)
    references = set(Application.objects.values_list("reference", flat=True))
    assert len(references) == 2


def test_an_empty_post_shows_the_errors_and_records_nothing(client, db):
    response = client.post(URL, {})
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert b"Some answers need another look" in response.content
    assert Application.objects.count() == 0


def test_an_empty_application_is_answered_with_errors(client, db):
    response = client.post(URL, {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Application.objects.exists()
