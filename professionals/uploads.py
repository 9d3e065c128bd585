"""What an uploaded document may be: a PDF, PNG or JPEG, recognised by its first bytes.

The signatures are three well-known constants, so this small check is written here rather than
pulled in from python-magic (which needs the system's libmagic and reports far more types than we
accept) or filetype (which we would still have to narrow to these three). The file's own name and
the browser's declared type are never trusted: a ".pdf" that is really HTML is refused.
"""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_BYTES = 10 * 1024 * 1024

SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]


def sniff(head: bytes) -> str | None:
    """The content type the bytes really are, among the accepted ones, or None."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def check_document(upload: UploadedFile) -> str:
    """Validate an upload and return its real content type; raise ValidationError otherwise."""
    name = upload.name or ""
    if (
        "/" in name
        or "\\" in name
        or name.startswith(".")
        or any(not character.isprintable() for character in name)
    ):
        raise ValidationError(
            "The file name contains folder parts or hidden characters. Rename the file "
            "(for example licence.pdf) and attach it again.",
            code="bad_name",
        )
    if upload.size == 0:
        raise ValidationError(
            "This file is empty. Attach the saved PDF or photo again.", code="empty"
        )
    if upload.size > MAX_BYTES:
        megabytes = upload.size / (1024 * 1024)
        raise ValidationError(
            f"This file is {megabytes:.1f} MB; the limit is 10 MB. Save a smaller scan or photo "
            "and attach it again.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(
            "This file is not a PDF, PNG or JPEG (whatever its name says). Save it as a PDF or "
            "take a photo, and attach that.",
            code="bad_type",
        )
    return content_type


def display_name(name: str) -> str:
    """The applicant's file name, for showing to vetters only: printable and short."""
    cleaned = "".join(ch for ch in name if ch.isprintable()).strip() or "document"
    return cleaned[-120:]
