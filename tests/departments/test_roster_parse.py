"""Reading roster files as spreadsheets really export them (departments.roster, no database)."""

import codecs
import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from departments.roster import RosterFileError, column_letter, parse_roster
from tests.departments.rosters import csv_bytes, officers, with_nested_entities, xlsx_bytes

ROWS = [["j.rivera@example.gov", "José", "Núñez", "1187", "Sergeant", "sworn"]]


def only_row(parsed):
    assert parsed.errors == []
    assert len(parsed.rows) == 1
    return parsed.rows[0].values


@pytest.mark.parametrize(
    "content",
    [
        csv_bytes(ROWS),
        codecs.BOM_UTF8 + csv_bytes(ROWS),
        csv_bytes(ROWS, encoding="cp1252"),
        codecs.BOM_UTF16_LE + csv_bytes(ROWS, delimiter="\t", encoding="utf-16-le"),
        csv_bytes(ROWS, delimiter=";"),
        csv_bytes(ROWS, delimiter="\t"),
        csv_bytes(ROWS, newline="\n"),
        csv_bytes(ROWS, delimiter=";", encoding="cp1252", newline="\r"),
    ],
    ids=["utf8", "utf8-bom", "windows-1252", "utf16-tab", "semicolon", "tab", "lf", "cr-1252"],
)
def test_every_encoding_and_delimiter_reads_the_same_officer(content):
    values = only_row(parse_roster(content, "roster.csv"))
    assert values == {
        "email": "j.rivera@example.gov",
        "first_name": "José",
        "last_name": "Núñez",
        "badge_number": "1187",
        "rank": "Sergeant",
        "kind": "sworn",
    }


def test_an_xlsx_workbook_reads_numbers_as_badge_text_and_skips_blank_rows():
    content = xlsx_bytes(
        [["a@example.gov", "Ann", "Lee", 1234, "Officer", "Sworn"], [], [None, "  ", None]]
    )
    values = only_row(parse_roster(content, "roster.xlsx"))
    assert values["badge_number"] == "1234"
    assert values["kind"] == "sworn"


@pytest.mark.parametrize(
    "header",
    [
        ["E-mail", "First Name", "Last Name", "Badge #", "Title", "Type"],
        ["Email Address", "Given name", "Surname", "Badge No.", "Rank", "Sworn/Civilian"],
        ["EMAIL", "FIRST", "LAST", "Employee ID", "Job title", "Employee type"],
        ["Work e-mail address", "first_name", "last_name", "Star #", "Position", "Category"],
    ],
)
def test_header_aliases_are_understood(header):
    parsed = parse_roster(csv_bytes(ROWS, header), "roster.csv")
    assert set(parsed.columns) == {
        "email",
        "first_name",
        "last_name",
        "badge_number",
        "rank",
        "kind",
    }
    assert only_row(parsed)["badge_number"] == "1187"


def test_spaces_blank_lines_and_capitals_are_tidied():
    content = (
        b"\r\n\r\n  Email , First name ,Last name\r\n\r\n"
        b"  Ann.Lee@Example.GOV ,  Ann  ,  van   der Berg \r\n,,\r\n\r\n"
    )
    parsed = parse_roster(content, "roster.csv")
    assert only_row(parsed) == {
        "email": "ann.lee@example.gov",
        "first_name": "Ann",
        "last_name": "van der Berg",
    }
    assert parsed.rows[0].line == 5


def test_a_title_block_above_the_header_is_skipped():
    content = (
        b"Alpha Police HR export\r\nPrinted 2026-01-01\r\n\r\nEmail,First,Last\r\na@x.gov,A,B\r\n"
    )
    parsed = parse_roster(content, "roster.csv")
    assert parsed.rows[0].line == 5


def test_unknown_columns_are_listed_as_ignored():
    parsed = parse_roster(csv_bytes(ROWS, [*["Email", "First", "Last"], "Shift", "Unit"]), "r.csv")
    assert parsed.ignored_columns == ["Shift", "Unit"]


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        (["First name", "Last name"], "No email column"),
        (["Email", "Last name"], "no first name column"),
        (["Email"], "no first name and no last name column"),
    ],
)
def test_a_missing_required_column_is_refused_with_its_name(header, missing):
    with pytest.raises(RosterFileError, match=missing):
        parse_roster(csv_bytes([["a@x.gov", "b", "c"]], header), "roster.csv")


def test_two_columns_for_the_same_field_are_refused():
    with pytest.raises(RosterFileError, match=r"Two columns both look like the email: A .* C"):
        parse_roster(csv_bytes([["a", "b", "c", "d"]], ["Email", "First", "E-mail", "Last"]), "r")


def test_row_errors_name_the_line_the_column_and_the_reason():
    rows = [
        ["not-an-email", "Ann", "Lee", "", "", "sworn"],
        ["", "Bob", "", "", "", "maybe"],
        ["c@x.gov", "C\x07", "D", "", "", "civilian"],
        ["d@x.gov", "D" * 151, "E", "", "", ""],
    ]
    parsed = parse_roster(csv_bytes(rows), "roster.csv")
    found = [(e.line, e.column, e.message) for e in parsed.errors]
    assert found == [
        (2, 'A ("Email")', "“not-an-email” is not an email address."),
        (3, 'A ("Email")', "The email is empty: every officer needs their work email address."),
        (3, 'C ("Last name")', "The last name is empty."),
        (3, 'F ("Sworn")', "“maybe” is neither “sworn” nor “civilian”."),
        (4, 'B ("First name")', "The first name holds an invisible control character."),
        (5, 'B ("First name")', "The first name is longer than 150 characters."),
    ]


def test_html_and_formulas_are_kept_as_plain_text():
    rows = [["a@x.gov", "<script>alert(1)</script>", '=HYPERLINK("http://x")', "", "", ""]]
    values = only_row(parse_roster(csv_bytes(rows), "roster.csv"))
    assert values["first_name"] == "<script>alert(1)</script>"
    assert values["last_name"].startswith("=HYPERLINK")


def test_sworn_or_civilian_accepts_yes_and_no():
    rows = [["a@x.gov", "A", "B", "", "", "Yes"], ["b@x.gov", "B", "C", "", "", "N"]]
    parsed = parse_roster(csv_bytes(rows), "roster.csv")
    assert [row.values["kind"] for row in parsed.rows] == ["sworn", "civilian"]


def test_twenty_five_thousand_rows_are_read_and_one_more_is_refused():
    assert len(parse_roster(csv_bytes(officers(25_000)), "roster.csv").rows) == 25_000
    with pytest.raises(RosterFileError, match="more than 25,000 officers"):
        parse_roster(csv_bytes(officers(25_001)), "roster.csv")


def test_ten_megabytes_are_read_and_one_byte_more_is_refused():
    header = b"Email,First name,Last name,Notes\r\nbig@x.gov,Big,File,"
    limit = 10 * 1024 * 1024
    exactly = header + b"x" * (limit - len(header) - 2) + b"\r\n"
    assert len(exactly) == limit
    with pytest.raises(RosterFileError, match="cannot be read"):  # one 10 MB cell: csv's limit
        parse_roster(exactly, "roster.csv")
    with pytest.raises(RosterFileError, match="The file is 10.0 MB; the limit is 10 MB"):
        parse_roster(exactly + b"x", "roster.csv")


def test_an_old_excel_file_asks_for_xlsx_or_csv():
    with pytest.raises(RosterFileError, match=r"old-style Excel file \(\.xls\)"):
        parse_roster(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "roster.xls")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 not really a zip", "roster.xlsx", "cannot be opened as an Excel workbook"),
        (b"\x00\x01\x02binary\x00", "roster.csv", "not a spreadsheet export"),
        (b"", "roster.csv", "The file is empty"),
        (b"Email,First,Last\r\n\r\n", "roster.csv", "no officers under it"),
        (b"Name,Phone\r\nA,1\r\n", "roster.csv", "No email column"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(content, name, message):
    with pytest.raises(RosterFileError, match=message):
        parse_roster(content, name)


def test_column_letters_match_a_spreadsheet():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52)] == ["A", "Z", "AA", "AZ", "BA"]


def test_a_workbook_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr("departments.roster.XLSX_MAX_UNPACKED", 1000)
    with pytest.raises(RosterFileError, match="far larger inside than a roster can be"):
        parse_roster(xlsx_bytes(officers(50)), "roster.xlsx")


def test_a_file_of_endless_blank_lines_is_refused_quickly():
    content = b"Email,First,Last\r\na@x.gov,A,B\r\n" + b",,\r\n" * 100_000 + b"b@x.gov,B,C\r\n"
    with pytest.raises(RosterFileError, match="more than 100,000 lines"):
        parse_roster(content, "roster.csv")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
def test_a_workbook_nesting_xml_entities_is_refused_unexpanded(part):
    bomb = with_nested_entities(xlsx_bytes(officers(2)), part)
    with pytest.raises(RosterFileError, match="XML entity declarations, which Excel never writes"):
        parse_roster(bomb, "roster.xlsx")


def test_openpyxl_reads_workbooks_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML


def test_a_sheet_whose_xml_is_broken_is_refused_with_a_reason():
    content = xlsx_bytes(officers(2))
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as broken:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", b"<row></sheetData>")
            broken.writestr(entry, data)
    with pytest.raises(RosterFileError, match="cannot be opened as an Excel workbook"):
        parse_roster(buffer.getvalue(), "roster.xlsx")


def test_the_exports_formula_guard_comes_off_and_other_apostrophes_stay():
    rows = [
        ["'-carl@x.gov", "'+Anne", "'=Bob", "'-1", "'@Dee", ""],
        ["b@x.gov", "'Quoted", "O'Brien", "", "", ""],
    ]
    for content, name in ((csv_bytes(rows), "r.csv"), (xlsx_bytes(rows), "r.xlsx")):
        first, second = (row.values for row in parse_roster(content, name).rows)
        assert first == {
            "email": "-carl@x.gov",
            "first_name": "+Anne",
            "last_name": "=Bob",
            "badge_number": "-1",
            "rank": "@Dee",
            "kind": "sworn",
        }
        assert second["first_name"] == "'Quoted" and second["last_name"] == "O'Brien"


# --- The status column (issue 21) --------------------------------------------------------------

STATUS_HEADER = ["Email", "First name", "Last name", "Status"]


@pytest.mark.parametrize("heading", ["Status", "Employment status", "Duty Status", "STATUS"])
def test_the_status_column_is_found_under_its_usual_headings(heading):
    header = [*STATUS_HEADER[:3], heading]
    parsed = parse_roster(csv_bytes([["a@x.gov", "A", "B", "Retired"]], header), "r.csv")
    assert only_row(parsed)["status"] == "retired"


def test_a_roster_without_a_status_column_says_nothing_of_retirement():
    assert "status" not in only_row(parse_roster(csv_bytes(ROWS), "r.csv"))


@given(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters=",\r\n\"'"),
        max_size=80,
    )
)
@hypothesis_settings(max_examples=200, deadline=None)
def test_any_status_cell_reads_as_retired_serving_or_an_error_on_its_line(cell):
    """Hostile cells (control characters, markup, very long, odd unicode) in the status column:
    one of the two statuses or an error naming the line and column; or, for a NUL (no export
    writes one), the whole file refused with a reason."""
    try:
        parsed = parse_roster(csv_bytes([["a@x.gov", "A", "B", cell]], STATUS_HEADER), "r.csv")
    except RosterFileError as refusal:
        assert "\x00" in cell and refusal.messages
        return
    (row,) = parsed.rows
    errors = [error for error in parsed.errors if error.column == 'D ("Status")']
    if errors:
        assert all(error.line == 2 and error.message for error in errors)
    else:
        assert row.values["status"] in {"retired", "serving"}
