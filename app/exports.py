"""Exports as CSV or XLSX: cells that cannot run as formulas, rows streamed from the database, and
identities masked by `app.masking`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from flask import Response, stream_with_context
from openpyxl import Workbook

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


def summary(text: str | None, length: int = 200) -> str:
    """The beginning of a text on one line."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def _cells(row: Sequence[Any]) -> list[Any]:
    return [safe_cell(v.isoformat() if isinstance(v, date) else v) for v in row]


def attachment(content: bytes, mimetype: str, filename: str) -> Response:
    """A finished file (a PDF, a workbook) as a download named `filename`."""
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
    return xlsx_book_response(filename, [(title, header, rows)])


Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]  # title, header, rows


def xlsx_book_response(filename: str, sheets: Sequence[Sheet]) -> Response:
    """An XLSX download with a sheet per (title, header, rows)."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
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
