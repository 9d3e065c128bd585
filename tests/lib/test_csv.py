"""CSV downloads: every cell safe from spreadsheet formulas, UTF-8 that Excel reads, never cached."""

import csv
import io

import pytest

from wnwa.lib.csv import csv_download, spreadsheet_safe, spreadsheet_unguard


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("https://evil.test")', '\'=HYPERLINK("https://evil.test")'),
        ("+1 312 555 0100", "'+1 312 555 0100"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("officer@agency.test", "officer@agency.test"),
        (None, ""),
        (42, "42"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_made_text(cell, expected):
    assert spreadsheet_safe(cell) == expected


def test_a_download_is_an_attachment_of_safe_utf8_rows_never_cached():
    response = csv_download(
        filename="list.csv", header=["name", "=note"], rows=[("Zoë", "=1+1"), ("Al", "ok")]
    )
    assert response["Content-Disposition"] == 'attachment; filename="list.csv"'
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["name", "'=note"], ["Zoë", "'=1+1"], ["Al", "ok"]]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("'+Anne", "+Anne"),
        ("'=Bob", "=Bob"),
        ("'-Carl", "-Carl"),
        ("'@Dee", "@Dee"),
        ("'\tTab", "\tTab"),
        ("'\rCR", "\rCR"),
        ("'Quoted", "'Quoted"),  # an apostrophe the guard did not put there stays
        ("O'Brien", "O'Brien"),
        ("'", "'"),
        ("''=x", "''=x"),
        ("", ""),
    ],
)
def test_the_guard_comes_off_only_where_it_was_put(cell, expected):
    assert spreadsheet_unguard(cell) == expected


@pytest.mark.parametrize("text", ["+Anne", "=Bob", "-Carl", "@Dee", "'Quoted", "\t=1", "plain"])
def test_guarding_then_unguarding_gives_the_text_back(text):
    assert spreadsheet_unguard(spreadsheet_safe(text)) == text
