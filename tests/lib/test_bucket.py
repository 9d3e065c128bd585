"""Private files in an S3-compatible bucket, against a real one: moto's server, started here on a
free loopback port and spoken to over HTTP by boto3, as a provider would be (wnwa.lib.storage)."""

import logging
import secrets
from dataclasses import dataclass

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from moto.server import ThreadedMotoServer

from tests.conftest import sign_in
from tests.factories import (
    CategoryFactory,
    CertificationFactory,
    DepartmentFactory,
    DocumentFactory,
    ResourceFactory,
    UserFactory,
)
from trainings.models import Certification
from wnwa.lib.uploads import private_file_response

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"0" * 200
OTHER_PDF = b"%PDF-1.7\n" + b"1" * 300
PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


@pytest.fixture(scope="session")
def s3_server():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the server's own request lines
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class Bucket:
    client: object
    name: str

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def folder(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.RESOURCE_FILES_ROOT = tmp_path / "private" / "resources"
    settings.PRIVATE_FILES_BUCKET = None
    return settings.PRIVATE_MEDIA_ROOT


def _bucket_options(endpoint: str, name: str) -> dict:
    return {
        "bucket_name": name,
        "location": "",
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "addressing_style": "path",
        "access_key": "wnwa-test",
        "secret_key": "wnwa-test-secret",
    }


@pytest.fixture
def empty_bucket(s3_server):
    """A fresh bucket of its own for each test, not yet the one the settings name."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id="wnwa-test",
        aws_secret_access_key="wnwa-test-secret",
    )
    name = f"wnwa-test-{secrets.token_hex(6)}"
    client.create_bucket(Bucket=name)
    return Bucket(client, name)


@pytest.fixture
def bucket(folder, empty_bucket, s3_server, settings):
    settings.PRIVATE_FILES_BUCKET = _bucket_options(s3_server, empty_bucket.name)
    return empty_bucket


def files_in(path) -> list:
    return [item for item in path.rglob("*") if item.is_file()] if path.exists() else []


# --- Uploads and downloads -----------------------------------------------------------------------


def test_an_uploaded_certificate_goes_to_the_bucket_under_a_random_private_key(
    client, cast, bucket, folder
):
    trainee = UserFactory(department=cast.department_a, first_name="Sam", last_name="Ortiz")
    sign_in(client, cast.admin_a)
    response = client.post(
        reverse("trainings:external-new"),
        {
            "person": trainee.pk,
            "provider": "Illinois Peer Academy",
            "hours": "24",
            "completed_on": "2025-03-14",
            "certificate": SimpleUploadedFile("Sam Ortiz certificate.pdf", PDF),
        },
    )
    assert response.status_code == 302
    name = Certification.objects.get(person=trainee).certificate.name
    assert bucket.keys() == [name]
    assert name.startswith("certificates/") and "Ortiz" not in name
    assert len(name.removeprefix("certificates/").removesuffix(".pdf")) == 32  # 128 random bits
    assert bucket.read(name) == PDF
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=name)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner's only
    assert not any(grant["Grantee"].get("URI") in PUBLIC_GROUPS for grant in grants)
    assert files_in(folder) == []  # nothing on the server's own disk


def test_a_download_is_streamed_by_the_app_and_never_a_redirect_to_the_bucket(client, cast, bucket):
    certification = cast.peer.certifications.get()
    certification.certificate.save("scan.pdf", ContentFile(PDF))
    sign_in(client, cast.trainer)
    response = client.get(reverse("trainings:external-certificate", args=[certification.pk]))
    assert response.status_code == 200 and response.streaming
    assert "Location" not in response
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]


def test_a_download_the_role_may_not_see_is_refused_before_the_bucket_is_read(client, cast, bucket):
    certification = cast.peer.certifications.get()
    certification.certificate.save("scan.pdf", ContentFile(PDF))
    sign_in(client, cast.admin_a)  # not the officer's department
    url = reverse("trainings:external-certificate", args=[certification.pk])
    assert client.get(url).status_code == 404


def test_an_object_missing_from_the_bucket_is_404_not_a_crash(bucket):
    department = DepartmentFactory()
    department.designation_document.save("signed.pdf", ContentFile(PDF))
    bucket.client.delete_object(Bucket=bucket.name, Key=department.designation_document.name)
    department.refresh_from_db()
    with pytest.raises(Http404):
        private_file_response(department.designation_document, filename="designation")


def test_every_kind_of_document_has_a_key_of_its_own_in_the_bucket(bucket):
    department = DepartmentFactory()
    department.designation_document.save("Chief Ortiz.pdf", ContentFile(PDF))
    document = DocumentFactory()
    resource = ResourceFactory.build(link="", category=CategoryFactory())
    resource.document.save("guide.pdf", ContentFile(PDF))
    keys = bucket.keys()
    assert len(keys) == 3
    assert f"resources/{resource.document.name}" in keys  # resource PDFs keep their own prefix
    assert department.designation_document.name in keys and document.file.name in keys
    assert all("Ortiz" not in key and "licence" not in key for key in keys)


# --- Files go with their record, on either storage ------------------------------------------------


@pytest.fixture(params=["folder", "bucket"])
def stored(request):
    """What is stored now, as a set of names, on the storage the test runs against."""
    if request.param == "bucket":
        bucket = request.getfixturevalue("bucket")
        return lambda: set(bucket.keys())
    root = request.getfixturevalue("folder")
    return lambda: {str(path.relative_to(root)) for path in files_in(root)}


def certified(content: bytes = PDF) -> Certification:
    certification = CertificationFactory()
    certification.certificate.save("scan.pdf", ContentFile(content))
    return certification


def test_deleting_a_record_deletes_its_file_once_committed(
    stored, django_capture_on_commit_callbacks
):
    certification = certified()
    assert stored() == {certification.certificate.name}
    with django_capture_on_commit_callbacks(execute=True):
        certification.delete()
    assert stored() == set()


def test_a_deletion_rolled_back_keeps_the_file(stored, django_capture_on_commit_callbacks):
    certification = certified()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        certification.delete()
        raise RuntimeError("the transaction fails")
    assert callbacks == []
    assert stored() == {certification.certificate.name}


def test_a_replaced_file_is_deleted_and_the_new_one_kept(
    stored, django_capture_on_commit_callbacks
):
    certification = certified()
    old = certification.certificate.name
    with django_capture_on_commit_callbacks(execute=True):
        certification = Certification.objects.get(pk=certification.pk)
        certification.certificate = SimpleUploadedFile("new.pdf", OTHER_PDF)
        certification.save()
    assert stored() == {certification.certificate.name}
    assert certification.certificate.name != old
    assert certification.certificate.open("rb").read() == OTHER_PDF


def test_a_cleared_file_is_deleted(stored, django_capture_on_commit_callbacks):
    department = DepartmentFactory()
    department.designation_document.save("signed.pdf", ContentFile(PDF))
    with django_capture_on_commit_callbacks(execute=True):
        department = type(department).objects.get(pk=department.pk)
        department.designation_document = ""
        department.save()
    assert stored() == set()


def test_a_cascade_deletes_the_files_of_every_record_it_takes(
    stored, django_capture_on_commit_callbacks
):
    """An officer erased by `purge_deactivated` takes their certificates' files with them."""
    officer = UserFactory()
    certification = CertificationFactory(person=officer)
    certification.certificate.save("scan.pdf", ContentFile(PDF))
    with django_capture_on_commit_callbacks(execute=True):
        officer.delete()
    assert stored() == set()


# --- Moving an existing folder into the bucket ----------------------------------------------------


def test_the_copy_command_copies_verifies_and_can_run_again(
    folder, empty_bucket, s3_server, settings, capsys
):
    certification = certified()
    department = DepartmentFactory()
    department.designation_document.save("signed.pdf", ContentFile(OTHER_PDF))
    resource = ResourceFactory.build(link="", category=CategoryFactory())
    resource.document.save("guide.pdf", ContentFile(PDF))
    missing = certified()
    (folder / missing.certificate.name).unlink()

    settings.PRIVATE_FILES_BUCKET = _bucket_options(s3_server, empty_bucket.name)
    call_command("copy_files_to_bucket")
    assert capsys.readouterr().out.strip() == (
        "Copied 3, already in the bucket 0, missing from the folder 1, failed the checksum 0."
    )
    assert empty_bucket.keys() == sorted(
        [
            certification.certificate.name,
            department.designation_document.name,
            f"resources/{resource.document.name}",
        ]
    )
    assert empty_bucket.read(department.designation_document.name) == OTHER_PDF
    # The records now read their files from the bucket, under the same names.
    certification.refresh_from_db()
    assert certification.certificate.open("rb").read() == PDF

    # Again: nothing to copy. With one object spoiled in the bucket: that one is written again.
    call_command("copy_files_to_bucket")
    assert capsys.readouterr().out.startswith("Copied 0, already in the bucket 3,")
    empty_bucket.client.put_object(
        Bucket=empty_bucket.name, Key=certification.certificate.name, Body=b"spoiled"
    )
    call_command("copy_files_to_bucket")
    assert capsys.readouterr().out.startswith("Copied 1, already in the bucket 2,")
    assert empty_bucket.read(certification.certificate.name) == PDF


def test_the_copy_command_needs_a_bucket(folder):
    with pytest.raises(CommandError, match="WNWA_STORAGE_URL"):
        call_command("copy_files_to_bucket")
