"""The vetting pages: the queue with counts, an application, assessing, reopening, documents."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from professionals.models import Application, Assessment, Document
from tests.conftest import client_for, sign_in
from tests.factories import (
    ApplicationFactory,
    AssessmentFactory,
    LicenceFactory,
    ProfessionalFactory,
    StaffFactory,
)
from tests.html import squashed
from tests.professionals.conftest import PDF


def make_document(application=None, content=PDF, content_type="application/pdf") -> Document:
    document = Document(
        application=application or ApplicationFactory(),
        kind=Document.Kind.LICENCE,
        content_type=content_type,
        size=len(content),
        display_name="my licence.pdf",
    )
    document.file.save("ignored", ContentFile(content), save=True)
    return document


@pytest.fixture
def vetter(cast) -> Client:
    return sign_in(Client(), cast.vetter)


def test_the_queue_shows_counts_per_status_and_lists_new_applications_first(vetter):
    ApplicationFactory(professional__last_name="Newcomer")
    ApplicationFactory(status=Application.Status.APPROVED, professional__last_name="Zebulon")
    ApplicationFactory(status=Application.Status.DEFERRED)
    ApplicationFactory(status=Application.Status.DEFERRED)
    page = squashed(vetter.get(reverse("professionals:queue")).content.decode())
    assert "Newcomer" in page and "Zebulon" not in page
    assert 'Deferred <span class="badge">2</span>' in page
    assert 'In review <span class="badge">0</span>' in page
    deferred = vetter.get(reverse("professionals:queue") + "?status=deferred").content.decode()
    assert "Newcomer" not in deferred


def test_the_queue_shows_overdue_listings_and_licences_expiring_within_sixty_days(vetter):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    ProfessionalFactory(
        last_name="Overdue", availability_confirmed_on=today - datetime.timedelta(days=95)
    )
    ProfessionalFactory(
        last_name="Vanished", availability_confirmed_on=today - datetime.timedelta(days=130)
    )
    ProfessionalFactory(last_name="Fresh", availability_confirmed_on=today)
    LicenceFactory(professional__last_name="Expiring", expires_on=today + datetime.timedelta(59))
    LicenceFactory(professional__last_name="Later", expires_on=today + datetime.timedelta(61))
    page = vetter.get(reverse("professionals:queue")).content.decode()
    overdue = page.split('id="overdue"')[1].split('id="licences"')[0]
    assert "Overdue" in overdue and "Vanished" in overdue and "Fresh" not in overdue
    assert overdue.count("(hidden from officers)") == 1
    licences = page.split('id="licences"')[1]
    assert "Expiring" in licences and "Later" not in licences


def test_the_application_page_shows_every_answer_and_the_documents(vetter):
    application = ApplicationFactory(
        professional__county="Cook", professional__state="IL", professional__city="Chicago"
    )
    LicenceFactory(professional=application.professional, number="IL-777")
    document = make_document(application)
    page = vetter.get(reverse("professionals:application", args=[application.reference]))
    text = page.content.decode()
    assert "IL-777" in text and "Ten years with first responders" in text
    assert reverse("professionals:document", args=[document.pk]) in text
    assert "an office visit" in text


APPROVAL = {
    "method": "video",
    "assessed_on": "2026-11-20",
    "recommendation": "approve",
    "notes": "Good fit.",
    "message_to_applicant": "",
}
DEFERRAL = {
    **APPROVAL,
    "recommendation": "defer",
    "notes": "Board lookup failed: INTERNAL-ONLY.",
    "message_to_applicant": "Please send a copy of your current licence.",
}


def confirm_digest(page: str) -> str:
    return re.search(r'name="confirm" value="([0-9a-f]+)"', page).group(1)


def test_a_vetter_records_an_assessment_then_sees_and_corrects_it(vetter, cast):
    application = ApplicationFactory()
    url = reverse("professionals:assess", args=[application.reference])
    form = squashed(vetter.get(url).content.decode())
    assert "calls for <strong>a video call</strong>" in form  # Dane County, WI: not metro
    response = vetter.post(url, APPROVAL)  # one approval decides nothing: no preview needed
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.vetter == cast.vetter and assessment.round == 1
    again = vetter.get(reverse("professionals:application", args=[application.reference]))
    assert b"You have recorded your assessment for this round" in again.content
    own = vetter.get(url).content.decode()  # not a blank form: their own assessment
    assert "Correct your assessment" in own and "Good fit." in own
    assert (
        vetter.post(url, {**APPROVAL, "notes": "Good fit; references called."}).status_code == 302
    )
    assert Assessment.objects.get().notes == "Good fit; references called."


def test_a_deferral_is_previewed_with_its_email_and_recorded_only_when_confirmed(
    vetter, django_capture_on_commit_callbacks, settings
):
    settings.NETWORK_STAFF_EMAIL = "vetting@network.test"
    application = ApplicationFactory()
    url = reverse("professionals:assess", args=[application.reference])
    preview = vetter.post(url, DEFERRAL).content.decode()
    assert "defers the application now" in preview
    assert "Please send a copy of your current licence." in preview
    assert "vetting@network.test" in preview  # replies go to the staff mailbox
    assert "INTERNAL-ONLY" in preview.split('class="email-preview"')[0]  # shown as notes only
    assert "INTERNAL-ONLY" not in preview.split('class="email-preview"')[1].split("</section>")[0]
    assert Assessment.objects.count() == 0
    application.refresh_from_db()
    assert application.status == Application.Status.NEW

    edit = squashed(vetter.post(url, {**DEFERRAL, "edit": "1"}).content.decode())
    assert "Record my assessment" in edit and "Please send a copy" in edit  # nothing lost
    assert Assessment.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        done = vetter.post(url, {**DEFERRAL, "confirm": confirm_digest(preview)})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.DEFERRED
    (email,) = mail.outbox
    assert "Please send a copy of your current licence." in email.body
    assert "INTERNAL-ONLY" not in email.body
    assert email.reply_to == ["vetting@network.test"]


def test_a_confirmation_of_another_text_than_the_one_previewed_is_previewed_again(vetter):
    application = ApplicationFactory()
    url = reverse("professionals:assess", args=[application.reference])
    digest = confirm_digest(vetter.post(url, DEFERRAL).content.decode())
    changed = {**DEFERRAL, "message_to_applicant": "Something else", "confirm": digest}
    again = vetter.post(url, changed).content.decode()
    assert "has changed since you read it" in again and "Something else" in again
    assert Assessment.objects.count() == 0


def test_a_deferral_needs_a_message_to_the_applicant(vetter):
    application = ApplicationFactory()
    url = reverse("professionals:assess", args=[application.reference])
    page = vetter.post(url, {**DEFERRAL, "message_to_applicant": "  "}).content.decode()
    assert "Write the applicant a message with a deferral" in page
    assert "Board lookup failed" in page  # what was typed stays
    assert Assessment.objects.count() == 0


def test_an_empty_assessment_keeps_the_form_with_errors(vetter):
    application = ApplicationFactory()
    response = vetter.post(reverse("professionals:assess", args=[application.reference]), {})
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert Assessment.objects.count() == 0


def test_a_decided_application_sends_the_vetter_back_instead_of_the_form(vetter):
    application = ApplicationFactory(status=Application.Status.APPROVED)
    response = vetter.get(reverse("professionals:assess", args=[application.reference]))
    assert response.status_code == 302


def test_reopen_asks_first_then_reopens_on_post(vetter, cast):
    application = ApplicationFactory(status=Application.Status.DEFERRED)
    url = reverse("professionals:reopen", args=[application.reference])
    assert b"Reopen" in vetter.get(url).content
    application.refresh_from_db()
    assert application.status == Application.Status.DEFERRED
    assert vetter.post(url).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    assert application.reopened_by == cast.vetter


def test_two_vetters_approving_through_the_pages_list_the_professional_after_a_preview(cast):
    application = ApplicationFactory()
    second = StaffFactory(is_vetter=True)
    url = reverse("professionals:assess", args=[application.reference])
    sign_in(Client(), cast.vetter).post(url, APPROVAL)
    client = sign_in(Client(), second)
    preview = client.post(url, APPROVAL).content.decode()
    assert "approves the application now" in preview
    application.refresh_from_db()
    assert application.status == Application.Status.IN_REVIEW
    client.post(url, {**APPROVAL, "confirm": confirm_digest(preview)})
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.decided_by == second


def test_an_unknown_reference_is_404(vetter):
    assert vetter.get(reverse("professionals:application", args=["NOPE0000"])).status_code == 404


# --- documents ----------------------------------------------------------------------------------


def test_a_document_downloads_as_an_attachment_for_vetters_with_nosniff(vetter):
    document = make_document()
    response = vetter.get(reverse("professionals:document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{document.application.reference}-licence.pdf" in response["Content-Disposition"]
    assert "my licence" not in response["Content-Disposition"]  # the applicant's name is unused
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "login"),
        ("officer", 403),
        ("peer", 403),
        ("admin_same", 403),
        ("admin_other", 403),
        ("trainer", 403),
        ("network_admin", 200),
    ],
)
def test_documents_are_served_only_to_vetters_and_network_admins(cast, role, expected):
    document = make_document()
    response = client_for(role, cast).get(reverse("professionals:document", args=[document.pk]))
    if expected == "login":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == expected


def test_documents_are_stored_outside_every_public_url(db, private_root):
    document = make_document()
    path = document.file.path
    assert path.startswith(str(private_root.resolve()))
    assert not path.startswith(str(settings.STATIC_ROOT))
    with pytest.raises(ValueError, match="no URL"):
        document.file.url  # noqa: B018


def test_a_document_is_reachable_at_no_public_address(client, db):
    document = make_document()
    name = document.file.name
    for guess in (f"/{name}", f"/media/{name}", f"/static/{name}", f"/private/{name}"):
        assert client.get(guess).status_code == 404


def test_a_document_missing_from_storage_is_404_not_a_crash(vetter):
    document = make_document()
    document.file.storage.delete(document.file.name)
    assert vetter.get(reverse("professionals:document", args=[document.pk])).status_code == 404


def test_assessments_are_attributed_on_the_application_page(vetter):
    assessment = AssessmentFactory(vetter__first_name="Vera", vetter__last_name="Vetting")
    page = vetter.get(reverse("professionals:application", args=[assessment.application.reference]))
    assert b"Vera Vetting" in page.content


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("professionals:queue", "post"),
        ("professionals:directory", "post"),
        ("professionals:apply-thanks", "post"),
        ("professionals:apply", "put"),
        ("professionals:assess", "delete"),
    ],
)
def test_wrong_methods_are_refused(cast, name, method):
    kwargs = {"reference": ApplicationFactory().reference} if name.endswith("assess") else {}
    client = client_for("network_admin", cast)
    assert getattr(client, method)(reverse(name, kwargs=kwargs)).status_code == 405


def test_a_document_cannot_be_posted_to(vetter):
    document = make_document()
    assert vetter.post(reverse("professionals:document", args=[document.pk])).status_code == 405


def test_the_previewed_email_shows_the_message_as_text_never_as_markup(vetter):
    application = ApplicationFactory()
    url = reverse("professionals:assess", args=[application.reference])
    hostile = {**DEFERRAL, "message_to_applicant": "<script>alert(1)</script>"}
    page = vetter.post(url, hostile).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
