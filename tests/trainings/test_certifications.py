"""Certifications from training elsewhere (recorded, verified), from before the portal
(imported), and the printable certificate."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.conftest import sign_in
from tests.factories import CertificationFactory, UserFactory
from trainings.models import Certification
from wnwa.accounts.roles import is_peer_supporter

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 200
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 200


@pytest.fixture
def admin_a(client, cast):
    return sign_in(client, cast.admin_a)


@pytest.fixture
def trainee(cast):
    return UserFactory(department=cast.department_a, first_name="Sam", last_name="Ortiz")


def record(client, person, content=PDF, name="certificate.pdf", **changes):
    data = {
        "person": person.pk,
        "provider": "Illinois Peer Academy",
        "hours": "24",
        "completed_on": "2025-03-14",
        "certificate": SimpleUploadedFile(name, content),
    }
    data.update(changes)
    return client.post(reverse("trainings:external-new"), data)


@pytest.mark.parametrize(("content", "extension"), [(PDF, "pdf"), (PNG, "png"), (JPEG, "jpg")])
def test_a_department_admin_records_training_taken_elsewhere(
    admin_a, trainee, settings, content, extension
):
    response = record(admin_a, trainee, content=content, name=f"scan.{extension}")
    assert response.status_code == 302
    certification = Certification.objects.get(person=trainee)
    assert certification.source == Certification.Source.EXTERNAL
    assert certification.status == Certification.Status.PENDING
    assert (certification.provider, certification.hours) == ("Illinois Peer Academy", 24)
    path = settings.PRIVATE_MEDIA_ROOT / certification.certificate.name
    assert path.read_bytes() == content
    assert "scan" not in certification.certificate.name  # never the uploader's file name
    assert not is_peer_supporter(trainee)  # not until staff verify it


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00 an executable", "certificate.pdf"),
        (b"<html><script>alert(1)</script></html>", "certificate.pdf"),
        (b"GIF89a a gif", "certificate.gif"),
        (b"", "empty.pdf"),
        (b"just text", "certificate.png"),
    ],
)
def test_files_that_are_not_pdf_png_or_jpeg_are_refused(admin_a, trainee, content, name):
    response = record(admin_a, trainee, content=content, name=name)
    assert response.status_code == 200
    assert not Certification.objects.filter(person=trainee).exists()


def test_a_file_over_ten_megabytes_is_refused(admin_a, trainee):
    response = record(admin_a, trainee, content=PDF + b"0" * (10 * 1024 * 1024))
    assert response.status_code == 200 and "larger than 10 MB" in response.content.decode()
    assert not Certification.objects.filter(person=trainee).exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"hours": "0"},
        {"hours": "-3"},
        {"hours": "lots"},
        {"hours": "100000"},
        {"completed_on": "2999-01-01"},
        {"completed_on": "14/03/2025"},
        {"provider": ""},
        {"provider": "p" * 201},
    ],
)
def test_bad_external_training_input_is_refused(admin_a, trainee, changes):
    response = record(admin_a, trainee, **changes)
    assert response.status_code == 200
    assert not Certification.objects.filter(person=trainee).exists()


def test_an_admin_cannot_record_for_another_departments_officer(admin_a, cast):
    response = record(admin_a, cast.peer)
    assert response.status_code == 200
    assert "not an active officer of your department" in response.content.decode()
    assert cast.peer.certifications.count() == 1  # only the cast's own legacy one


def test_recording_the_same_training_twice_makes_two_pending_records(admin_a, trainee):
    record(admin_a, trainee)
    record(admin_a, trainee)
    assert Certification.objects.filter(person=trainee).count() == 2


def test_hostile_provider_text_is_shown_as_text(admin_a, trainee):
    record(admin_a, trainee, provider="<script>alert(1)</script>")
    html = admin_a.get(reverse("trainings:external-list")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_training_staff_verify_and_the_officer_becomes_a_peer_supporter(admin_a, trainee, cast):
    record(admin_a, trainee)
    certification = Certification.objects.get(person=trainee)
    staff = sign_in(admin_a.__class__(), cast.trainer)
    queue = staff.get(reverse("trainings:external-queue")).content.decode()
    assert "Sam Ortiz" in queue
    download = staff.get(reverse("trainings:external-certificate", args=[certification.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    staff.post(
        reverse("trainings:external-decide", args=[certification.pk]), {"decision": "verify"}
    )
    certification.refresh_from_db()
    assert certification.status == Certification.Status.VERIFIED
    assert certification.verified_by == cast.trainer
    assert is_peer_supporter(trainee)


def test_rejecting_needs_a_reason_that_the_department_then_sees(admin_a, trainee, cast):
    record(admin_a, trainee)
    certification = Certification.objects.get(person=trainee)
    staff = sign_in(admin_a.__class__(), cast.trainer)
    url = reverse("trainings:external-decide", args=[certification.pk])
    staff.post(url, {"decision": "reject", "reason": ""})
    certification.refresh_from_db()
    assert certification.status == Certification.Status.PENDING
    staff.post(url, {"decision": "reject", "reason": "The certificate is illegible."})
    certification.refresh_from_db()
    assert certification.status == Certification.Status.REJECTED
    assert "illegible" in admin_a.get(reverse("trainings:external-list")).content.decode()
    staff.post(url, {"decision": "verify"})  # decided already: nothing changes
    certification.refresh_from_db()
    assert certification.status == Certification.Status.REJECTED


@pytest.mark.parametrize("decision", ["", "approve", "<script>"])
def test_a_malformed_decision_changes_nothing(admin_a, trainee, cast, decision):
    record(admin_a, trainee)
    certification = Certification.objects.get(person=trainee)
    staff = sign_in(admin_a.__class__(), cast.trainer)
    staff.post(
        reverse("trainings:external-decide", args=[certification.pk]), {"decision": decision}
    )
    certification.refresh_from_db()
    assert certification.status == Certification.Status.PENDING


def test_another_departments_admin_cannot_download_the_certificate(admin_a, trainee, cast):
    record(admin_a, trainee)
    certification = Certification.objects.get(person=trainee)
    other = sign_in(admin_a.__class__(), cast.admin_b)
    url = reverse("trainings:external-certificate", args=[certification.pk])
    assert other.get(url).status_code == 404
    assert admin_a.get(url).status_code == 200


def test_a_certificate_attached_in_the_admin_to_any_certification_is_served(admin_a, cast):
    """The Django admin links every certification's file to this download."""
    certification = cast.peer.certifications.get()  # a legacy one, of department B
    certification.certificate.save("scan.pdf", ContentFile(PDF))
    url = reverse("trainings:external-certificate", args=[certification.pk])
    staff = sign_in(admin_a.__class__(), cast.trainer)
    download = staff.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert sign_in(admin_a.__class__(), cast.admin_b).get(url).status_code == 200
    assert admin_a.get(url).status_code == 404  # not their department's officer


# --- The printable certificate -------------------------------------------------------------------


def test_the_holder_prints_their_certificate(client, cast):
    certification = cast.peer.certifications.get()
    sign_in(client, cast.peer)
    html = client.get(reverse("trainings:certificate", args=[certification.pk])).content.decode()
    assert cast.peer.full_name in html and "Certified peer supporter" in html
    assert "no-print" in html


def test_a_rejected_or_pending_certification_has_no_certificate(client, cast):
    pending = CertificationFactory(person=cast.peer, status=Certification.Status.PENDING)
    sign_in(client, cast.peer)
    assert client.get(reverse("trainings:certificate", args=[pending.pk])).status_code == 404


def test_the_account_page_lists_certifications(client, cast):
    sign_in(client, cast.peer)
    html = client.get(reverse("accounts:account")).content.decode()
    certification = cast.peer.certifications.get()
    assert reverse("trainings:certificate", args=[certification.pk]) in html


# --- import_certifications -----------------------------------------------------------------------


def write(tmp_path, text: str, encoding="utf-8"):
    path = tmp_path / "legacy.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_legacy_certifications_import_and_tie_to_accounts(tmp_path, capsys):
    officer = UserFactory(email="veteran@agency.test")
    path = write(
        tmp_path,
        "Email,Name,Certified_On,Course\n"
        "VETERAN@agency.test,Val Veteran,2019-06-01,teammate\n"
        "\n"
        "later@agency.test,Lee Later,2020-01-15,Leadership\n",
    )
    call_command("import_certifications", str(path))
    output = capsys.readouterr().out
    assert "2 certifications imported (1 tied to an existing account)" in output
    assert "veteran" not in output.lower()  # counts only, no personal data
    assert is_peer_supporter(officer)
    legacy = Certification.objects.get(email="later@agency.test")
    assert legacy.source == Certification.Source.LEGACY and legacy.person is None
    assert legacy.course.slug == "leadership"
    call_command("import_certifications", str(path))
    assert "0 certifications imported" in capsys.readouterr().out
    assert Certification.objects.filter(source="legacy").count() == 2
    later = UserFactory(email="later@agency.test", password=None)
    assert is_peer_supporter(later)


@pytest.mark.parametrize(
    "body",
    [
        "email,certified_on\nnot-an-email,2019-01-01\n",
        "email,certified_on\na@agency.test,yesterday\n",
        "email,certified_on\na@agency.test,2999-01-01\n",
        "email,certified_on,course\na@agency.test,2019-01-01,underwater\n",
        "email,certified_on\na@agency.test,2019-01-01\nA@agency.test,2019-01-01\n",
        "name,date\nx,y\n",
    ],
)
def test_a_bad_legacy_file_imports_nothing(tmp_path, body):
    with pytest.raises(CommandError):
        call_command("import_certifications", str(write(tmp_path, body)))
    assert not Certification.objects.filter(source="legacy", person__isnull=True).exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_certifications", str(tmp_path / "nope.csv"))
