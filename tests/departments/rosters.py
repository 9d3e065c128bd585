"""Roster files as spreadsheets export them, for the department tests."""

import io
import re
import zipfile

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


def _laughs(depth: int = 9) -> str:
    """A document type whose entities nest ten deep per level: 10**depth copies of 'lol'."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, depth + 1)
    ]
    return f"<!DOCTYPE lolz [{''.join(entities)}]>"


def with_nested_entities(content: bytes, member: str) -> bytes:
    """The workbook `content` with `member` (an XML part) declaring a billion laughs and using
    the last one in its first text."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == member:
                body = re.sub(r"<t>[^<]*</t>", "<t>&lol9;</t>", data.decode(), count=1)
                data = f'<?xml version="1.0"?>{_laughs()}{body}'.encode()
            bomb.writestr(entry, data)
    return buffer.getvalue()
