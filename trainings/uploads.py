"""Question banks and certificate lists uploaded as CSV, read the way spreadsheets write them."""

import csv
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile


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
    try:
        return _rows(reader)
    except csv.Error as error:
        # A cell past the csv module's size limit, a stray quote before a line break: say where.
        raise ValidationError(
            f"Line {reader.line_num} cannot be read ({error}). Is this the CSV export?"
        ) from error


def _rows(reader) -> list[dict[str, str]]:
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
