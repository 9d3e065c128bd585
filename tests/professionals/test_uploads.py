"""Documents are PDF, PNG or JPEG by content, at most 10 MB, with a plain file name."""

import pytest
from django.core.exceptions import ValidationError

from professionals.forms import DOCUMENT_MAX_BYTES as MAX_BYTES
from professionals.forms import check_document
from tests.professionals.conftest import JPEG, PDF, PNG, upload
from wnwa.lib.uploads import display_name

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("licence.pdf", PDF, "application/pdf"),
        ("scan.png", PNG, "image/png"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("photo-with-wrong-extension.pdf", JPEG, "image/jpeg"),
    ],
)
def test_pdf_png_and_jpeg_are_recognised_by_their_content(name, content, expected):
    assert check_document(upload(name, content)) == expected


def test_a_pdf_that_is_really_html_is_refused():
    html = b"<!doctype html><html><script>document.location='https://evil.test'</script></html>"
    with pytest.raises(ValidationError, match="not a PDF, PNG or JPEG"):
        check_document(upload("licence.pdf", html))


def test_an_svg_is_refused_even_though_it_is_an_image():
    with pytest.raises(ValidationError, match="not a PDF, PNG or JPEG"):
        check_document(upload("licence.svg", SVG, "image/svg+xml"))


def test_a_file_of_ten_megabytes_and_one_byte_is_refused():
    with pytest.raises(ValidationError, match="the limit is 10 MB"):
        check_document(upload("big.pdf", PDF + b"0" * (MAX_BYTES + 1 - len(PDF))))


def test_a_file_of_exactly_ten_megabytes_is_accepted():
    assert check_document(upload("big.pdf", PDF + b"0" * (MAX_BYTES - len(PDF))))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        check_document(upload("licence.pdf", b""))


@pytest.mark.parametrize("name", [".htaccess", "a\x00b.pdf", "licence\u202egpj.pdf"])
def test_a_hidden_file_name_or_one_with_control_characters_is_refused(name):
    with pytest.raises(ValidationError, match="Rename the file"):
        check_document(upload(name, PDF))


def test_folder_parts_never_reach_the_check():
    # Django keeps only the last part of an uploaded file's name (and so never a folder);
    # the view test proves such a file lands under a random name in the private folder.
    assert upload("../../etc/passwd.pdf").name == "passwd.pdf"


def test_display_names_are_printable_and_short():
    assert display_name("scan\r\nSet-Cookie: x.pdf") == "scanSet-Cookie: x.pdf"
    assert len(display_name("a" * 500 + ".pdf")) == 120
    assert display_name("\x00") == "document"
