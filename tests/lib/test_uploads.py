"""Uploads are judged by their bytes, within a size limit, with a plain name; private files have
no URL and download only through a view."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from departments.models import DESIGNATION_MAX_BYTES
from tests.factories import DepartmentFactory
from wnwa.lib.storage import PrivateStorage, private_storage
from wnwa.lib.uploads import check_upload, private_file_response

PDF = b"%PDF-1.7\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
HTML = b"<!doctype html><script>alert(1)</script>"


def upload(name: str = "scan.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("kinds", "content", "label"),
    [(["pdf"], PDF, "PDF"), (["pdf", "png", "jpeg"], PNG, "PNG"), (["png", "pdf"], PDF, "PDF")],
)
def test_the_kind_comes_from_the_bytes(kinds, content, label):
    assert check_upload(upload("any.name", content), kinds=kinds, max_bytes=1000).label == label


@pytest.mark.parametrize(
    ("kinds", "message"),
    [(["pdf"], "This file is not a PDF."), (["pdf", "png", "jpeg"], "not a PDF, PNG or JPEG.")],
)
def test_other_content_is_refused_naming_the_kinds_allowed(kinds, message):
    with pytest.raises(ValidationError, match=message) as refused:
        check_upload(upload("scan.pdf", HTML), kinds=kinds, max_bytes=1000)
    assert refused.value.code == "bad_type"


def test_a_png_is_refused_where_only_pdf_is_allowed():
    with pytest.raises(ValidationError, match="not a PDF"):
        check_upload(upload("scan.pdf", PNG), kinds=["pdf"], max_bytes=1000)


def test_the_size_limit_is_a_parameter_and_is_inclusive():
    assert check_upload(upload(content=PDF), max_bytes=len(PDF))
    with pytest.raises(ValidationError, match="larger than 14 bytes") as refused:
        check_upload(upload(content=PDF), max_bytes=len(PDF) - 1)
    assert refused.value.code == "too_large"


def test_sizes_read_in_megabytes():
    big = upload(content=PDF + b"0" * (3 * 1024 * 1024))
    with pytest.raises(ValidationError, match=r"This file is 3\.0 MB, larger than 2 MB\."):
        check_upload(big, max_bytes=2 * 1024 * 1024)


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty") as refused:
        check_upload(upload(content=b""), max_bytes=1000)
    assert refused.value.code == "empty"


@pytest.mark.parametrize("name", [".hidden.pdf", "scan\x07.pdf", "scan\u202efdp.exe", "a\tb.pdf"])
def test_hidden_and_control_character_names_are_refused(name):
    with pytest.raises(ValidationError, match="Rename the file") as refused:
        check_upload(upload(name), max_bytes=1000)
    assert refused.value.code == "bad_name"


def test_an_app_may_word_a_refusal_its_own_way():
    with pytest.raises(ValidationError, match=r"\[.Too big: 15 bytes over 10 bytes.\]"):
        check_upload(upload(), max_bytes=10, messages={"too_large": "Too big: {size} over {limit}"})


def test_the_check_leaves_the_file_where_it_was():
    handle = upload()
    check_upload(handle, max_bytes=1000)
    assert handle.read() == PDF


def test_private_storage_has_no_url_and_follows_the_setting(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    name = private_storage().save("notes/a.pdf", ContentFile(PDF))
    assert (tmp_path / "private" / name).read_bytes() == PDF
    with pytest.raises(ValueError, match="no URL"):
        PrivateStorage().url(name)


def test_a_missing_private_file_is_404_not_a_crash(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    department = DepartmentFactory()
    department.designation_document.save("signed.pdf", ContentFile(PDF))
    department.designation_document.storage.delete(department.designation_document.name)
    with pytest.raises(Http404):
        private_file_response(department.designation_document, filename="x")


def test_a_download_names_its_type_from_the_bytes_and_is_never_kept(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    department = DepartmentFactory()
    department.designation_document.save("signed.pdf", ContentFile(PNG))
    response = private_file_response(department.designation_document, filename="designation")
    assert response["Content-Type"] == "image/png"
    assert 'filename="designation.png"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("designation.pdf", HTML, "not a PDF, PNG or JPEG"),
        ("designation.pdf", b"", "empty"),
        ("designation.exe", PDF, "extension"),
        ("designation.pdf", PDF + b"0" * DESIGNATION_MAX_BYTES, "larger than 10 MB"),
    ],
)
def test_a_designation_document_is_checked_by_content(db, name, content, message):
    department = DepartmentFactory.build()
    department.designation_document = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError, match=message):
        department.full_clean(exclude=["slug"])


def test_a_designation_scan_is_accepted_and_stored_under_a_random_name(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    department = DepartmentFactory.build()
    department.designation_document = SimpleUploadedFile("Chief Ortiz signed.png", PNG)
    department.full_clean(exclude=["slug"])
    department.save()
    stored = department.designation_document.name
    assert stored.startswith("designations/") and "Ortiz" not in stored
    department.full_clean(exclude=["slug"])  # saving it again does not reread the stored file
