"""Roster files as spreadsheets export them, for the department tests."""

import io

from openpyxl import Workbook

HEADER = ["Email", "First name", "Last name", "Badge", "Rank", "Sworn"]


def csv_bytes(
    rows: list[list[str]],
    header: list[str] | None = None,
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    newline: str = "\r\n",
) -> bytes:
    lines = [header or HEADER, *rows]
    text = newline.join(delimiter.join(cells) for cells in lines) + newline
    return text.encode(encoding)


def xlsx_bytes(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def officers(count: int, *, domain: str = "alpha.test", start: int = 0) -> list[list[str]]:
    return [
        [f"recruit{n}@{domain}", f"First{n}", f"Last{n}", str(5000 + n), "Officer", "sworn"]
        for n in range(start, start + count)
    ]
