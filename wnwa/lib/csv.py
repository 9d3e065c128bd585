"""CSV downloads that a spreadsheet opens safely.

A cell starting with =, +, -, @ (or a tab or carriage return before one) is run as a formula by
Excel, LibreOffice and Google Sheets: a name typed into a public form could then fetch a URL or run
a command on a coordinator's computer (CSV injection). Such a cell gets a leading apostrophe,
which spreadsheets show as plain text. `spreadsheet_unguard` takes it off again when such a file
is uploaded back (the roster import), so that an export round-trips unchanged.
"""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def spreadsheet_unguard(text: str) -> str:
    """The cell as it was before `spreadsheet_safe`: the apostrophe comes off only where the
    guard put it, in front of a formula's first character ("'+Anne" is "+Anne", "'Quoted"
    stays as it is)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def csv_download(
    *, filename: str, header: Iterable[object], rows: Iterable[Iterable[object]]
) -> HttpResponse:
    """A CSV attachment that Excel reads as UTF-8, never cached, every cell spreadsheet-safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # Excel opens UTF-8 correctly only with the byte-order mark
    writer = csv.writer(response)
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return response
