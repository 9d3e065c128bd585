"""The designation: a department admin uploads the signed document (checked by its bytes, kept
privately), a network admin verifies it, and "on file" means exactly that, on every page."""

import datetime

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from departments.models import Department, DesignationStatus
from tests.conftest import client_for, sign_in
from tests.html import squashed

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 64
UPLOAD = reverse("departments:designation-upload")


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STAFF_NOTIFICATION_EMAILS = ["staff@network.test"]
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def admin_a(client, cast):
    return sign_in(client, cast.admin_a)


def form(content=PDF, name="signed designation.pdf", **changes) -> dict:
    data = {
        "signed_by": "Chief Dana Ortiz",
        "signed_on": "2026-01-05",
        "document": SimpleUploadedFile(name, content, content_type="application/pdf"),
    }
    return {**data, **changes}


def the_three_say(cast, words: str) -> None:
    """The compliance page, the roster page and the Django admin agree."""
    department_admin = client_for("admin_same", cast)
    compliance = squashed(department_admin.get(reverse("departments:compliance")).content.decode())
    roster = squashed(department_admin.get(reverse("departments:home")).content.decode())
    changelist = client_for("network_admin", cast).get(
        reverse("admin:departments_department_changelist")
    )
    change = reverse("admin:departments_department_change", args=[cast.department_a.pk])
    (row,) = [row for row in changelist.content.decode().split("<tr") if change in row]
    assert f">{words}</span>." in compliance.split('id="designation"')[1]
    assert f">{words}</span>" in roster.split('class="designation-line"')[1].split("</p>")[0]
    assert words in row


def test_signed_on_and_signed_by_without_a_document_is_missing_everywhere(cast):
    Department.objects.filter(pk=cast.department_a.pk).update(
        designation_signed_on=datetime.date(2026, 1, 5), designation_signed_by="Chief"
    )
    department = Department.objects.get(pk=cast.department_a.pk)
    assert department.designation_status == DesignationStatus.MISSING
    the_three_say(cast, "Missing")


def test_an_upload_awaits_verification_then_a_network_admin_verifies_it(
    admin_a, cast, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_a.post(UPLOAD, form())
    assert response.status_code == 302
    department = Department.objects.get(pk=cast.department_a.pk)
    assert department.designation_status == DesignationStatus.AWAITING
    assert department.designation_signed_by == "Chief Dana Ortiz"
    assert department.designation_uploaded_by == cast.admin_a
    name = department.designation_document.name
    assert "signed" not in name and name.endswith(".pdf")  # a random name, never the file's
    assert (private_root / name).read_bytes() == PDF
    (notice,) = mail.outbox
    assert notice.to == ["staff@network.test"] and "/network-admin/" in notice.body
    the_three_say(cast, "Awaiting verification")

    network_admin = client_for("network_admin", cast)
    change = network_admin.get(
        reverse("admin:departments_department_change", args=[department.pk])
    ).content.decode()
    assert reverse("admin:departments_department_designation", args=[department.pk]) in change
    network_admin.post(
        reverse("admin:departments_department_changelist"),
        {"action": "verify_designation", "_selected_action": [department.pk]},
    )
    department.refresh_from_db()
    assert department.designation_verified_by == cast.network_admin
    assert department.designation_on_file
    the_three_say(cast, "On file")


def test_a_new_upload_replaces_the_old_file_and_needs_verifying_again(
    admin_a, cast, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        admin_a.post(UPLOAD, form())
    Department.objects.filter(pk=cast.department_a.pk).update(
        designation_verified_at=timezone.now()
    )
    first = Department.objects.get(pk=cast.department_a.pk).designation_document.name
    with django_capture_on_commit_callbacks(execute=True):
        admin_a.post(UPLOAD, form(content=JPEG, name="photo.jpg"))
    department = Department.objects.get(pk=cast.department_a.pk)
    assert department.designation_status == DesignationStatus.AWAITING
    assert department.designation_document.name.endswith(".jpg")
    assert not (private_root / first).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"content": b"<html><script>alert(1)</script></html>"}, "is not a PDF, PNG or JPEG"),
        ({"content": b"MZ\x90\x00 an executable", "name": "designation.png"}, "is not a PDF"),
        ({"content": b""}, "empty"),
        ({"content": PDF + b"0" * (10 * 1024 * 1024)}, "larger than 10 MB"),
        ({"signed_on": "2999-01-01"}, "cannot be in the future"),
        ({"signed_on": "05/01/2026x"}, "Enter a valid date"),
        ({"signed_by": ""}, "This field is required"),
        ({"signed_by": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_uploads_are_refused_with_the_reason_and_the_typing_kept(
    admin_a, cast, changes, message
):
    content = changes.pop("content", PDF)
    name = changes.pop("name", "designation.pdf")
    response = admin_a.post(UPLOAD, form(content=content, name=name, **changes))
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "error-summary" in html
    if "signed_by" not in changes:
        assert "Chief Dana Ortiz" in html  # what was typed stays
    department = Department.objects.get(pk=cast.department_a.pk)
    assert not department.designation_document


def test_an_admin_uploads_for_their_own_department_only(cast, django_capture_on_commit_callbacks):
    other = client_for("admin_other", cast)
    other.post(UPLOAD, form())
    assert not Department.objects.get(pk=cast.department_a.pk).designation_document
    assert Department.objects.get(pk=cast.department_b.pk).designation_document


def test_a_document_replaced_in_the_admin_needs_verifying_again(cast):
    department = cast.department_a
    department.designation_document.save("designation.pdf", ContentFile(PDF))
    department.designation_verified_at = timezone.now()
    department.save()
    from departments.admin import DepartmentAdmin
    from wnwa.admin import admin_site

    class Form:
        changed_data = ["designation_document"]

    request = type("Request", (), {"user": cast.network_admin})()
    DepartmentAdmin(Department, admin_site).save_model(request, department, Form(), True)
    department.refresh_from_db()
    assert department.designation_status == DesignationStatus.AWAITING
    assert department.designation_uploaded_by == cast.network_admin


def test_verifying_a_department_without_a_document_is_refused(cast):
    network_admin = client_for("network_admin", cast)
    response = network_admin.post(
        reverse("admin:departments_department_changelist"),
        {"action": "verify_designation", "_selected_action": [cast.department_a.pk]},
        follow=True,
    )
    assert "no document to verify" in response.content.decode()
    assert Department.objects.get(pk=cast.department_a.pk).designation_verified_at is None
