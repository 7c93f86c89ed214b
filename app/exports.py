"""Exports as CSV or XLSX: cells that cannot run as formulas, rows streamed from the database, and
a child's identity masked for those who may not see it (UU 11/2012)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from flask import Response, stream_with_context
from openpyxl import Workbook

from app.models.clients import CHILD, Client

CSV_MIME = "text/csv; charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A value a spreadsheet shows as it is: text that would start a formula gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def initials(name: str) -> str:
    """Initials of a name, e.g. "Rizky Aditya" -> "R. A."."""
    return " ".join(f"{part[0]}." for part in name.split() if part)


def identity(client: Client, may_see_children: bool) -> tuple[str, str, str]:
    """Name, NIK and date of birth of a client, masked for a child unless the reader may see them."""
    if client.category == CHILD and not may_see_children:
        born = str(client.birth_date.year) if client.birth_date else ""
        return initials(client.name), "", born
    return client.name, client.nik or "", client.birth_date.isoformat() if client.birth_date else ""


def summary(text: str | None, length: int = 200) -> str:
    """The beginning of a text on one line."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _cells(row: Sequence[Any]) -> list[Any]:
    return [safe_cell(v.isoformat() if isinstance(v, date) else v) for v in row]


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """A CSV download written while the rows are read (UTF-8 with BOM, so spreadsheets read it right)."""

    def generate() -> Iterator[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        yield "\ufeff" + out.getvalue()
        for row in rows:
            out.seek(0)
            out.truncate()
            writer.writerow(_cells(row))
            yield out.getvalue()

    return Response(
        stream_with_context(generate()),
        mimetype=CSV_MIME,
        headers={"Content-Disposition": f"attachment; filename={filename}.csv"},
    )


def xlsx_response(
    filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Response:
    """An XLSX download with one sheet (openpyxl's write-only mode keeps memory flat)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append(_cells(row))
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        mimetype=XLSX_MIME,
        headers={"Content-Disposition": f"attachment; filename={filename}.xlsx"},
    )
