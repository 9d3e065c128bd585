"""Checks on uploaded files: what the bytes are, not what the name or browser claims."""

import csv
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

# Magic bytes of the formats a certificate may come in.
SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
}


def sniff(head: bytes) -> tuple[str, str] | None:
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    return None


def check_certificate(upload: UploadedFile) -> str:
    """Refuse anything but a PDF, PNG or JPEG of at most 10 MB; return the extension to keep."""
    limit = settings.TRAININGS_UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    if upload.size > limit:
        raise ValidationError(f"The file is larger than {limit // (1024 * 1024)} MB.")
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise ValidationError("Upload the certificate as a PDF, PNG or JPEG file.")
    return kind[0]


def read_csv(upload: UploadedFile) -> list[dict[str, str]]:
    """Rows of a spreadsheet export as dicts keyed by lower-case header: UTF-8 (with or without
    BOM) or Windows-1252; comma, semicolon or tab; blank lines and stray spaces ignored."""
    if upload.size > settings.TRAININGS_CSV_MAX_BYTES:
        raise ValidationError("The file is too large for a question bank.")
    raw = upload.read()
    if b"\x00" in raw:
        raise ValidationError("This does not look like a CSV file.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    # The header tells the delimiter: csv.Sniffer guesses wrong on short, ragged files.
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next((row for row in reader if any(cell.strip() for cell in row)), None)
    if header is None:
        raise ValidationError("The file is empty.")
    keys = [name.strip().lower() for name in header]
    rows = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        row = {key: (values[i].strip() if i < len(values) else "") for i, key in enumerate(keys)}
        row["_line"] = str(reader.line_num)
        rows.append(row)
    return rows


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text
