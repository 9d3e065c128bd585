"""Reading a roster file the way spreadsheets really export it.

CSV in UTF-8 (with or without a byte-order mark), UTF-16 (Excel's "Unicode text") or
Windows-1252, separated by commas, semicolons or tabs; or an Excel .xlsx workbook (its first
sheet). Header spellings vary ("E-mail", "Email Address", "Badge #"), cells carry stray spaces,
exports carry blank lines. This module only reads and checks each row on its own; the checks
against the database (duplicates in the network, badge numbers in the department) and the plan
are in departments.services.

Every problem with a row is reported with its line, its column and a reason in plain English.
A problem with the whole file (too big, not a roster, a required column missing) raises
RosterFileError, whose message is shown as it is.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from wnwa.accounts.models import User
from wnwa.lib.csv import spreadsheet_unguard

FIELDS = ("email", "first_name", "last_name", "badge_number", "rank", "kind")
# Columns beside the officer's own fields: "status" says serving or retired (docs/product.md,
# "Retired officers"). The roster export writes it, so the export uploads back unchanged.
COLUMNS = (*FIELDS, "status")
REQUIRED = ("email", "first_name", "last_name")
LABELS = {
    "email": "Email",
    "first_name": "First name",
    "last_name": "Last name",
    "badge_number": "Badge number",
    "rank": "Rank",
    "kind": "Sworn or civilian",
    "status": "Status",
}
# The officer's own columns set the limits; "kind" is read as a spelling ("Sworn", "civ.") first.
MAX_LENGTHS = {
    **{name: User._meta.get_field(name).max_length for name in FIELDS if name != "kind"},
    "kind": 40,
    "status": 40,
}

# Header spellings, compared after lower-casing and dropping everything but letters and digits.
ALIASES = {
    "email": {
        "email",
        "emailaddress",
        "emailaddr",
        "mail",
        "workemail",
        "workemailaddress",
        "officialemail",
        "emailid",
    },
    "first_name": {"firstname", "first", "givenname", "forename", "fname"},
    "last_name": {"lastname", "last", "surname", "familyname", "lname"},
    "badge_number": {
        "badge",
        "badgenumber",
        "badgeno",
        "badgenum",
        "badgeid",
        "star",
        "starnumber",
        "starno",
        "employeenumber",
        "employeeno",
        "employeeid",
        "empno",
        "empid",
        "payrollnumber",
        "serialnumber",
    },
    "rank": {"rank", "title", "jobtitle", "position"},
    "kind": {
        "kind",
        "sworn",
        "swornorcivilian",
        "swornstatus",
        "swornciv",
        "sworncivilian",
        "swornnonsworn",
        "type",
        "employeetype",
        "category",
        "classification",
    },
    "status": {
        "status",
        "employmentstatus",
        "dutystatus",
        "officerstatus",
        "retirementstatus",
    },
}
HEADER_TO_FIELD = {alias: name for name, aliases in ALIASES.items() for alias in aliases}

SWORN_WORDS = {"", "sworn", "s", "yes", "y", "true", "1", "officer", "police", "leo"}
CIVILIAN_WORDS = {"civilian", "c", "civ", "no", "n", "false", "0", "nonsworn", "non-sworn"}
# The status column: blank, serving (what the export writes: "active", "invited") or retired.
# Compared without capitals, spaces and punctuation ("Ret.", "Retired officer").
RETIRED_WORDS = {"retired", "retiree", "ret", "rtd", "retiredofficer", "retiredsworn"}
SERVING_WORDS = {"", "active", "invited", "serving", "current", "working", "onduty"}

# A header may sit below a title block: look for it among the first few non-blank rows.
HEADER_SEARCH_ROWS = 10
# Wider sheets are cut: no roster has this many columns, and it bounds a hostile workbook.
MAX_COLUMNS = 60
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A workbook is a zip: refuse one that would unpack to more than this (a "zip bomb"), and stop
# reading a file that is mostly blank lines long before it wastes the server's time.
XLSX_MAX_UNPACKED = 200 * 1024 * 1024
MAX_LINES = 100_000
# openpyxl parses a workbook's XML with defusedxml when it is installed (it is a dependency): a
# part that declares entities (a "billion laughs" nests them to unpack a few bytes into
# gigabytes; Excel never writes one) is refused before any is expanded.
XLSX_ENTITIES = (
    "This workbook holds XML entity declarations, which Excel never writes and which can make a "
    "small file unpack into gigabytes, so it was not read. Open it in Excel and save it again as "
    ".xlsx, or save the roster as CSV, and upload that."
)
XLSX_UNREADABLE = (
    "This file cannot be opened as an Excel workbook (.xlsx). Open it in Excel and save it again "
    "as .xlsx, or save it as CSV."
)


class RosterFileError(ValidationError):
    """The file as a whole cannot be read as a roster; the message says why and what to do."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class RosterRow:
    line: int
    values: dict[str, str]  # only the fields the file has a column for

    @property
    def email(self) -> str:
        return self.values["email"]


@dataclass
class ParsedRoster:
    columns: dict[str, str]  # field -> how the column is labelled in errors
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.rows)


def parse_roster(content: bytes, file_name: str) -> ParsedRoster:
    """Read and check every row of an uploaded roster."""
    check_size(len(content))
    name = file_name.lower()
    if name.endswith(".xls") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileError(
            "This is an old-style Excel file (.xls). In Excel choose File, Save As, and save it "
            "as an Excel Workbook (.xlsx) or as CSV, then upload that."
        )
    if name.endswith(".xlsx") or content.startswith(b"PK\x03\x04"):
        table = _xlsx_rows(content)
    else:
        table = _csv_rows(content)
    return _read_table(table)


def check_size(size: int) -> None:
    if size > settings.ROSTER_MAX_BYTES:
        limit = settings.ROSTER_MAX_BYTES / (1024 * 1024)
        raise RosterFileError(
            f"The file is {size / (1024 * 1024):.1f} MB; the limit is {limit:g} MB. Remove "
            "columns the roster does not need (only email, names, badge number, rank, sworn "
            "or civilian and status are read), or split the roster into several files."
        )
    if size == 0:
        raise RosterFileError("The file is empty.")


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the letters a spreadsheet shows above each column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# --- Files to rows ------------------------------------------------------------------------------


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as error:
            raise RosterFileError("The file says it is UTF-16 text but is not.") from error
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252. Its five unassigned bytes fall back to
        # Latin-1 rather than failing the whole file.
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            text = content.decode("latin-1")
    if "\x00" in text:
        raise RosterFileError(
            "This file is not a spreadsheet export we can read. Upload the roster as CSV or as "
            "an Excel workbook (.xlsx)."
        )
    return text


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most (ties go to the comma)."""
    for line in text.splitlines():
        if line.strip():
            counts = {delimiter: line.count(delimiter) for delimiter in (",", ";", "\t")}
            best = max(counts, key=lambda delimiter: counts[delimiter])
            return best if counts[best] > counts[","] else ","
    return ","


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    line = 1
    try:
        for cells in reader:
            yield line, cells[:MAX_COLUMNS]
            line = reader.line_num + 1
    except csv.Error as error:
        raise RosterFileError(
            f"Line {reader.line_num} cannot be read ({error}). Check for a stray quotation mark."
        ) from error


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        unpacked = sum(entry.file_size for entry in zipfile.ZipFile(io.BytesIO(content)).infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise RosterFileError(XLSX_UNREADABLE) from error
    if unpacked > XLSX_MAX_UNPACKED:
        raise RosterFileError(
            "This workbook is far larger inside than a roster can be. Save the roster sheet "
            "alone as CSV and upload that."
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, ParseError) as error:
        raise _xlsx_refusal(error) from error
    try:
        sheet = workbook.worksheets[0]
        for line, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
            yield line, [_cell_text(value) for value in cells]
    # Rows are parsed as they are read, so a bad sheet can show here rather than when it opens.
    except (ParseError, ValueError) as error:
        raise _xlsx_refusal(error) from error
    finally:
        workbook.close()


def _xlsx_refusal(error: BaseException) -> RosterFileError:
    """Why a workbook cannot be read, in the admin's words. openpyxl wraps defusedxml's refusal
    (EntitiesForbidden, a ValueError) in a ValueError of its own, so its causes are searched."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return RosterFileError(XLSX_ENTITIES)
        cause = cause.__cause__ or cause.__context__
    return RosterFileError(XLSX_UNREADABLE)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # badge 1234 comes back from Excel as 1234.0
    return str(value)


# --- Rows to a roster ---------------------------------------------------------------------------


def _normalise_header(cell: str) -> str:
    return re.sub(r"[^a-z0-9]", "", cell.lower())


def _header(cells: list[str]) -> tuple[dict[str, int], dict[str, str], list[str]] | None:
    """Map fields to column indexes, or None when the row does not name an email column."""
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        heading = cell.strip().lstrip("\ufeff")
        if not heading:
            continue
        name = HEADER_TO_FIELD.get(_normalise_header(heading))
        label = f'{column_letter(index)} ("{heading[:40]}")'
        if name is None:
            ignored.append(heading[:40])
        elif name in positions:
            raise RosterFileError(
                f"Two columns both look like the {LABELS[name].lower()}: {labels[name]} and "
                f"{label}. Delete or rename one of them."
            )
        else:
            positions[name], labels[name] = index, label
    return (positions, labels, ignored) if "email" in positions else None


def _read_table(table: Iterator[tuple[int, list[str]]]) -> ParsedRoster:
    header = None
    for seen, (_line, cells) in enumerate(_non_blank(table)):
        header = _header(cells)
        if header is not None or seen + 1 >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        raise RosterFileError(
            "No email column was found. The first line of the roster must name its columns, for "
            "example: Email, First name, Last name, Badge number, Rank, Sworn or civilian."
        )
    positions, labels, ignored = header
    missing = [LABELS[name] for name in REQUIRED if name not in positions]
    if missing:
        raise RosterFileError(
            f"The roster has no {' and no '.join(name.lower() for name in missing)} column. Add "
            "it, with that heading on the first line, and upload the file again."
        )
    roster = ParsedRoster(columns=labels, ignored_columns=ignored)
    for line, cells in _non_blank(table):
        if len(roster.rows) >= settings.ROSTER_MAX_ROWS:
            raise RosterFileError(
                f"The roster has more than {settings.ROSTER_MAX_ROWS:,} officers. Split it into "
                "several files (each of them without “this file is my whole roster” ticked)."
            )
        values = {
            name: (cells[index] if index < len(cells) else "") for name, index in positions.items()
        }
        row, errors = _check_row(line, values, labels)
        roster.rows.append(row)
        roster.errors.extend(errors)
    if not roster.rows:
        raise RosterFileError("The roster has a header line but no officers under it.")
    return roster


def _non_blank(table: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    for line, cells in table:
        if line > MAX_LINES:
            raise RosterFileError(
                f"The file has more than {MAX_LINES:,} lines, most of them blank. Delete the "
                "empty rows at the end of the sheet and upload it again."
            )
        if any(cell.strip() for cell in cells):
            yield line, cells


def _check_row(
    line: int, raw: dict[str, str], labels: dict[str, str]
) -> tuple[RosterRow, list[RowError]]:
    values: dict[str, str] = {}
    errors: list[RowError] = []

    def fail(name: str, message: str) -> None:
        errors.append(RowError(line, labels[name], message))

    for name, cell in raw.items():
        # The export's formula guard comes off first (so "'+Anne" reads back as "+Anne"), then
        # the trim, which also turns line breaks and tabs into spaces.
        value = " ".join(spreadsheet_unguard(cell.strip(" ")).split())
        if name == "email":
            value = value.lower()
        values[name] = value
        if CONTROL.search(value):
            fail(name, f"The {LABELS[name].lower()} holds an invisible control character.")
        elif len(value) > MAX_LENGTHS[name]:
            fail(name, f"The {LABELS[name].lower()} is longer than {MAX_LENGTHS[name]} characters.")

    email = values["email"]
    if not email:
        fail("email", "The email is empty: every officer needs their work email address.")
    elif not any(error.column == labels["email"] for error in errors):
        try:
            validate_email(email)
        except ValidationError:
            fail("email", f"“{_quote(email)}” is not an email address.")
    for name in ("first_name", "last_name"):
        if not values[name]:
            fail(name, f"The {LABELS[name].lower()} is empty.")
    if "kind" in values:
        word = values["kind"].lower()
        if word in SWORN_WORDS:
            values["kind"] = "sworn"
        elif word in CIVILIAN_WORDS:
            values["kind"] = "civilian"
        else:
            fail("kind", f"“{_quote(values['kind'])}” is neither “sworn” nor “civilian”.")
    if "status" in values and not any(error.column == labels["status"] for error in errors):
        word = re.sub(r"[^a-z]", "", values["status"].lower())
        if word in RETIRED_WORDS:
            values["status"] = "retired"
        elif word in SERVING_WORDS:
            values["status"] = "serving"
        else:
            fail(
                "status",
                f"“{_quote(values['status'])}” is not a status: write “retired” for a retired "
                "officer, or leave it blank (or “active”) for one serving.",
            )
    return RosterRow(line=line, values=values), errors


def _quote(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
